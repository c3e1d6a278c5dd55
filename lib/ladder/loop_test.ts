import assert from "node:assert/strict";
import { requestInterrupt } from "../interrupt.ts";
import { Random } from "../random.ts";
import { evalRung, sampleRung, trainRung } from "./loop.ts";
import type { Rung, UpdateOpts } from "./rung.ts";
import { createBigramModel } from "./train0.ts";

// a=0, b=1, BOS=2
const tokenizer = {
  bos: 2,
  encode: (d: string) => [2, ...[...d].map((c) => "ab".indexOf(c)), 2],
  decode: (ids: readonly number[]) => ids.map((i) => "ab"[i]).join(""),
};

/** A rung that records what the loop does to it. */
function spy(lossOf: (tokens: readonly number[]) => number = () => 1) {
  const seen: number[][] = [], updates: UpdateOpts[] = [];
  const rung: Rung = {
    rung: 9,
    name: "spy",
    idea: "records calls",
    numParams: 0,
    block_size: 16,
    lossAndGrad: (t) => (seen.push([...t]), lossOf(t)),
    loss: lossOf,
    update: (u) => void updates.push(u),
    begin: () => () => [0, 0, 0],
  };
  return { rung, seen, updates };
}

Deno.test("trainRung: one document per step, cycling; lr decays linearly from learning_rate to 0", async () => {
  const { rung, seen, updates } = spy();
  const h = await trainRung(rung, { docs: ["a", "bb"], tokenizer, num_steps: 4, learning_rate: 0.8 });
  assert.deepEqual(seen, [[2, 0, 2], [2, 1, 1, 2], [2, 0, 2], [2, 1, 1, 2]]);
  assert.deepEqual(updates.map((u) => u.step), [0, 1, 2, 3]);
  assert.deepEqual(updates.map((u) => u.lr), [0.8, 0.8 * 0.75, 0.8 * 0.5, 0.8 * 0.25]);
  assert.deepEqual(h.losses, [1, 1, 1, 1]);
  assert.equal(h.stoppedAt, undefined);
});

Deno.test("trainRung: an Interrupt stops after the current step, says where, keeps what was learned", async () => {
  const { rung, updates } = spy();
  const lines: string[] = [];
  const log = console.log;
  console.log = (line: string) => void lines.push(line);
  try {
    const h = await trainRung(rung, {
      docs: ["a"],
      tokenizer,
      num_steps: 10,
      learning_rate: 0.1,
      onStep: ({ step }) => step === 3 && requestInterrupt(),
    });
    assert.equal(h.stoppedAt, 3);
    assert.equal(h.losses.length, 3);
    assert.equal(updates.length, 3, "the third step's update was applied, no fourth step began");
  } finally {
    console.log = log;
  }
  assert.deepEqual(lines, ["rung 9: stopped at step 3 of 10"]);
});

Deno.test("trainRung: a non-finite loss stops with an error that suggests a smaller learning rate", async () => {
  const { rung } = spy(() => NaN);
  await assert.rejects(
    trainRung(rung, { docs: ["a"], tokenizer, num_steps: 3, learning_rate: 5 }),
    /smaller learning_rate than 5/,
  );
  await assert.rejects(trainRung(rung, { docs: [], tokenizer, num_steps: 3, learning_rate: 1 }), RangeError);
  await assert.rejects(
    trainRung(rung, { docs: ["a"], tokenizer, num_steps: 0, learning_rate: 1 }),
    RangeError,
  );
});

Deno.test("evalRung: the mean over documents of each document's loss, without learning", () => {
  const { rung, seen } = spy((t) => t.length); // loss = number of tokens
  assert.equal(evalRung(rung, { docs: ["a", "abab"], tokenizer }), (3 + 6) / 2);
  assert.equal(seen.length, 0);
  assert.throws(() => evalRung(rung, { docs: [], tokenizer }), RangeError);
});

Deno.test("sampleRung: reproducible for a seed, stops at BOS, never longer than block_size", () => {
  const m = createBigramModel({ vocab_size: 3, block_size: 5 });
  const a = sampleRung(m, { tokenizer, rng: new Random(7), count: 20, temperature: 1 });
  const b = sampleRung(m, { tokenizer, rng: new Random(7), count: 20, temperature: 1 });
  assert.deepEqual(a, b);
  assert(a.every((s) => /^[ab]*$/.test(s) && s.length <= 5));
  assert(new Set(a).size > 3, "a uniform table gives varied names");
  assert.throws(
    () => sampleRung(m, { tokenizer, rng: new Random(1), temperature: 0 }),
    /temperature must be > 0/,
  );
  const diverged = { ...m, begin: () => () => [NaN, NaN, NaN] };
  assert.throws(() => sampleRung(diverged, { tokenizer, rng: new Random(1) }), /logits\[0\] is NaN/);
});

Deno.test("a rung shows one line in Jupyter and as a string, not its parameters", () => {
  const m = createBigramModel({ vocab_size: 3 });
  assert.equal(String(m), "train0 · bigram counts: 9 parameters — " + m.idea);
  const bundle = (m as unknown as Record<symbol, () => Record<string, string>>)
    [Symbol.for("Jupyter.display")]();
  assert.equal(bundle["text/plain"], String(m));
  assert(!Object.keys(m).includes("toString"));
});
