/**
 * Softmax cross-entropy of one position: `l = -log(softmax(logits)[target])`, in `microgpt.py`'s float order
 * (`p = e_t · total^-1`, `l = log(p) · -1`).
 *
 * Only `p[target]` reaches the loss, so in the scalar graph `total` has a single consumer and every other
 * `e_i` receives just `dtotal`; the backward below is that special case of `softmaxBackward`.
 *
 * @module
 */
import { softmaxForward } from "./softmax.ts";

/**
 * Forward: fills `e` (exp of the shifted logits, length `logits.length`) and returns `[loss, total]` packed into
 * `out` (`out[0] = loss`, `out[1] = total`) to avoid allocating.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { crossEntropyForward } from "./crossentropy.ts";
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
 * import { crossEntropyBackward, crossEntropyForward } from "./crossentropy.ts";
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
