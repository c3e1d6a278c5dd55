import assert from "node:assert/strict";
import { createModel } from "../engines.ts";
import type { Model } from "../model.ts";
import { Random } from "../random.ts";
import { sample } from "../sample.ts";
import { Tokenizer } from "../tokenizer.ts";
import { meanLoss, train } from "../train.ts";
import { LADDER } from "./rung.ts";
import { createBigramModel } from "./train0.ts";
import { createMlpByHand } from "./train1.ts";
import { createMlpAutograd } from "./train2.ts";

const docs = ["emma", "olivia", "ava", "isabella", "sophia", "mia", "amelia", "harper", "evelyn", "abigail"];
const tokenizer = Tokenizer.fromDocs(docs);
const config = { vocab_size: tokenizer.vocab_size, n_embd: 8, n_head: 2, block_size: 8 };
const rates = [1, 5, 5, 0.3, 0.3, 0.01];

function rung(k: number, engine: "scalar" | "fast"): Model {
  const rng = new Random(42);
  if (k === 0) return createBigramModel({ vocab_size: config.vocab_size, block_size: config.block_size });
  if (k === 1) return createMlpByHand({ config, rng });
  if (k === 2) return createMlpAutograd({ config, rng });
  return createModel({ config: { ...config, ...LADDER[k].config }, rng, engine });
}

Deno.test("ladder: every rung is trained by train, judged by meanLoss and sampled by sample", async () => {
  const seqs = docs.map((d) => tokenizer.encode(d));
  for (const { rung: k, optimizer } of LADDER) {
    const model = rung(k, "fast");
    const before = meanLoss(model, seqs);
    const history = await train(model, {
      docs,
      tokenizer,
      num_steps: 40,
      learning_rate: rates[k],
      optimizer,
      log: () => {},
    });
    assert.equal(history.losses.length, 40);
    assert(meanLoss(model, seqs) < before - 0.2, `train${k}: ${meanLoss(model, seqs)} vs ${before}`);
    const names = sample(model, { tokenizer, rng: new Random(1), count: 5 });
    assert(names.length === 5 && names.every((n) => n.length <= config.block_size), `train${k}: ${names}`);
  }
});

Deno.test("ladder: rungs 3 and 4 (SGD) train the same on both engines; rung 3 has one head", async () => {
  for (const k of [3, 4]) {
    const [a, b] = [rung(k, "scalar"), rung(k, "fast")];
    const opts = { docs, tokenizer, num_steps: 5, learning_rate: 0.3, optimizer: "sgd" as const };
    const [ha, hb] = [await train(a, opts), await train(b, opts)];
    assert.deepEqual(ha.losses, hb.losses);
    assert.equal(a.config.n_head, k === 3 ? 1 : config.n_head);
  }
});

Deno.test("ladder: the small rungs check their input with the engines' rules and wording", () => {
  for (const k of [0, 1, 2]) {
    const m = rung(k, "scalar");
    assert.throws(() => m.loss([[1]]), /a training sequence needs at least 2 tokens/);
    assert.throws(() => m.lossAndGrad([[1, 1.5, 1]]), /token must be a whole number in \[0, \d+\), got 1.5/);
    assert.throws(() => m.loss([]), /batch must hold at least one token sequence/);
    const next = m.begin();
    for (let pos = 0; pos < config.block_size; pos++) next(1);
    assert.throws(() => next(1), /pos must be a whole number in \[0, block_size = 8\), got 8/);
  }
});
