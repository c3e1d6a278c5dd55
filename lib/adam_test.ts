import assert from "node:assert/strict";
import { adamUpdate, learningRate } from "./adam.ts";

Deno.test("three Adam steps equal microgpt.py's update bit for bit", () => {
  // Recorded from Python with microgpt.py's formulas (beta1 0.85, beta2 0.99, eps 1e-8, lr 0.01, 3 steps).
  const data = [0.5, -0.25, 0.125];
  const grads = [[0.1, -0.2, 0.0], [0.3, 0.05, -1e-3], [-0.7, 0.2, 2.5]];
  const expected = [
    [0.4900000009999999, -0.24000000049999998, 0.125],
    [0.4838078503083283, -0.23702694019106452, 0.13008343675044076],
    [0.4848925397036561, -0.2377926773828132, 0.12785109246397164],
  ];
  const buf = { data, grad: [0, 0, 0], m: new Float64Array(3), v: new Float64Array(3) };
  for (let t = 0; t < 3; t++) {
    buf.grad = [...grads[t]];
    adamUpdate(buf, { lr: learningRate(0.01, t, 3), t, beta1: 0.85, beta2: 0.99, eps: 1e-8 });
    assert.deepEqual(buf.data, expected[t], `after step ${t + 1}`);
  }
  assert.deepEqual([...buf.m], [-0.055912500000000004, 0.014700000000000005, 0.37487250000000005]);
  assert.deepEqual([...buf.v], [0.0058890100000000035, 0.0008167900000000009, 0.06250000990000006]);
  assert.deepEqual(buf.grad, [0, 0, 0], "gradients zeroed, as microgpt.py's loop does (p.grad = 0)");
});

Deno.test("learningRate decays linearly from lr to lr/num_steps", () => {
  assert.equal(learningRate(0.01, 0, 1000), 0.01);
  assert.equal(learningRate(0.01, 500, 1000), 0.005);
  assert.equal(learningRate(0.01, 999, 1000), 0.01 * (1 - 999 / 1000));
});

Deno.test("adamUpdate rejects arrays of different lengths", () => {
  assert.throws(
    () =>
      adamUpdate({ data: [1, 2], grad: [1], m: [0, 0], v: [0, 0] }, {
        lr: 1,
        t: 0,
        beta1: 0.9,
        beta2: 0.9,
        eps: 1,
      }),
    /must have one length, got 2, 1, 2, 2/,
  );
});

Deno.test("once 1 − β1^(t+1) rounds to 1, the update is microgpt.py's formula with m / 1, bit for bit", () => {
  const t = 400, opts = { lr: 0.004, t, beta1: 0.85, beta2: 0.99, eps: 1e-8 };
  assert.equal(1 - 0.85 ** (t + 1), 1); // the division adamUpdate leaves out
  const m0 = [0.013, -0.2, 0], v0 = [0.0004, 0.03, 0], g = [0.05, -0.7, 0], p0 = [0.3, -0.1, 0.02];
  const buf = { data: [...p0], grad: [...g], m: [...m0], v: [...v0] };
  adamUpdate(buf, opts);
  p0.forEach((p, i) => {
    const m = 0.85 * m0[i] + (1 - 0.85) * g[i], v = 0.99 * v0[i] + (1 - 0.99) * (g[i] * g[i]);
    const want = p - opts.lr * (m / (1 - 0.85 ** (t + 1))) / ((v / (1 - 0.99 ** (t + 1))) ** 0.5 + opts.eps);
    assert.equal(buf.data[i], want, `parameter ${i}`);
  });
});
