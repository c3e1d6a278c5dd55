/**
 * The usual mistakes `checkPart` recognises, each written as the wrong version of one part: a hint is only given
 * when the learner's numbers fit the wrong version (the same inputs, run through it, give the learner's outputs).
 * And the edge cases run after the model, for what the model's own numbers cannot show (a softmax without the
 * max subtraction agrees with the reference to ~1e-16 until a logit is large) and to name the first operation
 * of a learner's Value class that is wrong.
 *
 * @module
 */
import { type AdamBuffers, adamUpdate } from "./adam.ts";
import type { AdamStep } from "./model.ts";
import type { GPTConfig } from "./config.ts";
import { createKVCache, gpt, GPT_PARTS, type ValueStateDict } from "./gpt.ts";
import { attentionHead, linear, rmsnorm, softmax } from "./nn.ts";
import { probsFromLogits } from "./sample.ts";
import { Value } from "./value.ts";
import { compare, datas } from "./check_part_compare.ts";

/** A mistake: its hint, and the wrong version of the part run on the learner's inputs. */
export interface Mistake {
  hint: string;
  wrong: (args: readonly unknown[]) => number[];
}

type Vals = Value[];
const BIAS = "bias correction: with t counted from 0, divide by 1 − β^(t+1) (at t = 0, 1 − β^t is 0)";

/**
 * The usual mistakes of each part that has any. For `adam` the inputs are the buffers before the update and
 * its options (bias correction with t or t + 2 where t + 1 belongs).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MISTAKES } from "./check_part_hints.ts";
 * import { Value } from "./value.ts";
 * const [epsOutside] = MISTAKES.rmsnorm;
 * assert.deepEqual(epsOutside.wrong([[new Value(3), new Value(-3)]]).map(Math.round), [1, -1]);
 * ```
 */
export const MISTAKES: Readonly<Record<string, readonly Mistake[]>> = {
  rmsnorm: [{
    hint: "is ε inside the square root? (mean(x²) + ε)^−½, not 1 / (√mean(x²) + ε)",
    wrong: ([x]) => {
      const xs = datas(x as Vals);
      const ms = xs.reduce((a, b) => a + b * b, 0) / xs.length;
      return xs.map((xi) => xi / (Math.sqrt(ms) + 1e-5));
    },
  }],
  head: [{
    hint: "are the scores divided by √dₖ (√head_dim) before the softmax?",
    wrong: ([q, keys, values]) => {
      const s = Math.sqrt((q as Vals).length); // q·√d makes the scaled score the raw dot product
      return datas(attentionHead((q as Vals).map((x) => x.mul(s)), keys as Vals[], values as Vals[]));
    },
  }, {
    hint: "is the mask off by one? Position t attends to keys 0…t, itself included",
    wrong: ([q, keys, values]) =>
      (keys as Vals[]).length < 2
        ? [] // without itself, position 0 has no key at all: a throw or an empty output fits
        : datas(attentionHead(q as Vals, (keys as Vals[]).slice(0, -1), (values as Vals[]).slice(0, -1))),
  }],
  mlp: [{
    hint: "is the ReLU between the two linear layers? fc2 · relu(fc1 · x)",
    wrong: ([x, fc1, fc2]) => datas(linear(linear(x as Vals, fc1 as Vals[]), fc2 as Vals[])),
  }],
  sample: [{
    hint: "is the temperature applied after the softmax? Divide the logits by T, then take the softmax",
    wrong: ([logits, T]) => probsFromLogits(logits as number[], 1).map((p) => p / (T as number)),
  }, {
    hint: "is the temperature applied after the softmax (or not at all)? Divide the logits by T first",
    wrong: ([logits]) => probsFromLogits(logits as number[], 1),
  }],
  adam: [-1, 1].map((dt) => ({
    hint: BIAS,
    wrong: ([before, opts]: readonly unknown[]) => {
      const buf = structuredClone(before) as AdamBuffers;
      adamUpdate(buf, { ...(opts as AdamStep), t: (opts as AdamStep).t + dt });
      return [...buf.data];
    },
  })),
};

/**
 * The hint of the first mistake whose output fits `actual` (to 1e-9) on these inputs, or undefined.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fitHint, MISTAKES } from "./check_part_hints.ts";
 * assert.equal(fitHint(MISTAKES.sample, [[0, 1], 0.5], [0.5379, 1.4621]), undefined); // not close enough
 * const opts = { lr: 0.01, t: 0, beta1: 0.85, beta2: 0.99, eps: 1e-8 };
 * const before = { data: [1], grad: [0.5], m: [0], v: [0] };
 * assert.match(fitHint(MISTAKES.adam, [before, opts], [NaN])!, /1 − β\^\(t\+1\)/); // 1 − β⁰ = 0 divides by 0
 * ```
 */
export function fitHint(
  mistakes: readonly Mistake[] | undefined,
  args: readonly unknown[],
  actual: readonly number[],
): string | undefined {
  for (const m of mistakes ?? []) {
    try {
      if (compare(actual, m.wrong(args), 1e-9).index < 0) return m.hint;
    } catch { /* a mistake model that cannot run on these inputs does not fit */ }
  }
  return undefined;
}

/** Hint when gradients are still there after the update. */
export const NOT_ZEROED =
  "gradients not zeroed: after updating a parameter set p.grad = 0, or the next step adds onto the old gradient";

/**
 * For a learner's whole gpt: does the reference forward pass with one usual mistake of rmsnorm or the head
 * give the learner's logits at position `pos` of `tokens`? Its hint, if so.
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
  for (const part of ["rmsnorm", "head"] as const) {
    for (const mk of MISTAKES[part]) {
      const own = GPT_PARTS[part] as (...args: unknown[]) => Vals;
      const wrongPart = (...args: unknown[]) => {
        const w = mk.wrong(args); // plain numbers: as leaves, enough to compare the logits at this position
        return w.length > 0 ? w.map((x) => new Value(x)) : own(...args);
      };
      try {
        const kv = createKVCache(config);
        let logits: Vals = [];
        for (let p = 0; p <= pos; p++) logits = gpt(tokens[p], p, kv, sd, { parts: { [part]: wrongPart } });
        if (compare(actual, datas(logits), 1e-9).index < 0) return mk.hint;
      } catch { /* this mistake cannot be replayed through the forward pass */ }
    }
  }
  return undefined;
}

/** An edge case, run after the model on the learner's function and on the engine's own (`ref`). */
export interface Probe {
  /** What the probe feeds in, for the report. */
  label: string;
  /** The engine's own part: `run(ref)` is what the learner's `run(impl)` must give. */
  ref: unknown;
  run: (impl: unknown) => number[];
  hint?: string;
  /** Do the learner's numbers fit the hint's mistake? (`agreed`: the model run agreed.) */
  fits?: (actual: readonly number[], agreed: boolean) => boolean;
}

const OVERWRITE =
  "`=` instead of `+=` in backward: a node used twice must add up the gradients of both uses (child.grad += …)";

/** Large logits: without the max subtraction exp overflows (only a hint if the model run agreed: a function
 * that is NaN everywhere has another problem). */
function bigLogits(logits: number[], sampler: boolean): Probe {
  return {
    label: sampler ? `probs([${logits.join(", ")}], T = 1)` : `softmax([${logits.join(", ")}])`,
    ref: sampler ? probsFromLogits : softmax,
    run: sampler
      ? (f) => (f as (l: number[], T: number) => number[])(logits, 1)
      : (f) => datas((f as (l: Vals) => Vals)(logits.map((l) => new Value(l)))),
    hint: "subtract the largest logit before exp: exp(1000) overflows to Infinity, and ∞/∞ is NaN",
    fits: (got, agreed) => agreed && got.some((x) => !Number.isFinite(x)),
  };
}

/** `a·a`, `x²`, … on a learner's Value class: the output, then the gradient of each input. */
function valueProbe(label: string, inputs: number[], f: (xs: Vals) => Value, fits?: Probe["fits"]): Probe {
  const run = (V: unknown) => {
    const xs = inputs.map((x) => new (V as new (x: number) => Value)(x));
    const y = f(xs);
    y.backward();
    return [y.data, ...xs.map((x) => x.grad)];
  };
  const text = `${label} (output, then the gradient of each input)`;
  return { label: text, ref: Value, run, hint: OVERWRITE, fits };
}

const TINY = () => [1e-3, -2e-3, 5e-4, 0].map((x) => new Value(x)); // a vector so small that ε matters

/**
 * The edge cases of each part that has any.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PROBES } from "./check_part_hints.ts";
 * import { softmax } from "./nn.ts";
 * const [big] = PROBES.softmax;
 * assert.deepEqual(big.run(softmax), big.run(big.ref));
 * ```
 */
export const PROBES: Readonly<Record<string, readonly Probe[]>> = {
  softmax: [bigLogits([1000, 999, 998], false), bigLogits([-1000, -1001], false)],
  sample: [bigLogits([1000, 999, 998], true), bigLogits([-1000, -1001], true)],
  rmsnorm: [{
    label: "rmsnorm([1e-3, -2e-3, 5e-4, 0]) (a tiny vector, where ε matters)",
    ref: rmsnorm,
    run: (f) => datas((f as (x: Vals) => Vals)(TINY())),
    hint: MISTAKES.rmsnorm[0].hint,
    fits: (got) => fitHint(MISTAKES.rmsnorm, [TINY()], got) !== undefined,
  }],
  value: [
    // dy/da = 6; with `=` one use overwrites the other
    valueProbe("y = a·a at a = 3", [3], ([a]) => a.mul(a), (got) => got[1] === 3),
    // dy/da = b + 1 = 4: only one path kept
    valueProbe("y = a·b + a at 2, 3", [2, 3], ([a, b]) => a.mul(b).add(a), (got) => [1, 3].includes(got[1])),
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
  ],
};
