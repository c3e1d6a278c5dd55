import assert from "node:assert/strict";
import { createKVCache, gpt, toValues } from "../gpt.ts";
import { loadDocs } from "../data.ts";
import { Random } from "../random.ts";
import { Tokenizer } from "../tokenizer.ts";
import { Value } from "../value.ts";
import { adam, createAdamGPT } from "./train5.ts";
import { loadReferenceRun } from "../reference_run.ts";

Deno.test("train5: the first Adam step moves every parameter by ≈ lr against its gradient's sign", () => {
  const ps = [new Value(1), new Value(-2)];
  ps[0].grad = 0.3;
  ps[1].grad = -1e-3;
  adam()(ps, { lr: 0.01, step: 0 });
  assert(Math.abs(ps[0].data - 0.99) < 1e-6 && Math.abs(ps[1].data - -1.99) < 1e-4);
  assert(ps.every((p) => p.grad === 0));
});

Deno.test("train5: the ladder's forward pass equals the engine's gpt() on the same weights", () => {
  const m = createAdamGPT({ rng: new Random(42) });
  const sd = toValues(
    Object.fromEntries(Object.entries(m.params).map(([k, mat]) => [k, mat.map((r) => r.map((p) => p.data))])),
  );
  const kv = createKVCache(m.config);
  const next = m.begin();
  for (const [pos, token] of [26, 4, 12].entries()) {
    const ours = next(token), engine = gpt(token, pos, kv, sd).map((x) => x.data);
    ours.forEach((x, i) => assert(Math.abs(x - engine[i]) < 1e-12, `pos ${pos}: ${x} vs ${engine[i]}`));
  }
});

Deno.test("train5: reproduces the Python original's run on data/names.txt (first 20 steps)", () => {
  const ref = loadReferenceRun(); // committed: lib/testdata/microgpt_course_names.json
  const rng = new Random(42);
  const docs = loadDocs(undefined, { rng }); // the reference's first use of the RNG, then the weights
  const tokenizer = Tokenizer.fromDocs(docs);
  const m = createAdamGPT({ rng });
  for (let step = 0; step < 20; step++) { // the reference runs 1000 steps; its lr schedule needs that
    const loss = m.lossAndGrad(tokenizer.encode(docs[step]));
    assert(Math.abs(loss - ref.losses[step]) < 1e-12, `step ${step + 1}: ${loss} vs ${ref.losses[step]}`);
    m.update({ lr: 0.01 * (1 - step / 1000), step });
  }
});

Deno.test("train5: adam() rejects β outside [0, 1) and eps ≤ 0 (β = 1 would divide by 1 − 1^(t+1) = 0)", () => {
  assert.throws(() => adam({ beta1: 1 }), /beta1 must be in \[0, 1\), got 1/);
  assert.throws(() => adam({ beta2: -0.5 }), /beta2 must be in \[0, 1\), got -0.5/);
  assert.throws(() => adam({ eps: 0 }), /eps must be a finite number > 0, got 0/);
  assert.throws(() => adam({ beta1: NaN }), RangeError);
});
