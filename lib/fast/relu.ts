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
 * `out[i] = max(0, x[i])`; records in `on` which units are positive.
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
 * The full set `0, 1, …, size − 1` (a layer whose inputs or outputs no ReLU thins out).
 */
export function allOn(size: number): ActiveSet {
  return { idx: Int32Array.from({ length: size }, (_, i) => i), n: size };
}
