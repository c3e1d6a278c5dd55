import assert from "node:assert/strict";
import { adamUpdate } from "../adam.ts";
import { Random } from "../random.ts";
import { adamStep } from "./adam.ts";
import { simdAdam } from "./adam_simd.ts";
import { gaussArray } from "./test_util.ts";

Deno.test("adamStep is the shared adamUpdate bit for bit, before and after 1 − β1^(t+1) rounds to 1", () => {
  const rng = new Random(3);
  const n = 500;
  const a = {
    data: gaussArray(rng, n),
    grad: new Float64Array(n),
    m: new Float64Array(n),
    v: new Float64Array(n),
  };
  const b = {
    data: a.data.slice(),
    grad: new Float64Array(n),
    m: new Float64Array(n),
    v: new Float64Array(n),
  };
  for (let t = 0; t < 400; t++) {
    const g = gaussArray(rng, n, 0.1);
    g[t % n] = 0;
    a.grad.set(g);
    b.grad.set(g);
    const opts = { lr: 0.01 * (1 - t / 400), t, beta1: 0.85, beta2: 0.99, eps: 1e-8 };
    adamUpdate(a, opts);
    adamStep(b, opts);
    assert.deepEqual(b.data, a.data, `step ${t}`);
    assert.deepEqual(b.m, a.m);
    assert.deepEqual(b.v, a.v);
    assert.ok(b.grad.every((x) => x === 0), "gradients zeroed");
  }
  assert.equal(1 - 0.85 ** 400, 1); // the shortcut was taken
});

Deno.test("adamStep: arrays of different lengths are a RangeError", () => {
  const f = (k: number) => new Float64Array(k);
  assert.throws(
    () =>
      adamStep({ data: f(2), grad: f(2), m: f(1), v: f(2) }, {
        lr: 1,
        t: 0,
        beta1: 0.9,
        beta2: 0.9,
        eps: 1e-8,
      }),
    /must have one length, got 2, 2, 1, 2/,
  );
});

Deno.test("simdAdam (WebAssembly f64x2) is adamUpdate bit for bit, odd length included", () => {
  for (const n of [1, 7, 500]) {
    const rng = new Random(n);
    const simd = simdAdam(n);
    assert.ok(simd, "WebAssembly SIMD is available in Deno");
    const ref = {
      data: gaussArray(rng, n),
      grad: new Float64Array(n),
      m: new Float64Array(n),
      v: new Float64Array(n),
    };
    simd.data.set(ref.data);
    for (let t = 0; t < 300; t++) {
      const g = gaussArray(rng, n, 0.1);
      ref.grad.set(g);
      simd.grad.set(g);
      const opts = { lr: 0.01 * (1 - t / 300), t, beta1: 0.85, beta2: 0.99, eps: 1e-8 };
      adamUpdate(ref, opts);
      simd.step(opts);
      assert.deepEqual(simd.data, ref.data, `n ${n}, step ${t}`);
      assert.deepEqual(simd.m, ref.m);
      assert.deepEqual(simd.v, ref.v);
      assert.ok(simd.grad.every((x) => x === 0), "gradients zeroed");
    }
  }
});
