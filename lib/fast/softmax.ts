/**
 * Softmax over the first `n` entries of a row, in `microgpt.py`'s float order: `m = max`,
 * `e_i = exp(x_i + (-m))`, `total = Σ e_i` (left to right from 0), `p_i = e_i · total^-1`.
 *
 * Backward follows the scalar graph, where every `p_i = e_i · total^-1` has its own `total^-1` node: `e_i`
 * gets `total^-1·dp_i`, the `i`-th power node gets `e_i·dp_i`, and `total` collects
 * `(-1·total^-2)·(e_i·dp_i)` from the last `i` to the first; then `e_i` adds `dtotal` and
 * `dx_i = exp(x_i - m)·de_i`.
 *
 * The loss of a position is the cross-entropy `l = -log(softmax(logits)[target])`, computed as
 * `p = e_t · total^-1`, `l = log(p) · -1`. Only `p[target]` reaches the loss, so in the scalar graph `total`
 * has a single consumer and every other `e_i` receives just `dtotal`: its backward is that special case of
 * `softmaxBackward`.
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

/**
 * Forward: fills `e` (exp of the shifted logits, length `logits.length`) and returns `[loss, total]` packed into
 * `out` (`out[0] = loss`, `out[1] = total`) to avoid allocating.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { crossEntropyForward } from "./softmax.ts";
 * const e = new Float64Array(2), out = new Float64Array(2);
 * crossEntropyForward(Float64Array.of(0, 0), 1, e, out);
 * assert(Math.abs(out[0] - Math.log(2)) < 1e-15 && out[1] === 2);
 * ```
 */
export function crossEntropyForward(
  logits: Float64Array,
  target: number,
  e: Float64Array,
  out: Float64Array,
): void {
  const total = softmaxForward(logits, e, logits.length);
  const p = e[target] * Math.pow(total, -1);
  out[0] = Math.log(p) * -1;
  out[1] = total;
}

/**
 * Backward: `dlogits` (overwritten) from `dl`, the gradient arriving at this position's loss.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { crossEntropyBackward, crossEntropyForward } from "./softmax.ts";
 * const e = new Float64Array(2), out = new Float64Array(2), d = new Float64Array(2);
 * crossEntropyForward(Float64Array.of(0, 0), 1, e, out);
 * crossEntropyBackward(e, out[1], 1, 1, d); // p - onehot
 * assert(d[0] === 0.5 && d[1] === -0.5);
 * ```
 */
export function crossEntropyBackward(
  e: Float64Array,
  total: number,
  target: number,
  dl: number,
  dlogits: Float64Array,
): void {
  const r = Math.pow(total, -1);
  const p = e[target] * r;
  const dp = (1 / p) * (-1 * dl);
  const dtotal = (-1 * Math.pow(total, -2)) * (e[target] * dp);
  for (let i = 0; i < dlogits.length; i++) dlogits[i] = e[i] * dtotal;
  dlogits[target] = e[target] * (r * dp + dtotal);
}
