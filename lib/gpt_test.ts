import assert from "node:assert/strict";
import { gptConfig } from "./config.ts";
import {
  createKVCache,
  docLoss,
  type ForwardEvent,
  type ForwardOptions,
  type ForwardStage,
  gpt,
  GPT_PARTS,
  type GPTParts,
  toValues,
} from "./gpt.ts";
import { attentionHead, rmsnorm } from "./nn.ts";
import { createScalarModel } from "./scalar_model.ts";
import { initStateDict } from "./params.ts";
import { Random } from "./random.ts";
import { Tokenizer } from "./tokenizer.ts";

const NAMES = [
  "emma",
  "olivia",
  "quinn",
  "xavier",
  "zoe",
  "jake",
  "wyatt",
  "brooklyn",
  "maryelizabethann",
  "chloe",
  "dustin",
  "grace",
  "felipe",
];

Deno.test("after one backward on a real batch every parameter has a non-zero gradient", () => {
  const tokenizer = Tokenizer.fromDocs("abcdefghijklmnopqrstuvwxyz".split(""));
  const model = createScalarModel({ config: { vocab_size: tokenizer.vocab_size }, rng: new Random(42) });
  model.lossAndGrad(NAMES.map((n) => tokenizer.encode(n))); // covers all 26 letters and all 16 positions
  for (const [name, m] of Object.entries(model.sd)) {
    m.forEach((row, r) =>
      row.forEach((p, c) => assert.notEqual(p.grad, 0, `${name}[${r}][${c}] got no gradient`))
    );
  }
});

Deno.test("only the rows of wte and wpe that the document uses get gradient", () => {
  const tokenizer = Tokenizer.fromDocs("abcdefghijklmnopqrstuvwxyz".split(""));
  const model = createScalarModel({ config: { vocab_size: 27 }, rng: new Random(3) });
  model.lossAndGrad([tokenizer.encode("ab")]); // tokens BOS a b at positions 0 1 2
  const rowsWithGrad = (m: { grad: number }[][]) =>
    m.flatMap((row, i) => (row.some((p) => p.grad !== 0) ? [i] : []));
  assert.deepEqual(rowsWithGrad(model.sd.wte), [0, 1, 26]);
  assert.deepEqual(rowsWithGrad(model.sd.wpe), [0, 1, 2]);
  assert.equal(rowsWithGrad(model.sd.lm_head).length, 27);
});

Deno.test("the whole GPT loss's gradient matches central finite differences (small config)", () => {
  const config = gptConfig({ vocab_size: 5, n_embd: 4, n_head: 2, n_layer: 2, block_size: 4 });
  const sd = initStateDict(config, new Random(7));
  // larger weights than at init, so that relu, attention and norms all matter
  for (const m of Object.values(sd)) for (const row of m) row.forEach((_, i) => (row[i] *= 5));
  const tokens = [4, 0, 3, 1, 2, 4]; // 5 targets, cut to block_size = 4 positions
  const values = toValues(sd);
  const loss = docLoss(tokens, config, values);
  loss.backward();
  const f = () => docLoss(tokens, config, toValues(sd)).data;
  const h = 1e-5;
  let checked = 0;
  for (const [name, m] of Object.entries(sd)) {
    m.forEach((row, r) =>
      row.forEach((w, c) => {
        row[c] = w + h;
        const up = f();
        row[c] = w - h;
        const down = f();
        row[c] = w;
        const numeric = (up - down) / (2 * h);
        const analytic = values[name][r][c].grad;
        assert.ok(
          Math.abs(analytic - numeric) < 1e-6 + 1e-5 * Math.abs(numeric),
          `${name}[${r}][${c}]: backward ${analytic} vs finite difference ${numeric}`,
        );
        checked++;
      })
    );
  }
  assert.equal(checked, 5 * 4 + 4 * 4 + 5 * 4 + 2 * (4 * 16 + 2 * 64));
});

Deno.test("gpt extends the KV cache one position per call and checks its inputs", () => {
  const config = gptConfig({ vocab_size: 5, n_embd: 4, n_head: 2, block_size: 3 });
  const sd = toValues(initStateDict(config, new Random(1)));
  const kv = createKVCache(config);
  assert.equal(gpt(4, 0, kv, sd).length, 5);
  gpt(1, 1, kv, sd);
  assert.equal(kv.keys[0].length, 2);
  assert.equal(kv.values[0][1].length, 4);
  assert.throws(() => gpt(5, 2, kv, sd), /token must be a whole number in \[0, 5\), got 5/);
  assert.throws(() => gpt(0, 3, kv, sd), /pos must be a whole number in \[0, block_size = 3\), got 3/);
});

Deno.test("the first position's logits do not depend on later tokens (causality)", () => {
  const config = gptConfig({ vocab_size: 5, n_embd: 4, n_head: 2, block_size: 4 });
  const model = createScalarModel({ config, rng: new Random(5) });
  const a = model.begin();
  const b = model.begin();
  const first = a(4);
  assert.deepEqual(b(4), first);
  assert.notDeepEqual(a(0), b(1));
});

Deno.test("the observer sees the forward pass's own numbers, stage by stage, in order", () => {
  const config = gptConfig({ vocab_size: 5, n_embd: 4, n_head: 2, n_layer: 2, block_size: 4 });
  const sd = toValues(initStateDict(config, new Random(11)));
  const kv = createKVCache(config);
  const events: ForwardEvent[] = [];
  let logits = gpt(4, 0, kv, sd);
  logits = gpt(2, 1, kv, sd, { observe: (e) => events.push(e) });
  assert.ok(events.every((e) => e.pos === 1));
  const at = (stage: ForwardStage, layer?: number, head?: number) =>
    events.filter((e) => e.stage === stage && e.layer === layer && e.head === head);
  // the logits event is the returned vector; the keys are the cache's
  assert.equal(at("logits")[0].values, logits);
  assert.equal(at("k", 1)[0].values, kv.keys[1][1]);
  // embedding: wte[2] + wpe[1], computed here independently of gpt
  assert.deepEqual(
    at("embedding")[0].values.map((v) => v.data),
    sd.wte[2].map((w, i) => w.data + sd.wpe[1][i].data),
  );
  // attention weights: 2 positions, sum to 1, and the head output is Σ_t w_t·v_t of that head's slice
  for (const layer of [0, 1]) {
    for (const head of [0, 1]) {
      const w = at("attn_weights", layer, head)[0].values.map((v) => v.data);
      assert.equal(w.length, 2);
      assert.ok(Math.abs(w[0] + w[1] - 1) < 1e-15);
      const out = at("head_out", layer, head)[0].values.map((v) => v.data);
      const vs = kv.values[layer].map((v) => v.slice(2 * head, 2 * head + 2).map((x) => x.data));
      out.forEach((o, j) => assert.equal(o, w[0] * vs[0][j] + w[1] * vs[1][j]));
    }
  }
  // ReLU of the hidden layer, and the layer's output feeds the next layer's norm
  const hidden = at("mlp_hidden", 0)[0].values.map((v) => v.data);
  assert.deepEqual(at("mlp_relu", 0)[0].values.map((v) => v.data), hidden.map((h) => (h > 0 ? h : 0)));
  assert.equal(hidden.length, 16);
  // every stage once per layer (and per head), in the order of the computation
  const order = events.map((e) => e.stage + (e.layer ?? "") + (e.head ?? ""));
  assert.deepEqual(order.slice(0, 6), ["embedding", "embedding_normed", "attn_input0", "q0", "k0", "v0"]);
  assert.deepEqual(order.slice(6, 10), ["attn_scores00", "attn_logits00", "attn_weights00", "head_out00"]);
  assert.equal(order.at(-1), "logits");
  assert.equal(order.length, 2 + 2 * (4 + 2 * 4 + 7) + 1); // per layer: 4 before the heads, 4 per head, 7 after
});

Deno.test("parts: the engine's own functions passed as parts give bit-identical losses and gradients", () => {
  const config = gptConfig({ vocab_size: 5, n_embd: 4, n_head: 2, n_layer: 2, block_size: 4 });
  const tokens = [4, 0, 3, 1, 2, 4];
  const run = (opts?: ForwardOptions) => {
    const sd = toValues(initStateDict(config, new Random(7)));
    const loss = docLoss(tokens, config, sd, opts);
    loss.backward();
    return [loss.data, ...Object.values(sd).flat(2).map((p) => p.grad)];
  };
  const plain = run();
  // wrapped in new functions, so that gpt cannot tell them from a learner's
  const wrapped = Object.fromEntries(
    Object.entries(GPT_PARTS).map((
      [name, fn],
    ) => [name, (...args: never[]) => (fn as (...a: never[]) => unknown)(...args)]),
  ) as unknown as GPTParts;
  assert.deepEqual(run({ parts: wrapped }), plain);
  assert.deepEqual(run({ parts: {}, observe: () => {} }), plain);
  // and a different part changes the numbers
  assert.notDeepEqual(run({ parts: { rmsnorm: (x) => x.map((v) => v.mul(1.001)) } }), plain);
});

Deno.test("parts: a residual part that drops the skip connection, an unscaled head, and bad parts", () => {
  const config = gptConfig({ vocab_size: 5, n_embd: 4, n_head: 2, block_size: 4 });
  const sd = toValues(initStateDict(config, new Random(3)));
  const seen: ForwardEvent[] = [];
  gpt(1, 0, createKVCache(config), sd, {
    parts: {
      residual: (x) => [...x],
      head: (q, k, v, ctx) => attentionHead(q, k, v, { ...ctx, scaled: false }),
    },
    observe: (e) => seen.push(e),
  });
  const one = (stage: ForwardStage) => seen.find((e) => e.stage === stage)!.values.map((v) => v.data);
  assert.deepEqual(one("attn_residual"), one("attn_out"));
  assert.deepEqual(one("attn_logits"), one("attn_scores"));
  const kv = createKVCache(config);
  assert.throws(
    () => gpt(1, 0, kv, sd, { parts: { rmsnrom: rmsnorm } as Partial<GPTParts> }),
    /unknown part "rmsnrom"; the parts are linear, softmax, rmsnorm, head, mlp, residual/,
  );
  assert.throws(
    () => gpt(1, 0, kv, sd, { parts: { softmax: 3 } as unknown as Partial<GPTParts> }),
    TypeError,
  );
});
