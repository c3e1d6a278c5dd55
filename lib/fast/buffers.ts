/**
 * Preallocated activations of one sequence (every position up to `block_size`, every layer) and the
 * gradient scratch of one position. Each vector is a view made once, so the forward and backward passes
 * allocate nothing.
 *
 * @module
 */
import type { GPTConfig } from "../config.ts";
import { type AttentionCache, createAttentionCache } from "./attention.ts";
import { type ActiveSet, activeSet } from "./relu.ts";

/** `count` views of `width` numbers over one new buffer: `[count][width]`. */
function rows(count: number, width: number): Float64Array[] {
  const buf = new Float64Array(count * width);
  return Array.from({ length: count }, (_, i) => buf.subarray(i * width, (i + 1) * width));
}

/** One transformer block's activations, indexed by position. */
export interface LayerActivations {
  /** KV cache, attention weights and the K/V gradients. */
  readonly cache: AttentionCache;
  /** `mean(x²) + 1e-5` of the attention rmsnorm, per position. */
  readonly a1: Float64Array;
  readonly h: Float64Array[]; // [T][n_embd] rmsnorm(x)
  readonly q: Float64Array[]; // [T][n_embd]
  readonly xa: Float64Array[]; // [T][n_embd] heads concatenated
  readonly xmid: Float64Array[]; // [T][n_embd] x + attn_wo·xa
  readonly a2: Float64Array; // [T] of the MLP rmsnorm
  readonly h2: Float64Array[]; // [T][n_embd] rmsnorm(xmid)
  readonly f: Float64Array[]; // [T][4·n_embd] mlp_fc1·h2
  readonly r: Float64Array[]; // [T][4·n_embd] relu(f)
  readonly on: ActiveSet[]; // [T] which ReLUs are on
}

/** Everything the forward pass of one sequence keeps for the backward pass. */
export interface Activations {
  readonly x0: Float64Array[]; // [T][n_embd] wte[token] + wpe[pos]
  readonly a0: Float64Array; // [T] of the first rmsnorm
  /** `xs[0]` = rmsnorm(x0); `xs[l + 1]` = output of block `l`. `[n_layer + 1][T][n_embd]` */
  readonly xs: Float64Array[][];
  readonly layers: LayerActivations[];
  readonly logits: Float64Array[]; // [T][vocab_size]
  readonly e: Float64Array[]; // [T][vocab_size] exp(logit − max)
  readonly total: Float64Array; // [T] softmax denominators
  readonly tmp: Float64Array; // [n_embd] a linear output before its residual add
}

/**
 * Allocate the activations of one sequence.
 *
 * @example
 * ```ts
 * import { createActivations } from "./buffers.ts";
 * import { gptConfig } from "../config.ts";
 * const acts = createActivations(gptConfig({ n_layer: 2 }));
 * console.assert(acts.xs.length === 3 && acts.layers[1].f[0].length === 64);
 * ```
 */
export function createActivations(config: GPTConfig): Activations {
  const { n_embd, n_layer, block_size: T, vocab_size } = config;
  return {
    x0: rows(T, n_embd),
    a0: new Float64Array(T),
    xs: Array.from({ length: n_layer + 1 }, () => rows(T, n_embd)),
    layers: Array.from({ length: n_layer }, () => ({
      cache: createAttentionCache(config),
      a1: new Float64Array(T),
      h: rows(T, n_embd),
      q: rows(T, n_embd),
      xa: rows(T, n_embd),
      xmid: rows(T, n_embd),
      a2: new Float64Array(T),
      h2: rows(T, n_embd),
      f: rows(T, 4 * n_embd),
      r: rows(T, 4 * n_embd),
      on: Array.from({ length: T }, () => activeSet(4 * n_embd)),
    })),
    logits: rows(T, vocab_size),
    e: rows(T, vocab_size),
    total: new Float64Array(T),
    tmp: new Float64Array(n_embd),
  };
}

/** Gradient scratch for the backward pass of one position. */
export interface Grads {
  readonly dlogits: Float64Array; // [vocab_size]
  readonly dx: Float64Array; // [n_embd] the residual stream
  readonly dxmid: Float64Array; // [n_embd]
  readonly dh: Float64Array; // [n_embd]
  readonly dq: Float64Array; // [n_embd]
  readonly dxa: Float64Array; // [n_embd]
  readonly dh2: Float64Array; // [n_embd]
  readonly dr: Float64Array; // [4·n_embd]
  /** `lm_head` rows in backward order (the target's last). */
  readonly order: Int32Array; // [vocab_size]
}

/**
 * Allocate the gradient scratch.
 *
 * @example
 * ```ts
 * import { createGrads } from "./buffers.ts";
 * import { gptConfig } from "../config.ts";
 * console.assert(createGrads(gptConfig({})).dr.length === 64);
 * ```
 */
export function createGrads(config: GPTConfig): Grads {
  const { n_embd, vocab_size } = config;
  const v = () => new Float64Array(n_embd);
  return {
    dlogits: new Float64Array(vocab_size),
    dx: v(),
    dxmid: v(),
    dh: v(),
    dq: v(),
    dxa: v(),
    dh2: v(),
    dr: new Float64Array(4 * n_embd),
    order: new Int32Array(vocab_size),
  };
}
