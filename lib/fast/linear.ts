/**
 * The linear layer on flat row-major `Float64Array`s, for positions of one sequence (a whole name when
 * training, one new token when generating): `y[t][o] = Σ_i W[o][i]·x[t][i]`, summed left to right from 0 like
 * `microgpt.py`'s `sum(wi * xi for wi, xi in zip(wo, x))`. Backward keeps the scalar engine's float order:
 * `dx[t][i]` gets the rows' `W[o][i]·dy[t][o]` last row first (autograd finishes the rows' sums in reverse
 * of their discovery), `g[o][i]` gets `x[t][i]·dy[t][o]` last position first (it finishes the last position
 * first). Loops run rows (and two positions) side by side to keep the adders busy and use each loaded weight
 * twice; every single sum keeps its order, so the results do not change. Positional arguments, no
 * allocation: the kernels run millions of times per training run. In the innermost loops an index sum is
 * written `(a + i) | 0`: that tells V8 it stays a 32-bit integer, so each load loses an overflow check.
 *
 * @module
 */
import type { Matrix } from "./params.ts";
import type { ActiveSet } from "./relu.ts";

/** Inputs, output gradients and input gradients of one matrix for the positions of a sequence. */
export interface LinearIO {
  /** `[T][m.cols]` the inputs, one row per position. */
  readonly x: Float64Array;
  /** `[T][m.rows]` the gradients of the outputs. */
  readonly dy: Float64Array;
  /** `[T][m.cols]` the gradients of the inputs (added to; the caller zeroes them). */
  readonly dx: Float64Array;
}

/**
 * `y[t] = W·x[t]` for the positions `from ≤ t < to` (`x`: `[T][m.cols]`, `y`: `[T][m.rows]`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { linearForward } from "./linear.ts";
 * const m = { name: "w", rows: 1, cols: 2, w: Float64Array.of(1, 2), g: new Float64Array(2) };
 * const y = new Float64Array(3);
 * linearForward(m, Float64Array.of(1, 1, 2, 0, 0, 3), y, 0, 3);
 * assert.deepEqual(y, Float64Array.of(3, 2, 6));
 * ```
 */
export function linearForward(m: Matrix, x: Float64Array, y: Float64Array, from: number, to: number): void {
  const w = m.w, rows = m.rows, cols = m.cols;
  for (let t = from; t < to; t += 2) { // two positions (a lone last one paired with itself), four rows at a time
    const xa = t * cols, ya = t * rows, b = t + 1 < to ? 1 : 0, xb = xa + b * cols, yb = ya + b * rows;
    let o = 0;
    for (; o + 4 <= rows; o += 4) {
      const r0 = o * cols, r1 = r0 + cols, r2 = r1 + cols, r3 = r2 + cols;
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
      for (let i = 0; i < cols; i++) {
        const u = x[(xa + i) | 0], v = x[(xb + i) | 0];
        const w0 = w[(r0 + i) | 0], w1 = w[(r1 + i) | 0], w2 = w[(r2 + i) | 0], w3 = w[(r3 + i) | 0];
        a0 += w0 * u;
        a1 += w1 * u;
        a2 += w2 * u;
        a3 += w3 * u;
        b0 += w0 * v;
        b1 += w1 * v;
        b2 += w2 * v;
        b3 += w3 * v;
      }
      y[ya + o] = a0;
      y[ya + o + 1] = a1;
      y[ya + o + 2] = a2;
      y[ya + o + 3] = a3;
      y[yb + o] = b0;
      y[yb + o + 1] = b1;
      y[yb + o + 2] = b2;
      y[yb + o + 3] = b3;
    }
    for (; o < rows; o++) {
      const r = o * cols;
      let a = 0, c = 0;
      for (let i = 0; i < cols; i++) {
        a += w[r + i] * x[xa + i];
        c += w[r + i] * x[xb + i];
      }
      y[ya + o] = a;
      y[yb + o] = c;
    }
  }
}

/**
 * `y = W·x` for one position whose input is zero outside `on` (a ReLU's output):
 * sums only the listed entries, left to right. The skipped terms are `W[o][i]·0`, which change no sum.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { linearForwardActive } from "./linear.ts";
 * const m = { name: "w", rows: 1, cols: 3, w: Float64Array.of(1, 2, 3), g: new Float64Array(3) };
 * const y = new Float64Array(1);
 * linearForwardActive(m, Float64Array.of(0, 5, 7), { idx: Int32Array.of(1, 2), n: 2 }, y);
 * assert.equal(y[0], 31);
 * ```
 */
export function linearForwardActive(m: Matrix, x: Float64Array, on: ActiveSet, y: Float64Array): void {
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
    y[o] = s0;
    y[o + 1] = s1;
    y[o + 2] = s2;
    y[o + 3] = s3;
  }
  for (; o < rows; o++) {
    const r = o * cols;
    let s = 0;
    for (let k = 0; k < n; k++) s += w[r + idx[k]] * x[idx[k]];
    y[o] = s;
  }
}

/**
 * Backward of one position through the rows `rows.idx[rows.n − 1]`, …, `rows.idx[0]` (the list walked from
 * its end), at the inputs `cols.idx[0..cols.n)`: `g[o][i] += x[i]·dy[o]` and `dx[i] += W[o][i]·dy[o]`, each
 * `dx[i]` receiving the rows in that order. Rows left out must have `dy[o] = 0` (a ReLU after the layer that was
 * off) and inputs left out `x[i] = 0` (a ReLU before it): their terms would add nothing. The `dx` of inputs
 * left out is not touched.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { backwardRows } from "./linear.ts";
 * const m = { name: "w", rows: 2, cols: 2, w: Float64Array.of(1, 2, 3, 4), g: new Float64Array(4) };
 * const dx = new Float64Array(2), rows = { idx: Int32Array.of(0, 1), n: 2 }, cols = { idx: Int32Array.of(1), n: 1 };
 * backwardRows(m, rows, cols, Float64Array.of(0, 5), Float64Array.of(1, 10), dx); // row 1, then row 0
 * assert.deepEqual(dx, Float64Array.of(0, 42));
 * assert.deepEqual(m.g, Float64Array.of(0, 5, 0, 50));
 * ```
 */
export function backwardRows(
  m: Matrix,
  rows: ActiveSet,
  cols: ActiveSet,
  x: Float64Array,
  dy: Float64Array,
  dx: Float64Array,
): void {
  const w = m.w, g = m.g, width = m.cols, list = rows.idx, idx = cols.idx, n = cols.n;
  const dense = n === width; // every input: idx[c] = c, no need to look it up
  let k = rows.n - 1;
  for (; k >= 3; k -= 4) {
    const o0 = list[k], o1 = list[k - 1], o2 = list[k - 2], o3 = list[k - 3];
    const d0 = dy[o0], d1 = dy[o1], d2 = dy[o2], d3 = dy[o3];
    const r0 = o0 * width, r1 = o1 * width, r2 = o2 * width, r3 = o3 * width;
    for (let c = 0; c < n; c++) {
      const i = dense ? c : idx[c], xi = x[i];
      g[r0 + i] += xi * d0;
      g[r1 + i] += xi * d1;
      g[r2 + i] += xi * d2;
      g[r3 + i] += xi * d3;
      dx[i] = dx[i] + w[r0 + i] * d0 + w[r1 + i] * d1 + w[r2 + i] * d2 + w[r3 + i] * d3;
    }
  }
  for (; k >= 0; k--) {
    const o = list[k], d = dy[o], r = o * width;
    for (let c = 0; c < n; c++) {
      const i = idx[c];
      g[r + i] += x[i] * d;
      dx[i] += w[r + i] * d;
    }
  }
}

/**
 * Backward of rows `hi − 1` down to `lo` for the positions `0 ≤ t < T` at once: `dx[t][i] += W[o][i]·dy[t][o]`
 * (rows last first) and `g[o][i] += Σ_t x[t][i]·dy[t][o]` (positions last first, each weight's gradient
 * kept in a register while they are added).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { backwardRange } from "./linear.ts";
 * const m = { name: "w", rows: 1, cols: 1, w: Float64Array.of(2), g: new Float64Array(1) };
 * const io = { x: Float64Array.of(3, 5), dy: Float64Array.of(1, 10), dx: new Float64Array(2) };
 * backwardRange(m, io, 2, 1, 0);
 * assert.deepEqual(io.dx, Float64Array.of(2, 20));
 * assert.equal(m.g[0], 53);
 * ```
 */
export function backwardRange(m: Matrix, io: LinearIO, T: number, hi: number, lo: number): void {
  const { x, dy, dx } = io;
  const w = m.w, g = m.g, rows = m.rows, cols = m.cols;
  let t = 0;
  for (; t + 2 <= T; t += 2) { // input gradients: two positions side by side, rows four at a time
    const da = t * rows, db = da + rows, xa = t * cols, xb = xa + cols;
    let o = hi - 1;
    for (; o - 3 >= lo; o -= 4) {
      const r0 = o * cols, r1 = r0 - cols, r2 = r1 - cols, r3 = r2 - cols;
      const a0 = dy[da + o], a1 = dy[da + o - 1], a2 = dy[da + o - 2], a3 = dy[da + o - 3];
      const b0 = dy[db + o], b1 = dy[db + o - 1], b2 = dy[db + o - 2], b3 = dy[db + o - 3];
      for (let i = 0; i < cols; i++) {
        const w0 = w[(r0 + i) | 0], w1 = w[(r1 + i) | 0], w2 = w[(r2 + i) | 0], w3 = w[(r3 + i) | 0];
        const ia = (xa + i) | 0, ib = (xb + i) | 0;
        dx[ia] = dx[ia] + w0 * a0 + w1 * a1 + w2 * a2 + w3 * a3;
        dx[ib] = dx[ib] + w0 * b0 + w1 * b1 + w2 * b2 + w3 * b3;
      }
    }
    for (; o >= lo; o--) {
      const r = o * cols, a = dy[da + o], b = dy[db + o];
      for (let i = 0; i < cols; i++) {
        dx[xa + i] += w[r + i] * a;
        dx[xb + i] += w[r + i] * b;
      }
    }
  }
  if (t < T) { // a last single position, rows four at a time
    const d = t * rows, xr = t * cols;
    let o = hi - 1;
    for (; o - 3 >= lo; o -= 4) {
      const r0 = o * cols, r1 = r0 - cols, r2 = r1 - cols, r3 = r2 - cols;
      const a0 = dy[d + o], a1 = dy[d + o - 1], a2 = dy[d + o - 2], a3 = dy[d + o - 3];
      for (let i = 0; i < cols; i++) {
        const k = (xr + i) | 0;
        dx[k] = dx[k] + w[(r0 + i) | 0] * a0 + w[(r1 + i) | 0] * a1 + w[(r2 + i) | 0] * a2 +
          w[(r3 + i) | 0] * a3;
      }
    }
    for (; o >= lo; o--) {
      const r = o * cols, a = dy[d + o];
      for (let i = 0; i < cols; i++) dx[xr + i] += w[r + i] * a;
    }
  }
  for (let o = hi - 1; o >= lo; o -= 2) { // weight gradients: rows o and p = o − 1 (a lone last row twice)
    const p = o > lo ? o - 1 : o, r = o * cols, q = p * cols;
    let i = 0;
    for (; i + 4 <= cols; i += 4) { // four inputs at a time
      let s0 = g[r + i], s1 = g[r + i + 1], s2 = g[r + i + 2], s3 = g[r + i + 3];
      let u0 = g[q + i], u1 = g[q + i + 1], u2 = g[q + i + 2], u3 = g[q + i + 3];
      for (let tt = T - 1; tt >= 0; tt--) {
        const d = dy[(tt * rows + o) | 0], e = dy[(tt * rows + p) | 0], xr = (tt * cols + i) | 0;
        s0 += x[xr] * d;
        u0 += x[xr] * e;
        s1 += x[(xr + 1) | 0] * d;
        u1 += x[(xr + 1) | 0] * e;
        s2 += x[(xr + 2) | 0] * d;
        u2 += x[(xr + 2) | 0] * e;
        s3 += x[(xr + 3) | 0] * d;
        u3 += x[(xr + 3) | 0] * e;
      }
      g[q + i] = u0;
      g[r + i] = s0;
      g[q + i + 1] = u1;
      g[r + i + 1] = s1;
      g[q + i + 2] = u2;
      g[r + i + 2] = s2;
      g[q + i + 3] = u3;
      g[r + i + 3] = s3;
    }
    for (; i < cols; i++) {
      let s = g[r + i], u = g[q + i];
      for (let tt = T - 1; tt >= 0; tt--) {
        s += x[tt * cols + i] * dy[tt * rows + o];
        u += x[tt * cols + i] * dy[tt * rows + p];
      }
      g[q + i] = u;
      g[r + i] = s;
    }
  }
}
