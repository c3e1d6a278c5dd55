import assert from "node:assert/strict";
import { Random } from "../random.ts";
import { backwardRows, linearForward, type Matrix, zeroMatrix } from "./linear.ts";
import { backwardRangeBatch, linearForwardBatch } from "./linear_batch.ts";
import { assertNear, centralDiff, gaussArray } from "./test_util.ts";

function randomMatrix(rng: Random, rows: number, cols: number): Matrix {
  const m = zeroMatrix("w", rows, cols);
  m.w.set(gaussArray(rng, rows * cols));
  return m;
}

Deno.test("linearForwardBatch: every position's output equals linearForward's (odd and even T)", () => {
  const rng = new Random(6);
  for (const [rows, cols, T] of [[7, 5, 5], [8, 3, 4], [4, 4, 1]]) {
    const m = randomMatrix(rng, rows, cols), x = gaussArray(rng, T * cols), y = new Float64Array(T * rows);
    linearForwardBatch(m, x, y, T);
    for (let t = 0; t < T; t++) {
      const one = new Float64Array(rows);
      linearForward(m, x.subarray(t * cols, (t + 1) * cols), one);
      assert.deepEqual(y.subarray(t * rows, (t + 1) * rows), one);
    }
  }
});

Deno.test("backwardRangeBatch = per-position backwardRows over positions last to first, bit for bit", () => {
  const rng = new Random(7);
  for (const [rows, cols, T, hi, lo] of [[9, 6, 5, 9, 0], [8, 5, 4, 7, 2], [3, 9, 1, 3, 0]]) {
    const a = randomMatrix(rng, rows, cols), b = zeroMatrix("w", rows, cols);
    b.w.set(a.w);
    const g0 = gaussArray(rng, rows * cols); // gradients accumulate on what is there
    a.g.set(g0);
    b.g.set(g0);
    const x = gaussArray(rng, T * cols), dy = gaussArray(rng, T * rows);
    const io = { x, dy, dx: new Float64Array(T * cols) };
    backwardRangeBatch(a, io, T, hi, lo);
    const order = Int32Array.from({ length: hi - lo }, (_, k) => hi - 1 - k);
    for (let t = T - 1; t >= 0; t--) {
      const dx = new Float64Array(cols);
      backwardRows(
        b,
        order,
        hi - lo,
        x.subarray(t * cols, (t + 1) * cols),
        dy.subarray(t * rows, (t + 1) * rows),
        dx,
      );
      assert.deepEqual(io.dx.subarray(t * cols, (t + 1) * cols), dx, `dx of position ${t}`);
    }
    assert.deepEqual(a.g, b.g);
  }
});

Deno.test("backwardRangeBatch matches finite differences of L = Σ_t c_t·(W x_t)", () => {
  const rng = new Random(8);
  const rows = 5, cols = 4, T = 3;
  const m = randomMatrix(rng, rows, cols), x = gaussArray(rng, T * cols), c = gaussArray(rng, T * rows);
  const y = new Float64Array(T * rows);
  const L = () => {
    linearForwardBatch(m, x, y, T);
    return y.reduce((s, v, k) => s + c[k] * v, 0);
  };
  const io = { x, dy: c, dx: new Float64Array(T * cols) };
  backwardRangeBatch(m, io, T, rows, 0);
  for (let k = 0; k < T * cols; k++) assertNear(io.dx[k], centralDiff(L, x, k), 1e-8, `dx[${k}]`);
  for (let k = 0; k < rows * cols; k++) assertNear(m.g[k], centralDiff(L, m.w, k), 1e-8, `dW[${k}]`);
});
