/**
 * Parity with the Python original: training on the reference names with seed 42 and default
 * hyper-parameters must reproduce `../shared/reference/microgpt-reference.json` (each step's loss within
 * 1e-12, the 20 samples identical). By default the first STEPS_DEFAULT steps run; with the environment
 * variable CI (or PARITY_FULL) set, all 1000 steps and the samples.
 */
import assert from "node:assert/strict";
import { createModel, parseDocs, Random, requestInterrupt, sample, Tokenizer, train } from "../lib/mod.ts";

const REF_DIR = new URL("../../shared/reference/", import.meta.url); // ../shared/reference from the project root
const NAMES = new URL("names.txt", REF_DIR);
const REF_JSON = new URL("microgpt-reference.json", REF_DIR);
const TOLERANCE = 1e-12;
const STEPS_DEFAULT = 50;

interface Reference {
  num_docs: number;
  vocab_size: number;
  num_params: number;
  seed: number;
  num_steps: number;
  temperature: number;
  losses: number[];
  samples: string[];
}

function exists(url: URL): boolean {
  try {
    return Deno.statSync(url).isFile;
  } catch {
    return false;
  }
}

const haveReference = exists(NAMES) && exists(REF_JSON);
if (!haveReference) {
  console.error(
    "\n!!! PARITY TEST SKIPPED: ../shared/reference/names.txt or microgpt-reference.json is missing " +
      "(looked next to the project directory). The Python parity is NOT checked. !!!\n",
  );
}
const full = Deno.env.get("CI") !== undefined || Deno.env.get("PARITY_FULL") !== undefined;
const steps = full ? 1000 : STEPS_DEFAULT;

Deno.test({
  name: `parity with microgpt.py: ${steps} steps within ${TOLERANCE}${steps === 1000 ? " + 20 samples" : ""}`,
  ignore: !haveReference,
  async fn() {
    const ref: Reference = JSON.parse(Deno.readTextFileSync(REF_JSON));
    const rng = new Random(ref.seed);
    const docs = parseDocs(Deno.readTextFileSync(NAMES));
    assert.equal(docs.length, ref.num_docs);
    rng.shuffle(docs); // first use of the generator, as in microgpt.py
    const tokenizer = Tokenizer.fromDocs(docs);
    assert.equal(tokenizer.vocab_size, ref.vocab_size);
    const model = createModel({ config: { vocab_size: tokenizer.vocab_size }, rng });
    assert.equal(model.numParams, ref.num_params);

    // the learning-rate schedule always uses the reference's 1000 steps; a short run is interrupted early
    const history = await train(model, {
      docs,
      tokenizer,
      num_steps: ref.num_steps,
      onStep: (info) => {
        if (info.step === steps && steps < ref.num_steps) requestInterrupt();
      },
      log: () => {},
    });
    const losses = history.losses;
    assert.equal(losses.length, steps);
    for (let i = 0; i < steps; i++) {
      const diff = Math.abs(losses[i] - ref.losses[i]);
      assert.ok(
        diff <= TOLERANCE,
        `step ${i + 1}: loss ${losses[i]} vs reference ${ref.losses[i]} (|Δ| = ${diff})`,
      );
    }
    if (steps === ref.num_steps) {
      // sampling continues with the same generator, no reseed
      const names = sample(model, {
        tokenizer,
        rng,
        temperature: ref.temperature,
        count: ref.samples.length,
      });
      assert.deepEqual(names, ref.samples);
    }
  },
});
