/**
 * The linear layer for every position of a sequence at once (training runs a layer over all its positions
 * before the next layer). Each number is the same sum, in the same order, as in `linear.ts`'s per-position
 * kernels; only the loops are arranged so that a loaded weight serves two positions and a weight's gradient
 * stays in a register while the positions are added (last position first, as the scalar engine adds them).
 *
 * @module
 */
import type { Matrix } from "./linear.ts";

/** Inputs, output gradients and input gradients of one matrix for every position of a sequence. */
export interface BatchIO {
  /** `[T][m.cols]` the inputs, one row per position. */
  readonly x: Float64Array;
  /** `[T][m.rows]` the gradients of the outputs. */
  readonly dy: Float64Array;
  /** `[T][m.cols]` the gradients of the inputs (added to; the caller zeroes them). */
  readonly dx: Float64Array;
}

/**
 * `linearForward` for the first `T` rows of `x` at once (`x`: `[T][m.cols]`, `y`: `[T][m.rows]`, row-major).
 * Each output is the same left-to-right sum; two positions and four rows run side by side so every weight
 * loaded serves two positions.
 *
 * @example
 * ```ts
 * import { linearForwardBatch } from "./linear_batch.ts";
 * import { zeroMatrix } from "./linear.ts";
 * const m = zeroMatrix("w", 1, 2);
 * m.w.set([1, 2]);
 * const y = new Float64Array(3);
 * linearForwardBatch(m, Float64Array.of(1, 1, 2, 0, 0, 3), y, 3);
 * console.assert(y[0] === 3 && y[1] === 2 && y[2] === 6);
 * ```
 */
export function linearForwardBatch(m: Matrix, x: Float64Array, y: Float64Array, T: number): void {
  const w = m.w, rows = m.rows, cols = m.cols;
  let t = 0;
  for (; t + 2 <= T; t += 2) {
    const xa = t * cols, xb = xa + cols, ya = t * rows, yb = ya + rows;
    let o = 0;
    for (; o + 4 <= rows; o += 4) {
      const r0 = o * cols, r1 = r0 + cols, r2 = r1 + cols, r3 = r2 + cols;
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
      for (let i = 0; i < cols; i++) {
        const u = x[xa + i], v = x[xb + i];
        const w0 = w[r0 + i], w1 = w[r1 + i], w2 = w[r2 + i], w3 = w[r3 + i];
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
      let a = 0, b = 0;
      for (let i = 0; i < cols; i++) {
        a += w[r + i] * x[xa + i];
        b += w[r + i] * x[xb + i];
      }
      y[ya + o] = a;
      y[yb + o] = b;
    }
  }
  if (t < T) { // an odd position left over
    const xa = t * cols, ya = t * rows;
    for (let o = 0; o < rows; o++) {
      const r = o * cols;
      let a = 0;
      for (let i = 0; i < cols; i++) a += w[r + i] * x[xa + i];
      y[ya + o] = a;
    }
  }
}

/**
 * Backward of rows `hi − 1` down to `lo` for the first `T` positions at once: `dx[t][i] += W[o][i]·dy[t][o]`
 * (each `dx[t][i]` gets the rows last first, as `backwardRows` would per position), and
 * `g[o][i] += Σ x[t][i]·dy[t][o]` summed from the last position to the first — the order in which the scalar
 * engine's backward pass, which finishes the last position first, adds them.
 *
 * @example
 * ```ts
 * import { backwardRangeBatch } from "./linear_batch.ts";
 * import { zeroMatrix } from "./linear.ts";
 * const m = zeroMatrix("w", 1, 1);
 * m.w[0] = 2;
 * const io = { x: Float64Array.of(3, 5), dy: Float64Array.of(1, 10), dx: new Float64Array(2) };
 * backwardRangeBatch(m, io, 2, 1, 0);
 * console.assert(io.dx[0] === 2 && io.dx[1] === 20 && m.g[0] === 53);
 * ```
 */
export function backwardRangeBatch(m: Matrix, io: BatchIO, T: number, hi: number, lo: number): void {
  const { x, dy, dx } = io;
  const w = m.w, g = m.g, rows = m.rows, cols = m.cols;
  // input gradients: two positions side by side, rows four at a time, last row first
  let t = 0;
  for (; t + 2 <= T; t += 2) {
    const da = t * rows, db = da + rows, xa = t * cols, xb = xa + cols;
    let o = hi - 1;
    for (; o - 3 >= lo; o -= 4) {
      const r0 = o * cols, r1 = r0 - cols, r2 = r1 - cols, r3 = r2 - cols;
      const a0 = dy[da + o], a1 = dy[da + o - 1], a2 = dy[da + o - 2], a3 = dy[da + o - 3];
      const b0 = dy[db + o], b1 = dy[db + o - 1], b2 = dy[db + o - 2], b3 = dy[db + o - 3];
      for (let i = 0; i < cols; i++) {
        const w0 = w[r0 + i], w1 = w[r1 + i], w2 = w[r2 + i], w3 = w[r3 + i];
        dx[xa + i] = dx[xa + i] + w0 * a0 + w1 * a1 + w2 * a2 + w3 * a3;
        dx[xb + i] = dx[xb + i] + w0 * b0 + w1 * b1 + w2 * b2 + w3 * b3;
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
  for (; t < T; t++) {
    const d = t * rows, xr = t * cols;
    for (let o = hi - 1; o >= lo; o--) {
      const r = o * cols, a = dy[d + o];
      for (let i = 0; i < cols; i++) dx[xr + i] += w[r + i] * a;
    }
  }
  // weight gradients: each stays in a register while the positions are added, last position first
  for (let o = hi - 1; o >= lo; o--) {
    const r = o * cols;
    let i = 0;
    for (; i + 4 <= cols; i += 4) {
      let s0 = g[r + i], s1 = g[r + i + 1], s2 = g[r + i + 2], s3 = g[r + i + 3];
      for (let tt = T - 1; tt >= 0; tt--) {
        const d = dy[tt * rows + o], xr = tt * cols + i;
        s0 += x[xr] * d;
        s1 += x[xr + 1] * d;
        s2 += x[xr + 2] * d;
        s3 += x[xr + 3] * d;
      }
      g[r + i] = s0;
      g[r + i + 1] = s1;
      g[r + i + 2] = s2;
      g[r + i + 3] = s3;
    }
    for (; i < cols; i++) {
      let s = g[r + i];
      for (let tt = T - 1; tt >= 0; tt--) s += x[tt * cols + i] * dy[tt * rows + o];
      g[r + i] = s;
    }
  }
}
