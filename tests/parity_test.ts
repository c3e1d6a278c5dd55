/**
 * Parity with the Python original: training with seed 42 and default hyper-parameters must reproduce the
 * original `microgpt.py`'s run (each step's loss within 1e-12, the 20 samples identical), on both engines.
 * The run on the project's own `data/names.txt` is committed (`lib/testdata/microgpt_course_names.json`), so
 * this runs in every clone. When `../shared/reference/` (makemore's names file and the run on it) sits next to
 * the project, the same check also runs on that file. All 1000 steps run by default (about 5 s on the scalar
 * engine); set PARITY_STEPS=50 for a quick check of the first steps only.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import {
  DEFAULT_DATA_PATH,
  loadDocs,
  loadReferenceRun,
  quickModel,
  REFERENCE_RUN_PATH,
  requestInterrupt,
  sample,
} from "../lib/mod.ts";

const SHARED = new URL("../../shared/reference/", import.meta.url); // ../shared/reference from the project root
const TOLERANCE = 1e-12;
const steps = Number(Deno.env.get("PARITY_STEPS") ?? 1000);

const runs = [
  { corpus: "data/names.txt", names: DEFAULT_DATA_PATH, run: REFERENCE_RUN_PATH },
  // an extra, only where the makemore file is present (it may not be committed)
  ...[{ names: new URL("names.txt", SHARED), run: new URL("microgpt-reference.json", SHARED) }]
    .filter((r) => existsSync(r.names) && existsSync(r.run))
    .map((r) => ({ corpus: "makemore's names.txt (../shared)", ...r })),
];

for (const { corpus, names, run } of runs) {
  for (const engine of ["scalar", "fast"] as const) {
    Deno.test(
      `parity with microgpt.py on ${corpus} (${engine} engine): ${steps} steps within ${TOLERANCE}${
        steps === 1000 ? " + 20 samples" : ""
      }`,
      async () => {
        if (!(Number.isInteger(steps) && steps >= 1 && steps <= 1000)) {
          throw new RangeError(`PARITY_STEPS must be a whole number in [1, 1000], got ${steps}`);
        }
        const ref = loadReferenceRun(run);
        // shuffle, then every weight, then train on every name: the reference order
        // the learning-rate schedule always uses the reference's 1000 steps; a short run is interrupted early
        const { model, tokenizer, rng, docs, history } = await quickModel({
          seed: ref.seed,
          engine,
          docs: loadDocs(names),
          valFraction: 0,
          num_steps: ref.num_steps,
          onStep: (info) => {
            if (info.step === steps && steps < ref.num_steps) requestInterrupt();
          },
        });
        assert.equal(docs.length, ref.num_docs);
        assert.equal(tokenizer.vocab_size, ref.vocab_size);
        assert.equal(model.numParams, ref.num_params);
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
    );
  }
}
