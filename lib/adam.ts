/**
 * The Adam update, the one both engines use (the scalar engine on arrays it gathers from its `Value`s, the fast
 * engine on its flat parameter arrays). The float operations follow microgpt.py operator by operator, so a run
 * reproduces the Python reference.
 *
 * @module
 */
import { type AdamStep, checkOptimizer, type StepOptions } from "./model.ts";

/** Parameters, their gradients, and Adam's two moment buffers: arrays of one length. */
export interface AdamBuffers {
  data: Float64Array | number[];
  grad: Float64Array | number[];
  m: Float64Array | number[];
  v: Float64Array | number[];
}

/**
 * One Adam step over all parameters, in place:
 * `m = β1·m + (1−β1)·g`, `v = β2·v + (1−β2)·g²`, `m̂ = m / (1 − β1^(t+1))`, `v̂ = v / (1 − β2^(t+1))`,
 * `p −= lr · m̂ / (√v̂ + eps)`, then `g = 0`, as microgpt.py's loop does. Once `1 − β1^(t+1)` rounds to 1
 * (from step ~230 with β1 = 0.85) `m / 1 = m` exactly, so that division is skipped.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { adamUpdate } from "./adam.ts";
 * const buf = { data: [1], grad: [0.5], m: [0], v: [0] };
 * adamUpdate(buf, { lr: 0.01, t: 0, beta1: 0.85, beta2: 0.99, eps: 1e-8 });
 * assert(Math.abs(buf.data[0] - 0.99) < 1e-9); // the first step moves by ≈ lr
 * ```
 * @throws {RangeError} the arrays differ in length.
 */
export function adamUpdate(buf: AdamBuffers, opts: AdamStep): void {
  const { data, grad, m, v } = buf;
  const n = data.length;
  if (grad.length !== n || m.length !== n || v.length !== n) {
    throw new RangeError(
      `adamUpdate: data, grad, m, v must have one length, got ${n}, ${grad.length}, ${m.length}, ${v.length}`,
    );
  }
  const { lr, t, beta1, beta2, eps } = opts;
  const oneMinusB1 = 1 - beta1; // (1 - beta1) in floats, as Python computes it
  const oneMinusB2 = 1 - beta2;
  const c1 = 1 - beta1 ** (t + 1);
  const c2 = 1 - beta2 ** (t + 1);
  const unbiased = c1 === 1;
  for (let i = 0; i < n; i++) {
    const g = grad[i];
    grad[i] = 0;
    const mi = beta1 * m[i] + oneMinusB1 * g;
    const vi = beta2 * v[i] + oneMinusB2 * (g * g);
    m[i] = mi;
    v[i] = vi;
    const mHat = unbiased ? mi : mi / c1;
    const vHat = vi / c2;
    data[i] -= lr * mHat / (vHat ** 0.5 + eps);
  }
}

/**
 * The update a model's `step` applies to its parameters, in place: Adam (the default, `adamUpdate`) or plain
 * SGD, `p −= lr · g` (notebook 02's rungs 3 and 4). Both engines call it, so the choice is written once.
 * Either zeroes the gradients.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { updateParams } from "./adam.ts";
 * const buf = { data: [1], grad: [0.5], m: [0], v: [0] };
 * updateParams(buf, { optimizer: "sgd", lr: 0.1, t: 0, beta1: 0.85, beta2: 0.99, eps: 1e-8 });
 * assert.equal(buf.data[0], 0.95); // 1 − 0.1 · 0.5, and Adam's buffers untouched
 * assert.deepEqual([buf.m[0], buf.v[0]], [0, 0]);
 * ```
 * @throws {RangeError} an unknown optimizer, or (Adam) arrays of different lengths.
 */
export function updateParams(buf: AdamBuffers, opts: StepOptions): void {
  if (checkOptimizer(opts.optimizer) === "adam") return adamUpdate(buf, opts);
  const { data, grad } = buf;
  for (let i = 0; i < data.length; i++) {
    data[i] -= opts.lr * grad[i];
    grad[i] = 0;
  }
}

/**
 * The learning rate at 0-based step `t` of `num_steps`: linear decay, `lr · (1 − t / num_steps)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { learningRate } from "./adam.ts";
 * assert(learningRate(0.01, 0, 1000) === 0.01);
 * ```
 */
export function learningRate(lr: number, t: number, num_steps: number): number {
  return lr * (1 - t / num_steps);
}
