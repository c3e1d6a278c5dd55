import assert from "node:assert/strict";
import { gptConfig } from "../config.ts";
import { createScalarModel } from "../scalar_model.ts";
import { initStateDict } from "../params.ts";
import { Random } from "../random.ts";
import { createFastModel } from "./model.ts";
import { assertNear } from "./test_util.ts";

const ADAM = { beta1: 0.85, beta2: 0.99, eps: 1e-8 };

/** `count` random documents [BOS, …, BOS] (some longer than block_size, to test the cut). */
function randomBatch(rng: Random, vocab_size: number, block_size: number, count: number): number[][] {
  const bos = vocab_size - 1;
  return Array.from({ length: count }, () => {
    const len = rng.randbelow(block_size + 3);
    return [bos, ...Array.from({ length: len }, () => rng.randbelow(bos)), bos];
  });
}

/** Largest |scalar − fast| over every gradient, and how many differ at all. */
function gradDiff(
  scalar: ReturnType<typeof createScalarModel>,
  fast: ReturnType<typeof createFastModel>,
): { max: number; count: number; where: string } {
  let max = 0, count = 0, where = "";
  for (const [name, rows] of Object.entries(scalar.sd)) {
    const m = fast.params.matrices[name];
    rows.forEach((row, r) =>
      row.forEach((v, c) => {
        const d = Math.abs(v.grad - m.g[r * m.cols + c]);
        if (d > 0) count++;
        if (d > max) [max, where] = [d, `${name}[${r}][${c}]`];
      })
    );
  }
  return { max, count, where };
}

Deno.test("property: losses and every gradient equal the scalar engine's exactly on random configs and batches", () => {
  const rng = new Random(2026);
  for (let trial = 0; trial < 25; trial++) {
    const n_head = 1 + rng.randbelow(4);
    const config = gptConfig({
      vocab_size: 3 + rng.randbelow(10),
      n_head,
      n_embd: n_head * (1 + rng.randbelow(4)),
      n_layer: 1 + rng.randbelow(3),
      block_size: 1 + rng.randbelow(9),
    });
    const batchSize = 1 + rng.randbelow(4);
    const scalar = createScalarModel({ config, rng });
    const fast = createFastModel({ config, stateDict: scalar.stateDict() });
    const batch = randomBatch(rng, config.vocab_size, config.block_size, batchSize);
    const what = `trial ${trial}: ${JSON.stringify(config)}, batch ${batchSize}`;
    assert.equal(fast.lossAndGrad(batch), scalar.lossAndGrad(batch), what);
    const d = gradDiff(scalar, fast);
    assert.equal(d.count, 0, `${what}: ${d.count} gradients differ, max |Δ| ${d.max} at ${d.where}`);
    // a second batch accumulates on top, as in the scalar engine
    const more = randomBatch(rng, config.vocab_size, config.block_size, 2);
    assert.equal(fast.lossAndGrad(more), scalar.lossAndGrad(more), what);
    assert.equal(gradDiff(scalar, fast).count, 0, `${what}: accumulated gradients differ`);
    // Adam steps move the parameters identically
    scalar.step({ ...ADAM, lr: 0.01, t: 0 });
    fast.step({ ...ADAM, lr: 0.01, t: 0 });
    assert.deepEqual(fast.stateDict(), scalar.stateDict(), what);
    assert.ok(fast.params.grad.every((g) => g === 0), "step zeroes the gradients");
  }
});

Deno.test("several training steps and inference stay identical to the scalar engine", () => {
  const config = gptConfig({ vocab_size: 8, n_embd: 8, n_head: 2, n_layer: 2, block_size: 6 });
  const rng = new Random(5);
  const scalar = createScalarModel({ config, rng });
  const fast = createFastModel({ config, stateDict: scalar.stateDict() });
  for (let t = 0; t < 20; t++) {
    const batch = randomBatch(rng, 8, 6, 1 + (t % 3));
    assert.equal(fast.lossAndGrad(batch), scalar.lossAndGrad(batch), `step ${t}`);
    const lr = 0.01 * (1 - t / 20);
    scalar.step({ ...ADAM, lr, t });
    fast.step({ ...ADAM, lr, t });
  }
  assert.deepEqual(fast.stateDict(), scalar.stateDict());
  const held = randomBatch(rng, 8, 6, 3);
  assert.equal(fast.loss(held), scalar.loss(held));
  const [f, s] = [fast.begin(), scalar.begin()];
  for (const token of [7, 1, 2, 3, 4, 5]) assert.deepEqual(f(token), s(token));
  assert.throws(() => f(0), /pos must be a whole number in \[0, block_size = 6\), got 6/);
});

/** Every `stride`-th gradient of a 2-layer model equals the central difference of its loss (h = 1e-6). */
function assertFiniteDifferences(opts: { causal: boolean; stride: number }): void {
  const config = gptConfig({ vocab_size: 5, n_embd: 4, n_head: 2, n_layer: 2, block_size: 4 });
  const fast = createFastModel({ config, rng: new Random(8), causal: opts.causal });
  const batch = [[4, 0, 1, 2, 3, 4], [4, 2, 4]];
  fast.lossAndGrad(batch);
  const { data, grad } = fast.params;
  const h = 1e-6;
  for (let i = 0; i < data.length; i += opts.stride) {
    const x = data[i];
    data[i] = x + h;
    const up = fast.loss(batch);
    data[i] = x - h;
    const down = fast.loss(batch);
    data[i] = x;
    assertNear(grad[i], (up - down) / (2 * h), 1e-7, `param ${i}`);
  }
}

Deno.test("the whole-model gradient matches central finite differences", () => {
  assertFiniteDifferences({ causal: true, stride: 7 });
});

Deno.test("causal: false — each position sees the whole name: a later token changes an earlier prediction", () => {
  const config = gptConfig({ vocab_size: 5, n_embd: 4, n_head: 2, n_layer: 2, block_size: 4 });
  const sd = createFastModel({ config, rng: new Random(8) }).stateDict();
  const masked = createFastModel({ config, stateDict: sd });
  const open = createFastModel({ config, stateDict: sd, causal: false });
  assert.equal(masked.causal, true);
  assert.equal(open.causal, false);
  // one position has one key either way; with three, the unmasked model reads ahead
  assert.equal(open.loss([[4, 0]]), masked.loss([[4, 0]]));
  assert.notEqual(open.loss([[4, 0, 1, 4]]), masked.loss([[4, 0, 1, 4]]));
});

Deno.test("causal: false — on random letters only the unmasked model gets below chance: it copies the next one", () => {
  // Letters drawn uniformly at random: nothing in a name's past predicts its next letter, so a causal model
  // stays near chance, while a model that sees the whole name can read the answer off the next position.
  const config = gptConfig({ vocab_size: 6, n_embd: 16, n_head: 4, block_size: 8 });
  const data = new Random(3);
  const docs = Array.from(
    { length: 400 },
    () => [5, ...Array.from({ length: 6 }, () => data.randbelow(5)), 5],
  );
  const finalLoss = (causal: boolean) => {
    const m = createFastModel({ config, rng: new Random(1), causal });
    for (let t = 0; t < 400; t++) {
      m.lossAndGrad([docs[t]]);
      m.step({ lr: 0.01, t, ...ADAM });
    }
    return m.loss(docs.slice(0, 50));
  };
  const masked = finalLoss(true), open = finalLoss(false);
  assert.ok(masked > 1.2, `causal: ${masked} (chance is about ln 5 ≈ 1.61 per letter)`);
  assert.ok(open < 0.5 * masked, `unmasked ${open} vs causal ${masked}`);
});

Deno.test("causal: false — the gradient matches central finite differences (every key and value back-propagated)", () => {
  assertFiniteDifferences({ causal: false, stride: 5 });
});

Deno.test("the parameters are the scalar engine's init, flattened in state-dict order", () => {
  const config = gptConfig({ vocab_size: 27 });
  const sd = initStateDict(config, new Random(42));
  const fast = createFastModel({ config, rng: new Random(42) });
  assert.equal(fast.numParams, 4192);
  assert.deepEqual(fast.stateDict(), sd);
  assert.deepEqual(Array.from(fast.params.data), Object.values(sd).flat(2));
  assert.equal(fast.params.matrices["layer0.mlp_fc2"].w[0], sd["layer0.mlp_fc2"][0][0]);
  assert.match(String(fast), /GPT\(fast engine, 4,192 params/);
});

Deno.test("loadStateDict copies the weights and restarts Adam; stateDict is a copy", () => {
  const config = gptConfig({ vocab_size: 5, n_embd: 4, n_head: 1, block_size: 3 });
  const a = createFastModel({ config, rng: new Random(1) });
  const b = createFastModel({ config, rng: new Random(2) });
  const sd = a.stateDict();
  sd.wte[0][0] = 99;
  assert.notEqual(a.stateDict().wte[0][0], 99);
  b.loadStateDict(a.stateDict());
  assert.deepEqual(b.stateDict(), a.stateDict());
  // after a step on both, a fresh optimiser on b gives the same result as on a new model
  const batch = [[4, 1, 2, 4]];
  const c = createFastModel({ config, stateDict: a.stateDict() });
  for (const m of [b, c]) {
    m.lossAndGrad(batch);
    m.step({ ...ADAM, lr: 0.01, t: 0 });
  }
  b.lossAndGrad(batch);
  b.step({ ...ADAM, lr: 0.01, t: 1 });
  b.loadStateDict(c.stateDict());
  b.lossAndGrad(batch);
  c.lossAndGrad(batch);
  b.step({ ...ADAM, lr: 0.01, t: 0 });
  c.step({ ...ADAM, lr: 0.01, t: 1 });
  assert.notDeepEqual(b.stateDict(), c.stateDict()); // b's moments were reset, c's were not
});

Deno.test("validation: bad batches, tokens, state dicts and options fail with a message", () => {
  const config = gptConfig({ vocab_size: 5, n_embd: 4, n_head: 2, block_size: 3 });
  const m = createFastModel({ config, rng: new Random(1) });
  assert.throws(() => m.lossAndGrad([]), /batch must hold at least one token sequence/);
  assert.throws(() => m.lossAndGrad([[4]]), /at least 2 tokens/);
  assert.throws(() => m.loss([[4, 7, 4]]), /token must be a whole number in \[0, 5\), got 7/);
  assert.throws(() => m.loss([[4, 1.5, 4]]), RangeError);
  assert.throws(() => m.begin()(-1), /token must be a whole number in \[0, 5\), got -1/);
  const sd = m.stateDict();
  sd.wpe.pop();
  assert.throws(() => m.loadStateDict(sd), /"wpe" must be 3×4/);
  assert.throws(() => createFastModel({ config }), TypeError);
  assert.throws(() => createFastModel({ config: { n_embd: 6, n_head: 4 }, rng: new Random(1) }), /divisible/);
  // tokens past block_size + 1 are never looked at (the document is cut)
  assert.equal(m.loss([[4, 1, 2, 3, 99]]), m.loss([[4, 1, 2, 3, 0]]));
});

Deno.test("interleaved sequences from begin() give the logits each would give alone", () => {
  const config = gptConfig({ vocab_size: 6, n_embd: 8, n_head: 2, n_layer: 2, block_size: 5 });
  const scalar = createScalarModel({ config, rng: new Random(4) });
  const fast = createFastModel({ config, stateDict: scalar.stateDict() });
  const a = fast.begin(), b = fast.begin(), sa = scalar.begin(), sb = scalar.begin();
  assert.deepEqual(a(5), sa(5));
  assert.deepEqual(b(5), sb(5));
  assert.deepEqual(b(1), sb(1));
  assert.deepEqual(a(2), sa(2)); // a's cache was overwritten by b: it is rebuilt
  fast.lossAndGrad([[5, 1, 2, 3, 5]]); // training uses its own buffers
  assert.deepEqual(a(3), sa(3));
  assert.deepEqual(b(4), sb(4));
});

Deno.test("a fast model shows its engine and size", () => {
  const model = createFastModel({ config: { vocab_size: 27, n_embd: 8, n_head: 2 }, rng: new Random(1) });
  assert.equal(
    String(model),
    `GPT(fast engine, ${
      model.numParams.toLocaleString("en-US")
    } params: vocab_size=27, n_embd=8, n_head=2, ` +
      "n_layer=1, block_size=16)",
  );
  assert.equal(model.numParams, 27 * 8 + 16 * 8 + 4 * 8 * 8 + 2 * 8 * 32 + 27 * 8); // wte wpe attn mlp lm_head
});
