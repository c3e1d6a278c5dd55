/**
 * The usual mistakes `checkPart` recognises, each written as the wrong version of one part, and the edge-case
 * probes that catch mistakes the model's own numbers cannot show (a softmax without the max subtraction
 * agrees with the reference to ~1e-16 until a logit is large). A hint is only given when the learner's numbers
 * fit the wrong version: the same inputs, run through it, give the learner's outputs.
 *
 * @module
 */
import { adamUpdate } from "./adam.ts";
import type { AdamStep } from "./model.ts";
import type { GPTConfig } from "./config.ts";
import { createKVCache, gpt, GPT_PARTS, type ValueStateDict } from "./gpt.ts";
import { attentionHead, linear, rmsnorm, softmax } from "./nn.ts";
import { probsFromLogits } from "./sample.ts";
import { Value } from "./value.ts";

/** Plain numbers out of an array of Values (or of anything with a numeric `data`). */
export function datas(xs: readonly { data: number }[]): number[] {
  return xs.map((x) => x.data);
}

/** Do two vectors agree to a relative 1e-9 (the test for "the numbers fit this mistake")? */
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
const TINY = [1e-3, -2e-3, 5e-4, 0]; // a vector so small that ε matters
type Vals = Value[];

/** The attention head the model runs, called as the hook calls it (`head(q, keys, values)`). */
export type HeadFn = (q: Vals, keys: Vals[], values: Vals[]) => Vals;

/** The wrong versions of each forward part (the reference head is passed in: it lives in gpt.ts). */
export function forwardMistakes(part: string, head: HeadFn): Mistake[] {
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
            return datas(head((q as Vals).map((x) => x.mul(s)), keys as Vals[], values as Vals[]));
          },
        },
        {
          hint: "is the mask off by one? Position t attends to keys 0…t, itself included",
          wrong: ([q, keys, values]) =>
            (keys as Vals[]).length < 2
              ? [] // without itself, position 0 has no key at all: a throw or an empty output fits
              : datas(head(q as Vals, (keys as Vals[]).slice(0, -1), (values as Vals[]).slice(0, -1))),
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

/** The hint of the first mistake whose output fits `actual` on these inputs, or undefined. */
export function fitHint(mistakes: readonly Mistake[], args: readonly unknown[], actual: readonly number[]) {
  for (const m of mistakes) {
    try {
      const wrong = m.wrong(args);
      if (wrong !== null && fits(actual, wrong)) return m.hint;
    } catch { /* a mistake model that cannot run on these inputs does not fit */ }
  }
  return undefined;
}

/** Hint for an Adam update that left the parameters elsewhere: t instead of t + 1, or t + 2. */
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

/** An edge case run on the learner's function beside the reference. */
export interface Probe {
  /** What the probe feeds in, for the report. */
  label: string;
  expected: () => number[];
  actual: (impl: unknown) => number[];
  hint?: string;
  /** Do the learner's numbers fit the hint's mistake? (Default: any failure of this probe fits.) */
  fits?: (actual: readonly number[]) => boolean;
  /** Give the hint only if the model run agreed (a function that is NaN everywhere has another problem). */
  onlyAfterAgreement?: boolean;
}

const nonFinite = (xs: readonly number[]) => xs.some((x) => !Number.isFinite(x));

const OVERWRITE =
  "`=` instead of `+=` in backward: a node used twice must add up the gradients of both uses (child.grad += …)";

const NO_MAX = "subtract the largest logit before exp: exp(1000) overflows to Infinity, and ∞/∞ is NaN";

const softmaxProbe = (logits: number[]): Probe => ({
  label: `softmax([${logits.join(", ")}])`,
  expected: () => datas(softmax(logits.map((l) => new Value(l)))),
  actual: (f) => datas((f as (l: Vals) => Vals)(logits.map((l) => new Value(l)))),
  hint: NO_MAX,
  fits: nonFinite,
  onlyAfterAgreement: true,
});

const sampleProbe = (logits: number[]): Probe => ({
  label: `probs([${logits.join(", ")}], T = 1)`,
  expected: () => probsFromLogits(logits, 1),
  actual: (f) => (f as (l: number[], T: number) => number[])(logits, 1),
  hint: NO_MAX,
  fits: nonFinite,
  onlyAfterAgreement: true,
});

/** `a·a`, `x²`, … on a learner's Value class: data and gradients of the inputs. */
function valueProbe(
  label: string,
  inputs: number[],
  f: (xs: Vals) => Vals[number],
  hint?: { text: string; fits: (actual: readonly number[]) => boolean },
): Probe {
  const run = (V: unknown) => {
    const C = V as new (x: number) => Value;
    const xs = inputs.map((x) => new C(x));
    const y = f(xs);
    y.backward();
    return [y.data, ...xs.map((x) => x.grad)];
  };
  return {
    label: `${label} (output, then the gradient of each input)`,
    expected: () => run(Value),
    actual: run,
    hint: hint?.text,
    fits: hint?.fits,
  };
}

/** The probes of each part, run after the model run (all of them when it agrees, to find what it missed). */
export function probes(part: string): Probe[] {
  switch (part) {
    case "softmax":
      return [softmaxProbe([1000, 999, 998]), softmaxProbe([-1000, -1001])];
    case "rmsnorm":
      return [{
        label: "rmsnorm([1e-3, -2e-3, 5e-4, 0]) (a tiny vector, where ε matters)",
        expected: () => datas(rmsnorm(TINY.map((x) => new Value(x)))),
        actual: (f) => datas((f as (x: Vals) => Vals)(TINY.map((x) => new Value(x)))),
        hint: forwardMistakes("rmsnorm", () => [])[0].hint,
        fits: (got) =>
          fits(got, forwardMistakes("rmsnorm", () => [])[0].wrong([TINY.map((x) => new Value(x))])!),
      }];
    case "sample":
      return [sampleProbe([1000, 999, 998]), sampleProbe([-1000, -1001])];
    case "value":
      return [
        valueProbe(
          "y = a·a at a = 3",
          [3],
          ([a]) => a.mul(a),
          { text: OVERWRITE, fits: (got) => got[1] === 3 }, // dy/da = 6; with `=` one use overwrites the other
        ),
        valueProbe("y = a·b + a at a = 2, b = 3", [2, 3], ([a, b]) => a.mul(b).add(a), {
          text: OVERWRITE,
          fits: (got) => got[1] === 3 || got[1] === 1, // dy/da = b + 1 = 4: only one path kept
        }),
        valueProbe("y = a + b at 2, 3", [2, 3], ([a, b]) => a.add(b)),
        valueProbe("y = a − b at 2, 3", [2, 3], ([a, b]) => a.sub(b)),
        valueProbe("y = a / b at 2, 3", [2, 3], ([a, b]) => a.div(b)),
        valueProbe("y = −a at 2", [2], ([a]) => a.neg()),
        valueProbe("y = a³ at 1.5", [1.5], ([a]) => a.pow(3)),
        valueProbe("y = a^−0.5 at 2", [2], ([a]) => a.pow(-0.5)),
        valueProbe("y = exp(a) at 0.7", [0.7], ([a]) => a.exp()),
        valueProbe("y = log(a) at 0.7", [0.7], ([a]) => a.log()),
        valueProbe("y = relu(a) at 0.7", [0.7], ([a]) => a.relu()),
        valueProbe("y = relu(a) at −0.7", [-0.7], ([a]) => a.relu()),
        valueProbe("y = a·2 + 1 at 0.5 (numbers as operands)", [0.5], ([a]) => a.mul(2).add(1)),
      ];
    default:
      return [];
  }
}

/** For a learner's whole gpt: does the reference forward with one usual mistake give the learner's logits? */
export function gptHint(
  config: GPTConfig,
  sd: ValueStateDict,
  tokens: readonly number[],
  pos: number,
  actual: readonly number[],
): string | undefined {
  for (const part of ["rmsnorm", "head"]) {
    for (const mk of forwardMistakes(part, attentionHead)) {
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
        if (
          logits.length &&
          datas(logits).every((x, i) => Math.abs(x - actual[i]) <= 1e-9 * Math.max(1, Math.abs(x)))
        ) {
          return mk.hint;
        }
      } catch { /* this mistake cannot be replayed through the forward pass */ }
    }
  }
  return undefined;
}
