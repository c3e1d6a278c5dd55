/**
 * Parity with the Python original: training on the reference names with seed 42 and default
 * hyper-parameters must reproduce `../shared/reference/microgpt-reference.json` (each step's loss within
 * 1e-12, the 20 samples identical), on both engines. All 1000 steps run by default (about 5 s on the scalar
 * engine); set PARITY_STEPS=50 for a quick check of the first steps only.
 */
import assert from "node:assert/strict";
import { createModel, parseDocs, Random, requestInterrupt, sample, Tokenizer, train } from "../lib/mod.ts";
import { referenceTest } from "./reference_gate.ts";

const REF_DIR = new URL("../../shared/reference/", import.meta.url); // ../shared/reference from the project root
const NAMES = new URL("names.txt", REF_DIR);
const REF_JSON = new URL("microgpt-reference.json", REF_DIR);
const TOLERANCE = 1e-12;

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
const steps = Number(Deno.env.get("PARITY_STEPS") ?? 1000);

for (const engine of ["scalar", "fast"] as const) {
  // ignored (loudly) without ../shared/reference; fails instead when REQUIRE_REFERENCE=1 (CI)
  Deno.test(referenceTest({
    name: `parity with microgpt.py (${engine} engine): ${steps} steps within ${TOLERANCE}${
      steps === 1000 ? " + 20 samples" : ""
    }`,
    present: haveReference,
    needs: "../shared/reference/names.txt or microgpt-reference.json",
    async fn() {
      if (!(Number.isInteger(steps) && steps >= 1 && steps <= 1000)) {
        throw new RangeError(`PARITY_STEPS must be a whole number in [1, 1000], got ${steps}`);
      }
      const ref: Reference = JSON.parse(Deno.readTextFileSync(REF_JSON));
      const rng = new Random(ref.seed);
      const docs = parseDocs(Deno.readTextFileSync(NAMES));
      assert.equal(docs.length, ref.num_docs);
      rng.shuffle(docs); // first use of the generator, as in microgpt.py
      const tokenizer = Tokenizer.fromDocs(docs);
      assert.equal(tokenizer.vocab_size, ref.vocab_size);
      const model = createModel({ config: { vocab_size: tokenizer.vocab_size }, rng, engine });
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
  }));
}
