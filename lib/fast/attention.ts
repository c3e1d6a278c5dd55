/**
 * Causal multi-head attention of one position over the KV cache, in `microgpt.py`'s float order:
 * `score[t'] = (Σ_j q_j·k_t'[j]) · (head_dim^0.5)^-1`, `w = softmax(score)`, `out[j] = Σ_t' w_t'·v_t'[j]`.
 * The mask is causal by construction: position `t` only sees the `t + 1` rows already in the cache. (A model
 * trained without the mask passes `keys` = every position of the name: notebook 04's cheat.)
 *
 * Backward follows the scalar graph's order: the output sums hand `w_t'·dout_j` to `v_t'[j]` and collect
 * `dw_t' = Σ_j v_t'[j]·dout_j` from the last `j` down; the dot products hand `k_t'[j]·ddot_t'` to `q_j`
 * from the last `t'` down. `dk` and `dv` accumulate over the later positions first (the backward pass runs
 * positions from last to first), exactly as the scalar engine's reverse topological order does.
 *
 * @module
 */
import { softmaxBackward, softmaxForward } from "./softmax.ts";

/**
 * Allocate a cache for one layer: the KV cache, the attention weights of every position (for backward) and the
 * K/V gradients.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createAttentionCache } from "./attention.ts";
 * const c = createAttentionCache({ n_embd: 16, n_head: 4, block_size: 8 });
 * assert(c.head_dim === 4 && c.k.length === 128);
 * ```
 * @throws {RangeError} `n_embd` is not divisible by `n_head`.
 */
export function createAttentionCache(opts: { n_embd: number; n_head: number; block_size: number }) {
  const { n_embd, n_head, block_size } = opts;
  if (n_embd % n_head !== 0) {
    throw new RangeError(`n_embd (${n_embd}) must be divisible by n_head (${n_head})`);
  }
  const rows = block_size * n_embd;
  const e = new Float64Array(block_size * n_head * block_size);
  return {
    n_embd,
    n_head,
    head_dim: n_embd / n_head,
    /** `[block_size][n_embd]` keys; row `t` is written by the caller before `attentionForward(…, t, …)`. */
    k: new Float64Array(rows),
    /** `[block_size][n_embd]` values. */
    v: new Float64Array(rows),
    /** `[block_size][n_embd]` gradients of the keys / values, accumulated by `attentionBackward`. */
    dk: new Float64Array(rows),
    dv: new Float64Array(rows),
    /** `[block_size][n_head]` the softmax denominators and their `Math.pow(total, -1)`. */
    total: new Float64Array(block_size * n_head),
    rtotal: new Float64Array(block_size * n_head),
    /** `Math.pow(Math.pow(head_dim, 0.5), -1)`: the scores' scale. */
    scale: Math.pow(Math.pow(n_embd / n_head, 0.5), -1),
    /** `[block_size]` scratch. */
    w: new Float64Array(block_size),
    /** exp(score − max) of query `t`, head `h` at `[t·n_head + h]` (`[block_size]` each): views of one buffer. */
    eRows: Array.from(
      { length: block_size * n_head },
      (_, i) => e.subarray(i * block_size, (i + 1) * block_size),
    ),
  };
}

/** One layer's KV cache, the attention weights of every position (for backward) and the K/V gradients. */
export type AttentionCache = ReturnType<typeof createAttentionCache>;

/**
 * Attention output of position `t` (its key and value already in row `t` of the cache) for query `q`,
 * written into `out` (`[n_embd]`, heads concatenated). It attends over the first `keys` cached rows: `t + 1`
 * (causal, the default) or, for a model trained without the causal mask, every position of the sequence.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { attentionForward, createAttentionCache } from "./attention.ts";
 * const c = createAttentionCache({ n_embd: 2, n_head: 1, block_size: 2 });
 * c.v.set([1, 2], 0); // one cached position: the output is its value
 * const out = new Float64Array(2);
 * attentionForward(c, 0, Float64Array.of(0.5, 0.5), out);
 * assert(out[0] === 1 && out[1] === 2);
 * ```
 */
export function attentionForward(
  c: AttentionCache,
  t: number,
  q: Float64Array,
  out: Float64Array,
  keys: number = t + 1,
): void {
  const { n_embd, n_head, head_dim, k, v, eRows, total, rtotal, w, scale } = c;
  const T = keys;
  for (let h = 0; h < n_head; h++) {
    const hs = h * head_dim;
    const row = eRows[t * n_head + h];
    for (let tp = 0; tp < T; tp++) {
      const kr = tp * n_embd + hs;
      let dot = 0;
      for (let j = 0; j < head_dim; j++) dot += q[hs + j] * k[kr + j];
      row[tp] = dot * scale;
    }
    const tot = softmaxForward(row, row, T);
    const r = Math.pow(tot, -1);
    total[t * n_head + h] = tot;
    rtotal[t * n_head + h] = r;
    for (let tp = 0; tp < T; tp++) w[tp] = row[tp] * r;
    for (let j = 0; j < head_dim; j++) {
      let s = 0;
      for (let tp = 0, vr = hs + j; tp < T; tp++, vr += n_embd) s += w[tp] * v[vr];
      out[hs + j] = s;
    }
  }
}

/**
 * Backward of `attentionForward(c, t, q, out, keys)`: sets `dq` from `dout` and adds to `c.dk`, `c.dv` rows
 * `0..keys − 1`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { attentionBackward, attentionForward, createAttentionCache } from "./attention.ts";
 * const c = createAttentionCache({ n_embd: 1, n_head: 1, block_size: 1 });
 * c.k[0] = 2;
 * c.v[0] = 3;
 * const q = Float64Array.of(1), out = new Float64Array(1), dq = new Float64Array(1);
 * attentionForward(c, 0, q, out);
 * attentionBackward(c, 0, q, Float64Array.of(1), dq);
 * assert(c.dv[0] === 1 && dq[0] === 0); // one position: weight 1, the score does not matter
 * ```
 */
export function attentionBackward(
  c: AttentionCache,
  t: number,
  q: Float64Array,
  dout: Float64Array,
  dq: Float64Array,
  keys: number = t + 1,
): void {
  const { n_embd, n_head, head_dim, k, v, dk, dv, eRows, total, rtotal, w, scale } = c;
  const T = keys;
  for (let i = 0; i < n_embd; i++) dq[i] = 0;
  for (let h = 0; h < n_head; h++) {
    const hs = h * head_dim;
    const row = eRows[t * n_head + h];
    const tot = total[t * n_head + h], r = rtotal[t * n_head + h];
    for (let tp = 0; tp < T; tp++) {
      const wt = row[tp] * r;
      const vr = tp * n_embd + hs;
      let dw = 0;
      for (let j = head_dim - 1; j >= 0; j--) {
        dw += v[vr + j] * dout[hs + j];
        dv[vr + j] += wt * dout[hs + j];
      }
      w[tp] = dw;
    }
    softmaxBackward(row, tot, w, w, T, r); // w: d score
    for (let tp = T - 1; tp >= 0; tp--) {
      const ddot = scale * w[tp];
      const kr = tp * n_embd + hs;
      for (let j = 0; j < head_dim; j++) {
        dq[hs + j] += k[kr + j] * ddot;
        dk[kr + j] += q[hs + j] * ddot;
      }
    }
  }
}
