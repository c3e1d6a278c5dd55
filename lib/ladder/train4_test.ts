import assert from "node:assert/strict";
import { gptConfig } from "../config.ts";
import { Random } from "../random.ts";
import { Value } from "../value.ts";
import { attention, createSingleHeadGPT } from "./train3.ts";
import { createMultiHeadGPT, multiHeadAttention } from "./train4.ts";

const v = (xs: number[]) => xs.map((x) => new Value(x));

Deno.test("train4: each head attends on its own slice", () => {
  // head 0 sees q=[5] against keys [0], [5] → prefers position 1; head 1 sees q=[0] → uniform
  const q = v([5, 0]);
  const keys = [v([0, 1]), v([5, 1])];
  const values = [v([10, 10]), v([20, 20])];
  const out = multiHeadAttention(q, keys, values, gptConfig({ n_embd: 2, n_head: 2 }));
  const w = Math.exp(25) / (1 + Math.exp(25));
  assert(Math.abs(out[0].data - (10 * (1 - w) + 20 * w)) < 1e-9);
  assert(Math.abs(out[1].data - 15) < 1e-12);
});

Deno.test("train4: with one head, multi-head attention is rung 3's attention", () => {
  const rng = new Random(9);
  const r = () => v(Array.from({ length: 4 }, () => rng.gauss(0, 1)));
  const q = r(), keys = [r(), r(), r()], values = [r(), r(), r()];
  const one = multiHeadAttention(q, keys, values, gptConfig({ n_embd: 4, n_head: 1 }));
  assert.deepEqual(one.map((x) => x.data), attention(q, keys, values).map((x) => x.data));
  const m3 = createSingleHeadGPT({ rng: new Random(42) });
  const m4 = createMultiHeadGPT({ rng: new Random(42), config: { n_head: 1 } });
  assert.equal(m4.loss([26, 1, 2, 26]), m3.loss([26, 1, 2, 26]));
});

Deno.test("train4: four heads change the model's output but not its parameter count", () => {
  const m3 = createSingleHeadGPT({ rng: new Random(42) });
  const m4 = createMultiHeadGPT({ rng: new Random(42) });
  assert.equal(m4.numParams, m3.numParams);
  assert.notEqual(m4.loss([26, 1, 2, 26]), m3.loss([26, 1, 2, 26]));
});
