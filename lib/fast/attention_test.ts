import assert from "node:assert/strict";
import { Random } from "../random.ts";
import { attentionBackward, attentionForward, createAttentionCache } from "./attention.ts";
import { assertNear, centralDiff, gaussArray } from "./test_util.ts";

const n_embd = 6, n_head = 2, T = 4;

function setup(seed: number) {
  const rng = new Random(seed);
  const c = createAttentionCache({ n_embd, n_head, block_size: T });
  c.k.set(gaussArray(rng, T * n_embd));
  c.v.set(gaussArray(rng, T * n_embd));
  const qs = Array.from({ length: T }, () => gaussArray(rng, n_embd));
  const cs = Array.from({ length: T }, () => gaussArray(rng, n_embd)); // L = Σ_t cs[t]·out_t
  return { c, qs, cs };
}

function loss({ c, qs, cs }: ReturnType<typeof setup>): number {
  const out = new Float64Array(n_embd);
  let L = 0;
  for (let t = 0; t < T; t++) {
    attentionForward(c, t, qs[t], out);
    for (let i = 0; i < n_embd; i++) L += cs[t][i] * out[i];
  }
  return L;
}

Deno.test("attention: scores q·k / sqrt(head_dim), softmax over positions ≤ t, weighted sum of values", () => {
  const { c, qs } = setup(10);
  const out = new Float64Array(n_embd);
  attentionForward(c, 1, qs[1], out);
  const hd = n_embd / n_head;
  for (let h = 0; h < n_head; h++) {
    const s = [0, 1].map((tp) => {
      let dot = 0;
      for (let j = 0; j < hd; j++) dot += qs[1][h * hd + j] * c.k[tp * n_embd + h * hd + j];
      return dot / Math.sqrt(hd);
    });
    const w = s.map((v) => Math.exp(v - Math.max(...s)));
    const z = w[0] + w[1];
    for (let j = 0; j < hd; j++) {
      const want = (w[0] * c.v[h * hd + j] + w[1] * c.v[n_embd + h * hd + j]) / z;
      assertNear(out[h * hd + j], want, 1e-14, `out[${h * hd + j}]`);
    }
  }
});

Deno.test("attention is causal: position t ignores cached rows after t", () => {
  const { c, qs } = setup(11);
  const a = new Float64Array(n_embd), b = new Float64Array(n_embd);
  attentionForward(c, 1, qs[1], a);
  c.k.fill(123, 2 * n_embd);
  c.v.fill(-7, 2 * n_embd);
  attentionForward(c, 1, qs[1], b);
  assert.deepEqual(b, a);
});

Deno.test("attentionBackward matches finite differences for q, every cached k and v", () => {
  const s = setup(12);
  const { c, qs, cs } = s;
  loss(s); // fills the cache's weights for every position
  c.dk.fill(0);
  c.dv.fill(0);
  const dq = Array.from({ length: T }, () => new Float64Array(n_embd));
  for (let t = T - 1; t >= 0; t--) attentionBackward(c, t, qs[t], cs[t], dq[t]);
  const L = () => loss(s);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < n_embd; i++) assertNear(dq[t][i], centralDiff(L, qs[t], i), 1e-7, `dq[${t}][${i}]`);
  }
  for (let k = 0; k < T * n_embd; k++) {
    assertNear(c.dk[k], centralDiff(L, c.k, k), 1e-7, `dk[${k}]`);
    assertNear(c.dv[k], centralDiff(L, c.v, k), 1e-7, `dv[${k}]`);
  }
});
