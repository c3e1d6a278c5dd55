import assert from "node:assert/strict";
import { Random } from "../random.ts";
import { Value } from "../value.ts";
import { attention, createSingleHeadGPT } from "./train3.ts";

const v = (xs: number[]) => xs.map((x) => new Value(x));

Deno.test("train3: attention weights are softmax(q·k/√d) and the output is their blend of values", () => {
  const q = v([1, 1]);
  const keys = [v([0, 0]), v([2, 0])]; // scores 0 and 2/√2
  const values = [v([1, 0]), v([0, 1])];
  const out = attention(q, keys, values);
  const s = 2 / Math.sqrt(2);
  const w1 = Math.exp(s) / (1 + Math.exp(s)); // worked out independently
  assert(Math.abs(out[0].data - (1 - w1)) < 1e-12 && Math.abs(out[1].data - w1) < 1e-12);
});

Deno.test("train3: causal — the logits at a position do not depend on later tokens", () => {
  const m = createSingleHeadGPT({ rng: new Random(42) });
  const a = m.begin(), b = m.begin();
  const la = [a(26), a(4), a(12)], lb = [b(26), b(4), b(1)];
  assert.deepEqual(la[1], lb[1]);
  assert.notDeepEqual(la[2], lb[2]);
});

Deno.test("train3: 4,192 parameters, every one gets a gradient from one document", () => {
  const m = createSingleHeadGPT({ rng: new Random(42) });
  assert.equal(m.numParams, 4192);
  // a long document touches every position up to block_size (16) and so every row of wpe
  const tokens = [26, ...Array.from({ length: 16 }, (_, i) => i % 26), 26];
  m.lossAndGrad(tokens);
  for (const [name, mat] of Object.entries(m.params)) {
    // wte: only the rows of tokens that are inputs (BOS and 0…14) get a gradient
    const rows = name === "wte" ? [...mat.slice(0, 15), mat[26]] : mat;
    assert(rows.every((row) => row.some((p) => p.grad !== 0)), `${name} has a row without gradient`);
  }
});

Deno.test("train3: gradients agree with finite differences; SGD lowers the loss", () => {
  const m = createSingleHeadGPT({ rng: new Random(3) });
  const doc = [26, 4, 12, 12, 0, 26];
  m.lossAndGrad(doc);
  const h = 1e-6;
  for (const [name, r, c] of [["wpe", 2, 3], ["layer0.attn_wq", 5, 7], ["layer0.attn_wk", 0, 1]] as const) {
    const p = m.params[name][r][c];
    const old = p.data;
    p.data = old + h;
    const up = m.loss(doc);
    p.data = old - h;
    const down = m.loss(doc);
    p.data = old;
    const numeric = (up - down) / (2 * h);
    assert(Math.abs(numeric - p.grad) < 1e-7 + 1e-5 * Math.abs(numeric), `${name}: ${numeric} vs ${p.grad}`);
  }
  const before = m.loss(doc);
  m.update({ lr: 0.5, step: 0 });
  assert(m.loss(doc) < before);
});
