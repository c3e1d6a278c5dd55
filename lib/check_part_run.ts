/**
 * The runs behind `checkPart`, and how they compare. The model: the scalar engine trained a few steps twice
 * from the same weights, once as it is and once with the learner's part swapped in through the forward pass's
 * hooks; every forward value, the loss, every gradient and every updated parameter is compared, and the first
 * number that parts is reported. The sampler: `sample()` draws names twice with the same seeded rng, once with
 * the learner's `probs(logits, temperature)`; every probability vector and every name is compared. Numbers
 * agree where |a − e| ≤ 1e-12 · max(1, |e|). Not part of the public API (`mod.ts`): `checkPart` documents it.
 *
 * @module
 */
import type { GPTConfig } from "./config.ts";
import { type ForwardEvent, gpt } from "./gpt.ts";
import type { AdamStep, StateDict } from "./model.ts";
import type { Random } from "./random.ts";
import { probsFromLogits, sample } from "./sample.ts";
import { ScalarModel } from "./scalar_model.ts";
import type { Tokenizer } from "./tokenizer.ts";
import type { Value } from "./value.ts";

/** Where the learner's run left the reference, and by how much. */
export interface Parting {
  /** "forward value", "loss", "gradient", "updated parameter", "probability", "sampled name" or "probe". */
  quantity: string;
  /** Where: "step 1, layer 0, head 2, position 3", "draw 4", "the edge case softmax([1000, 999, 998])", … */
  at: string;
  /** What parted there: "head_out[1]", "the gradient of wte[3][5]", "the probability of token 7", … */
  what?: string;
  expected?: number | string;
  actual?: number | string;
  /** The learner's whole vector there (a usual mistake fits when its vector is the same). */
  numbers?: readonly number[];
  /** The learner's function threw or returned something of the wrong shape or type. */
  problem?: string;
}

/** The outcome of one run: where it parted, or how close it came, and the report's table. */
export interface RunResult {
  parting?: Parting;
  /** One row per training step (or per sampled name). */
  rows?: Record<string, unknown>[];
  /** Largest |Δ| over everything compared, when nothing parted (0: bit-identical). */
  maxDelta?: number;
}

/** The first index where `a` and `e` disagree to `tol` (-1: none; NaN agrees only with NaN), and the largest |Δ|. */
export function compare(
  a: readonly number[],
  e: readonly number[],
  tol = 1e-12,
): { index: number; max: number } {
  let index = a.length === e.length ? -1 : Math.min(a.length, e.length);
  let max = 0;
  for (let i = 0; i < Math.min(a.length, e.length); i++) {
    const d = Math.abs(a[i] - e[i]);
    const agree = a[i] === e[i] || d <= tol * Math.max(1, Math.abs(e[i])) ||
      (Number.isNaN(a[i]) && Number.isNaN(e[i]));
    if (!agree && (index < 0 || i < index)) index = i;
    max = Math.max(max, Number.isNaN(d) ? Infinity : d);
  }
  return { index, max };
}

/** A learner's function returned the wrong shape (the message says what). */
export class PartFailure extends Error {}

/** What a learner's function threw, for the report: "your rmsnorm threw RangeError: too big". */
export function errorText(part: string, e: unknown): string {
  if (e instanceof PartFailure) return e.message;
  return `your ${part} threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
}

/** The numbers of a learner's output, checked to be `n` Values (else a `PartFailure` saying what it is). */
function checkValues(part: string, out: unknown, n: number, what: string): number[] {
  const type = (x: unknown) => x === null ? "null" : Array.isArray(x) ? "an array" : typeof x;
  if (!Array.isArray(out)) {
    throw new PartFailure(`your ${part} returned ${type(out)}, not an array of Values`);
  }
  if (out.length !== n) throw new PartFailure(`your ${part} returned ${out.length} values; ${what} has ${n}`);
  const bad = out.findIndex((v) => typeof v?.data !== "number");
  if (bad >= 0) throw new PartFailure(`your ${part} returned ${type(out[bad])} at index ${bad}, not a Value`);
  return out.map((v) => v.data);
}

/** Two vectors to compare, the learner's (`actual`) against the reference's, and how to name index i. */
interface Pair {
  quantity: string;
  at: string;
  name: (i: number) => string;
  expected: readonly number[];
  actual: readonly number[];
  /** The column of the report's table that shows the largest |Δ| of this kind. */
  column?: string;
}

/** The first pair that parts, in order; notes the largest |Δ| per column in `row` and overall in `seen`. */
function firstParting(
  pairs: Pair[],
  row: Record<string, unknown>,
  seen: { max: number },
): Parting | undefined {
  for (const { quantity, at, name, expected: e, actual: a, column } of pairs) {
    const { index: i, max } = compare(a, e);
    if (column) row[column] = Math.max(max, Number(row[column] ?? 0));
    if (i >= 0) return { quantity, at, what: name(i), expected: e[i], actual: a[i], numbers: a };
    seen.max = Math.max(seen.max, max);
  }
}

/** What `runModel` needs: the model's setup, one tokenized name per step, and Adam's settings at step t. */
export interface RunSetup {
  config: GPTConfig;
  stateDict: StateDict;
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

/** A head's and an MLP's inner stages: a learner's part does not report them, so neither run records them. */
const INNER: Record<string, string[]> = {
  head: ["attn_scores", "attn_logits", "attn_weights"],
  mlp: ["mlp_hidden", "mlp_relu"],
};

/** Train the reference and the model with the learner's part `batches.length` steps; compare every number. */
export function runModel(part: string, impl: unknown, setup: RunSetup): RunResult {
  const { config, stateDict, batches } = setup;
  const [ref, mine] = [new ScalarModel(config, stateDict), new ScalarModel(config, stateDict)];
  let recs: [Rec[], Rec[]] = [[], []]; // the reference's, the learner's
  const observe = (who: 0 | 1) => ({ values, ...e }: ForwardEvent) => {
    if (!INNER[part]?.includes(e.stage)) recs[who].push({ ...e, data: values.map((v) => v.data) });
  };
  ref.forward = { observe: observe(0) };
  mine.forward = { observe: observe(1) };
  if (part === "gpt") {
    // The learner's gpt replaces the whole forward pass: compare its logits position by position.
    const wrap = (f: typeof gpt, who: 0 | 1): typeof gpt => (token, pos, kv, sd) => {
      const logits = f(token, pos, kv, sd);
      recs[who].push({
        stage: "logits",
        pos,
        data: checkValues("gpt", logits, config.vocab_size, "the vocabulary"),
      });
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
    const f = impl as (...args: unknown[]) => unknown;
    const swapped = (...args: unknown[]) => {
      const out = f(...args); // as many numbers as its input (linear: as w has rows)
      checkValues(part, out, ((part === "linear" ? args[1] : args[0]) as unknown[]).length, "its input");
      return out as Value[];
    };
    mine.forward.parts = { [part]: swapped };
  }
  const [m, v] = [new Array<number>(mine.numParams).fill(0), new Array<number>(mine.numParams).fill(0)];
  const of = (model: ScalarModel, key: "data" | "grad") => model.params.map((p) => p[key]);
  const label = (i: number) => ref.params[i].label; // "wte[3][5]"
  const rows: Record<string, unknown>[] = [];
  const seen = { max: 0 };
  for (let step = 0; step < batches.length; step++) {
    const row: Record<string, unknown> = { step };
    rows.push(row);
    recs = [[], []];
    const failed = (quantity: string, where: string, e: unknown) => ({
      rows,
      parting: { quantity, at: where, problem: errorText(part, e) },
    });
    const refLoss = row["loss (reference)"] = ref.lossAndGrad([batches[step]]);
    let myLoss: number;
    try {
      myLoss = row["loss (yours)"] = mine.lossAndGrad([batches[step]]);
    } catch (e) {
      const last = recs[1].at(-1);
      return failed("forward value", at(step, last) + (last ? ` (after ${last.stage})` : ""), e);
    }
    // 1) forward values in the order the forward pass made them, the loss, the gradients in state-dict order
    const pair = (
      quantity: string,
      name: Pair["name"],
      expected: number[],
      actual: number[],
      column?: string,
    ) => ({ quantity, at: at(step), name, expected, actual, column });
    const pairs: Pair[] = recs[0].map((e, r) => ({
      ...pair("forward value", (i) => `${e.stage}[${i}]`, e.data, recs[1][r]?.data ?? [], "max |Δ| forward"),
      at: at(step, e),
    }));
    pairs.push(pair("loss", () => "the loss", [refLoss], [myLoss]));
    const gradient = (i: number) => `the gradient of ${label(i)}`;
    pairs.push(pair("gradient", gradient, of(ref, "grad"), of(mine, "grad"), "max |Δ| gradient"));
    let parting = firstParting(pairs, row, seen);
    if (parting) return { rows, parting };
    // 2) the update: the engine's Adam, or the learner's (which also zeroes the gradients, as the engine's does)
    const opts = setup.adam(step);
    ref.step(opts);
    if (part === "adam") {
      try {
        (impl as (p: Value[], m: number[], v: number[], o: AdamStep) => void)(mine.params, m, v, { ...opts });
      } catch (e) {
        return failed("updated parameter", at(step), e);
      }
    } else mine.step(opts);
    const updated = (i: number) => `the updated parameter ${label(i)}`;
    const after = [
      pair("updated parameter", updated, of(ref, "data"), of(mine, "data"), "max |Δ| parameters"),
    ];
    const kept = (i: number) => `${gradient(i)} after the update`;
    if (part === "adam") after.push(pair("gradient", kept, of(ref, "grad"), of(mine, "grad")));
    parting = firstParting(after, row, seen);
    if (parting) return { rows, parting };
  }
  return { rows, maxDelta: seen.max };
}

/** Sample `count` names with the reference sampler and with the learner's; compare every number. */
export function runSampler(
  impl: unknown,
  opts: { model: ScalarModel; tokenizer: Tokenizer; rng: () => Random; temperature: number; count: number },
): RunResult {
  const { model, tokenizer, temperature, count } = opts;
  const seen: number[][][] = [[], []]; // every probability vector: the reference's, the learner's
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
        seen[who].push(p);
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
    if (e !== stop) return { parting: { quantity: "probability", at: `draw ${seen[1].length}`, problem } };
  }
  const result = { max: 0 };
  const pairs = seen[1].map((actual, i) => {
    const name = (t: number) => `the probability of token ${t}`;
    return { quantity: "probability", at: `draw ${i}`, name, expected: seen[0][i] ?? [], actual };
  });
  const parting = firstParting(pairs, {}, result);
  if (parting) return { parting };
  const i = refNames.findIndex((n, i) => n !== myNames[i]);
  const [what, expected, actual] = ["the sampled name", refNames[i], myNames[i] ?? "(none)"];
  if (i >= 0) return { parting: { quantity: "sampled name", at: `name ${i}`, what, expected, actual } };
  return { rows: refNames.map((name, i) => ({ "#": i + 1, name })), maxDelta: result.max };
}
