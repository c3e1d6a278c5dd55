import assert from "node:assert/strict";
import { linear, rmsnorm, softmax } from "./nn.ts";
import { Value } from "./value.ts";

const vals = (xs: number[]) => xs.map((x) => new Value(x));

Deno.test("linear computes W·x, summing each row left to right", () => {
  const out = linear(vals([1, 2, 3]), [vals([1, 0, -1]), vals([0.5, 0.5, 0.5])]);
  assert.deepEqual(out.map((v) => v.data), [-2, 3]);
  // order matters in floats: (1e16·1 + 1·1) + (−1e16·1) = 0 left to right (1 would be lost otherwise)
  const ordered = linear(vals([1, 1, 1]), [vals([1e16, 1, -1e16])]);
  assert.equal(ordered[0].data, 0);
  assert.throws(() => linear(vals([1, 2]), [vals([1])]), /row 0 of w has length 1, but x has length 2/);
});

Deno.test("linear's gradients: d out[o]/d w[o][i] = x[i] and d/dx[i] = Σ_o w[o][i]", () => {
  const x = vals([2, -1]);
  const w = [vals([3, 4]), vals([5, 6])];
  const out = linear(x, w);
  out[0].add(out[1]).backward();
  assert.deepEqual(w.flat().map((v) => v.grad), [2, -1, 2, -1]);
  assert.deepEqual(x.map((v) => v.grad), [8, 10]);
});

Deno.test("softmax: probabilities that sum to 1, shifted by the max, with the right gradient", () => {
  const logits = vals([1000, 1001, 999]); // would overflow without the max shift
  const p = softmax(logits);
  const e = [Math.exp(-1), 1, Math.exp(-2)];
  const total = e[0] + e[1] + e[2];
  p.forEach((pi, i) => assert.equal(pi.data, e[i] * Math.pow(total, -1)));
  // d p0 / d l_j = p0 (δ0j − p_j)
  p[0].backward();
  const p0 = p[0].data;
  logits.forEach((l, j) => assert.ok(Math.abs(l.grad - p0 * ((j === 0 ? 1 : 0) - p[j].data)) < 1e-15));
  assert.throws(() => softmax([]), RangeError);
});

Deno.test("softmax makes one power node per output, as `e / total` does in microgpt.py", () => {
  const p = softmax(vals([0.1, 0.2]));
  assert.notEqual(p[0].children[1], p[1].children[1]);
  assert.equal(p[0].children[1].op, "**");
});

Deno.test("rmsnorm scales to unit root mean square: x · (mean(x²) + 1e-5)^−0.5", () => {
  const x = vals([3, 4]);
  const y = rmsnorm(x);
  const scale = Math.pow((3 * 3 + 4 * 4) * Math.pow(2, -1) + 1e-5, -0.5);
  assert.deepEqual(y.map((v) => v.data), [3 * scale, 4 * scale]);
  // finite differences of y[0] with respect to x[1]
  y[0].backward();
  const f = (t: number) => 3 * Math.pow((9 + t * t) / 2 + 1e-5, -0.5);
  const h = 1e-6;
  assert.ok(Math.abs(x[1].grad - (f(4 + h) - f(4 - h)) / (2 * h)) < 1e-8);
  assert.throws(() => rmsnorm([]), RangeError);
});
