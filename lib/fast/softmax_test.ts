import assert from "node:assert/strict";
import { Random } from "../random.ts";
import { crossEntropyBackward, crossEntropyForward, softmaxBackward, softmaxForward } from "./softmax.ts";
import { assertNear, centralDiff, gaussArray } from "./test_util.ts";

Deno.test("softmaxForward: exp(x − max), summed left to right; no overflow at 1000", () => {
  const x = Float64Array.of(1000, 1001, 999), e = new Float64Array(3);
  const total = softmaxForward(x, e, 3);
  assert.deepEqual(e, Float64Array.of(Math.exp(-1), 1, Math.exp(-2)));
  assert.equal(total, Math.exp(-1) + 1 + Math.exp(-2));
});

Deno.test("softmaxBackward matches finite differences (only the first n entries count)", () => {
  const rng = new Random(8);
  const n = 5;
  const x = gaussArray(rng, n + 2), c = gaussArray(rng, n), e = new Float64Array(n + 2);
  const L = () => {
    const total = softmaxForward(x, e, n);
    let s = 0;
    for (let i = 0; i < n; i++) s += c[i] * e[i] * Math.pow(total, -1);
    return s;
  };
  const total = softmaxForward(x, e, n);
  const dx = new Float64Array(n);
  softmaxBackward(e, total, c, dx, n);
  for (let i = 0; i < n; i++) assertNear(dx[i], centralDiff(L, x, i), 1e-8, `dx[${i}]`);
  assert.equal(centralDiff(L, x, n), 0); // entries past n are not part of the softmax
});

Deno.test("cross-entropy: −log p[target]; gradient (p − onehot)·dl, as finite differences say", () => {
  const rng = new Random(9);
  const V = 6, target = 2, dl = 0.25;
  const logits = gaussArray(rng, V), e = new Float64Array(V), out = new Float64Array(2);
  const L = () => {
    crossEntropyForward(logits, target, e, out);
    return dl * out[0];
  };
  crossEntropyForward(logits, target, e, out);
  const total = out[1];
  const p = Array.from(e, (v) => v * Math.pow(total, -1));
  assertNear(out[0], -Math.log(p[target]), 1e-15, "loss");
  const d = new Float64Array(V);
  crossEntropyBackward(e, total, target, dl, d);
  for (let i = 0; i < V; i++) {
    assertNear(d[i], dl * (p[i] - (i === target ? 1 : 0)), 1e-14, `analytic d[${i}]`);
    assertNear(d[i], centralDiff(L, logits, i), 1e-8, `finite-difference d[${i}]`);
  }
});
