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
 */
export function activeSet(size: number): ActiveSet {
  return { idx: new Int32Array(size), n: 0 };
}

/**
 * `out[i] = max(0, x[i])`; records in `on` which units are positive. Every index is written and the count
 * moves on only for a positive unit: about half the units are on, in no pattern, so a branch on the sign
 * would be mispredicted half the time.
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
 */
export function allOn(size: number): ActiveSet {
  return { idx: Int32Array.from({ length: size }, (_, i) => i), n: size };
}
