import assert from "node:assert/strict";
import { checkStateDict, countParams, initStateDict, paramTable } from "./params.ts";
import { Random } from "./random.ts";

Deno.test("paramTable lists the matrices in the reference order with their shapes", () => {
  const t = paramTable({ n_layer: 2 });
  assert.deepEqual(t.map((p) => p.name), [
    "wte",
    "wpe",
    "lm_head",
    ...[0, 1].flatMap((i) =>
      ["attn_wq", "attn_wk", "attn_wv", "attn_wo", "mlp_fc1", "mlp_fc2"].map((m) => `layer${i}.${m}`)
    ),
  ]);
  const byName = Object.fromEntries(t.map((p) => [p.name, p.shape]));
  assert.deepEqual(byName.wte, [27, 16]);
  assert.deepEqual(byName.wpe, [16, 16]);
  assert.deepEqual(byName["layer1.mlp_fc1"], [64, 16]);
  assert.deepEqual(byName["layer1.mlp_fc2"], [16, 64]);
});

Deno.test("the reference architecture has 4,192 parameters", () => {
  assert.equal(countParams({}), 4192);
  assert.equal(countParams({ vocab_size: 27 }), 27 * 16 * 2 + 16 * 16 + 4 * 256 + 2 * 1024);
});

Deno.test("initStateDict draws gauss(0, 0.08) row by row in order (Python's values for seed 42)", () => {
  // python3 -c 'import random; r = random.Random(42); print([r.gauss(0, 0.08) for _ in range(5)])'
  const sd = initStateDict({}, new Random(42));
  assert.deepEqual(sd.wte[0].slice(0, 5), [
    -0.011527226366234268,
    -0.013832288026521545,
    -0.008905268925412997,
    0.05615869800790905,
    -0.010207062702630967,
  ]);
  // the same generator, drawn by hand, gives the last entry of the last matrix
  const rng = new Random(42);
  let last = 0;
  for (let i = 0; i < 4192; i++) last = rng.gauss(0, 0.08);
  assert.equal(sd["layer0.mlp_fc2"][15][63], last);
});

Deno.test("checkStateDict accepts a fresh state dict and names what is wrong otherwise", () => {
  const sd = initStateDict({ n_embd: 4, n_head: 2 }, new Random(1));
  checkStateDict({ n_embd: 4, n_head: 2 }, sd);
  assert.throws(() => checkStateDict({}, sd), /"wte" must be 27×16/);
  const { wte: _, ...missing } = sd;
  assert.throws(() => checkStateDict({ n_embd: 4, n_head: 2 }, missing), /matrix "wte" is missing/);
  assert.throws(
    () => checkStateDict({ n_embd: 4, n_head: 2 }, { ...sd, extra: [[1]] }),
    /unexpected matrix "extra"/,
  );
  const bad = structuredClone(sd);
  bad.wpe[2][1] = NaN;
  assert.throws(() => checkStateDict({ n_embd: 4, n_head: 2 }, bad), /"wpe" holds NaN/);
});

Deno.test("an invalid config is rejected before any parameter is drawn", () => {
  assert.throws(
    () => paramTable({ n_embd: 10, n_head: 4 }),
    /n_embd \(10\) must be divisible by n_head \(4\)/,
  );
  assert.throws(() => initStateDict({ n_layer: 0 }, new Random(1)), RangeError);
});
