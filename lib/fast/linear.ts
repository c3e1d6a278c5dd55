/**
 * Linear layer on flat `Float64Array` rows: `out[o] = Σ_i W[o][i]·x[i]`, summed left to right from 0 exactly
 * like `microgpt.py`'s `sum(wi * xi for wi, xi in zip(wo, x))`.
 *
 * Backward reproduces the scalar engine's float order: every weight gets `x[i]·dout[o]` once per position, and
 * `dx[i]` sums the rows' contributions `W[o][i]·dout[o]` in the order reverse-mode autograd visits them —
 * last row first (the rows' sums were discovered first-to-last, so they are finished last-to-first).
 *
 * @module
 */

/** A parameter matrix `[rows][cols]` (row-major) with its gradient, both views into the model's flat arrays. */
export interface Matrix {
  /** Name in the state dict (`wte`, `layer0.attn_wq`, …). */
  readonly name: string;
  readonly rows: number;
  readonly cols: number;
  /** Weights, `rows·cols` long. */
  readonly w: Float64Array;
  /** Accumulated gradient, same layout as `w`. */
  readonly g: Float64Array;
}

/**
 * A matrix of zeros (weights and gradient), handy for tests and examples.
 *
 * @example
 * ```ts
 * import { zeroMatrix } from "./linear.ts";
 * const m = zeroMatrix("w", 2, 3);
 * console.assert(m.w.length === 6 && m.g.length === 6);
 * ```
 */
export function zeroMatrix(name: string, rows: number, cols: number): Matrix {
  return { name, rows, cols, w: new Float64Array(rows * cols), g: new Float64Array(rows * cols) };
}

/**
 * `out[o] = Σ_i W[o][i]·x[i]` for `o < m.rows` (`x` has `m.cols` entries).
 *
 * @example
 * ```ts
 * import { linearForward, zeroMatrix } from "./linear.ts";
 * const m = zeroMatrix("w", 2, 2);
 * m.w.set([1, 2, 3, 4]); // [[1, 2], [3, 4]]
 * const out = new Float64Array(2);
 * linearForward(m, Float64Array.of(1, 1), out);
 * console.assert(out[0] === 3 && out[1] === 7);
 * ```
 */
export function linearForward(m: Matrix, x: Float64Array, out: Float64Array): void {
  const w = m.w, rows = m.rows, cols = m.cols;
  for (let o = 0, row = 0; o < rows; o++, row += cols) {
    let s = 0;
    for (let i = 0; i < cols; i++) s += w[row + i] * x[i];
    out[o] = s;
  }
}

/**
 * Backward of one row `o`: `g[o][i] += x[i]·dout[o]` and `dx[i] += W[o][i]·dout[o]`. A zero `dout[o]` (a
 * ReLU that was off) adds only zeros, so it is skipped.
 *
 * @example
 * ```ts
 * import { backwardRow, zeroMatrix } from "./linear.ts";
 * const m = zeroMatrix("w", 1, 2);
 * m.w.set([3, 4]);
 * const dx = new Float64Array(2);
 * backwardRow(m, 0, Float64Array.of(1, 2), Float64Array.of(10), dx);
 * console.assert(m.g[1] === 20 && dx[0] === 30 && dx[1] === 40);
 * ```
 */
export function backwardRow(
  m: Matrix,
  o: number,
  x: Float64Array,
  dout: Float64Array,
  dx: Float64Array,
): void {
  const d = dout[o];
  if (d === 0) return;
  const w = m.w, g = m.g, cols = m.cols, row = o * cols;
  for (let i = 0; i < cols; i++) {
    g[row + i] += x[i] * d;
    dx[i] += w[row + i] * d;
  }
}

/**
 * Backward of `out = W·x` for one position: adds to `m.g`, and sets `dx` (which it zeroes first) to
 * `Σ_o W[o][i]·dout[o]` summed from the last row to the first.
 *
 * @example
 * ```ts
 * import { linearBackward, zeroMatrix } from "./linear.ts";
 * const m = zeroMatrix("w", 2, 1);
 * m.w.set([2, 3]);
 * const dx = new Float64Array(1);
 * linearBackward(m, Float64Array.of(5), Float64Array.of(1, 10), dx);
 * console.assert(dx[0] === 32 && m.g[0] === 5 && m.g[1] === 50);
 * ```
 */
export function linearBackward(m: Matrix, x: Float64Array, dout: Float64Array, dx: Float64Array): void {
  dx.fill(0);
  for (let o = m.rows - 1; o >= 0; o--) backwardRow(m, o, x, dout, dx);
}
