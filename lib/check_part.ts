/**
 * `checkPart(part, implementation)`: a learner's own version of one part of the GPT, run inside the real model
 * beside the reference; the report says where the numbers part and names the usual mistake when they fit it.
 *
 * @module
 */
import { DISPLAY, type MimeBundle } from "./plot/display.ts";
import { escapeHtml, type Table, table } from "./plot/table.ts";
import { fits, mistakes, runProbes } from "./check_part_hints.ts";
import { judge, type Parting, recordModel, recordSampler } from "./check_part_run.ts";

/**
 * The parts `checkPart` can swap in, each with the signature the learner's function must have (the number of
 * parameters it may take is read from it: those marked `?` may be left out).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CHECK_PARTS } from "./check_part.ts";
 * assert.equal(CHECK_PARTS.rmsnorm, "rmsnorm(x: Value[]): Value[]");
 * ```
 */
export const CHECK_PARTS: Readonly<Record<string, string>> = Object.freeze({
  value: "class Value { constructor(data); add, mul, pow, neg, sub, div, exp, log, relu, backward }",
  linear: "linear(x: Value[], w: Value[][]): Value[]",
  softmax: "softmax(logits: Value[]): Value[]",
  rmsnorm: "rmsnorm(x: Value[]): Value[]",
  head:
    "head(q: Value[], keys: Value[][], values: Value[][], ctx?): Value[] (one head; keys/values: the cache so far)",
  mlp: "mlp(x: Value[], fc1: Value[][], fc2: Value[][], ctx?): Value[]",
  gpt: "gpt(token: number, pos: number, kv: KVCache, sd: ValueStateDict): Value[]",
  adam: "adam(params: Value[], m: number[], v: number[], opts: AdamStep): void (sets p.grad = 0)",
  sample: "probs(logits: number[], temperature: number): number[]",
});

/** Options of `checkPart`. */
export interface CheckPartOptions {
  /** Training steps to compare (one name of data/names.txt each, shuffled with seed 42 as in training). Default 3. */
  steps?: number;
}

/** The verdict of `checkPart`: `ok`, the report text, and where the numbers parted (shown as a table). */
export class PartCheck {
  /** No number parted. */
  readonly ok: boolean;
  constructor(
    readonly report: string,
    readonly parting?: Parting,
    readonly hint?: string,
    readonly table?: Table,
  ) {
    this.ok = parting === undefined;
  }

  /** The report, then the table of steps. */
  toString(): string {
    return this.table ? `${this.report}\n\n${this.table}` : this.report;
  }

  /** JupyterLab shows the report and the table. */
  [DISPLAY](): MimeBundle {
    const pre = `<pre style="white-space:pre-wrap">${escapeHtml(this.report)}</pre>`;
    return { "text/plain": this.toString(), "text/html": pre + (this.table?.toHTML() ?? "") };
  }
}

/**
 * Run the model with `implementation` in place of `part` beside the reference and compare every number.
 * Parts: `value` (a learner's Value class), `linear`, `softmax`, `rmsnorm`, `head`, `mlp`, `gpt`, `adam`,
 * `sample`; see `CHECK_PARTS` for each signature. Never throws for a learner's mistake (a throw, NaN, a wrong
 * shape): those make a failing report that names the problem.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkPart } from "./check_part.ts";
 * import { Value } from "./value.ts";
 * const mine = (x: Value[]) => {
 *   const ms = x.map((xi) => xi.mul(xi)).reduce((a, b) => a.add(b)).mul(1 / x.length);
 *   const scale = ms.add(1e-5).pow(-0.5);
 *   return x.map((xi) => xi.mul(scale));
 * };
 * const result = checkPart("rmsnorm", mine, { steps: 1 });
 * assert(result.ok, result.report);
 * ```
 * @throws {RangeError} an unknown part (the message lists the known ones), or bad options.
 * @throws {TypeError} implementation is not a function (a class for `value`) or takes the wrong number of
 *   parameters.
 */
export function checkPart(part: string, implementation: unknown, options: CheckPartOptions = {}): PartCheck {
  if (typeof part !== "string" || !Object.hasOwn(CHECK_PARTS, part)) {
    throw new RangeError(
      `checkPart: unknown part ${JSON.stringify(part)}; known parts: ${Object.keys(CHECK_PARTS).join(", ")}`,
    );
  }
  checkImplementation(part, implementation);
  const { steps = 3 } = options;
  if (!Number.isInteger(steps) || steps < 1 || steps > 50) {
    throw new RangeError(`checkPart: steps must be a whole number in [1, 50], got ${steps}`);
  }
  const name = part === "value" ? "Value class" : part === "sample" ? "sampler" : part;
  /** The record of a run with `impl` (undefined: the engine's own), up to training step `upTo`. */
  const record = (impl: unknown, upTo = steps) =>
    part === "sample" ? recordSampler(impl) : recordModel(part, impl, upTo);
  const reference = record(undefined);
  /** The learner's run, then the edge cases: the first parting, and the first failing edge case after it. */
  const run = (impl: unknown, upTo?: number) => {
    const r = judge(reference, record(impl, upTo));
    const probes = runProbes(part, name, impl);
    return { ...r, probes, parting: r.parting ?? probes.parting, also: r.parting && probes.parting };
  };
  const r = run(implementation);
  // the usual mistake whose wrong version parts where the learner's did, with the same numbers
  const upTo = (r.parting?.step ?? steps - 1) + 1;
  const hint = r.parting &&
    (r.probes.hint ?? mistakes(part).find((m) => fits(r.parting!, run(m.impl, upTo).parting))?.hint);
  const sampled = () => reference.at(-1)!.data.map((name, i) => ({ "#": i + 1, name })); // its last record
  const rows = part !== "sample" ? r.rows : r.parting ? [] : sampled();
  const title = part === "sample"
    ? "names from the untrained model, drawn with your sampler (the same as the reference's)"
    : "where the numbers part (Δ = yours − reference)";
  const shown = rows.length ? table(rows, { title }) : undefined;
  if (r.parting) {
    const { parting, also } = r;
    const text = `your ${name} ${parting.problem ? "fails" : "leaves the reference"} at ${describe(parting)}`;
    const more = (also ? `\n  also at ${describe(also)}` : "") + (hint ? `\n  hint: ${hint}` : "");
    return new PartCheck(`✗ ${text}${more}`, parting, hint, shown);
  }
  const how = r.maxDelta ? `within 1e-12 (largest |Δ| ${r.maxDelta.toExponential(1)})` : "bit-identical";
  const what = part === "sample"
    ? `${count(rows.length, "name")} sampled with the same seeded rng`
    : `${count(steps, "training step")} (forward values, gradients, updated parameters)`;
  const extra = r.probes.count > 0 ? ` and ${count(r.probes.count, "edge case")}` : "";
  const report = `✓ your ${name} matches the reference: ${what}${extra}, ${how}`;
  return new PartCheck(report, undefined, undefined, shown);
}

function checkImplementation(part: string, f: unknown): void {
  const signature = CHECK_PARTS[part];
  if (typeof f !== "function") {
    const [kind, got] = [part === "value" ? "class" : "function", f === null ? "null" : typeof f];
    throw new TypeError(`checkPart: the ${part} to check must be a ${kind}: ${signature}; got ${got}`);
  }
  if (part === "value") {
    const methods = signature.slice(signature.indexOf(";") + 2, -2).split(", "); // add … backward
    const missing = methods.filter((m) => typeof f.prototype?.[m] !== "function");
    if (missing.length > 0) {
      throw new TypeError(`checkPart: your Value class has no ${missing.join(", ")} (needed: ${signature})`);
    }
    return;
  }
  const params = signature.slice(signature.indexOf("(") + 1, signature.indexOf(")")).split(", ");
  const arity = params.filter((p) => !p.endsWith("?")).length;
  if (f.length < arity || f.length > params.length) {
    const takes = `checkPart: your ${part} takes ${count(f.length, "parameter")}`;
    throw new TypeError(`${takes}; the engine's takes ${arity}: ${signature}`);
  }
}

/** A number for the report: whole numbers as they are, others with 6 significant digits. */
const fmt = (x: number | string | undefined) =>
  typeof x === "number" ? (Number.isInteger(x) ? String(x) : x.toPrecision(6)) : String(x);

/** "step 0, position 3: rmsnorm[2] is 0.812070, expected 0.809410 (Δ 2.7e-3)", or where it failed and why. */
function describe(p: Parting): string {
  if (p.problem) return `${p.at}: ${p.problem}`;
  const { expected: e, actual: a } = p;
  const delta = typeof e === "number" && typeof a === "number" && Number.isFinite(a)
    ? ` (Δ ${(a - e).toExponential(1)})`
    : "";
  return `${p.at}: ${p.what} is ${fmt(a)}, expected ${fmt(e)}${delta}`;
}

/** "3 training steps", "1 edge case". */
const count = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;
