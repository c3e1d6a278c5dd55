import assert from "node:assert/strict";
import { Random } from "../random.ts";
import { createMlpByHand } from "./train1.ts";
import { createMlpAutograd } from "./train2.ts";

const docs = [[26, 4, 12, 12, 0, 26], [26, 0, 21, 0, 26], [26, 14, 11, 8, 21, 8, 0, 26]];

Deno.test("train2: autograd gradients equal the hand-written ones of train1", () => {
  const byHand = createMlpByHand({ rng: new Random(42) });
  const auto = createMlpAutograd({ rng: new Random(42) });
  for (const d of docs) {
    const l1 = byHand.lossAndGrad([d]);
    const l2 = auto.lossAndGrad([d]);
    assert(Math.abs(l1 - l2) < 1e-14, `loss ${l1} vs ${l2}`);
  }
  const g2 = auto.grads();
  let worst = 0;
  for (const [name, g1] of Object.entries(byHand.grads)) {
    g1.forEach((row, r) => row.forEach((x, c) => worst = Math.max(worst, Math.abs(x - g2[name][r][c]))));
  }
  assert(worst < 1e-14, `largest difference ${worst}`);
  assert(g2.mlp_fc1.flat().some((g) => g !== 0));
});

Deno.test("train2: training follows train1 step for step", () => {
  const byHand = createMlpByHand({ rng: new Random(5) });
  const auto = createMlpAutograd({ rng: new Random(5) });
  assert.deepEqual(auto.numParams, byHand.numParams);
  for (let step = 0; step < 15; step++) {
    const d = docs[step % docs.length];
    const l1 = byHand.lossAndGrad([d]), l2 = auto.lossAndGrad([d]);
    assert(Math.abs(l1 - l2) < 1e-12, `step ${step}: ${l1} vs ${l2}`);
    const sgd = { lr: 1, t: step, beta1: 0, beta2: 0, eps: 0, optimizer: "sgd" } as const;
    byHand.step(sgd);
    auto.step(sgd);
  }
  assert(auto.grads().wte.flat().every((g) => g === 0), "update zeroes the gradients");
  const a = byHand.begin()(26), b = auto.begin()(26);
  a.forEach((x, i) => assert(Math.abs(x - b[i]) < 1e-12));
});

Deno.test("train2: stateDict and loadStateDict round-trip through rung 1's layout", () => {
  const byHand = createMlpByHand({ rng: new Random(8) });
  const auto = createMlpAutograd({ rng: new Random(9) });
  auto.loadStateDict(byHand.stateDict());
  assert.deepEqual(auto.stateDict(), byHand.stateDict());
  assert(Math.abs(auto.loss([docs[0]]) - byHand.loss([docs[0]])) < 1e-14);
  assert.throws(() => auto.loadStateDict({ wte: [[0]] }), RangeError);
  assert.throws(() => auto.step({ lr: 1, t: 0, beta1: 0, beta2: 0, eps: 0 }), /train2 learns by plain SGD/);
});
