import assert from "node:assert/strict";
import { createBigramModel } from "./train0.ts";

const STEP = { lr: 0, t: 0, beta1: 0, beta2: 0, eps: 0 };

const near = (a: number, b: number, tol: number) => assert(Math.abs(a - b) <= tol, `${a} vs ${b}`);

// tokens: a=0, b=1, BOS=2
Deno.test("train0: counts every (token, next) pair of a document", () => {
  const m = createBigramModel({ vocab_size: 3 });
  m.lossAndGrad([[2, 0, 0, 1, 2]]); // BOS→a, a→a, a→b, b→BOS
  assert.deepEqual(m.counts[2][0], 0, "counts change only on update");
  m.step(STEP);
  assert.deepEqual(m.counts, [[1, 1, 0], [0, 0, 1], [1, 0, 0]]);
});

Deno.test("train0: probabilities are smoothed counts over row totals, rows sum to 1", () => {
  const m = createBigramModel({ vocab_size: 3 });
  m.lossAndGrad([[2, 0, 0, 1, 2]]);
  m.step(STEP);
  const p = m.probs();
  near(p[0][0], 2 / 5, 1e-15); // a row: counts 1,1,0 → (1+1)/(2+3)
  near(p[0][2], 1 / 5, 1e-15);
  for (const row of p) near(row.reduce((a, b) => a + b), 1, 1e-12);
});

Deno.test("train0: an empty table predicts uniformly (loss ln V); a learned one does better on its data", () => {
  const m = createBigramModel({ vocab_size: 3 });
  const doc = [2, 0, 1, 0, 1, 2];
  near(m.loss([doc]), Math.log(3), 1e-12);
  for (let i = 0; i < 5; i++) {
    m.lossAndGrad([doc]);
    m.step(STEP);
  }
  assert(m.loss([doc]) < 0.7 * Math.log(3));
});

Deno.test("train0: loss uses at most block_size positions; begin() gives log-probabilities", () => {
  const m = createBigramModel({ vocab_size: 3, block_size: 1 });
  m.lossAndGrad([[2, 0, 1, 2]]); // only BOS→a is counted
  m.step(STEP);
  assert.deepEqual(m.counts[0][1], 0);
  assert.deepEqual(m.begin()(2), [Math.log(2 / 4), Math.log(1 / 4), Math.log(1 / 4)]); // (1 + 1) / (1 + 3), …
});

Deno.test("train0: bad options and tokens fail with RangeError naming them", () => {
  assert.throws(() => createBigramModel({ vocab_size: 1 }), { name: "RangeError", message: /vocab_size/ });
  assert.throws(() => createBigramModel({ vocab_size: 3 }).loss([[2, 7, 2]]), {
    name: "RangeError",
    message: /token/,
  });
  assert.throws(() => createBigramModel({ vocab_size: 3 }).loss([[2]]), {
    name: "RangeError",
    message: /tokens/,
  });
});

Deno.test("train0: the loss of a batch is the mean over its documents; stateDict round-trips", () => {
  const m = createBigramModel({ vocab_size: 3 });
  m.lossAndGrad([[2, 0, 2], [2, 1, 1, 2]]);
  m.step(STEP);
  const a = m.loss([[2, 0, 2]]), b = m.loss([[2, 1, 1, 2]]);
  near(m.loss([[2, 0, 2], [2, 1, 1, 2]]), (a + b) / 2, 1e-15);
  const copy = createBigramModel({ vocab_size: 3 });
  copy.loadStateDict(m.stateDict());
  assert.deepEqual(copy.probs(), m.probs());
  assert.throws(() => copy.loadStateDict({ counts: [[1]] }), /"counts" must be 3×3/);
});
