/**
 * The usual mistakes `checkPart` recognises, each written as the wrong version of one part. A hint is only given
 * when the learner's numbers fit the wrong version: the same inputs, run through it, give the learner's outputs.
 * (Mistakes the model's own numbers cannot show are caught by the probes of `check_part_probes.ts`.)
 *
 * @module
 */
import { adamUpdate } from "./adam.ts";
import type { AdamStep } from "./model.ts";
import type { GPTConfig } from "./config.ts";
import { createKVCache, gpt, GPT_PARTS, type ValueStateDict } from "./gpt.ts";
import { attentionHead, linear } from "./nn.ts";
import { probsFromLogits } from "./sample.ts";
import { Value } from "./value.ts";

/**
 * Plain numbers out of an array of Values (or of anything with a numeric `data`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { datas } from "./check_part_hints.ts";
 * assert.deepEqual(datas([{ data: 1 }, { data: 2 }]), [1, 2]);
 * ```
 */
export function datas(xs: readonly { data: number }[]): number[] {
  return xs.map((x) => x.data);
}

/**
 * Do two vectors agree to a relative 1e-9 (the test for "the numbers fit this mistake")?
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fits } from "./check_part_hints.ts";
 * assert(fits([1, 2], [1 + 1e-12, 2]) && !fits([1, 2], [1.001, 2]));
 * ```
 */
export function fits(actual: readonly number[], wrong: readonly number[]): boolean {
  return actual.length === wrong.length &&
    actual.every((a, i) => Math.abs(a - wrong[i]) <= 1e-9 * Math.max(1, Math.abs(wrong[i])));
}

/** A mistake: its hint and the wrong version of the part, run on the learner's inputs (null: does not apply). */
export interface Mistake {
  hint: string;
  wrong: (args: readonly unknown[]) => number[] | null;
}

const EPS = 1e-5;
type Vals = Value[];

/**
 * The wrong versions of a forward part (rmsnorm, head, mlp) or of the sampler's probabilities.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { forwardMistakes } from "./check_part_hints.ts";
 * import { Value } from "./value.ts";
 * const [epsOutside] = forwardMistakes("rmsnorm");
 * assert.deepEqual(epsOutside.wrong([[new Value(3), new Value(-3)]])!.map(Math.round), [1, -1]);
 * ```
 */
export function forwardMistakes(part: string): Mistake[] {
  switch (part) {
    case "rmsnorm":
      return [{
        hint: "is ε inside the square root? (mean(x²) + ε)^−½, not 1 / (√mean(x²) + ε)",
        wrong: ([x]) => {
          const xs = datas(x as Vals);
          const ms = xs.reduce((a, b) => a + b * b, 0) / xs.length;
          return xs.map((xi) => xi / (Math.sqrt(ms) + EPS));
        },
      }];
    case "head":
      return [
        {
          hint: "are the scores divided by √dₖ (√head_dim) before the softmax?",
          wrong: ([q, keys, values]) => {
            const s = Math.sqrt((q as Vals).length); // q·√d makes the scaled score the raw dot product
            return datas(attentionHead((q as Vals).map((x) => x.mul(s)), keys as Vals[], values as Vals[]));
          },
        },
        {
          hint: "is the mask off by one? Position t attends to keys 0…t, itself included",
          wrong: ([q, keys, values]) =>
            (keys as Vals[]).length < 2
              ? [] // without itself, position 0 has no key at all: a throw or an empty output fits
              : datas(
                attentionHead(q as Vals, (keys as Vals[]).slice(0, -1), (values as Vals[]).slice(0, -1)),
              ),
        },
      ];
    case "mlp":
      return [{
        hint: "is the ReLU between the two linear layers? fc2 · relu(fc1 · x)",
        wrong: ([x, fc1, fc2]) => datas(linear(linear(x as Vals, fc1 as Vals[]), fc2 as Vals[])),
      }];
    case "sample":
      return [{
        hint: "is the temperature applied after the softmax? Divide the logits by T, then take the softmax",
        wrong: ([logits, T]) => probsFromLogits(logits as number[], 1).map((p) => p / (T as number)),
      }, {
        hint: "is the temperature applied after the softmax (or not at all)? Divide the logits by T first",
        wrong: ([logits]) => probsFromLogits(logits as number[], 1),
      }];
    default:
      return [];
  }
}

/**
 * The hint of the first mistake whose output fits `actual` on these inputs, or undefined.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fitHint, forwardMistakes } from "./check_part_hints.ts";
 * const hint = fitHint(forwardMistakes("sample"), [[0, 1], 0.5], [0.5379, 1.4621].map((p) => p));
 * assert.equal(hint, undefined); // these numbers fit no mistake closely enough
 * ```
 */
export function fitHint(mistakes: readonly Mistake[], args: readonly unknown[], actual: readonly number[]) {
  for (const m of mistakes) {
    try {
      const wrong = m.wrong(args);
      if (wrong !== null && fits(actual, wrong)) return m.hint;
    } catch { /* a mistake model that cannot run on these inputs does not fit */ }
  }
  return undefined;
}

/**
 * Hint for an Adam update that left the parameters elsewhere: bias correction with t or t + 2 for t + 1.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { adamHint } from "./check_part_hints.ts";
 * const before = { data: [1], grad: [0.5], m: [0], v: [0] };
 * const opts = { lr: 0.01, t: 0, beta1: 0.85, beta2: 0.99, eps: 1e-8 };
 * assert.match(adamHint(before, opts, [NaN])!, /1 − β\^\(t\+1\)/); // 1 − β⁰ = 0 divides by zero
 * assert.equal(adamHint(before, opts, [0.99]), undefined); // the right update fits no mistake
 * ```
 */
export function adamHint(
  before: { data: number[]; grad: number[]; m: number[]; v: number[] },
  opts: AdamStep,
  actual: readonly number[],
): string | undefined {
  for (const t of [opts.t - 1, opts.t + 1]) {
    const buf = { data: [...before.data], grad: [...before.grad], m: [...before.m], v: [...before.v] };
    adamUpdate(buf, { ...opts, t });
    const same = buf.data.every((x, i) => x === actual[i] || (Number.isNaN(x) && Number.isNaN(actual[i])));
    if (same || fits(actual, buf.data)) {
      return "bias correction: with t counted from 0, divide by 1 − β^(t+1) (at t = 0, 1 − β^t is 0)";
    }
  }
  return undefined;
}

/** Hint when gradients are still there after the update. */
export const NOT_ZEROED =
  "gradients not zeroed: after updating a parameter set p.grad = 0, or the next step adds onto the old gradient";

/**
 * For a learner's whole gpt: does the reference forward pass with one usual mistake (ε outside the root, no
 * √dₖ, the mask off by one) give the learner's logits at position `pos` of `tokens`? Its hint, if so.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gptHint } from "./check_part_hints.ts";
 * import { createKVCache, gpt, toValues } from "./gpt.ts";
 * import { initStateDict } from "./params.ts";
 * import { Random } from "./random.ts";
 * import { gptConfig } from "./config.ts";
 * const config = gptConfig({ vocab_size: 5 });
 * const sd = toValues(initStateDict(config, new Random(1)));
 * const kv = createKVCache(config);
 * gpt(4, 0, kv, sd);
 * const right = gpt(1, 1, kv, sd).map((l) => l.data); // the reference's logits at position 1
 * assert.equal(gptHint(config, sd, [4, 1, 2], 1, right), undefined); // they fit no mistake
 * ```
 */
export function gptHint(
  config: GPTConfig,
  sd: ValueStateDict,
  tokens: readonly number[],
  pos: number,
  actual: readonly number[],
): string | undefined {
  for (const part of ["rmsnorm", "head"]) {
    for (const mk of forwardMistakes(part)) {
      const wrongPart = (...args: unknown[]) => {
        const w = mk.wrong(args);
        return w === null
          ? (GPT_PARTS[part as "rmsnorm"] as (...a: unknown[]) => Value[])(...args)
          : w.map((x) => new Value(x));
      };
      try {
        // A mistake model gives plain numbers: as leaves, enough to compare the logits at this position.
        const kv = createKVCache(config);
        let logits: Value[] = [];
        for (let p = 0; p <= pos; p++) {
          logits = gpt(tokens[p], p, kv, sd, { parts: { [part]: wrongPart } });
        }
        if (fits(actual, datas(logits))) return mk.hint;
      } catch { /* this mistake cannot be replayed through the forward pass */ }
    }
  }
  return undefined;
}
