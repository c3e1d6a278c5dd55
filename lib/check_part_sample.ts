/**
 * The sampler's half of `checkPart`: `sample()` draws names twice with the same seeded rng, once with the
 * learner's `probs(logits, temperature)` swapped in; every probability vector and every name is compared.
 *
 * @module
 */
import {
  compare,
  errorText,
  PartFailure,
  type Parting,
  type RunResult,
  typeOf,
} from "./check_part_compare.ts";
import { fitHint, forwardMistakes } from "./check_part_hints.ts";
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
  const f = impl as (logits: number[], T: number) => unknown;
  const refProbs: number[][] = [];
  const mineProbs: { args: [number[], number]; out: number[] }[] = [];
  const { model, tokenizer, temperature, count } = opts;
  const refNames = sample(model, {
    tokenizer,
    rng: opts.rng(),
    temperature,
    count,
    probs: (l, T) => {
      const p = probsFromLogits(l, T);
      refProbs.push(p);
      return p;
    },
  });
  let myNames: string[];
  try {
    myNames = sample(model, {
      tokenizer,
      rng: opts.rng(),
      temperature,
      count,
      probs: (l, T) => {
        const p = f([...l], T);
        if (!Array.isArray(p) || p.length !== l.length || p.some((x) => typeof x !== "number")) {
          throw new PartFailure(
            `your sampler returned ${typeOf(p)} of length ${(p as unknown[])?.length}; ` +
              `it must return ${l.length} numbers (one probability per token)`,
          );
        }
        mineProbs.push({ args: [[...l], T], out: p });
        if (p.some((x) => !Number.isFinite(x) || x < 0)) throw new PartFailure("");
        return p;
      },
    });
  } catch (e) {
    if (!(e instanceof PartFailure) || e.message !== "") {
      const problem = e instanceof PartFailure ? e.message : `your sampler threw ${errorText(e)}`;
      return {
        parting: { quantity: "probability", step: 0, name: "sample", problem },
        rows: [],
        maxDelta: Infinity,
      };
    }
    myNames = [];
  }
  let maxDelta = 0;
  for (let i = 0; i < mineProbs.length; i++) {
    const c = compare(mineProbs[i].out, refProbs[i]);
    maxDelta = Math.max(maxDelta, c.max);
    if (c.index >= 0) {
      const hint = fitHint(forwardMistakes("sample"), mineProbs[i].args, mineProbs[i].out);
      const parting: Parting = {
        quantity: "probability",
        step: i,
        name: "next-token probabilities",
        index: c.index,
        expected: refProbs[i][c.index],
        actual: mineProbs[i].out[c.index],
      };
      return { parting, rows: [], maxDelta: Infinity, hint };
    }
  }
  const bad = refNames.findIndex((n, i) => n !== myNames[i]);
  if (bad >= 0) {
    const parting: Parting = {
      quantity: "sampled name",
      step: bad,
      name: "name",
      expected: refNames[bad],
      actual: myNames[bad] ?? "(none)",
    };
    return { parting, rows: [], maxDelta: Infinity };
  }
  return { rows: refNames.map((name, i) => ({ "#": i + 1, name })), maxDelta };
}
