/**
 * The runs behind `checkPart`, and how they compare. A run records every vector it makes, in order, with where
 * it was made: the model run (the scalar engine trained a few steps, with the learner's part swapped in through
 * the forward pass's hooks) records every forward value, the loss, every gradient and every updated parameter;
 * the sampler run (`sample()` with the learner's `probs(logits, temperature)`, the same seeded rng) every
 * probability vector and the names. The learner's record is compared with the engine's own, in order; numbers
 * agree where |a − e| ≤ 1e-12 · max(1, |e|). Not part of the public API (`mod.ts`): `checkPart` documents it.
 *
 * @module
 */
import { learningRate } from "./adam.ts";
import { DEFAULT_TRAIN, gptConfig } from "./config.ts";
import { loadDocs } from "./data.ts";
import { type ForwardEvent, gpt } from "./gpt.ts";
import type { AdamStep } from "./model.ts";
import { initStateDict } from "./params.ts";
import { Random } from "./random.ts";
import { probsFromLogits, sample } from "./sample.ts";
import { ScalarModel } from "./scalar_model.ts";
import { Tokenizer } from "./tokenizer.ts";
import type { Value } from "./value.ts";

/** One vector a run made, with where and what it is; or where the learner's function failed, and why. */
export interface Rec {
  /** "forward value", "loss", "gradient", "updated parameter", "probability", "sampled name" or "probe". */
  quantity: string;
  /** Where: "step 1, layer 0, head 2, position 3", "draw 4", "the edge case softmax([1000, 999, 998])", … */
  at: string;
  /** The name of entry i: "head_out[1]", "the gradient of wte[3][5]", "the probability of token 7", … */
  name: (i: number) => string;
  data: readonly (number | string)[];
  /** The training step (the report's table has a row per step). */
  step?: number;
  /** The learner's function threw or returned something of the wrong shape or type. */
  problem?: string;
}

/** Where the learner's run left the reference (as the record there says), and by how much. */
export interface Parting extends Pick<Rec, "quantity" | "at" | "step" | "problem"> {
  /** What parted there, as `Rec.name` names it. */
  what?: string;
  expected?: number | string;
  actual?: number | string;
  /** The learner's whole vector there (a usual mistake fits when its vector is the same). */
  numbers?: Rec["data"];
}

/** The first index where `a` and `e` disagree to `tol` (-1: none; NaN agrees only with NaN) and the largest |Δ|. */
export function compare(
  a: readonly (number | string)[],
  e: readonly (number | string)[],
  tol = 1e-12,
): { index: number; max: number } {
  let index = a.length === e.length ? -1 : Math.min(a.length, e.length);
  let max = 0;
  for (let i = 0; i < Math.min(a.length, e.length); i++) {
    const [x, y] = [a[i], e[i]];
    const d = typeof x === "number" && typeof y === "number" ? Math.abs(x - y) : x === y ? 0 : NaN; // names
    const agree = x === y || d <= tol * Math.max(1, Math.abs(y as number)) ||
      (Number.isNaN(x) && Number.isNaN(y));
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

/** Compare a run's record with the reference's, in order: the first that parts (or the learner's failure),
 * one table row per training step, and the largest |Δ| (when nothing parted; 0: bit-identical). */
export function judge(ref: readonly Rec[], mine: readonly Rec[]): {
  parting?: Parting;
  rows: Record<string, unknown>[];
  maxDelta?: number;
} {
  const rows: Record<string, unknown>[] = [];
  let maxDelta = 0;
  for (const [k, e] of ref.entries()) {
    const a = mine[k];
    if (a?.problem !== undefined || !a) {
      const { quantity, at, step, problem = "your run stopped before this point" } = a ?? e;
      return { rows, parting: { quantity, at, step, problem } };
    }
    const { index: i, max } = compare(a.data, e.data);
    if (e.step !== undefined) {
      const l = ref.findIndex((r) => r.step === e.step && r.quantity === "loss");
      const row = rows[e.step] ??= {
        step: e.step,
        "loss (reference)": ref[l]?.data[0],
        "loss (yours)": mine[l]?.data[0],
      };
      const column = COLUMN[e.quantity];
      if (column) row[column] = Math.max(max, Number(row[column] ?? 0));
    }
    const { quantity, at, step } = e;
    maxDelta = Math.max(maxDelta, max);
    if (i < 0) continue;
    const [what, expected, actual] = [e.name(i), e.data[i], a.data[i]];
    return { rows, parting: { quantity, at, step, what, expected, actual, numbers: a.data } };
  }
  return { rows, maxDelta };
}

/** The table column of each quantity of a training step. */
const COLUMN: Record<string, string> = {
  "forward value": "max |Δ| forward",
  gradient: "max |Δ| gradient",
  "updated parameter": "max |Δ| parameters",
};

/** Where, for the report: "step 1, layer 0, head 2, position 3". */
function at(step: number, { layer, head, pos }: Partial<ForwardEvent> = {}): string {
  const bits = Object.entries({ layer, head, position: pos }).filter(([, n]) => n !== undefined);
  return [`step ${step}`, ...bits.map(([what, n]) => `${what} ${n}`)].join(", ");
}

/** A head's and an MLP's inner stages: a learner's part does not report them, so no run records them. */
const INNER: Record<string, string[]> = {
  head: ["attn_scores", "attn_logits", "attn_weights"],
  mlp: ["mlp_hidden", "mlp_relu"],
};

let allNames: string[] | undefined; // data/names.txt, read once

/** Where every run starts, as training does: the names shuffled (seed 42), then every weight drawn; `rng` is
 * then where sampling starts. */
function start() {
  const docs = [...(allNames ??= loadDocs())];
  const rng = new Random(42);
  rng.shuffle(docs);
  const tokenizer = Tokenizer.fromDocs(docs);
  const config = gptConfig({ vocab_size: tokenizer.vocab_size });
  return { docs, rng, tokenizer, config, stateDict: initStateDict(config, rng) };
}

/**
 * Train the scalar engine `steps` steps (one name each) with `impl` in place of `part` (undefined: the engine's
 * own) and record every number, until the learner's function fails.
 */
export function recordModel(part: string, impl: unknown, steps: number): Rec[] {
  const { docs, tokenizer, config, stateDict } = start();
  const model = new ScalarModel(config, stateDict);
  const recs: Rec[] = [];
  let [step, phase, last] = [0, "forward value", ""]; // last: the stage recorded last in this step
  const push = (quantity: string, name: Rec["name"], data: readonly number[], where = at(step)) =>
    recs.push({ quantity, at: where, step, name, data });
  model.forward = {
    observe: ({ stage, values, ...where }) => {
      if (INNER[part]?.includes(stage)) return;
      push("forward value", (i) => `${stage}[${i}]`, values.map((v) => v.data), at(step, where));
      last = stage;
    },
  };
  if (part === "gpt") { // a gpt replaces the whole forward pass: record its logits, position by position
    const f = (impl ?? gpt) as typeof gpt;
    model.forward = {
      gpt: (token, pos, kv, sd) => {
        const logits = f(token, pos, kv, sd);
        const data = checkValues("gpt", logits, config.vocab_size, "the vocabulary");
        push("forward value", (i) => `logits[${i}]`, data, at(step, { pos }));
        return (last = "logits", logits);
      },
    };
  } else if (impl && part === "value") {
    const V = impl as new (x: number) => Value;
    model.sd = {};
    for (const [name, w] of Object.entries(stateDict)) model.sd[name] = w.map((r) => r.map((x) => new V(x)));
    model.params = Object.values(model.sd).flat(2);
  } else if (impl && part !== "adam") {
    const f = impl as (...args: unknown[]) => unknown;
    const swapped = (...args: unknown[]) => {
      const out = f(...args); // as many numbers as its input (linear: as w has rows)
      checkValues(part, out, ((part === "linear" ? args[1] : args[0]) as unknown[]).length, "its input");
      return out as Value[];
    };
    model.forward.parts = { [part]: swapped };
  }
  const [m, v] = [new Array<number>(model.numParams).fill(0), new Array<number>(model.numParams).fill(0)];
  const of = (key: "data" | "grad") => model.params.map((p) => p[key]);
  const label = (i: number) => model.params[i].label; // "wte[3][5]" (read from the engine's own Values)
  const adam = impl as (params: Value[], m: number[], v: number[], opts: AdamStep) => void;
  const { learning_rate, beta1, beta2, eps_adam, num_steps } = DEFAULT_TRAIN;
  try {
    for (; step < steps; step++) {
      [phase, last] = ["forward value", ""];
      const loss = model.lossAndGrad([tokenizer.encode(docs[step % docs.length])]);
      push("loss", () => "the loss", [loss]);
      push("gradient", (i) => `the gradient of ${label(i)}`, of("grad"));
      phase = "updated parameter";
      const opts = { lr: learningRate(learning_rate, step, num_steps), t: step, beta1, beta2, eps: eps_adam };
      if (impl && part === "adam") adam(model.params, m, v, { ...opts });
      else model.step(opts);
      push("updated parameter", (i) => `the updated parameter ${label(i)}`, of("data"));
      // a learner's Adam zeroes the gradients too, as the engine's step does
      if (part === "adam") {
        push("gradient", (i) => `the gradient of ${label(i)} after the update`, of("grad"));
      }
    }
  } catch (e) {
    const where = phase === "forward value" && last ? `${recs.at(-1)!.at} (after ${last})` : at(step);
    recs.push({ quantity: phase, at: where, step, name: () => part, data: [], problem: errorText(part, e) });
  }
  return recs;
}

/** Sample 5 names at T = 0.5 with `impl` as `sample()`'s probs (undefined: the engine's); record all numbers. */
export function recordSampler(impl: unknown): Rec[] {
  const { tokenizer, rng, config, stateDict } = start();
  const recs: Rec[] = [];
  const f = (impl ?? probsFromLogits) as (logits: number[], T: number) => unknown;
  const name = (t: number) => `the probability of token ${t}`;
  const stop = new PartFailure("probabilities sample() cannot draw from: compared instead");
  try {
    const names = sample(new ScalarModel(config, stateDict), {
      tokenizer,
      rng,
      temperature: 0.5,
      count: 5,
      probs: (l, T) => {
        const p = f([...l], T);
        if (!Array.isArray(p) || p.length !== l.length || p.some((x) => typeof x !== "number")) {
          throw new PartFailure(
            `your sampler returned ${Array.isArray(p) ? `an array of length ${p.length}` : typeof p}; ` +
              `it must return ${l.length} numbers (one probability per token)`,
          );
        }
        recs.push({ quantity: "probability", at: `draw ${recs.length}`, name, data: p });
        if (p.some((x) => !Number.isFinite(x) || x < 0)) throw stop;
        return p;
      },
    });
    recs.push({ quantity: "sampled name", at: "the sampled names", name: (i) => `name ${i}`, data: names });
  } catch (e) {
    const problem = errorText("sampler", e);
    if (e !== stop) {
      recs.push({ quantity: "probability", at: `draw ${recs.length}`, name, data: [], problem });
    }
  }
  return recs;
}
