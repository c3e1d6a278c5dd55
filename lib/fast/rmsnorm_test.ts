import assert from "node:assert/strict";
import { Random } from "../random.ts";
import { rmsnormBackward, rmsnormForward } from "./rmsnorm.ts";
import { assertNear, centralDiff, gaussArray } from "./test_util.ts";

Deno.test("rmsnormForward: x · (mean(x²) + 1e-5)^-0.5 in microgpt.py's float order", () => {
  const x = Float64Array.of(3, -4, 0.5), y = new Float64Array(3);
  const a = rmsnormForward(x, y);
  const ms = (3 * 3 + 16 + 0.25) * Math.pow(3, -1);
  assert.equal(a, ms + 1e-5);
  const scale = Math.pow(ms + 1e-5, -0.5);
  assert.deepEqual(y, Float64Array.of(3 * scale, -4 * scale, 0.5 * scale));
  assertNear(y.reduce((s, v) => s + v * v, 0) / 3, 1, 1e-5, "unit mean square");
});

Deno.test("rmsnormBackward matches finite differences and adds to what dx already holds", () => {
  const rng = new Random(7);
  const n = 8;
  const x = gaussArray(rng, n), c = gaussArray(rng, n), y = new Float64Array(n);
  const L = () => {
    rmsnormForward(x, y);
    return y.reduce((s, v, i) => s + c[i] * v, 0);
  };
  const a = rmsnormForward(x, y);
  const residual = gaussArray(rng, n);
  const dx = residual.slice();
  rmsnormBackward(x, a, c, dx);
  for (let i = 0; i < n; i++) assertNear(dx[i] - residual[i], centralDiff(L, x, i), 1e-7, `dx[${i}]`);
});
