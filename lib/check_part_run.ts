/**
 * The run behind `checkPart`: the scalar engine trained a few steps twice from the same weights, once as it
 * is and once with the learner's part swapped in through the forward pass's hooks, compared after every
 * forward value, gradient and Adam update. It stops at the first number that parts and says where. For the
 * sampler, `sample()` draws names twice with the same seeded rng, once with the learner's
 * `probs(logits, temperature)` swapped in; every probability vector and every name is compared.
 *
 * @module
 */
import type { GPTConfig } from "./config.ts";
import { type ForwardEvent, gpt, GPT_PARTS } from "./gpt.ts";
import type { AdamStep, StateDict } from "./model.ts";
import type { Random } from "./random.ts";
import { probsFromLogits, sample } from "./sample.ts";
import { ScalarModel } from "./scalar_model.ts";
import type { Tokenizer } from "./tokenizer.ts";
import type { Value } from "./value.ts";
import { checkValues, compare, datas, errorText, PartFailure } from "./check_part_compare.ts";
import type { Parting, RunResult } from "./check_part_compare.ts";
import { fitHint, gptHint, MISTAKES, NOT_ZEROED } from "./check_part_hints.ts";

/** What the run needs: the model's setup, the training names and Adam's settings. */
export interface RunSetup {
  config: GPTConfig;
  stateDict: StateDict;
  /** One tokenized name per step. */
  batches: number[][];
  adam: (t: number) => AdamStep;
}

/** One vector the forward pass made, as numbers. */
type Rec = Partial<Pick<ForwardEvent, "layer" | "head" | "pos">> & { stage: string; data: number[] };

/** Where, for the report: "step 1, layer 0, head 2, position 3". */
function at(step: number, { layer, head, pos }: Partial<Rec> = {}): string {
  const bits = Object.entries({ layer, head, position: pos }).filter(([, n]) => n !== undefined);
  return [`step ${step}`, ...bits.map(([what, n]) => `${what} ${n}`)].join(", ");
}

/**
 * Forward parts (linear, softmax, rmsnorm, head, mlp), the whole `gpt`, a learner's `Value` class, or Adam:
 * train both models `batches.length` steps and compare every recorded number.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runModel } from "./check_part_run.ts";
 * import { gptConfig } from "./config.ts";
 * import { initStateDict } from "./params.ts";
 * import { Random } from "./random.ts";
 * import { rmsnorm } from "./nn.ts";
 * const config = gptConfig({ vocab_size: 5 });
 * const setup = {
 *   config,
 *   stateDict: initStateDict(config, new Random(1)),
 *   batches: [[4, 0, 1, 4]],
 *   adam: (t: number) => ({ lr: 0.01, t, beta1: 0.85, beta2: 0.99, eps: 1e-8 }),
 * };
 * assert.equal(runModel("rmsnorm", rmsnorm, setup).maxDelta, 0); // the engine's own rmsnorm: bit-identical
 * ```
 */
export function runModel(part: string, impl: unknown, setup: RunSetup): RunResult {
  const { config, stateDict, batches } = setup;
  const ref = new ScalarModel(config, stateDict);
  const mine = new ScalarModel(config, stateDict);
  let recs: [Rec[], Rec[]] = [[], []]; // the reference's, the learner's
  let hint: string | undefined; // "" once a parting fitted no mistake
  const observe = (who: 0 | 1) => ({ values, ...e }: ForwardEvent) =>
    recs[who].push({ ...e, data: datas(values) });
  ref.forward = { observe: observe(0) };
  mine.forward = { observe: observe(1) };
  if (part === "gpt") {
    // The learner's gpt replaces the whole forward pass: compare its logits position by position.
    const wrap = (f: typeof gpt, who: 0 | 1): typeof gpt => (token, pos, kv, sd) => {
      const logits = f(token, pos, kv, sd);
      const data = checkValues("gpt", logits, config.vocab_size, "the vocabulary");
      recs[who].push({ stage: "logits", pos, data });
      return logits;
    };
    ref.forward = { gpt: wrap(gpt, 0) };
    mine.forward = { gpt: wrap(impl as typeof gpt, 1) };
  } else if (part === "value") {
    const V = impl as new (x: number) => Value;
    mine.sd = {};
    for (const [name, w] of Object.entries(stateDict)) mine.sd[name] = w.map((r) => r.map((x) => new V(x)));
    mine.params = Object.values(mine.sd).flat(2);
  } else if (part !== "adam") {
    const [f, own] = [impl, GPT_PARTS[part as "rmsnorm"]] as ((...args: unknown[]) => Value[])[];
    const swapped = (...args: unknown[]) => {
      const n = ((part === "linear" ? args[1] : args[0]) as unknown[]).length;
      let out: Value[];
      let got: number[];
      try {
        got = checkValues(part, out = f(...args), n, "its input");
      } catch (e) {
        hint ??= fitHint(MISTAKES[part], args, []) ?? ""; // a head that fails with one key: the mask
        throw e;
      }
      if (hint === undefined && compare(got, datas(own(...args))).index >= 0) {
        hint = fitHint(MISTAKES[part], args, got) ?? "";
      }
      return out;
    };
    mine.forward.parts = { [part]: swapped };
  }
  const [m, v] = [new Array<number>(mine.numParams).fill(0), new Array<number>(mine.numParams).fill(0)];
  const grads = (model: ScalarModel) => model.params.map((p) => p.grad);
  /** The i-th parameter's gradient or value parted: named like `wte[3][5]`, expected against actual. */
  const param = (quantity: string, step: number, i: number, get: (p: Value) => number): Parting => {
    const name = paramName(ref, i);
    const what = quantity === "gradient" ? `the gradient of ${name}` : `the updated parameter ${name}`;
    return { quantity, at: at(step), what, expected: get(ref.params[i]), actual: get(mine.params[i]) };
  };
  let maxDelta = 0;
  const stepOnce = (step: number, row: Record<string, unknown>): Parting | undefined => {
    recs = [[], []];
    const refLoss = row["loss (reference)"] = ref.lossAndGrad([batches[step]]);
    let myLoss: number;
    try {
      myLoss = row["loss (yours)"] = mine.lossAndGrad([batches[step]]);
    } catch (e) {
      const last = recs[1].at(-1);
      const where = at(step, last) + (last ? ` (after ${last.stage})` : "");
      return { quantity: "forward value", at: where, what: part, problem: errorText(part, e) };
    }
    // 1) forward values, in the order the forward pass made them
    const [refRecs, myRecs] = recs;
    let fwd = 0;
    for (let r = 0; r < Math.max(refRecs.length, myRecs.length); r++) {
      const [e, a] = [refRecs[r], myRecs[r]];
      if (e?.stage !== a?.stage) {
        const problem = `your run recorded ${myRecs.length} forward values, the reference ${refRecs.length}`;
        return { quantity: "forward value", at: at(step), what: part, problem };
      }
      const c = compare(a.data, e.data);
      row["max |Δ| forward"] = fwd = Math.max(fwd, c.max);
      if (c.index >= 0) {
        if (part === "gpt") hint ||= gptHint(config, ref.sd, batches[step], e.pos ?? 0, a.data);
        const [expected, actual, what] = [e.data[c.index], a.data[c.index], `${e.stage}[${c.index}]`];
        return { quantity: "forward value", at: at(step, e), what, expected, actual };
      }
    }
    if (compare([myLoss], [refLoss]).index >= 0) {
      return { quantity: "loss", at: at(step), what: "the loss", expected: refLoss, actual: myLoss };
    }
    // 2) gradients, parameter by parameter in state-dict order
    const g = compare(grads(mine), grads(ref));
    row["max |Δ| gradient"] = g.max;
    if (g.index >= 0) return param("gradient", step, g.index, (p) => p.grad);
    // 3) the Adam update
    const opts = setup.adam(step);
    ref.step(opts);
    if (part === "adam") {
      const before = { data: datas(mine.params), grad: grads(mine), m: [...m], v: [...v] };
      try {
        (impl as (p: Value[], m: number[], v: number[], o: AdamStep) => void)(mine.params, m, v, { ...opts });
      } catch (e) {
        return { quantity: "updated parameter", at: at(step), what: "adam", problem: errorText("adam", e) };
      }
      const after = datas(mine.params);
      const kept = mine.params.findIndex((p) => p.grad !== 0);
      if (compare(after, datas(ref.params)).index >= 0) hint = fitHint(MISTAKES.adam, [before, opts], after);
      else if (kept >= 0) {
        hint = NOT_ZEROED;
        const q = param("gradient", step, kept, (p) => p.grad);
        return { ...q, what: `${q.what} after the update` };
      }
    } else mine.step(opts);
    const p = compare(datas(mine.params), datas(ref.params));
    row["max |Δ| parameters"] = p.max;
    if (p.index >= 0) return param("updated parameter", step, p.index, (p) => p.data);
    maxDelta = Math.max(maxDelta, fwd, Math.abs(myLoss - refLoss), g.max, p.max);
  };
  const rows: Record<string, unknown>[] = [];
  for (let step = 0; step < batches.length; step++) {
    const parting = stepOnce(step, rows[step] = { step });
    if (parting) return { parting, rows, hint: hint || undefined };
  }
  return { rows, maxDelta };
}

/** `wte[3][5]` for the i-th parameter in state-dict order. */
function paramName(model: ScalarModel, i: number): string {
  for (const [name, w] of Object.entries(model.sd)) {
    if (i < w.length * w[0].length) return `${name}[${Math.floor(i / w[0].length)}][${i % w[0].length}]`;
    i -= w.length * w[0].length;
  }
  return `parameter ${i}`;
}

/**
 * Sample `count` names with the reference sampler and with the learner's; compare every number.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runSampler } from "./check_part_run.ts";
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
