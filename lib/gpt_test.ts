import assert from "node:assert/strict";
import { gptConfig } from "./config.ts";
import { createKVCache, docLoss, gpt, toValues } from "./gpt.ts";
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
