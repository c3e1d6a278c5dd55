/**
 * What `checkPart` knows beyond the model run: the usual mistakes, each written as the wrong version of a part
 * (with the learner's signature), and the edge cases run after the model, for what the model's own numbers cannot
 * show (a softmax without the max subtraction agrees with the reference to ~1e-16 until a logit is large) and to
 * name the first operation of a learner's Value class that is wrong. A mistake's hint is given only when the
 * wrong version, checked the same way, parts from the reference where the learner's did, with the same numbers.
 * Not part of the public API (`mod.ts`): `checkPart` documents it.
 *
 * @module
 */
import { adamUpdate } from "./adam.ts";
import type { AdamStep } from "./model.ts";
import { gpt, type KVCache, type ValueStateDict } from "./gpt.ts";
import { attentionHead, linear, rmsnorm, softmax } from "./nn.ts";
import { probsFromLogits } from "./sample.ts";
import { Value } from "./value.ts";
import { compare, errorText, judge, type Parting, type Rec } from "./check_part_run.ts";

type Vals = readonly Value[];
type Mat = readonly Vals[];
const HINT = {
  eps: "is ε inside the square root? (mean(x²) + ε)^−½, not 1 / (√mean(x²) + ε)",
  scale: "are the scores divided by √dₖ (√head_dim) before the softmax?",
  mask: "is the mask off by one? Position t attends to keys 0…t, itself included",
  max: "subtract the largest logit before exp: exp(1000) overflows to Infinity, and ∞/∞ is NaN",
  relu: "is the ReLU between the two linear layers? fc2 · relu(fc1 · x)",
  bias: "bias correction: with t counted from 0, divide by 1 − β^(t+1) (at t = 0, 1 − β^t is 0)",
  zero:
    "gradients not zeroed: after updating a parameter set p.grad = 0, or the next step adds onto the old gradient",
  temperature: "is the temperature applied after the softmax? Divide the logits by T, then take the softmax",
  noTemperature: "is the temperature applied after the softmax (or not at all)? Divide the logits by T first",
  overwrite:
    "`=` instead of `+=` in backward: a node used twice must add up the gradients of both uses (child.grad += …)",
};

/** Adam on the learner's signature with t + dt where the engine has t (its bias correction uses t + 1). */
const adam = (dt: number, zero: boolean) => (params: Value[], m: number[], v: number[], o: AdamStep) => {
  const buf = { data: params.map((p) => p.data), grad: params.map((p) => p.grad), m, v };
  adamUpdate(buf, { ...o, t: o.t + dt });
  params.forEach((p, i) => (p.data = buf.data[i], p.grad = zero ? 0 : p.grad));
};

/** The usual mistakes: the part, its hint, and the wrong version of the part (the learner's signature). */
const WRONG: [part: string, hint: string, impl: unknown][] = [
  ["rmsnorm", HINT.eps, (x: Vals) => { // 1 / (√mean(x²) + ε)
    const ms = x.map((xi) => xi.mul(xi)).reduce((a, b) => a.add(b)).mul(1 / x.length);
    return x.map((xi) => xi.mul(ms.pow(0.5).add(1e-5).pow(-1)));
  }],
  ["head", HINT.scale, (q: Vals, k: Mat, v: Mat) => attentionHead(q, k, v, { scaled: false })],
  ["head", HINT.mask, (q: Vals, k: Mat, v: Mat) => attentionHead(q, k.slice(0, -1), v.slice(0, -1))],
  ["softmax", HINT.max, (l: Vals) => { // exp(l) / Σ exp(l)
    const e = l.map((x) => x.exp());
    return e.map((x) => x.div(e.reduce((a, b) => a.add(b))));
  }],
  ["mlp", HINT.relu, (x: Vals, fc1: Mat, fc2: Mat) => linear(linear(x, fc1), fc2)],
  ["adam", HINT.bias, adam(-1, true)], // 1 − β^t
  ["adam", HINT.bias, adam(1, true)], // 1 − β^(t+2)
  ["adam", HINT.zero, adam(0, false)],
  ["sample", HINT.temperature, (l: number[], T: number) => probsFromLogits(l, 1).map((p) => p / T)],
  ["sample", HINT.noTemperature, (l: number[]) => probsFromLogits(l, 1)],
  ["sample", HINT.max, (l: number[], T: number) => { // exp(l / T) / Σ exp(l / T)
    const e = l.map((x) => Math.exp(x / T));
    return e.map((x) => x / e.reduce((a, b) => a + b));
  }],
];

/** The usual mistakes of `part`; a whole `gpt` can make those of rmsnorm and the head. */
export function mistakes(part: string): { hint: string; impl: unknown }[] {
  return WRONG.filter(([p]) => p === part || (part === "gpt" && (p === "rmsnorm" || p === "head"))).map(
    ([p, hint, impl]) => ({
      hint,
      impl: part !== "gpt"
        ? impl
        : (token: number, pos: number, kv: KVCache, sd: ValueStateDict) =>
          gpt(token, pos, kv, sd, { parts: { [p]: impl } }),
    }),
  );
}

/** Does a mistake's parting fit the learner's: the same place, and the same numbers there (to 1e-9), if any? */
export const fits = (mine: Parting, theirs?: Parting): boolean =>
  theirs?.quantity === mine.quantity && theirs.at === mine.at &&
  compare(mine.numbers ?? [], theirs.numbers ?? [], 1e-9).index < 0;

/** An edge case: what it feeds in, the engine's own part, and the learner's numbers from a part. */
interface Probe {
  label: string;
  ref: unknown;
  run: (impl: unknown) => number[];
  /** What the report calls number i of `run`'s output (default `output[i]`). */
  name?: (i: number) => string;
  /** What a Value class with `=` instead of `+=` in backward gives here. */
  overwrite?: number[][];
}

/** Large logits: without the max subtraction exp overflows. */
function bigLogits(logits: number[], sampler: boolean): Probe {
  return {
    label: sampler ? `probs([${logits.join(", ")}], T = 1)` : `softmax([${logits.join(", ")}])`,
    ref: sampler ? probsFromLogits : softmax,
    run: sampler
      ? (f) => (f as (l: number[], T: number) => number[])(logits, 1)
      : (f) => (f as (l: Vals) => Vals)(logits.map((l) => new Value(l))).map((v) => v.data),
  };
}

/** `a·a`, `x²`, … on a learner's Value class: the output, then the gradient of each input. */
function valueProbe(label: string, xs: number[], f: (v: Value[]) => Value, overwrite?: number[][]): Probe {
  const run = (V: unknown) => {
    const inputs = xs.map((x) => new (V as new (x: number) => Value)(x));
    const y = f(inputs);
    y.backward();
    return [y.data, ...inputs.map((x) => x.grad)];
  };
  const name = (i: number) => (i === 0 ? "y" : `dy/d${"ab"[i - 1]}`); // the labels call the inputs a and b
  return { label, ref: Value, run, name, overwrite };
}

const TINY = [1e-3, -2e-3, 5e-4, 0]; // a vector so small that ε matters

/** The edge cases of each part that has any. */
const PROBES: Readonly<Record<string, readonly Probe[]>> = {
  softmax: [bigLogits([1000, 999, 998], false), bigLogits([-1000, -1001], false)],
  sample: [bigLogits([1000, 999, 998], true), bigLogits([-1000, -1001], true)],
  rmsnorm: [{
    label: `rmsnorm([${TINY.join(", ")}]) (a tiny vector, where ε matters)`,
    ref: rmsnorm,
    run: (f) => (f as (x: Vals) => Vals)(TINY.map((x) => new Value(x))).map((v) => v.data),
  }],
  value: [
    // dy/da = 6: with `=` one use overwrites the other
    valueProbe("y = a·a at a = 3", [3], ([a]) => a.mul(a), [[9, 3]]),
    // dy/da = b + 1 = 4: with `=` only one path is kept
    valueProbe("y = a·b + a at 2, 3", [2, 3], ([a, b]) => a.mul(b).add(a), [[8, 1, 2], [8, 3, 2]]),
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

/** The edge cases of `part` on the learner's `impl`: how many, the first that fails and its hint, if any. */
export function runProbes(
  part: string,
  name: string,
  impl: unknown,
): { count: number; parting?: Parting; hint?: string } {
  const probes = PROBES[part] ?? [];
  const record = (own: boolean) => { // the records of every edge case on the engine's part or the learner's
    const recs: Rec[] = [];
    for (const { label, ref, run, name: number = (i: number) => `output[${i}]` } of probes) {
      const at = `the edge case ${label}`;
      try {
        recs.push({ quantity: "probe", at, name: number, data: run(own ? ref : impl) });
      } catch (e) {
        return [...recs, { quantity: "probe", at, name: number, data: [], problem: errorText(name, e) }];
      }
    }
    return recs;
  };
  const { parting } = judge(record(true), record(false));
  const wrong = probes.find((p) => parting?.at === `the edge case ${p.label}`)?.overwrite;
  const overwrite = wrong?.some((w) => compare(parting?.numbers ?? [], w, 1e-9).index < 0);
  return { count: probes.length, parting, hint: overwrite ? HINT.overwrite : undefined };
}
