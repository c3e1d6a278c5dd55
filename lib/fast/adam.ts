/**
 * Adam on the flat arrays: the float operations of `../adam.ts`'s `adamUpdate` (Python's operator order,
 * bit for bit), then the gradients are zeroed. One shortcut, exact by construction: once `1 − β1^(t+1)`
 * rounds to 1 (from step ~230 with β1 = 0.85), `m / 1 = m`, so that division is skipped.
 *
 * @module
 */
import { checkAdamBuffers } from "../adam.ts";
import type { AdamStep } from "../model.ts";

/** Parameters, gradients and the two moment buffers, one length. */
export interface FlatAdamBuffers {
  readonly data: Float64Array;
  readonly grad: Float64Array;
  readonly m: Float64Array;
  readonly v: Float64Array;
}

/**
 * One Adam update of every parameter; the gradients are zeroed afterwards.
 *
 * @example
 * ```ts
 * import { adamStep } from "./adam.ts";
 * const buf = { data: Float64Array.of(1), grad: Float64Array.of(0.5), m: new Float64Array(1), v: new Float64Array(1) };
 * adamStep(buf, { lr: 0.01, t: 0, beta1: 0.85, beta2: 0.99, eps: 1e-8 });
 * console.assert(Math.abs(buf.data[0] - 0.99) < 1e-9 && buf.grad[0] === 0);
 * ```
 * @throws {RangeError} the arrays differ in length.
 */
export function adamStep(buf: FlatAdamBuffers, opts: AdamStep): void {
  const { data, grad, m, v } = buf;
  const n = checkAdamBuffers("adamStep", buf);
  const { lr, t, beta1, beta2, eps } = opts;
  const oneMinusB1 = 1 - beta1, oneMinusB2 = 1 - beta2;
  const c1 = 1 - beta1 ** (t + 1), c2 = 1 - beta2 ** (t + 1);
  if (c1 === 1) {
    for (let i = 0; i < n; i++) {
      const g = grad[i];
      const mi = beta1 * m[i] + oneMinusB1 * g;
      const vi = beta2 * v[i] + oneMinusB2 * (g * g);
      m[i] = mi;
      v[i] = vi;
      data[i] -= lr * mi / ((vi / c2) ** 0.5 + eps);
      grad[i] = 0;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const g = grad[i];
      const mi = beta1 * m[i] + oneMinusB1 * g;
      const vi = beta2 * v[i] + oneMinusB2 * (g * g);
      m[i] = mi;
      v[i] = vi;
      data[i] -= lr * (mi / c1) / ((vi / c2) ** 0.5 + eps);
      grad[i] = 0;
    }
  }
}
