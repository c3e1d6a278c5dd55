/**
 * Linear layer on flat `Float64Array` rows: `out[o] = Σ_i W[o][i]·x[i]`, summed left to right from 0 exactly
 * like `microgpt.py`'s `sum(wi * xi for wi, xi in zip(wo, x))`.
 *
 * Backward reproduces the scalar engine's float order: every weight gets `x[i]·dout[o]` once per position, and
 * `dx[i]` sums the rows' contributions `W[o][i]·dout[o]` in the order reverse-mode autograd visits them —
 * last row first (the rows' sums were discovered first-to-last, so they are finished last-to-first).
 *
 * The kernels take their arrays as positional arguments (no options objects): they run millions of times
 * per training run and must not allocate.
 *
 * @module
 */
import type { ActiveSet } from "./relu.ts";

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
 * `out[o] = Σ_i W[o][i]·x[i]` for `o < m.rows` (`x` has `m.cols` entries). Four rows run side by side (each
 * still summed left to right, so the result is the same) to keep the CPU's adders busy.
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
  let o = 0;
  for (; o + 4 <= rows; o += 4) {
    const r0 = o * cols, r1 = r0 + cols, r2 = r1 + cols, r3 = r2 + cols;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let i = 0; i < cols; i++) {
      const xi = x[i];
      s0 += w[r0 + i] * xi;
      s1 += w[r1 + i] * xi;
      s2 += w[r2 + i] * xi;
      s3 += w[r3 + i] * xi;
    }
    out[o] = s0;
    out[o + 1] = s1;
    out[o + 2] = s2;
    out[o + 3] = s3;
  }
  for (; o < rows; o++) {
    const row = o * cols;
    let s = 0;
    for (let i = 0; i < cols; i++) s += w[row + i] * x[i];
    out[o] = s;
  }
}

/**
 * Backward of one row `o`: `g[o][i] += x[i]·dout[o]` and `dx[i] += W[o][i]·dout[o]`. A zero `dout[o]` (a
 * ReLU that was off) would add only zeros, so it is skipped.
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
 * Backward of the rows listed in `order[0..count)`, in that order: for each row `o`, `g[o][i] += x[i]·dout[o]`
 * and `dx[i] += W[o][i]·dout[o]`. Four rows go side by side; each `dx[i]` still receives them in list order.
 *
 * @example
 * ```ts
 * import { backwardRows, zeroMatrix } from "./linear.ts";
 * const m = zeroMatrix("w", 2, 1);
 * m.w.set([2, 3]);
 * const dx = new Float64Array(1);
 * backwardRows(m, Int32Array.of(1, 0), 2, Float64Array.of(5), Float64Array.of(1, 10), dx);
 * console.assert(dx[0] === 32 && m.g[1] === 50);
 * ```
 */
export function backwardRows(
  m: Matrix,
  order: Int32Array,
  count: number,
  x: Float64Array,
  dout: Float64Array,
  dx: Float64Array,
): void {
  const w = m.w, g = m.g, cols = m.cols;
  let k = 0;
  for (; k + 4 <= count; k += 4) {
    const o0 = order[k], o1 = order[k + 1], o2 = order[k + 2], o3 = order[k + 3];
    const d0 = dout[o0], d1 = dout[o1], d2 = dout[o2], d3 = dout[o3];
    const r0 = o0 * cols, r1 = o1 * cols, r2 = o2 * cols, r3 = o3 * cols;
    for (let i = 0; i < cols; i++) {
      const xi = x[i];
      g[r0 + i] += xi * d0;
      g[r1 + i] += xi * d1;
      g[r2 + i] += xi * d2;
      g[r3 + i] += xi * d3;
      dx[i] = dx[i] + w[r0 + i] * d0 + w[r1 + i] * d1 + w[r2 + i] * d2 + w[r3 + i] * d3;
    }
  }
  for (; k < count; k++) backwardRow(m, order[k], x, dout, dx);
}

let active = new Int32Array(64); // scratch: the rows with a non-zero output gradient

/**
 * Backward of `out = W·x` for one position: adds to `m.g`, and sets `dx` (zeroed first) to
 * `Σ_o W[o][i]·dout[o]` summed from the last row to the first. Rows whose `dout` is 0 (ReLUs that were off)
 * add only zeros and are skipped.
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
  if (active.length < m.rows) active = new Int32Array(m.rows);
  const act = active;
  let n = 0;
  for (let o = m.rows - 1; o >= 0; o--) if (dout[o] !== 0) act[n++] = o;
  dx.fill(0);
  backwardRows(m, act, n, x, dout, dx);
}

/**
 * Backward of `out = W·x` when only the rows listed in `on` can have a non-zero `dout` (the rows that feed
 * ReLUs that were on; the others' gradient is exactly 0): adds to `m.g`, and sets `dx` (zeroed first) to
 * `Σ_o W[o][i]·dout[o]` over those rows, last row first — `linearBackward`'s order, without scanning `dout`
 * (a listed row whose `dout` is 0 adds only zeros).
 *
 * @example
 * ```ts
 * import { linearBackwardRowsActive, zeroMatrix } from "./linear.ts";
 * const m = zeroMatrix("w", 3, 1);
 * m.w.set([2, 3, 4]);
 * const dx = new Float64Array(1);
 * linearBackwardRowsActive(m, Float64Array.of(5), { idx: Int32Array.of(0, 2), n: 2 }, Float64Array.of(1, 7, 10), dx);
 * console.assert(dx[0] === 42 && m.g[2] === 50 && m.g[1] === 0);
 * ```
 */
export function linearBackwardRowsActive(
  m: Matrix,
  x: Float64Array,
  on: ActiveSet,
  dout: Float64Array,
  dx: Float64Array,
): void {
  const w = m.w, g = m.g, cols = m.cols, idx = on.idx;
  dx.fill(0);
  let k = on.n - 1;
  for (; k >= 3; k -= 4) {
    const o0 = idx[k], o1 = idx[k - 1], o2 = idx[k - 2], o3 = idx[k - 3];
    const d0 = dout[o0], d1 = dout[o1], d2 = dout[o2], d3 = dout[o3];
    const r0 = o0 * cols, r1 = o1 * cols, r2 = o2 * cols, r3 = o3 * cols;
    for (let i = 0; i < cols; i++) {
      const xi = x[i];
      g[r0 + i] += xi * d0;
      g[r1 + i] += xi * d1;
      g[r2 + i] += xi * d2;
      g[r3 + i] += xi * d3;
      dx[i] = dx[i] + w[r0 + i] * d0 + w[r1 + i] * d1 + w[r2 + i] * d2 + w[r3 + i] * d3;
    }
  }
  for (; k >= 0; k--) {
    const o = idx[k], d = dout[o], r = o * cols;
    for (let i = 0; i < cols; i++) {
      g[r + i] += x[i] * d;
      dx[i] += w[r + i] * d;
    }
  }
}

/**
 * `linearForward` for an input that is zero outside `on` (a ReLU's output): sums only the listed entries,
 * left to right. The skipped terms are `W[o][i]·0`, which change no sum.
 *
 * @example
 * ```ts
 * import { linearForwardActive, zeroMatrix } from "./linear.ts";
 * const m = zeroMatrix("w", 1, 3);
 * m.w.set([1, 2, 3]);
 * const out = new Float64Array(1);
 * linearForwardActive(m, Float64Array.of(0, 5, 7), { idx: Int32Array.of(1, 2), n: 2 }, out);
 * console.assert(out[0] === 31);
 * ```
 */
export function linearForwardActive(m: Matrix, x: Float64Array, on: ActiveSet, out: Float64Array): void {
  const w = m.w, rows = m.rows, cols = m.cols, idx = on.idx, n = on.n;
  let o = 0;
  for (; o + 4 <= rows; o += 4) {
    const r0 = o * cols, r1 = r0 + cols, r2 = r1 + cols, r3 = r2 + cols;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let k = 0; k < n; k++) {
      const i = idx[k], xi = x[i];
      s0 += w[r0 + i] * xi;
      s1 += w[r1 + i] * xi;
      s2 += w[r2 + i] * xi;
      s3 += w[r3 + i] * xi;
    }
    out[o] = s0;
    out[o + 1] = s1;
    out[o + 2] = s2;
    out[o + 3] = s3;
  }
  for (; o < rows; o++) {
    const row = o * cols;
    let s = 0;
    for (let k = 0; k < n; k++) s += w[row + idx[k]] * x[idx[k]];
    out[o] = s;
  }
}

/**
 * `linearBackward` for an input that is zero outside `on`: the weights of the zero inputs get `0·dout`
 * (nothing), and `dx` is computed only at the listed entries (the ReLU's backward zeroes the rest).
 *
 * @example
 * ```ts
 * import { linearBackwardActive, zeroMatrix } from "./linear.ts";
 * const m = zeroMatrix("w", 2, 2);
 * m.w.set([1, 2, 3, 4]);
 * const dx = new Float64Array(2);
 * linearBackwardActive(m, Float64Array.of(0, 5), { idx: Int32Array.of(1), n: 1 }, Float64Array.of(1, 10), dx);
 * console.assert(dx[1] === 42 && m.g[3] === 50 && m.g[2] === 0);
 * ```
 */
export function linearBackwardActive(
  m: Matrix,
  x: Float64Array,
  on: ActiveSet,
  dout: Float64Array,
  dx: Float64Array,
): void {
  const w = m.w, g = m.g, cols = m.cols, idx = on.idx, n = on.n;
  for (let k = 0; k < n; k++) dx[idx[k]] = 0;
  let o = m.rows - 1;
  for (; o >= 3; o -= 4) {
    const d0 = dout[o], d1 = dout[o - 1], d2 = dout[o - 2], d3 = dout[o - 3];
    const r0 = o * cols, r1 = r0 - cols, r2 = r1 - cols, r3 = r2 - cols;
    for (let k = 0; k < n; k++) {
      const i = idx[k], xi = x[i];
      g[r0 + i] += xi * d0;
      g[r1 + i] += xi * d1;
      g[r2 + i] += xi * d2;
      g[r3 + i] += xi * d3;
      dx[i] = dx[i] + w[r0 + i] * d0 + w[r1 + i] * d1 + w[r2 + i] * d2 + w[r3 + i] * d3;
    }
  }
  for (; o >= 0; o--) {
    const d = dout[o], row = o * cols;
    for (let k = 0; k < n; k++) {
      const i = idx[k];
      g[row + i] += x[i] * d;
      dx[i] += w[row + i] * d;
    }
  }
}
