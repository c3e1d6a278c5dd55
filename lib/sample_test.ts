import assert from "node:assert/strict";
import { createModel } from "./engines.ts";
import type { Model } from "./model.ts";
import { Random } from "./random.ts";
import { greedy, probsFromLogits, sample } from "./sample.ts";
import { Tokenizer } from "./tokenizer.ts";

Deno.test("probsFromLogits equals microgpt.py's softmax(l / T) bit for bit", () => {
  // Python: l = [x * T**-1]; m = max(l); e = [exp(x + -m)]; total = sum(e); [x * total**-1]
  assert.deepEqual(probsFromLogits([1.3, -0.2, 0.7, 2.9, 0.0], 0.5), [
    0.03852408816306617,
    0.0019180014111841925,
    0.0116032323739109,
    0.9450933561765233,
    0.0028613218753153888,
  ]);
  assert.deepEqual(probsFromLogits([0.1, 0.2, 0.3], 0.7), [
    0.2870035719884004,
    0.3310772740556768,
    0.3819191539559229,
  ]);
});

Deno.test("a temperature ≤ 0 or not finite is a RangeError naming it", () => {
  for (const t of [0, -1, NaN, Infinity]) {
    assert.throws(() => probsFromLogits([1, 2], t), /temperature must be/);
  }
  assert.throws(() => probsFromLogits([1, 2], "hot" as unknown as number), TypeError);
  assert.throws(() => probsFromLogits([], 1), RangeError);
});

/** A model whose logits depend only on the previous token: after BOS "a", after "a" "b", after "b" BOS. */
function chainModel(): Model {
  const big = 50;
  return {
    engine: "scalar",
    config: { vocab_size: 3, n_embd: 1, n_head: 1, n_layer: 1, block_size: 8 },
    numParams: 0,
    lossAndGrad: () => 0,
    loss: () => 0,
    step: () => {},
    begin: () => (token: number) => token === 2 ? [big, 0, 0] : token === 0 ? [0, big, 0] : [0, 0, big],
    stateDict: () => ({}),
    loadStateDict: () => {},
  };
}

Deno.test("sample follows the model's distribution and stops at BOS", () => {
  const tokenizer = Tokenizer.fromDocs(["ab"]);
  assert.deepEqual(sample(chainModel(), { tokenizer, rng: new Random(1), count: 3 }), ["ab", "ab", "ab"]);
  assert.deepEqual(sample(chainModel(), { tokenizer, rng: new Random(1), count: 0 }), []);
  assert.equal(greedy(chainModel(), { tokenizer }), "ab");
  assert.equal(greedy(chainModel(), { tokenizer, prefix: "a" }), "ab");
});

Deno.test("sample is reproducible with the same seed and stays within block_size", () => {
  const tokenizer = Tokenizer.fromDocs(["abc"]);
  const model = createModel({
    config: { vocab_size: 4, n_embd: 4, n_head: 2, block_size: 5 },
    rng: new Random(3),
  });
  const a = sample(model, { tokenizer, rng: new Random(8), temperature: 2, count: 30 });
  const b = sample(model, { tokenizer, rng: new Random(8), temperature: 2, count: 30 });
  assert.deepEqual(a, b);
  assert.ok(a.every((s) => s.length <= 5 && /^[abc]*$/.test(s)));
  assert.ok(new Set(a).size > 1);
});

Deno.test("greedy rejects a prefix that does not fit instead of cutting it silently", () => {
  const tokenizer = Tokenizer.fromDocs(["ab"]);
  assert.equal(greedy(chainModel(), { tokenizer, prefix: "abababa" }), "abababab"); // 7 = block_size − 1 fit
  assert.throws(
    () => greedy(chainModel(), { tokenizer, prefix: "abababab" }),
    /has 8 characters; at most block_size − 1 = 7 fit/,
  );
  assert.throws(
    () => greedy(chainModel(), { tokenizer, prefix: "az" }),
    /unknown character "z" in document "az"/,
  );
});

Deno.test("greedy and sample stop at the same length when BOS never wins (block_size tokens)", () => {
  const tokenizer = Tokenizer.fromDocs(["ab"]);
  const alwaysA = { ...chainModel(), begin: () => () => [50, 0, 0] }; // block_size 8
  assert.equal(greedy(alwaysA, { tokenizer }), "aaaaaaaa");
  assert.deepEqual(sample(alwaysA, { tokenizer, rng: new Random(1), count: 1 }), ["aaaaaaaa"]);
});

Deno.test("non-finite logits (a diverged model) and an overflowing temperature are named, not sampled as NaN", () => {
  assert.throws(
    () => probsFromLogits([0, NaN, 1], 1),
    /logits\[1\] is NaN: the model's weights are not finite/,
  );
  assert.throws(() => probsFromLogits([0, 2], 1e-320), /temperature 1e-320 is too small/);
  const tokenizer = Tokenizer.fromDocs(["ab"]);
  const diverged = { ...chainModel(), begin: () => () => [NaN, NaN, NaN] };
  assert.throws(() => sample(diverged, { tokenizer, rng: new Random(1) }), /logits\[0\] is NaN/);
  assert.throws(() => greedy(diverged, { tokenizer }), /logits\[0\] is NaN/); // not "aaaaaaaa"
});

Deno.test("sampling options are validated", () => {
  const tokenizer = Tokenizer.fromDocs(["ab"]);
  const rng = new Random(1);
  assert.throws(() => sample(chainModel(), { tokenizer, rng, temperature: 0 }), /temperature must be > 0/);
  assert.throws(
    () => sample(chainModel(), { tokenizer, rng, count: -1 }),
    /count must be a whole number ≥ 0/,
  );
  const wrong = Tokenizer.fromDocs(["abc"]);
  assert.throws(
    () => sample(chainModel(), { tokenizer: wrong, rng }),
    /tokenizer.vocab_size \(4\) must equal the model's vocab_size \(3\)/,
  );
  assert.throws(() => sample(chainModel(), { tokenizer, rng, temperature: NaN }), /finite number, got NaN/);
  assert.throws(
    () => sample(chainModel(), { tokenizer, rng, count: 1.5 }),
    /count must be a whole number ≥ 0, got 1.5/,
  );
  const noRng = { tokenizer } as unknown as Parameters<typeof sample>[1];
  assert.throws(
    () => sample(chainModel(), noRng),
    (e) => e instanceof TypeError && /rng must be a Random/.test(e.message),
  );
  const noTok = { rng } as unknown as Parameters<typeof sample>[1];
  assert.throws(() => sample(chainModel(), noTok), /tokenizer must be a Tokenizer/);
});
