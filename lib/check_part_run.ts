/**
 * The run behind `checkPart`: the scalar engine trained a few steps twice from the same weights, once as it
 * is and once with the learner's part swapped in through the forward pass's hooks, compared after every
 * forward value, gradient and Adam update. It stops at the first number that parts and says where.
 *
 * @module
 */
import type { GPTConfig } from "./config.ts";
import { createKVCache, gpt, type GptOptions, type KVCache, type ValueStateDict } from "./gpt.ts";
import type { AdamStep, StateDict } from "./model.ts";
import { ScalarModel } from "./scalar_model.ts";
import { probsFromLogits, sample } from "./sample.ts";
import type { Random } from "./random.ts";
import type { Tokenizer } from "./tokenizer.ts";
import { Value } from "./value.ts";
import { adamHint, datas, fitHint, forwardMistakes, type HeadFn, NOT_ZEROED } from "./check_part_hints.ts";

/** Which number parted first. */
export type Quantity =
  | "forward value"
  | "loss"
  | "gradient"
  | "updated parameter"
  | "probability"
  | "sampled name"
  | "probe";

/** Where the learner's run left the reference, and by how much. */
export interface Parting {
  quantity: Quantity;
  /** Training step (0-based), or the sample's number for the sampler. */
  step: number;
  /** What was compared: "rmsnorm", "logits", "wte[3][5]", a probe's input, … */
  name: string;
  layer?: number;
  pos?: number;
  head?: number;
  /** Index into the compared vector. */
  index?: number;
  expected?: number | string;
  actual?: number | string;
  /** The learner's function threw or returned something of the wrong shape or type. */
  problem?: string;
}

/** One step of the comparison, for the report's table. */
export type StepRow = {
  step: number;
  "loss (reference)"?: number;
  "loss (yours)"?: number;
  "max |Δ| forward"?: number;
  "max |Δ| gradient"?: number;
  "max |Δ| parameters"?: number;
} & Record<string, unknown>;

/** The outcome of one run. */
export interface RunResult {
  parting?: Parting;
  hint?: string;
  rows: StepRow[];
  /** Largest |Δ| over everything compared (0: bit-identical). */
  maxDelta: number;
}

/** What the run needs: the model's setup, the training names and Adam's settings. */
export interface RunSetup {
  config: GPTConfig;
  stateDict: StateDict;
  /** One tokenized name per step. */
  batches: number[][];
  adam: (t: number) => AdamStep;
  /** The reference head (to run the head's mistakes). */
  head: HeadFn;
}

/** Agreement: |a − e| ≤ 1e-12 · max(1, |e|). NaN never agrees. */
export function agrees(a: number, e: number): boolean {
  return a === e || Math.abs(a - e) <= 1e-12 * Math.max(1, Math.abs(e));
}

interface Rec {
  name: string;
  layer?: number;
  pos?: number;
  head?: number;
  data: number[];
}

/** A learner's function failed: threw, or returned the wrong shape. Carries where (from the last record). */
class PartFailure extends Error {}

/** Compare two vectors; the first disagreeing index or -1, and the largest |Δ|. */
function compare(a: readonly number[], e: readonly number[]): { index: number; max: number } {
  let index = -1;
  let max = 0;
  for (let i = 0; i < e.length; i++) {
    const d = Math.abs(a[i] - e[i]);
    if (!agrees(a[i], e[i]) && index < 0) index = i;
    if (d > max || Number.isNaN(d)) max = Number.isNaN(d) ? Infinity : d;
  }
  return { index, max };
}

/** Checks a learner's output: an array of `n` things with a numeric `data`. */
export function checkValues(part: string, out: unknown, n: number, what: string): Value[] {
  if (!Array.isArray(out)) {
    throw new PartFailure(`your ${part} returned ${typeOf(out)}, not an array of Values`);
  }
  if (out.length !== n) {
    throw new PartFailure(`your ${part} returned ${out.length} values; ${what} has ${n}`);
  }
  const bad = out.findIndex((v) => typeof v?.data !== "number");
  if (bad >= 0) {
    throw new PartFailure(`your ${part} returned ${typeOf(out[bad])} at index ${bad}, not a Value`);
  }
  return out as Value[];
}

function typeOf(x: unknown): string {
  return x === null ? "null" : Array.isArray(x) ? `an array` : typeof x;
}

/** The length the part's output must have, from its inputs. */
function outLength(part: string, args: unknown[]): number {
  if (part === "linear") return (args[1] as unknown[]).length;
  if (part === "mlp") return (args[0] as unknown[]).length;
  return (args[0] as unknown[]).length; // softmax, rmsnorm, head: as long as the first input
}

/**
 * Forward parts (linear, softmax, rmsnorm, head, mlp), the whole `gpt`, a learner's `Value` class, or Adam:
 * train both models `batches.length` steps and compare every recorded number.
 */
export function runModel(part: string, impl: unknown, setup: RunSetup): RunResult {
  const { config, stateDict, batches } = setup;
  const ref = new ScalarModel(config, stateDict);
  const mine = new ScalarModel(config, stateDict);
  let refRecs: Rec[] = [];
  let mineRecs: Rec[] = [];
  const record = (into: () => Rec[]): GptOptions["observe"] => (name, values, at) =>
    into().push({ name, ...at, data: datas(values) });
  ref.forward = { observe: record(() => refRecs) };
  mine.forward = { observe: record(() => mineRecs) };
  let localHint: string | undefined;
  const mistakes = forwardMistakes(part, setup.head);
  if (part === "gpt") {
    // The learner's gpt replaces the whole forward pass: compare its logits position by position.
    const wrap =
      (f: typeof gpt, into: () => Rec[], checked: boolean) =>
      (token: number, pos: number, kv: KVCache, sd: ValueStateDict) => {
        const logits = f(token, pos, kv, sd);
        if (checked) checkValues("gpt", logits, config.vocab_size, "the vocabulary");
        into().push({ name: "logits", pos, data: datas(logits) });
        return logits;
      };
    ref.forward = { gpt: wrap(gpt, () => refRecs, false) };
    mine.forward = { gpt: wrap(impl as typeof gpt, () => mineRecs, true) };
  } else if (part === "value") {
    const V = impl as new (x: number) => Value;
    const sd: ValueStateDict = {};
    for (const [name, m] of Object.entries(stateDict)) sd[name] = m.map((row) => row.map((x) => new V(x)));
    mine.sd = sd;
    mine.params = Object.values(sd).flat(2);
  } else if (part !== "adam") {
    const refPart = defaultPart(part, setup);
    const f = impl as (...args: unknown[]) => unknown;
    const swapped = (...args: unknown[]) => {
      let out: Value[];
      try {
        out = checkValues(part, f(...args), outLength(part, args), `its input`);
      } catch (e) {
        localHint ??= fitHint(mistakes, args, []) ?? ""; // a head that fails with one key: the mask
        throw e;
      }
      if (localHint === undefined) {
        const got = datas(out);
        const want = datas(refPart(...args));
        if (compare(got, want).index >= 0) localHint = fitHint(mistakes, args, got) ?? "";
      }
      return out;
    };
    mine.forward.parts = { [part]: swapped };
  }
  const m = new Array<number>(mine.numParams).fill(0);
  const v = new Array<number>(mine.numParams).fill(0);
  const rows: StepRow[] = [];
  let maxDelta = 0;
  const last = () => mineRecs.at(-1);
  for (let step = 0; step < batches.length; step++) {
    refRecs = [];
    mineRecs = [];
    const row: StepRow = { step };
    rows.push(row);
    const refLoss = ref.lossAndGrad([batches[step]]);
    row["loss (reference)"] = refLoss;
    let myLoss: number;
    try {
      myLoss = mine.lossAndGrad([batches[step]]);
    } catch (e) {
      const at = last();
      const msg = e instanceof PartFailure ? e.message : `your ${part} threw ${errorText(e)}`;
      const parting: Parting = { quantity: "forward value", step, name: part, problem: msg };
      if (at) {
        Object.assign(parting, { layer: at.layer, pos: at.pos, head: at.head, name: `after ${at.name}` });
      }
      return { parting, rows, maxDelta: Infinity, hint: localHint || undefined };
    }
    row["loss (yours)"] = myLoss;
    // 1) forward values, in the order the forward pass made them
    let fwdMax = 0;
    for (let r = 0; r < Math.max(refRecs.length, mineRecs.length); r++) {
      const e = refRecs[r];
      const a = mineRecs[r];
      if (e === undefined || a === undefined || e.name !== a.name || e.data.length !== a.data.length) {
        const problem =
          `your run recorded ${mineRecs.length} forward values, the reference ${refRecs.length}`;
        return {
          parting: { quantity: "forward value", step, name: part, problem },
          rows,
          maxDelta: Infinity,
        };
      }
      const c = compare(a.data, e.data);
      fwdMax = Math.max(fwdMax, c.max);
      if (c.index >= 0) {
        row["max |Δ| forward"] = fwdMax;
        const { name, layer, pos, head } = e;
        const parting: Parting = {
          quantity: "forward value",
          step,
          name,
          layer,
          pos,
          head,
          index: c.index,
          expected: e.data[c.index],
          actual: a.data[c.index],
        };
        const hint = localHint || (part === "gpt" ? gptHint(setup, ref, batches[step], e, a) : undefined);
        return { parting, rows, maxDelta: Infinity, hint };
      }
    }
    row["max |Δ| forward"] = fwdMax;
    if (!agrees(myLoss, refLoss)) {
      const parting: Parting = { quantity: "loss", step, name: "loss", expected: refLoss, actual: myLoss };
      return { parting, rows, maxDelta: Infinity, hint: localHint || undefined };
    }
    maxDelta = Math.max(maxDelta, fwdMax, Math.abs(myLoss - refLoss));
    // 2) gradients, parameter by parameter in state-dict order
    const g = compare(datas(mine.params.map((p) => ({ data: p.grad }))), ref.params.map((p) => p.grad));
    row["max |Δ| gradient"] = g.max;
    if (g.index >= 0) {
      const parting: Parting = {
        quantity: "gradient",
        step,
        name: paramName(ref, g.index),
        index: g.index,
        expected: ref.params[g.index].grad,
        actual: mine.params[g.index].grad,
      };
      return { parting, rows, maxDelta: Infinity, hint: localHint || undefined };
    }
    maxDelta = Math.max(maxDelta, g.max);
    // 3) the Adam update
    const opts = setup.adam(step);
    if (part === "adam") {
      const before = {
        data: mine.params.map((p) => p.data),
        grad: mine.params.map((p) => p.grad),
        m: [...m],
        v: [...v],
      };
      try {
        (impl as (p: Value[], m: number[], v: number[], o: AdamStep) => void)(mine.params, m, v, { ...opts });
      } catch (e) {
        const parting: Parting = { quantity: "updated parameter", step, name: "adam", problem: errorText(e) };
        return { parting, rows, maxDelta: Infinity };
      }
      ref.step(opts);
      const stillThere = mine.params.findIndex((p) => p.grad !== 0);
      const p = compare(mine.params.map((p) => p.data), ref.params.map((p) => p.data));
      if (p.index < 0 && stillThere >= 0) {
        const parting: Parting = {
          quantity: "gradient",
          step,
          name: `${paramName(ref, stillThere)} after the update`,
          index: stillThere,
          expected: 0,
          actual: mine.params[stillThere].grad,
        };
        return { parting, rows, maxDelta: Infinity, hint: NOT_ZEROED };
      }
      if (p.index >= 0) localHint = adamHint(before, opts, mine.params.map((p) => p.data));
    } else {
      ref.step(opts);
      mine.step(opts);
    }
    const p = compare(mine.params.map((p) => p.data), ref.params.map((p) => p.data));
    row["max |Δ| parameters"] = p.max;
    if (p.index >= 0) {
      const parting: Parting = {
        quantity: "updated parameter",
        step,
        name: paramName(ref, p.index),
        index: p.index,
        expected: ref.params[p.index].data,
        actual: mine.params[p.index].data,
      };
      return { parting, rows, maxDelta: Infinity, hint: localHint || undefined };
    }
    maxDelta = Math.max(maxDelta, p.max);
  }
  return { rows, maxDelta };
}

/** `wte[3][5]` for the i-th parameter in state-dict order. */
function paramName(model: ScalarModel, i: number): string {
  let k = i;
  for (const [name, m] of Object.entries(model.sd)) {
    const n = m.length * m[0].length;
    if (k < n) return `${name}[${Math.floor(k / m[0].length)}][${k % m[0].length}]`;
    k -= n;
  }
  return `parameter ${i}`;
}

/** The engine's own part, to run beside the learner's on the same inputs. */
function defaultPart(part: string, setup: RunSetup): (...args: unknown[]) => Value[] {
  const parts = DEFAULT_PARTS(setup);
  const f = parts[part];
  if (f === undefined) throw new TypeError(`checkPart: no reference for part "${part}"`);
  return f;
}

import { linear, mlp, rmsnorm, softmax } from "./nn.ts";

function DEFAULT_PARTS(setup: RunSetup): Record<string, (...args: unknown[]) => Value[]> {
  return {
    linear: (x, w) => linear(x as Value[], w as Value[][]),
    softmax: (l) => softmax(l as Value[]),
    rmsnorm: (x) => rmsnorm(x as Value[]),
    head: (q, k, v) => setup.head(q as Value[], k as Value[][], v as Value[][]),
    mlp: (x, a, b) => mlp(x as Value[], a as Value[][], b as Value[][]),
  };
}

/** For a learner's whole gpt: does the reference forward with one usual mistake give the learner's logits? */
function gptHint(setup: RunSetup, ref: ScalarModel, tokens: number[], e: Rec, a: Rec): string | undefined {
  const pos = e.pos ?? 0;
  for (const part of ["rmsnorm", "head"]) {
    for (const mk of forwardMistakes(part, setup.head)) {
      const wrongPart = (...args: unknown[]) => {
        const w = mk.wrong(args);
        return w === null ? defaultPart(part, setup)(...args) : w.map((x) => new Value(x));
      };
      try {
        // A mistake model gives plain numbers: as leaves, enough to compare the logits at this position.
        const kv = createKVCache(setup.config);
        let logits: Value[] = [];
        for (let p = 0; p <= pos; p++) {
          logits = gpt(tokens[p], p, kv, ref.sd, { parts: { [part]: wrongPart } } as GptOptions);
        }
        if (
          logits.length &&
          datas(logits).every((x, i) => Math.abs(x - a.data[i]) <= 1e-9 * Math.max(1, Math.abs(x)))
        ) {
          return mk.hint;
        }
      } catch { /* this mistake cannot be replayed through the forward pass */ }
    }
  }
  return undefined;
}

function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/**
 * The sampler: `sample()` draws names twice with the same seeded rng, once with the learner's
 * `probs(logits, temperature)`; every probability vector and every name is compared.
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
      const hint = fitHint(forwardMistakes("sample", setupless), mineProbs[i].args, mineProbs[i].out);
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
  return { rows: refNames.map((name, i) => ({ step: i, name })), maxDelta };
}

const setupless: HeadFn = () => [];
