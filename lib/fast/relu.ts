/**
 * ReLU: `max(0, x)` forward; backward passes the gradient where the input was positive and nothing elsewhere
 * (the scalar engine's local gradient is `x > 0 ? 1 : 0`). The forward pass also lists the units that are on,
 * so the next layer can skip the zeros (adding `w·0` changes no sum).
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
 * import { activeSet } from "./relu.ts";
 * console.assert(activeSet(4).idx.length === 4 && activeSet(4).n === 0);
 * ```
 */
export function activeSet(size: number): ActiveSet {
  return { idx: new Int32Array(size), n: 0 };
}

/**
 * `out[i] = max(0, x[i])`; records in `on` which units are positive.
 *
 * @example
 * ```ts
 * import { activeSet, reluForward } from "./relu.ts";
 * const out = new Float64Array(3), on = activeSet(3);
 * reluForward(Float64Array.of(-1, 2, 3), out, on);
 * console.assert(out[0] === 0 && out[1] === 2 && on.n === 2 && on.idx[0] === 1);
 * ```
 */
export function reluForward(x: Float64Array, out: Float64Array, on: ActiveSet): void {
  const idx = on.idx;
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    if (x[i] > 0) {
      out[i] = x[i];
      idx[n++] = i;
    } else out[i] = 0;
  }
  on.n = n;
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
