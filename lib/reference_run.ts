/**
 * The Python original's run, committed as a fixture so that every clone can check parity: Karpathy's
 * `microgpt.py` trained on this project's `data/names.txt` with seed 42 and its default hyper-parameters
 * (`lib/testdata/README.md` says how it was made and how to make it again). The parity tests, the test of
 * `deno task train` and notebook 01 compare their own runs with it.
 *
 * @module
 */

/** A run of the Python original: its set-up and what it printed. */
export interface ReferenceRun {
  /** Who made it, how. */
  source: string;
  /** Names in the file, after dropping empty lines. */
  num_docs: number;
  vocab_size: number;
  num_params: number;
  seed: number;
  num_steps: number;
  /** Sampling temperature of `samples`. */
  temperature: number;
  /** `losses[i]`: the loss of step i + 1, as a Python float. */
  losses: number[];
  /** The names sampled after training, with the same generator (no reseed). */
  samples: string[];
}

/** `lib/testdata/microgpt_course_names.json`: microgpt.py on `data/names.txt`, seed 42, defaults. */
export const REFERENCE_RUN_PATH: URL = new URL("./testdata/microgpt_course_names.json", import.meta.url);

/**
 * Read a reference run (default: the committed one, on `data/names.txt`) and check its shape.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadReferenceRun } from "./reference_run.ts";
 * const ref = loadReferenceRun();
 * assert.equal(ref.losses.length, ref.num_steps);
 * assert.equal(ref.samples[0], "biad");
 * ```
 * @throws {TypeError} the file is not a run: a field is missing, or `losses` does not hold `num_steps` numbers.
 */
export function loadReferenceRun(path: string | URL = REFERENCE_RUN_PATH): ReferenceRun {
  const ref = JSON.parse(Deno.readTextFileSync(path));
  const all = (xs: unknown, type: string) => Array.isArray(xs) && xs.every((x) => typeof x === type);
  const bad =
    ["num_docs", "vocab_size", "num_params", "seed", "num_steps"].find((k) => !Number.isInteger(ref?.[k])) ??
      (typeof ref?.temperature !== "number" ? "temperature" : undefined) ??
      (!all(ref?.losses, "number") || ref.losses.length !== ref.num_steps ? "losses" : undefined) ??
      (!all(ref?.samples, "string") ? "samples" : undefined);
  if (bad) {
    throw new TypeError(
      `${path}: not a reference run (${bad} is missing or wrong; losses must hold num_steps numbers)`,
    );
  }
  return ref;
}
