import assert from "node:assert/strict";
import { Random } from "../random.ts";
import {
  backwardRows,
  linearBackward,
  linearBackwardActive,
  linearBackwardRowsActive,
  linearForward,
  linearForwardActive,
  type Matrix,
  zeroMatrix,
} from "./linear.ts";
import { activeSet, reluForward } from "./relu.ts";
import { assertNear, centralDiff, gaussArray } from "./test_util.ts";

function randomMatrix(rng: Random, rows: number, cols: number): Matrix {
  const m = zeroMatrix("w", rows, cols);
  m.w.set(gaussArray(rng, rows * cols));
  return m;
}

Deno.test("linearForward sums each row left to right (5 rows: the 4-row block and the rest)", () => {
  const rng = new Random(1);
  const m = randomMatrix(rng, 5, 7), x = gaussArray(rng, 7), out = new Float64Array(5);
  linearForward(m, x, out);
  for (let o = 0; o < 5; o++) {
    let s = 0;
    for (let i = 0; i < 7; i++) s += m.w[o * 7 + i] * x[i];
    assert.equal(out[o], s);
  }
  // order matters in floats: (1e16 + 1) − 1e16 = 0 left to right
  const big = zeroMatrix("w", 1, 3);
  big.w.set([1e16, 1, -1e16]);
  linearForward(big, Float64Array.of(1, 1, 1), out);
  assert.equal(out[0], 0);
});

Deno.test("linearBackward matches finite differences of L = Σ c_o·out_o", () => {
  const rng = new Random(2);
  const rows = 6, cols = 5;
  const m = randomMatrix(rng, rows, cols), x = gaussArray(rng, cols), c = gaussArray(rng, rows);
  const out = new Float64Array(rows), dx = new Float64Array(cols);
  const L = () => {
    linearForward(m, x, out);
    return out.reduce((s, v, o) => s + c[o] * v, 0);
  };
  linearBackward(m, x, c, dx);
  for (let i = 0; i < cols; i++) assertNear(dx[i], centralDiff(L, x, i), 1e-8, `dx[${i}]`);
  for (let k = 0; k < rows * cols; k++) assertNear(m.g[k], centralDiff(L, m.w, k), 1e-8, `dW[${k}]`);
});

Deno.test("linearBackward: dx sums rows last to first, gradients accumulate, zero rows are skipped", () => {
  const rng = new Random(3);
  const rows = 9, cols = 4;
  const m = randomMatrix(rng, rows, cols), x = gaussArray(rng, cols), d = gaussArray(rng, rows);
  d[2] = 0;
  const dx = new Float64Array(cols);
  linearBackward(m, x, d, dx);
  for (let i = 0; i < cols; i++) {
    let s = 0;
    for (let o = rows - 1; o >= 0; o--) s += m.w[o * cols + i] * d[o];
    assert.equal(dx[i], s);
  }
  const before = m.g.slice();
  linearBackward(m, x, d, dx);
  for (let k = 0; k < rows * cols; k++) {
    assert.equal(m.g[k], before[k] + x[k % cols] * d[Math.floor(k / cols)]);
  }
});

Deno.test("backwardRows follows the given row order exactly", () => {
  const rng = new Random(4);
  const m = randomMatrix(rng, 6, 3), x = gaussArray(rng, 3), d = gaussArray(rng, 6);
  const order = Int32Array.of(4, 0, 5, 1, 3, 2);
  const dx = new Float64Array(3);
  backwardRows(m, order, 6, x, d, dx);
  for (let i = 0; i < 3; i++) {
    let s = 0;
    for (const o of order) s += m.w[o * 3 + i] * d[o];
    assert.equal(dx[i], s);
  }
});

Deno.test("the ReLU-sparse variants equal the dense kernels on a ReLU output", () => {
  const rng = new Random(5);
  const rows = 7, cols = 12;
  const f = gaussArray(rng, cols), r = new Float64Array(cols), on = activeSet(cols);
  reluForward(f, r, on);
  assert.ok(on.n > 0 && on.n < cols);
  const dense = randomMatrix(rng, rows, cols);
  const sparse = zeroMatrix("w", rows, cols);
  sparse.w.set(dense.w);
  const a = new Float64Array(rows), b = new Float64Array(rows);
  linearForward(dense, r, a);
  linearForwardActive(sparse, r, on, b);
  assert.deepEqual(b, a);
  const d = gaussArray(rng, rows), dxa = new Float64Array(cols), dxb = new Float64Array(cols);
  linearBackward(dense, r, d, dxa);
  linearBackwardActive(sparse, r, on, d, dxb);
  for (let k = 0; k < on.n; k++) assert.equal(dxb[on.idx[k]], dxa[on.idx[k]]);
  for (let k = 0; k < rows * cols; k++) assert.ok(sparse.g[k] === dense.g[k], `g[${k}]`); // 0 === -0 too
});

Deno.test("linearBackwardRowsActive = linearBackward when the other rows' gradient is 0 (a ReLU after the layer)", () => {
  const rng = new Random(6);
  const rows = 11, cols = 5; // 11 rows: on holds a 4-row block and a rest
  const f = gaussArray(rng, rows), r = new Float64Array(rows), on = activeSet(rows);
  reluForward(f, r, on);
  assert.ok(on.n > 4 && on.n < rows);
  const d = gaussArray(rng, rows);
  for (let o = 0; o < rows; o++) if (f[o] <= 0) d[o] = 0; // the ReLU's backward
  d[on.idx[1]] = 0; // an active unit can receive exactly 0 too
  const dense = randomMatrix(rng, rows, cols), sparse = zeroMatrix("w", rows, cols);
  sparse.w.set(dense.w);
  dense.g.set(gaussArray(rng, rows * cols)); // gradients accumulate onto what is there
  sparse.g.set(dense.g);
  const x = gaussArray(rng, cols), dxa = new Float64Array(cols), dxb = gaussArray(rng, cols);
  linearBackward(dense, x, d, dxa);
  linearBackwardRowsActive(sparse, x, on, d, dxb);
  assert.deepEqual(dxb, dxa);
  assert.deepEqual(sparse.g, dense.g);
});
