/**
 * ReLU: `max(0, x)`. The forward pass also lists the units that are on: the next layer skips the zeros
 * (adding `w·0` changes no sum), and the backward pass goes only through them (the scalar engine's local
 * gradient is `x > 0 ? 1 : 0`), inside the linear layers' sparse kernels (`linear.ts`).
 *
 * @module
 */

/** The indices `idx[0..n)` of the units that are on, ascending. */
export interface ActiveSet {
  readonly idx: Int32Array;
  n: number;
}

/**
 * An empty set for up to `size` units.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { activeSet } from "./relu.ts";
 * assert(activeSet(4).idx.length === 4 && activeSet(4).n === 0);
 * ```
 */
export function activeSet(size: number): ActiveSet {
  return { idx: new Int32Array(size), n: 0 };
}

/**
 * `out[i] = max(0, x[i])`; records in `on` which units are positive. Every index is written and the count
 * moves on only for a positive unit: about half the units are on, in no pattern, so a branch on the sign
 * would be mispredicted half the time.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { activeSet, reluForward } from "./relu.ts";
 * const out = new Float64Array(3), on = activeSet(3);
 * reluForward(Float64Array.of(-1, 2, 3), out, on);
 * assert(out[0] === 0 && out[1] === 2 && on.n === 2 && on.idx[0] === 1);
 * ```
 */
export function reluForward(x: Float64Array, out: Float64Array, on: ActiveSet): void {
  const idx = on.idx;
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i], positive = v > 0;
    out[i] = positive ? v : 0;
    idx[n] = i;
    n += Number(positive);
  }
  on.n = n;
}

/**
 * The full set `0, 1, …, size − 1` (a layer whose inputs or outputs no ReLU thins out).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { allOn } from "./relu.ts";
 * assert.deepEqual(allOn(3), { idx: Int32Array.of(0, 1, 2), n: 3 });
 * ```
 */
export function allOn(size: number): ActiveSet {
  return { idx: Int32Array.from({ length: size }, (_, i) => i), n: size };
}
