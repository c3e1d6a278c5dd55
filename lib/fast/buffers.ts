/**
 * Preallocated activations of one sequence (every position up to `block_size`, every layer) and the
 * gradient scratch of the backward pass. Each vector is a view made once, so the forward and backward passes
 * allocate nothing.
 *
 * @module
 */
import type { GPTConfig } from "../config.ts";
import { createAttentionCache } from "./attention.ts";
import { activeSet, allOn } from "./relu.ts";

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

/**
 * Allocate the activations of one sequence: everything its forward pass keeps for the backward pass, per
 * position (`[T][…]`) and per block.
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
export function createActivations(config: GPTConfig) {
  const { n_embd, n_layer, block_size: T, vocab_size } = config;
  const layers = Array.from({ length: n_layer }, () => ({ // one transformer block's activations
    /** KV cache, attention weights and the K/V gradients. */
    cache: createAttentionCache(config),
    /** `a = mean(x²) + 1e-5` of the attention rmsnorm and its `scale = a^-0.5`, per position. */
    a1: new Float64Array(T),
    s1: new Float64Array(T),
    h: rows(T, n_embd), // [T][n_embd] rmsnorm(x)
    q: rows(T, n_embd), // [T][n_embd]
    xa: rows(T, n_embd), // [T][n_embd] heads concatenated
    o: rows(T, n_embd), // [T][n_embd] attn_wo·xa
    xmid: rows(T, n_embd), // [T][n_embd] x + attn_wo·xa
    a2: new Float64Array(T), // [T] a of the MLP rmsnorm
    s2: new Float64Array(T), // [T] its scale
    h2: rows(T, n_embd), // [T][n_embd] rmsnorm(xmid)
    f: rows(T, 4 * n_embd), // [T][4·n_embd] mlp_fc1·h2
    r: rows(T, 4 * n_embd), // [T][4·n_embd] relu(f)
    on: Array.from({ length: T }, () => activeSet(4 * n_embd)), // [T] which ReLUs are on
  }));
  return {
    x0: rows(T, n_embd), // [T][n_embd] wte[token] + wpe[pos]
    a0: new Float64Array(T), // [T] a of the first rmsnorm
    s0: new Float64Array(T), // [T] its scale
    /** `xs[0]` = rmsnorm(x0); `xs[l + 1]` = output of block `l`. `[n_layer + 1][T][n_embd]` */
    xs: Array.from({ length: n_layer + 1 }, () => rows(T, n_embd)),
    layers,
    logits: rows(T, vocab_size), // [T][vocab_size]
    e: rows(T, vocab_size), // [T][vocab_size] exp(logit − max)
    total: new Float64Array(T), // [T] softmax denominators
    tmp: new Float64Array(n_embd), // [n_embd] a linear output before its residual add
  };
}

/** Everything the forward pass of one sequence keeps for the backward pass (`createActivations`). */
export type Activations = ReturnType<typeof createActivations>;

/**
 * Allocate the gradient scratch for the backward pass through the training activations `acts`: per position
 * (`[T][…]`) where a layer runs all positions at once.
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
export function createGrads(config: GPTConfig, acts: Activations) {
  const { n_embd, vocab_size, block_size: T } = config;
  const [dxmid, dh, dq, dxa] = [0, 1, 2, 3].map(() => rows(T, n_embd)); // [T][n_embd] each
  // per block: where the backward pass of its attention matrices reads and writes, every position at once
  const layers = acts.layers.map(({ h, xa, cache }) => ({
    attn_wo: { x: xa.all, dy: dxmid.all, dx: dxa.all }, // x = xa, dy = d(wo·xa), dx = d xa
    attn_wq: { x: h.all, dy: dq.all, dx: dh.all }, // x = h, dy = d q, dx = d h (k and v add to the same d h)
    attn_wk: { x: h.all, dy: cache.dk, dx: dh.all },
    attn_wv: { x: h.all, dy: cache.dv, dx: dh.all },
  }));
  return {
    dlogits: new Float64Array(vocab_size), // [vocab_size]
    dx: rows(T, n_embd), // [T][n_embd] the residual stream
    dxmid,
    dh,
    dq,
    dxa,
    dx0: new Float64Array(n_embd), // [n_embd]
    dh2: new Float64Array(n_embd), // [n_embd]
    dr: new Float64Array(4 * n_embd), // [4·n_embd]
    /** `lm_head` rows in backward order, walked from the end (the target's first). */
    order: activeSet(vocab_size), // [vocab_size]
    /** Every index of an `n_embd` vector. */
    embd: allOn(n_embd),
    layers,
  };
}

/** The gradient scratch of the backward pass (`createGrads`). */
export type Grads = ReturnType<typeof createGrads>;
