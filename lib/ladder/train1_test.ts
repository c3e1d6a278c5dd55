import assert from "node:assert/strict";
import { Random } from "../random.ts";
import { createMlpByHand } from "./train1.ts";

const doc = [26, 4, 12, 12, 0, 26]; // "emma" with BOS = 26

Deno.test("train1: 2,912 parameters (wte, mlp_fc1, mlp_fc2, lm_head), starting from the GPT's draws", () => {
  const m = createMlpByHand({ rng: new Random(42) });
  assert.deepEqual(m.numParams, 27 * 16 + 64 * 16 + 16 * 64 + 27 * 16);
  assert.deepEqual(Object.keys(m.params), ["wte", "mlp_fc1", "mlp_fc2", "lm_head"]);
});

Deno.test("train1: hand-written gradients match finite differences", () => {
  const m = createMlpByHand({ rng: new Random(7) });
  m.lossAndGrad([doc]);
  const h = 1e-6;
  const rng = new Random(3);
  for (const name of ["wte", "mlp_fc1", "mlp_fc2", "lm_head"]) {
    const p = m.params[name];
    // a few random entries of each matrix, plus the looked-up wte rows
    const picks = name === "wte" ? [[4, 0], [12, 5], [26, 15]] : [0, 1, 2, 3].map(() => [
      rng.randbelow(p.length),
      rng.randbelow(p[0].length),
    ]);
    for (const [r, c] of picks) {
      const old = p[r][c];
      p[r][c] = old + h;
      const up = m.loss([doc]);
      p[r][c] = old - h;
      const down = m.loss([doc]);
      p[r][c] = old;
      const numeric = (up - down) / (2 * h);
      const analytic = m.grads[name][r][c];
      assert(
        Math.abs(numeric - analytic) < 1e-7 + 1e-5 * Math.abs(numeric),
        `${name}[${r}][${c}]: numeric ${numeric} vs hand-written ${analytic}`,
      );
    }
  }
});

Deno.test("train1: a row of wte the document never uses gets no gradient", () => {
  const m = createMlpByHand({ rng: new Random(1) });
  m.lossAndGrad([doc]);
  assert(m.grads.wte[25].every((g) => g === 0)); // 'z' does not occur
  assert(m.grads.wte[12].some((g) => g !== 0));
});

Deno.test("train1: SGD update lowers the loss on the document and zeroes the gradients", () => {
  const m = createMlpByHand({ rng: new Random(42) });
  const before = m.loss([doc]);
  for (let t = 0; t < 30; t++) {
    m.lossAndGrad([doc]);
    m.step({ lr: 1, t, beta1: 0, beta2: 0, eps: 0, optimizer: "sgd" });
  }
  assert(m.loss([doc]) < before - 0.5, `${m.loss([doc])} vs ${before}`);
  assert(Object.values(m.grads).every((g) => g.every((row) => row.every((x) => x === 0))));
});

Deno.test("train1: tokens out of range, or asking for Adam, fail with RangeError", () => {
  const m = createMlpByHand({ rng: new Random(42) });
  assert.throws(() => m.loss([[26, 27, 26]]), /token must be a whole number in \[0, 27\), got 27/);
  assert.throws(() => m.step({ lr: 1, t: 0, beta1: 0, beta2: 0, eps: 0 }), /train1 learns by plain SGD/);
});

Deno.test("train1: a rung without rng is a TypeError naming it", () => {
  assert.throws(
    () => createMlpByHand({ config: { vocab_size: 5 } } as unknown as Parameters<typeof createMlpByHand>[0]),
    (e) => e instanceof TypeError && /createMlpByHand: give \{ rng \}/.test(e.message),
  );
});

Deno.test("train1: a batch's gradients are the mean of its documents' gradients", () => {
  const other = [26, 0, 21, 0, 26];
  const one = createMlpByHand({ rng: new Random(4) }), two = createMlpByHand({ rng: new Random(4) });
  one.lossAndGrad([doc]);
  one.lossAndGrad([other]);
  two.lossAndGrad([doc, other]);
  two.grads.lm_head.forEach((row, r) =>
    row.forEach((g, c) => assert(Math.abs(2 * g - one.grads.lm_head[r][c]) < 1e-15))
  );
});
