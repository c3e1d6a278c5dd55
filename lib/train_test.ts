import assert from "node:assert/strict";
import type { Model, StepOptions } from "./model.ts";
import { requestInterrupt } from "./interrupt.ts";
import { Tokenizer } from "./tokenizer.ts";
import { meanLoss, train, TrainHistory, type TrainOptions } from "./train.ts";
import { createModel } from "./engines.ts";
import { Random } from "./random.ts";

/** A model that records what train() asks of it; `lossAt(step)` gives its loss. */
function recordingModel(lossAt: (call: number) => number = () => 1, busyMs = 0) {
  const batches: number[][][] = [];
  const steps: StepOptions[] = [];
  const evals: number[][][] = [];
  const model: Model = {
    engine: "scalar",
    config: { vocab_size: 4, n_embd: 1, n_head: 1, n_layer: 1, block_size: 8 },
    numParams: 0,
    lossAndGrad(batch) {
      const t0 = performance.now();
      while (performance.now() - t0 < busyMs) { /* simulate work */ }
      batches.push(batch.map((b) => [...b]));
      return lossAt(batches.length);
    },
    loss(batch) {
      evals.push(batch.map((b) => [...b]));
      return 0.5;
    },
    step: (opts) => void steps.push(opts),
    begin: () => () => [0, 0, 0, 0],
    stateDict: () => ({}),
    loadStateDict: () => {},
  };
  return { model, batches, steps, evals };
}

const tokenizer = Tokenizer.fromDocs(["abc"]); // a=0 b=1 c=2 BOS=3

Deno.test("train walks the documents in order, batch by batch, and wraps around", async () => {
  const { model, batches } = recordingModel();
  const docs = ["a", "b", "c"];
  await train(model, { docs, tokenizer, num_steps: 4, batch_size: 2 });
  const firstChars = batches.map((b) => b.map((seq) => tokenizer.decode(seq)));
  assert.deepEqual(firstChars, [["a", "b"], ["c", "a"], ["b", "c"], ["a", "b"]]);
  assert.deepEqual(batches[0][0], [3, 0, 3]);
});

Deno.test("train passes the linearly decaying learning rate and Adam settings, and reports every step", async () => {
  const { model, steps } = recordingModel((call) => 4 - call);
  const infos: { step: number; loss: number; lr: number; num_steps: number }[] = [];
  const history = await train(model, {
    docs: ["ab"],
    tokenizer,
    num_steps: 3,
    learning_rate: 0.3,
    onStep: ({ step, loss, lr, num_steps }) => void infos.push({ step, loss, lr, num_steps }),
  });
  assert.deepEqual(steps.map((s) => s.t), [0, 1, 2]);
  assert.deepEqual(steps.map((s) => s.lr), [0.3, 0.3 * (1 - 1 / 3), 0.3 * (1 - 2 / 3)]);
  assert.deepEqual(steps[0], { lr: 0.3, t: 0, beta1: 0.85, beta2: 0.99, eps: 1e-8, optimizer: "adam" });
  assert.deepEqual(infos.map((i) => [i.step, i.loss, i.num_steps]), [[1, 3, 3], [2, 2, 3], [3, 1, 3]]);
  assert.deepEqual(history.losses, [3, 2, 1]);
  assert.equal(history.stoppedAt, undefined);
  assert.match(String(history), /^trained 3\/3 steps in [\d.]+ s \(scalar\): loss 3\.000 → 1\.000/);
});

Deno.test("a non-finite loss stops training with an error naming the step", async () => {
  const { model } = recordingModel((call) => (call === 3 ? NaN : 1));
  await assert.rejects(
    () => train(model, { docs: ["a"], tokenizer, num_steps: 10 }),
    /the loss is NaN at step 3 of 10: training diverged/,
  );
  const inf = recordingModel(() => Infinity).model;
  await assert.rejects(() => train(inf, { docs: ["a"], tokenizer, num_steps: 10 }), /Infinity at step 1/);
});

Deno.test("an Interrupt stops cleanly after the current step; the model stays usable", async () => {
  const tok = Tokenizer.fromDocs(["emma", "ava"]);
  const model = createModel({
    config: { vocab_size: tok.vocab_size, n_embd: 4, n_head: 2 },
    rng: new Random(1),
  });
  const lines: string[] = [];
  const history = await train(model, {
    docs: ["emma", "ava"],
    tokenizer: tok,
    num_steps: 10,
    onStep: ({ step }) => step === 4 && requestInterrupt(),
    log: (line) => void lines.push(line),
  });
  assert.equal(history.stoppedAt, 4);
  assert.equal(history.losses.length, 4);
  assert.deepEqual(lines, ["stopped at step 4 of 10"]);
  assert.match(String(history), /\(stopped at step 4\)$/);
  // the model keeps working, and a new run is not stopped by the old Interrupt
  const again = await train(model, { docs: ["emma"], tokenizer: tok, num_steps: 2 });
  assert.equal(again.losses.length, 2);
  assert.equal(again.stoppedAt, undefined);
});

Deno.test("train yields to the event loop while it runs", async () => {
  const { model } = recordingModel(() => 1, 5); // ~5 ms per step
  let timerFired = false;
  setTimeout(() => (timerFired = true), 0);
  let firedDuringTraining = false;
  await train(model, {
    docs: ["a"],
    tokenizer,
    num_steps: 40,
    onStep: ({ step }) => {
      if (step === 40) firedDuringTraining = timerFired;
    },
  });
  assert.ok(firedDuringTraining, "a timer set before training ran before its last step");
});

Deno.test("bad training options are RangeErrors naming the parameter", async () => {
  const { model } = recordingModel();
  const base = { docs: ["a"], tokenizer };
  await assert.rejects(
    () => train(model, { ...base, num_steps: 0 }),
    /num_steps must be a whole number ≥ 1, got 0/,
  );
  await assert.rejects(() => train(model, { ...base, learning_rate: 0 }), /learning_rate must be > 0, got 0/);
  await assert.rejects(() => train(model, { ...base, learning_rate: -1 }), /learning_rate must be > 0/);
  await assert.rejects(
    () => train(model, { ...base, batch_size: 0 }),
    /batch_size must be a whole number ≥ 1/,
  );
  await assert.rejects(() => train(model, { docs: [], tokenizer }), /no documents/);
  await assert.rejects(
    () => train(model, { docs: ["abd"], tokenizer }),
    /unknown character "d" in document "abd"/,
  );
  await assert.rejects(
    () => train(model, { docs: ["a"], tokenizer: Tokenizer.fromDocs(["ab"]) }),
    /tokenizer.vocab_size \(3\) must equal the model's vocab_size \(4\)/,
  );
  // a misspelt option would otherwise train the default 1000 steps without a word
  await assert.rejects(
    () => train(model, { ...base, num_step: 5 } as unknown as TrainOptions),
    /train options: unknown key "num_step"; allowed: docs, tokenizer, .*num_steps/,
  );
  await assert.rejects(
    () => train(model, { docs: "abc" as unknown as string[], tokenizer }),
    (e) => e instanceof TypeError && /docs must be an array of strings, got string/.test(e.message),
  );
  await assert.rejects(
    () => train(model, { docs: ["a"] } as unknown as TrainOptions),
    (e) => e instanceof TypeError && /tokenizer must be a Tokenizer/.test(e.message),
  );
});

Deno.test("meanLoss of no sequences and meanLast of no steps are RangeErrors, not NaN", () => {
  const { model } = recordingModel();
  assert.equal(meanLoss(model, [[3, 0, 3], [3, 1, 3]]), 0.5);
  assert.throws(() => meanLoss(model, []), /at least one token sequence/);
  const h = new TrainHistory(10, "fast");
  assert.throws(() => h.meanLast(), /no training step has completed/);
  h.losses.push(1);
  assert.throws(() => h.meanLast(0), /k must be a whole number ≥ 1, got 0/);
});

Deno.test("TrainHistory summarises itself", () => {
  const h = new TrainHistory(100, "fast");
  assert.equal(String(h), "TrainHistory(no steps completed of 100)");
  h.losses = [3, 2, 1];
  assert.equal(h.meanLast(2), 1.5);
  assert.equal(
    String(h),
    "trained 3/100 steps in 0.0 s (fast): loss 3.000 → 1.000, mean of last 3 2.000",
  );
});

Deno.test("train passes the optimizer to step; SGD moves every weight by −lr·grad on either engine", async () => {
  const { model, steps } = recordingModel();
  await train(model, { docs: ["ab"], tokenizer, num_steps: 2, optimizer: "sgd" });
  assert.deepEqual(steps.map((s) => s.optimizer), ["sgd", "sgd"]);
  await assert.rejects(
    train(model, { docs: ["ab"], tokenizer, num_steps: 2, optimizer: "sdg" as "sgd" }),
    /optimizer must be "adam" or "sgd", got "sdg"/,
  );
  for (const engine of ["scalar", "fast"] as const) {
    const m = createModel({ config: { vocab_size: 4, n_embd: 4, n_head: 1 }, rng: new Random(3), engine });
    const before = m.stateDict().wte;
    m.lossAndGrad([[3, 0, 1, 3]]);
    // the gradient, measured independently: the change SGD with lr 1 makes is −grad
    const probe = createModel({
      config: { vocab_size: 4, n_embd: 4, n_head: 1 },
      rng: new Random(3),
      engine,
    });
    const h = 1e-6;
    const sd = probe.stateDict();
    sd.wte[3][2] += h;
    probe.loadStateDict(sd);
    const up = probe.loss([[3, 0, 1, 3]]);
    sd.wte[3][2] -= 2 * h;
    probe.loadStateDict(sd);
    const numeric = (up - probe.loss([[3, 0, 1, 3]])) / (2 * h);
    m.step({ lr: 1, t: 0, beta1: 0.85, beta2: 0.99, eps: 1e-8, optimizer: "sgd" });
    const moved = m.stateDict().wte[3][2] - before[3][2];
    assert(Math.abs(moved + numeric) < 1e-7, `${engine}: moved ${moved}, gradient ${numeric}`);
    assert.equal(m.stateDict().wte[2][0], before[2][0], `${engine}: the row of a token never read stays`);
  }
});
