/**
 * Softmax over the first `n` entries of a row, in `microgpt.py`'s float order: `m = max`,
 * `e_i = exp(x_i + (-m))`, `total = Σ e_i` (left to right from 0), `p_i = e_i · total^-1`.
 *
 * Backward follows the scalar graph, where every `p_i = e_i · total^-1` has its own `total^-1` node: `e_i`
 * gets `total^-1·dp_i`, the `i`-th power node gets `e_i·dp_i`, and `total` collects
 * `(-1·total^-2)·(e_i·dp_i)` from the last `i` to the first; then `e_i` adds `dtotal` and
 * `dx_i = exp(x_i - m)·de_i`.
 *
 * @module
 */

/**
 * Writes `e_i = exp(x_i - max)` into `e` and returns `total = Σ e_i`; the probabilities are
 * `e_i · Math.pow(total, -1)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { softmaxForward } from "./softmax.ts";
 * const e = new Float64Array(2);
 * const total = softmaxForward(Float64Array.of(0, 0), e, 2);
 * assert(total === 2 && e[0] * Math.pow(total, -1) === 0.5);
 * ```
 */
export function softmaxForward(x: Float64Array, e: Float64Array, n: number): number {
  let m = x[0];
  for (let i = 1; i < n; i++) if (x[i] > m) m = x[i];
  const negM = -m;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const ei = Math.exp(x[i] + negM);
    e[i] = ei;
    total += ei;
  }
  return total;
}

/**
 * Backward of `p = softmax(x)` from `e` and `total` of the forward pass: `dx_i` (overwritten) from `dp_i`.
 * `dx` may be `dp` itself; `r = Math.pow(total, -1)` may be passed in if the caller kept it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { softmaxBackward, softmaxForward } from "./softmax.ts";
 * const e = new Float64Array(2), dx = new Float64Array(2);
 * const total = softmaxForward(Float64Array.of(0, 0), e, 2);
 * softmaxBackward(e, total, Float64Array.of(1, 0), dx, 2); // d p_0 / d x = [p0(1-p0), -p0·p1]
 * assert(dx[0] === 0.25 && dx[1] === -0.25);
 * ```
 */
export function softmaxBackward(
  e: Float64Array,
  total: number,
  dp: Float64Array,
  dx: Float64Array,
  n: number,
  r: number = Math.pow(total, -1),
): void {
  const k = -1 * Math.pow(total, -2);
  let dtotal = 0;
  for (let i = n - 1; i >= 0; i--) dtotal += k * (e[i] * dp[i]);
  for (let i = 0; i < n; i++) dx[i] = e[i] * (r * dp[i] + dtotal);
}
