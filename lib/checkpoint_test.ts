import assert from "node:assert/strict";
import {
  type Checkpoint,
  type CheckpointInput,
  loadCheckpoint,
  type LoadOptions,
  saveCheckpoint,
} from "./checkpoint.ts";
import { createModel } from "./engines.ts";
import { Random } from "./random.ts";
import { Tokenizer } from "./tokenizer.ts";
import { train } from "./train.ts";

async function trainedModel(engine: "scalar" | "fast") {
  const docs = ["emma", "olivia", "ava", "mia"];
  const tokenizer = Tokenizer.fromDocs(docs);
  const model = createModel({
    config: { vocab_size: tokenizer.vocab_size, n_embd: 8, n_head: 2, block_size: 8 },
    rng: new Random(11),
    engine,
  });
  await train(model, { docs, tokenizer, num_steps: 5 });
  return { model, tokenizer };
}

/** What `saveCheckpoint` writes for `input`, as an object. */
function toCheckpoint(input: CheckpointInput): Checkpoint {
  const path = Deno.makeTempFileSync({ suffix: ".json" });
  try {
    saveCheckpoint(path, input);
    return JSON.parse(Deno.readTextFileSync(path));
  } finally {
    Deno.removeSync(path);
  }
}

/** `loadCheckpoint` of a file holding `ckpt` (an object, written as JSON, or the text itself). */
function fromCheckpoint(ckpt: Checkpoint | string, opts?: LoadOptions) {
  const path = Deno.makeTempFileSync({ suffix: ".json" });
  try {
    Deno.writeTextFileSync(path, typeof ckpt === "string" ? ckpt : JSON.stringify(ckpt));
    return loadCheckpoint(path, opts);
  } finally {
    Deno.removeSync(path);
  }
}

Deno.test("a checkpoint round trip through a JSON file is exact, into either engine", async () => {
  const { model, tokenizer } = await trainedModel("scalar");
  const path = Deno.makeTempFileSync({ suffix: ".json" });
  try {
    saveCheckpoint(path, { model, tokenizer, meta: { steps: 5 } });
    for (const engine of ["scalar", "fast"] as const) {
      const loaded = loadCheckpoint(path, { engine });
      assert.equal(loaded.model.engine, engine);
      assert.deepEqual(loaded.model.stateDict(), model.stateDict()); // every double, bit for bit
      assert.deepEqual(loaded.model.config, model.config);
      assert.deepEqual(loaded.tokenizer.chars, tokenizer.chars);
      assert.deepEqual(loaded.meta, { steps: 5 });
      const seq = tokenizer.encode("emma");
      assert.ok(Math.abs(loaded.model.loss([seq]) - model.loss([seq])) < 1e-12);
    }
    assert.equal(loadCheckpoint(path).model.engine, "scalar", "default: the engine that saved it");
  } finally {
    Deno.removeSync(path);
  }
});

Deno.test("a checkpoint file is plain JSON: format, version, engine, config, chars, weights", async () => {
  const { model, tokenizer } = await trainedModel("fast");
  const ckpt = toCheckpoint({ model, tokenizer });
  assert.equal(ckpt.format, "microgpt-checkpoint");
  assert.equal(ckpt.version, 1);
  assert.equal(ckpt.engine, "fast");
  assert.deepEqual(ckpt.config, model.config);
  assert.deepEqual(ckpt.chars, tokenizer.chars);
  assert.deepEqual(ckpt.stateDict, model.stateDict());
  assert.equal("meta" in ckpt, false, "no meta unless given");
  assert.deepEqual(fromCheckpoint(ckpt).model.stateDict(), model.stateDict());
});

Deno.test("broken checkpoints are rejected with a message saying what is wrong", async () => {
  const { model, tokenizer } = await trainedModel("fast");
  const good = toCheckpoint({ model, tokenizer });
  assert.throws(() => fromCheckpoint({ ...good, format: "x" } as never), /not a microgpt checkpoint/);
  assert.throws(() => fromCheckpoint({ ...good, version: 2 } as never), /version 2 is not supported/);
  assert.throws(() => fromCheckpoint("[1]"), TypeError);
  assert.throws(
    () => fromCheckpoint({ ...good, chars: good.chars.slice(1) }),
    /tokenizer.vocab_size \(7\) must equal the model's vocab_size \(8\)/, // the saved characters and config differ
  );
  assert.throws(
    () => fromCheckpoint({ ...good, config: { ...good.config, n_head: 3 } }),
    /divisible by n_head/,
  );
  const sd = structuredClone(good.stateDict);
  sd.wte.pop();
  assert.throws(() => fromCheckpoint({ ...good, stateDict: sd }), /"wte" must be 8×8, got 7 rows/);
  const short = structuredClone(good.stateDict);
  short.wpe[2].pop();
  assert.throws(
    () => fromCheckpoint({ ...good, stateDict: short }),
    /"wpe" must be 8×8, got row 2 has 7 entries/,
  );
  // JSON has no NaN: JSON.stringify writes it as null, which must not load as a weight
  const nanText = JSON.stringify(good).replace(/"wte":\[\[[^,\]]+/, '"wte":[[NaN');
  assert.throws(() => fromCheckpoint(nanText), SyntaxError);
  const withNull = structuredClone(good);
  (withNull.stateDict.wte[0] as unknown[])[1] = null;
  assert.throws(() => fromCheckpoint(withNull), /"wte" holds null \(JSON writes NaN.*\) at \[0\]\[1\]/);
  const withString = structuredClone(good);
  (withString.stateDict.lm_head[1] as unknown[])[0] = "0.1";
  assert.throws(() => fromCheckpoint(withString), /"lm_head" holds "0.1" \(a string\) at \[1\]\[0\]/);
  const noConfig = { ...good, config: undefined };
  assert.throws(() => fromCheckpoint(noConfig as never), /checkpoint: config must be an object/);
  const { block_size: _, ...partial } = good.config;
  assert.throws(() => fromCheckpoint({ ...good, config: partial } as never), /config.block_size is missing/);
  assert.throws(
    () => fromCheckpoint({ ...good, config: { ...good.config, n_emb: 8 } } as never),
    /unknown key "n_emb"/,
  );
  assert.throws(() => fromCheckpoint({ ...good, meta: "x" } as never), /meta must be an object, got "x"/);
  assert.throws(() => fromCheckpoint({ ...good, version: "1" } as never), /version "1" is not supported/);
  assert.throws(
    () => toCheckpoint({ model, tokenizer: Tokenizer.fromDocs(["ab"]) }),
    /must equal the model's vocab_size/,
  );
  const sdNaN = model.stateDict();
  sdNaN.wpe[0][0] = NaN;
  const broken = { ...model, stateDict: () => sdNaN, engine: model.engine, config: model.config };
  assert.throws(() => toCheckpoint({ model: broken, tokenizer }), /"wpe" holds NaN/);
});
