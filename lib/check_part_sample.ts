/**
 * The sampler's half of `checkPart`: `sample()` draws names twice with the same seeded rng, once with the
 * learner's `probs(logits, temperature)` swapped in; every probability vector and every name is compared.
 *
 * @module
 */
import { compare, errorText, PartFailure, type RunResult } from "./check_part_compare.ts";
import { fitHint, MISTAKES } from "./check_part_hints.ts";
import type { Random } from "./random.ts";
import { probsFromLogits, sample } from "./sample.ts";
import type { ScalarModel } from "./scalar_model.ts";
import type { Tokenizer } from "./tokenizer.ts";

/**
 * Sample `count` names with the reference sampler and with the learner's; compare every number.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runSampler } from "./check_part_sample.ts";
 * import { createScalarModel } from "./scalar_model.ts";
 * import { probsFromLogits } from "./sample.ts";
 * import { Random } from "./random.ts";
 * import { Tokenizer } from "./tokenizer.ts";
 * const tokenizer = Tokenizer.fromDocs(["ab", "ba"]);
 * const model = createScalarModel({ config: { vocab_size: 3, block_size: 4 }, rng: new Random(1) });
 * const opts = { model, tokenizer, rng: () => new Random(2), temperature: 0.5, count: 3 };
 * assert.equal(runSampler(probsFromLogits, opts).parting, undefined);
 * ```
 */
export function runSampler(
  impl: unknown,
  opts: { model: ScalarModel; tokenizer: Tokenizer; rng: () => Random; temperature: number; count: number },
): RunResult {
  const { model, tokenizer, temperature, count } = opts;
  const seen: { args: [number[], number]; out: number[] }[][] = [[], []]; // the reference's draws, the learner's
  const stop = new PartFailure("probabilities sample() cannot draw from: compared below");
  const draw = (who: 0 | 1, f: (logits: number[], T: number) => unknown) =>
    sample(model, {
      tokenizer,
      rng: opts.rng(),
      temperature,
      count,
      probs: (l, T) => {
        const p = f([...l], T);
        if (!Array.isArray(p) || p.length !== l.length || p.some((x) => typeof x !== "number")) {
          throw new PartFailure(
            `your sampler returned ${Array.isArray(p) ? `an array of length ${p.length}` : typeof p}; ` +
              `it must return ${l.length} numbers (one probability per token)`,
          );
        }
        seen[who].push({ args: [[...l], T], out: p });
        if (p.some((x) => !Number.isFinite(x) || x < 0)) throw stop;
        return p;
      },
    });
  const refNames = draw(0, probsFromLogits);
  let myNames: string[] = [];
  try {
    myNames = draw(1, impl as (logits: number[], T: number) => unknown);
  } catch (e) {
    const problem = errorText("sampler", e);
    if (e !== stop) {
      return { parting: { quantity: "probability", at: `draw ${seen[1].length}`, what: "", problem } };
    }
  }
  let maxDelta = 0;
  for (const [i, { args, out }] of seen[1].entries()) {
    const want = seen[0][i]?.out ?? [];
    const { index: t, max } = compare(out, want);
    maxDelta = Math.max(maxDelta, max);
    const what = `the probability of token ${t}`;
    const parting = { quantity: "probability", at: `draw ${i}`, what, expected: want[t], actual: out[t] };
    if (t >= 0) return { parting, hint: fitHint(MISTAKES.sample, args, out) };
  }
  const i = refNames.findIndex((n, i) => n !== myNames[i]);
  const [expected, actual] = [refNames[i], myNames[i] ?? "(none)"];
  const parting = { quantity: "sampled name", at: `name ${i}`, what: "the sampled name", expected, actual };
  return i >= 0 ? { parting } : { rows: refNames.map((name, i) => ({ "#": i + 1, name })), maxDelta };
}
