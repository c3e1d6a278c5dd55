import assert from "node:assert/strict";
import { Random } from "../random.ts";
import * as linear from "./linear.ts";
import type { Matrix } from "./params.ts";
import { activeSet, allOn, reluForward } from "./relu.ts";
import { assertNear, centralDiff, gaussArray } from "./test_util.ts";

function randomMatrix(rng: Random, rows: number, cols: number): Matrix {
  return { name: "w", rows, cols, w: gaussArray(rng, rows * cols), g: new Float64Array(rows * cols) };
}

/** `W·x` written out: each row summed left to right. */
function matVec(m: Matrix, x: Float64Array): Float64Array {
  return Float64Array.from({ length: m.rows }, (_, o) => {
    let s = 0;
    for (let i = 0; i < m.cols; i++) s += m.w[o * m.cols + i] * x[i];
    return s;
  });
}

Deno.test("linearForward: every position in [from, to) is its own left-to-right sum; the others are untouched", () => {
  const rng = new Random(1);
  for (
    const [rows, cols, T, from, to] of [[7, 5, 5, 0, 5], [8, 3, 4, 0, 4], [5, 4, 6, 2, 5], [27, 16, 3, 2, 3]]
  ) {
    const m = randomMatrix(rng, rows, cols), x = gaussArray(rng, T * cols), y = new Float64Array(T * rows);
    linear.linearForward(m, x, y, from, to);
    for (let t = 0; t < T; t++) {
      const want = t >= from && t < to
        ? matVec(m, x.subarray(t * cols, (t + 1) * cols))
        : new Float64Array(rows);
      assert.deepEqual(y.subarray(t * rows, (t + 1) * rows), want, `position ${t}`);
    }
  }
  // order matters in floats: (1e16 + 1) − 1e16 = 0 left to right
  const big = { name: "w", rows: 1, cols: 3, w: Float64Array.of(1e16, 1, -1e16), g: new Float64Array(3) };
  const out = new Float64Array(1);
  linear.linearForward(big, Float64Array.of(1, 1, 1), out, 0, 1);
  assert.equal(out[0], 0);
});

Deno.test("backwardRange matches finite differences of L = Σ_t c_t·(W x_t)", () => {
  const rng = new Random(8);
  const rows = 5, cols = 4, T = 3;
  const m = randomMatrix(rng, rows, cols), x = gaussArray(rng, T * cols), c = gaussArray(rng, T * rows);
  const y = new Float64Array(T * rows);
  const L = () => {
    linear.linearForward(m, x, y, 0, T);
    return y.reduce((s, v, k) => s + c[k] * v, 0);
  };
  const io = { x, dy: c, dx: new Float64Array(T * cols) };
  linear.backwardRange(m, io, T, rows, 0);
  for (let k = 0; k < T * cols; k++) assertNear(io.dx[k], centralDiff(L, x, k), 1e-8, `dx[${k}]`);
  for (let k = 0; k < rows * cols; k++) assertNear(m.g[k], centralDiff(L, m.w, k), 1e-8, `dW[${k}]`);
});

Deno.test("backwardRange adds rows last to first and positions last to first, onto what is there, bit for bit", () => {
  const rng = new Random(7);
  for (const [rows, cols, T, hi, lo] of [[9, 6, 5, 9, 0], [8, 5, 4, 7, 2], [3, 9, 1, 3, 0]]) {
    const m = randomMatrix(rng, rows, cols), g0 = gaussArray(rng, rows * cols);
    m.g.set(g0);
    const x = gaussArray(rng, T * cols), dy = gaussArray(rng, T * rows), dx0 = gaussArray(rng, T * cols);
    const io = { x, dy, dx: dx0.slice() };
    linear.backwardRange(m, io, T, hi, lo);
    for (let t = 0; t < T; t++) {
      for (let i = 0; i < cols; i++) {
        let s = dx0[t * cols + i];
        for (let o = hi - 1; o >= lo; o--) s += m.w[o * cols + i] * dy[t * rows + o];
        assert.equal(io.dx[t * cols + i], s, `dx[${t}][${i}]`);
      }
    }
    for (let o = 0; o < rows; o++) {
      for (let i = 0; i < cols; i++) {
        let s = g0[o * cols + i];
        if (o >= lo && o < hi) { for (let t = T - 1; t >= 0; t--) s += x[t * cols + i] * dy[t * rows + o]; }
        assert.equal(m.g[o * cols + i], s, `g[${o}][${i}]`);
      }
    }
  }
});

Deno.test("backwardRows walks its list from the end, and is backwardRange's one-position case", () => {
  const rng = new Random(4);
  const m = randomMatrix(rng, 6, 3), x = gaussArray(rng, 3), d = gaussArray(rng, 6);
  const list = Int32Array.of(4, 0, 5, 1, 3, 2);
  const dx = new Float64Array(3);
  linear.backwardRows(m, { idx: list, n: 6 }, allOn(3), x, d, dx);
  for (let i = 0; i < 3; i++) {
    let s = 0;
    for (const o of [...list].reverse()) s += m.w[o * 3 + i] * d[o];
    assert.equal(dx[i], s);
  }
  // the rows in order 0..5 walked from the end = every row, last first = backwardRange on one position
  const a = randomMatrix(rng, 6, 3), b = { ...a, g: new Float64Array(18) };
  const dxa = new Float64Array(3), io = { x, dy: d, dx: new Float64Array(3) };
  linear.backwardRows(a, allOn(6), allOn(3), x, d, dxa);
  linear.backwardRange(b, io, 1, 6, 0);
  assert.deepEqual(io.dx, dxa);
  assert.deepEqual(b.g, a.g);
});

Deno.test("over the inputs a ReLU left on, the sparse kernels equal the dense ones (zeros skipped, sums unchanged)", () => {
  const rng = new Random(5);
  const rows = 7, cols = 12;
  const f = gaussArray(rng, cols), r = new Float64Array(cols), on = activeSet(cols);
  reluForward(f, r, on);
  assert.ok(on.n > 0 && on.n < cols);
  const dense = randomMatrix(rng, rows, cols), sparse = { ...dense, g: new Float64Array(rows * cols) };
  const a = new Float64Array(rows), b = new Float64Array(rows);
  linear.linearForward(dense, r, a, 0, 1);
  linear.linearForwardActive(sparse, r, on, b);
  assert.deepEqual(b, a);
  const d = gaussArray(rng, rows), dxa = new Float64Array(cols), dxb = new Float64Array(cols);
  linear.backwardRange(dense, { x: r, dy: d, dx: dxa }, 1, rows, 0);
  linear.backwardRows(sparse, allOn(rows), on, r, d, dxb);
  for (let k = 0; k < on.n; k++) assert.equal(dxb[on.idx[k]], dxa[on.idx[k]]);
  for (let k = 0; k < rows * cols; k++) assert.ok(sparse.g[k] === dense.g[k], `g[${k}]`); // 0 === -0 too
});

Deno.test("backwardRows over the units a ReLU left on = the dense backward when the others' gradient is 0", () => {
  const rng = new Random(6);
  const rows = 11, cols = 5; // 11 rows: on holds a 4-row block and a rest
  const f = gaussArray(rng, rows), r = new Float64Array(rows), on = activeSet(rows);
  reluForward(f, r, on);
  assert.ok(on.n > 4 && on.n < rows);
  const d = gaussArray(rng, rows);
  for (let o = 0; o < rows; o++) if (f[o] <= 0) d[o] = 0; // the ReLU's backward
  d[on.idx[1]] = 0; // an active unit can receive exactly 0 too
  const dense = randomMatrix(rng, rows, cols), sparse = { ...dense, g: gaussArray(rng, rows * cols) };
  dense.g.set(sparse.g); // gradients accumulate onto what is there
  const x = gaussArray(rng, cols), dxa = new Float64Array(cols), dxb = new Float64Array(cols);
  linear.backwardRange(dense, { x, dy: d, dx: dxa }, 1, rows, 0);
  linear.backwardRows(sparse, on, allOn(cols), x, d, dxb);
  assert.deepEqual(dxb, dxa);
  assert.deepEqual(sparse.g, dense.g);
});
