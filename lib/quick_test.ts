import assert from "node:assert/strict";
import { quickModel } from "./quick.ts";
import { createModel } from "./engines.ts";
import { Random } from "./random.ts";
import { sample } from "./sample.ts";
import { Tokenizer } from "./tokenizer.ts";
import { train } from "./train.ts";

const NAMES = [
  "emma",
  "olivia",
  "ava",
  "isabella",
  "sophia",
  "mia",
  "amelia",
  "harper",
  "evelyn",
  "abigail",
  "emily",
  "ella",
  "liam",
  "noah",
  "oliver",
  "elijah",
  "james",
  "william",
  "benjamin",
  "lucas",
];
const SMALL = { n_embd: 8, n_head: 2, block_size: 10 };

Deno.test("quickModel = shuffle, split, draw, train, in the reference order (checked against the steps by hand)", async () => {
  for (const engine of ["scalar", "fast"] as const) {
    const quick = await quickModel({ docs: NAMES, seed: 7, num_steps: 15, config: SMALL, engine });

    const rng = new Random(7);
    const docs = [...NAMES];
    rng.shuffle(docs);
    const tokenizer = Tokenizer.fromDocs(docs);
    const trainDocs = docs.slice(0, 18); // 10% of 20 held out
    const model = createModel({ config: { ...SMALL, vocab_size: tokenizer.vocab_size }, rng, engine });
    assert.deepEqual(quick.initial, model.stateDict());
    const history = await train(model, { docs: trainDocs, tokenizer, num_steps: 15 });

    assert.deepEqual(quick.docs, docs);
    assert.deepEqual(quick.train, trainDocs);
    assert.deepEqual(quick.val, docs.slice(18));
    assert.deepEqual(quick.tokenizer.chars, tokenizer.chars);
    assert.deepEqual(quick.history.losses, history.losses);
    assert.deepEqual(quick.model.stateDict(), model.stateDict());
    // the returned generator continues where the hand-written run's does
    assert.deepEqual(
      sample(quick.model, { tokenizer: quick.tokenizer, rng: quick.rng, count: 5 }),
      sample(model, { tokenizer, rng, count: 5 }),
    );
    assert.equal(quick.model.engine, engine);
  }
});

Deno.test("quickModel leaves the given list alone, passes training options through, valFraction 0 trains on all", async () => {
  const docs = [...NAMES];
  const seen: number[] = [];
  const quick = await quickModel({
    docs,
    num_steps: 4,
    learning_rate: 0.02,
    valFraction: 0,
    config: SMALL,
    onStep: (info) => seen.push(info.lr),
  });
  assert.deepEqual(docs, NAMES);
  assert.equal(quick.val.length, 0);
  assert.equal(quick.train.length, NAMES.length);
  assert.deepEqual(seen, [0.02, 0.015, 0.01, 0.005]);
  assert.equal(quick.model.config.n_embd, 8);
});

Deno.test("quickModel defaults: the project's corpus, the reference architecture, the fast engine", async () => {
  const quick = await quickModel({ num_steps: 3 });
  assert.ok(quick.docs.length > 30_000);
  assert.equal(quick.model.numParams, 4192);
  assert.equal(quick.model.engine, "fast");
  assert.equal(quick.val.length, Math.floor(quick.docs.length * 0.1));
});

Deno.test("quickModel rejects a bad seed and bad options with RangeErrors naming them", async () => {
  await assert.rejects(() => quickModel({ docs: NAMES, seed: "7" as unknown as number }), TypeError);
  await assert.rejects(() => quickModel({ docs: NAMES, seed: 1.5 }), /seed must be a whole number/);
  await assert.rejects(() => quickModel({ docs: NAMES, valFraction: 1 }), /valFraction/);
  await assert.rejects(() => quickModel({ docs: NAMES, num_steps: 0 }), /num_steps/);
  await assert.rejects(() => quickModel({ docs: NAMES, config: { n_embd: 6, n_head: 4 } }), /n_head/);
});
