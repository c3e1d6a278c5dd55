import assert from "node:assert/strict";
import { createScalarModel } from "./scalar_model.ts";
import { createKVCache, type ForwardEvent, gpt } from "./gpt.ts";
import { buildTopo, type Value } from "./value.ts";
import { rmsnorm } from "./nn.ts";
import { Random } from "./random.ts";
import { Tokenizer } from "./tokenizer.ts";

Deno.test("ScalarModel: loss = lossAndGrad's value, step updates and zeroes, state dict round trip", () => {
  const config = { vocab_size: 5, n_embd: 4, n_head: 2, block_size: 4 };
  const model = createScalarModel({ config, rng: new Random(9) });
  const batch = [[4, 0, 1, 4], [4, 2, 4]];
  const before = model.stateDict();
  const loss = model.loss(batch);
  assert.equal(model.lossAndGrad(batch), loss);
  assert.ok(model.params.some((p) => p.grad !== 0));
  model.step({ lr: 0.01, t: 0, beta1: 0.85, beta2: 0.99, eps: 1e-8 });
  assert.ok(model.params.every((p) => p.grad === 0));
  assert.ok(model.loss(batch) < loss);
  model.loadStateDict(before);
  assert.equal(model.loss(batch), loss);
  assert.deepEqual(model.stateDict(), before);
  // a batch's loss is the mean of its documents' losses
  assert.ok(Math.abs(loss - (model.loss([batch[0]]) + model.loss([batch[1]])) / 2) < 1e-15);
});

Deno.test("ScalarModel rejects bad batches and bad options", () => {
  const model = createScalarModel({ config: { vocab_size: 5, n_embd: 4, n_head: 2 }, rng: new Random(1) });
  assert.throws(() => model.lossAndGrad([]), /at least one token sequence/);
  assert.throws(() => model.lossAndGrad([[4]]), /at least 2 tokens/);
  assert.throws(() => model.lossAndGrad([[4, 9]]), /token must be a whole number in \[0, 5\), got 9/);
  assert.throws(() => createScalarModel({ config: { vocab_size: 5 } }), /give \{ rng \}/);
  assert.throws(() => model.loadStateDict({}), /matrix "wte" is missing/);
  const next = model.begin();
  for (let i = 0; i < 16; i++) next(4);
  assert.throws(() => next(4), /pos must be a whole number in \[0, block_size = 16\), got 16/);
});

Deno.test("a model shows its engine and size", () => {
  const model = createScalarModel({ config: { vocab_size: 27 }, rng: new Random(1) });
  assert.equal(
    model.toString(),
    "GPT(scalar engine, 4,192 params: vocab_size=27, n_embd=16, n_head=4, n_layer=1, block_size=16)",
  );
});

Deno.test("ScalarModel.loss of a batch, one document's graph at a time, equals the batch graph's value", () => {
  const tok = Tokenizer.fromDocs(["emma", "olivia", "ava", "isabella", "sophia"]);
  const model = createScalarModel({ config: { vocab_size: tok.vocab_size }, rng: new Random(3) });
  const batch = ["emma", "olivia", "ava", "isabella", "sophia"].map((d) => tok.encode(d));
  for (const n of [1, 2, 5]) {
    const b = batch.slice(0, n);
    assert.equal(model.loss(b), model.lossValue(b).data); // bit for bit: same float operations
  }
  assert.notEqual(model.loss(batch.slice(0, 2)), model.loss(batch.slice(0, 1)));
});

Deno.test("a Value a learner keeps never changes under them when the model trains (recycling is internal)", () => {
  const config = { vocab_size: 5, n_embd: 4, n_head: 2, block_size: 4 };
  const model = createScalarModel({ config, rng: new Random(4) });
  const batch = [[4, 0, 1, 2, 4]];
  const train = (t: number) => {
    model.lossAndGrad([[4, 3, 2, 1, 4], [4, 1, 4]]); // graphs of other shapes, twice as many nodes
    model.loss(batch);
    model.step({ lr: 0.01, t, beta1: 0.85, beta2: 0.99, eps: 1e-8 });
  };
  train(0);
  // a loss graph and forward-pass vectors made by the learner between training steps
  const loss = model.lossValue(batch);
  const seen: ForwardEvent[] = [];
  gpt(4, 0, createKVCache(config), model.sd, { observe: (e) => seen.push(e) });
  // every node the learner's graphs computed (the parameters, their leaves, are meant to change)
  const nodes = [...buildTopo(loss), ...seen.flatMap((e) => e.values)].filter((v) => v.children.length > 0);
  const snapshot = () => nodes.flatMap((v) => [v.data, v.op, ...v.localGrads, ...v.children]);
  const before = snapshot();
  for (let t = 1; t < 4; t++) train(t);
  const after = snapshot();
  assert.equal(after.length, before.length);
  after.forEach((x, i) => assert.equal(x, before[i], `entry ${i} of the kept graph changed`));
  // and the kept loss graph still backpropagates to the (updated) parameters' .grad
  loss.backward();
  assert.ok(model.params.some((p) => p.grad !== 0));
});

Deno.test("with a learner's part in the forward pass, the training step does not recycle (the part may keep nodes)", () => {
  const model = createScalarModel({
    config: { vocab_size: 5, n_embd: 4, n_head: 2, block_size: 4 },
    rng: new Random(6),
  });
  const kept: Value[][] = [];
  model.forward = { parts: { rmsnorm: (x) => (kept.push(rmsnorm(x)), kept.at(-1)!) } };
  model.lossAndGrad([[4, 0, 1, 2, 4]]);
  const first = kept.map((v) => v.map((x) => x.data));
  const firstCount = kept.length;
  for (let i = 0; i < 3; i++) model.lossAndGrad([[4, 3, 2, 1, 0, 4]]);
  assert.deepEqual(kept.slice(0, firstCount).map((v) => v.map((x) => x.data)), first);
});
