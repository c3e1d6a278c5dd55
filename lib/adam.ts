/**
 * The Adam update on plain arrays. The float operations follow microgpt.py operator by operator, so a run
 * reproduces the Python reference. The scalar engine calls it; the fast engine runs a fused copy
 * (`fast/adam.ts`, which also zeroes the gradients) that its test checks against this one bit for bit.
 *
 * @module
 */
import type { AdamStep } from "./model.ts";

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
 * `p −= lr · m̂ / (√v̂ + eps)`. Gradients are left as they are (the caller zeroes them).
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
  const n = checkAdamBuffers("adamUpdate", buf);
  const { lr, t, beta1, beta2, eps } = opts;
  const oneMinusB1 = 1 - beta1; // (1 - beta1) in floats, as Python computes it
  const oneMinusB2 = 1 - beta2;
  const c1 = 1 - beta1 ** (t + 1);
  const c2 = 1 - beta2 ** (t + 1);
  for (let i = 0; i < n; i++) {
    const g = grad[i];
    m[i] = beta1 * m[i] + oneMinusB1 * g;
    v[i] = beta2 * v[i] + oneMinusB2 * (g * g);
    const mHat = m[i] / c1;
    const vHat = v[i] / c2;
    data[i] -= lr * mHat / (vHat ** 0.5 + eps);
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

/**
 * The common length of Adam's four arrays, for either engine's update.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkAdamBuffers } from "./adam.ts";
 * assert.equal(checkAdamBuffers("example", { data: [1, 2], grad: [0, 0], m: [0, 0], v: [0, 0] }), 2);
 * assert.throws(() => checkAdamBuffers("example", { data: [1], grad: [], m: [0], v: [0] }), RangeError);
 * ```
 * @throws {RangeError} the arrays differ in length (the message starts with `caller`).
 */
export function checkAdamBuffers(caller: string, buf: AdamBuffers): number {
  const { data, grad, m, v } = buf;
  const n = data.length;
  if (grad.length !== n || m.length !== n || v.length !== n) {
    throw new RangeError(
      `${caller}: data, grad, m, v must have one length, got ${n}, ${grad.length}, ${m.length}, ${v.length}`,
    );
  }
  return n;
}
