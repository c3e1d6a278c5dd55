/**
 * Preallocated activations of one sequence (every position up to `block_size`, every layer) and the
 * gradient scratch of the backward pass. Each vector is a view made once, so the forward and backward passes
 * allocate nothing.
 *
 * @module
 */
import type { GPTConfig } from "../config.ts";
import { type AttentionCache, createAttentionCache } from "./attention.ts";
import type { LinearIO } from "./linear.ts";
import { type ActiveSet, activeSet, allOn } from "./relu.ts";

/** `[count][width]` views of one buffer, which `all` holds (row-major) for the kernels that take every row at once. */
export type Rows = Float64Array[] & { readonly all: Float64Array };

/**
 * `count` views of `width` numbers over one new buffer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rows } from "./buffers.ts";
 * const q = rows(3, 2);
 * q[1][0] = 7;
 * assert(q.length === 3 && q.all[2] === 7);
 * ```
 */
export function rows(count: number, width: number): Rows {
  const all = new Float64Array(count * width);
  const views = Array.from({ length: count }, (_, i) => all.subarray(i * width, (i + 1) * width));
  return Object.assign(views, { all });
}

/** One transformer block's activations, indexed by position. */
export interface LayerActivations {
  /** KV cache, attention weights and the K/V gradients. */
  readonly cache: AttentionCache;
  /** `mean(x²) + 1e-5` of the attention rmsnorm, per position. */
  readonly a1: Float64Array;
  readonly h: Rows; // [T][n_embd] rmsnorm(x)
  readonly q: Rows; // [T][n_embd]
  readonly xa: Rows; // [T][n_embd] heads concatenated
  readonly o: Rows; // [T][n_embd] attn_wo·xa
  readonly xmid: Float64Array[]; // [T][n_embd] x + attn_wo·xa
  readonly a2: Float64Array; // [T] of the MLP rmsnorm
  readonly h2: Rows; // [T][n_embd] rmsnorm(xmid)
  readonly f: Rows; // [T][4·n_embd] mlp_fc1·h2
  readonly r: Float64Array[]; // [T][4·n_embd] relu(f)
  readonly on: ActiveSet[]; // [T] which ReLUs are on
}

/** Everything the forward pass of one sequence keeps for the backward pass. */
export interface Activations {
  readonly x0: Float64Array[]; // [T][n_embd] wte[token] + wpe[pos]
  readonly a0: Float64Array; // [T] of the first rmsnorm
  /** `xs[0]` = rmsnorm(x0); `xs[l + 1]` = output of block `l`. `[n_layer + 1][T][n_embd]` */
  readonly xs: Rows[];
  readonly layers: LayerActivations[];
  readonly logits: Rows; // [T][vocab_size]
  readonly e: Float64Array[]; // [T][vocab_size] exp(logit − max)
  readonly total: Float64Array; // [T] softmax denominators
  readonly tmp: Float64Array; // [n_embd] a linear output before its residual add
}

/**
 * Allocate the activations of one sequence.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createActivations } from "./buffers.ts";
 * import { gptConfig } from "../config.ts";
 * const acts = createActivations(gptConfig({ n_layer: 2 }));
 * assert(acts.xs.length === 3 && acts.layers[1].f[0].length === 64);
 * ```
 */
export function createActivations(config: GPTConfig): Activations {
  const { n_embd, n_layer, block_size: T, vocab_size } = config;
  const layers = Array.from({ length: n_layer }, () => {
    const [h, q, xa, o, xmid, h2] = [0, 1, 2, 3, 4, 5].map(() => rows(T, n_embd));
    return {
      cache: createAttentionCache(config),
      a1: new Float64Array(T),
      h,
      q,
      xa,
      o,
      xmid,
      a2: new Float64Array(T),
      h2,
      f: rows(T, 4 * n_embd),
      r: rows(T, 4 * n_embd),
      on: Array.from({ length: T }, () => activeSet(4 * n_embd)),
    };
  });
  return {
    x0: rows(T, n_embd),
    a0: new Float64Array(T),
    xs: Array.from({ length: n_layer + 1 }, () => rows(T, n_embd)),
    layers,
    logits: rows(T, vocab_size),
    e: rows(T, vocab_size),
    total: new Float64Array(T),
    tmp: new Float64Array(n_embd),
  };
}

/** Where the backward pass of one block's attention matrices reads and writes, every position at once. */
export interface LayerIO {
  readonly attn_wo: LinearIO; // x = xa, dy = d(wo·xa), dx = d xa
  readonly attn_wq: LinearIO; // x = h, dy = d q, dx = d h (k and v add to the same d h)
  readonly attn_wk: LinearIO;
  readonly attn_wv: LinearIO;
}

/** Gradient scratch of the backward pass: per position (`[T][…]`) where a layer runs all positions at once. */
export interface Grads {
  readonly dlogits: Float64Array; // [vocab_size]
  readonly dx: Float64Array[]; // [T][n_embd] the residual stream
  readonly dxmid: Rows; // [T][n_embd]
  readonly dh: Rows; // [T][n_embd]
  readonly dq: Rows; // [T][n_embd]
  readonly dxa: Rows; // [T][n_embd]
  readonly dx0: Float64Array; // [n_embd]
  readonly dh2: Float64Array; // [n_embd]
  readonly dr: Float64Array; // [4·n_embd]
  /** `lm_head` rows in backward order, walked from the end (the target's first). */
  readonly order: ActiveSet; // [vocab_size]
  /** Every index of an `n_embd` vector. */
  readonly embd: ActiveSet;
  /** Per block: these buffers and the activations `acts` as the batched backward's inputs and outputs. */
  readonly layers: LayerIO[];
}

/**
 * Allocate the gradient scratch for the backward pass through the training activations `acts`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createActivations, createGrads } from "./buffers.ts";
 * import { gptConfig } from "../config.ts";
 * const config = gptConfig({});
 * const grads = createGrads(config, createActivations(config));
 * assert(grads.dr.length === 64 && grads.dq.length === 16 && grads.layers.length === 1);
 * ```
 */
export function createGrads(config: GPTConfig, acts: Activations): Grads {
  const { n_embd, vocab_size, block_size: T } = config;
  const [dxmid, dh, dq, dxa] = [0, 1, 2, 3].map(() => rows(T, n_embd));
  const layers = acts.layers.map(({ h, xa, cache }) => ({
    attn_wo: { x: xa.all, dy: dxmid.all, dx: dxa.all },
    attn_wq: { x: h.all, dy: dq.all, dx: dh.all },
    attn_wk: { x: h.all, dy: cache.dk, dx: dh.all },
    attn_wv: { x: h.all, dy: cache.dv, dx: dh.all },
  }));
  return {
    dlogits: new Float64Array(vocab_size),
    dx: rows(T, n_embd),
    dxmid,
    dh,
    dq,
    dxa,
    dx0: new Float64Array(n_embd),
    dh2: new Float64Array(n_embd),
    dr: new Float64Array(4 * n_embd),
    order: activeSet(vocab_size),
    embd: allOn(n_embd),
    layers,
  };
}
