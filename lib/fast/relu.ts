/**
 * ReLU: `max(0, x)` forward; backward passes the gradient where the input was positive and nothing elsewhere
 * (the scalar engine's local gradient is `x > 0 ? 1 : 0`).
 *
 * @module
 */

/**
 * `out[i] = max(0, x[i])`.
 *
 * @example
 * ```ts
 * import { reluForward } from "./relu.ts";
 * const out = new Float64Array(2);
 * reluForward(Float64Array.of(-1, 2), out);
 * console.assert(out[0] === 0 && out[1] === 2);
 * ```
 */
export function reluForward(x: Float64Array, out: Float64Array): void {
  for (let i = 0; i < x.length; i++) out[i] = x[i] > 0 ? x[i] : 0;
}

/**
 * `dx[i] = x[i] > 0 ? dout[i] : 0` (overwrites `dx`; `dx` may be `dout` itself).
 *
 * @example
 * ```ts
 * import { reluBackward } from "./relu.ts";
 * const dx = new Float64Array(2);
 * reluBackward(Float64Array.of(-1, 2), Float64Array.of(5, 7), dx);
 * console.assert(dx[0] === 0 && dx[1] === 7);
 * ```
 */
export function reluBackward(x: Float64Array, dout: Float64Array, dx: Float64Array): void {
  for (let i = 0; i < x.length; i++) dx[i] = x[i] > 0 ? dout[i] : 0;
}
