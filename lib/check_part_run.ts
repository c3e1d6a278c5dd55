/**
 * The run behind `checkPart`: the scalar engine trained a few steps twice from the same weights, once as it
 * is and once with the learner's part swapped in through the forward pass's hooks, compared after every
 * forward value, gradient and Adam update. It stops at the first number that parts and says where.
 *
 * @module
 */
import type { GPTConfig } from "./config.ts";
import { gpt, GPT_PARTS, type KVCache, type LossOptions, type ValueStateDict } from "./gpt.ts";
import type { AdamStep, StateDict } from "./model.ts";
import { ScalarModel } from "./scalar_model.ts";
import { Value } from "./value.ts";
import {
  agrees,
  checkValues,
  compare,
  errorText,
  PartFailure,
  type Parting,
  type RunResult,
  type StepRow,
} from "./check_part_compare.ts";
import { adamHint, datas, fitHint, forwardMistakes, gptHint, NOT_ZEROED } from "./check_part_hints.ts";

/** What the run needs: the model's setup, the training names and Adam's settings. */
export interface RunSetup {
  config: GPTConfig;
  stateDict: StateDict;
  /** One tokenized name per step. */
  batches: number[][];
  adam: (t: number) => AdamStep;
}

interface Rec {
  name: string;
  layer?: number;
  pos?: number;
  head?: number;
  data: number[];
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
  let refRecs: Rec[] = [];
  let mineRecs: Rec[] = [];
  const record = (into: () => Rec[]): LossOptions["observe"] => (ev) =>
    into().push({ name: ev.stage, layer: ev.layer, pos: ev.pos, head: ev.head, data: datas(ev.values) });
  ref.forward = { observe: record(() => refRecs) };
  mine.forward = { observe: record(() => mineRecs) };
  let localHint: string | undefined;
  const mistakes = forwardMistakes(part);
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
    const refPart = defaultPart(part);
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
        const hint = localHint ||
          (part === "gpt" ? gptHint(setup.config, ref.sd, batches[step], e.pos ?? 0, a.data) : undefined);
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
    const fail = (parting: Parting, hint = localHint || undefined) => ({
      parting,
      rows,
      maxDelta: Infinity,
      hint,
    });
    if (g.index >= 0) return fail(paramParting("gradient", step, ref, mine, g.index));
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
    if (p.index >= 0) return fail(paramParting("updated parameter", step, ref, mine, p.index));
    maxDelta = Math.max(maxDelta, p.max);
  }
  return { rows, maxDelta };
}

/** The i-th parameter's gradient or value parted: named like `wte[3][5]`, expected against actual. */
function paramParting(
  quantity: "gradient" | "updated parameter",
  step: number,
  ref: ScalarModel,
  mine: ScalarModel,
  i: number,
): Parting {
  const get = (m: ScalarModel) => quantity === "gradient" ? m.params[i].grad : m.params[i].data;
  return { quantity, step, name: paramName(ref, i), index: i, expected: get(ref), actual: get(mine) };
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
function defaultPart(part: string): (...args: unknown[]) => Value[] {
  return GPT_PARTS[part as keyof typeof GPT_PARTS] as (...args: unknown[]) => Value[];
}
