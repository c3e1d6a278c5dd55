/**
 * What `checkPart` compares and how: the report's records (where the numbers part, one row per step) and the
 * rule for "agrees" (1e-12, relative to values above 1), with the checks on what a learner's function returns.
 *
 * @module
 */
import type { Value } from "./value.ts";

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
  /** The report's table: one row per training step (or per sampled name). */
  rows: Record<string, unknown>[];
  /** Largest |Δ| over everything compared (0: bit-identical). */
  maxDelta: number;
}

/**
 * Agreement: |a − e| ≤ 1e-12 · max(1, |e|). NaN never agrees.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { agrees } from "./check_part_compare.ts";
 * assert(agrees(0.1 + 0.2, 0.3) && !agrees(1.001, 1) && !agrees(NaN, NaN));
 * ```
 */
export function agrees(a: number, e: number): boolean {
  return a === e || Math.abs(a - e) <= 1e-12 * Math.max(1, Math.abs(e));
}

/** A learner's function failed: threw, or returned the wrong shape. Carries where (from the last record). */
export class PartFailure extends Error {}

/**
 * Compare two vectors: the first index where they disagree (-1: none) and the largest |Δ| (NaN counts as ∞).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compare } from "./check_part_compare.ts";
 * assert.deepEqual(compare([1, 2.5, 3], [1, 2, 3]), { index: 1, max: 0.5 });
 * ```
 */
export function compare(a: readonly number[], e: readonly number[]): { index: number; max: number } {
  let index = -1;
  let max = 0;
  for (let i = 0; i < e.length; i++) {
    const d = Math.abs(a[i] - e[i]);
    if (!agrees(a[i], e[i]) && index < 0) index = i;
    if (d > max || Number.isNaN(d)) max = Number.isNaN(d) ? Infinity : d;
  }
  return { index, max };
}

/**
 * Checks a learner's output: an array of `n` things with a numeric `data`; else a `PartFailure` saying what.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkValues } from "./check_part_compare.ts";
 * import { Value } from "./value.ts";
 * assert.equal(checkValues("rmsnorm", [new Value(1)], 1, "its input").length, 1);
 * assert.throws(() => checkValues("rmsnorm", [1], 1, "its input"), /returned number at index 0, not a Value/);
 * ```
 */
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

/**
 * What a learner's value is, for a message: "null", "an array", "number", …
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { typeOf } from "./check_part_compare.ts";
 * assert.equal(typeOf([1]), "an array");
 * ```
 */
export function typeOf(x: unknown): string {
  return x === null ? "null" : Array.isArray(x) ? `an array` : typeof x;
}

/**
 * "RangeError: …" for an error, the value as text for anything else thrown.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { errorText } from "./check_part_compare.ts";
 * assert.equal(errorText(new RangeError("too big")), "RangeError: too big");
 * ```
 */
export function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/**
 * A number for the report: whole numbers as they are, others with 6 significant digits.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fmt } from "./check_part_compare.ts";
 * assert.equal(fmt(0.123456789), "0.123457");
 * ```
 */
export const fmt = (x: number | string | undefined) =>
  typeof x === "number" ? (Number.isInteger(x) ? String(x) : x.toPrecision(6)) : String(x);

/**
 * Where a parting happened, for the report: "step 1, layer 0, head 2, position 3".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { what, where } from "./check_part_compare.ts";
 * const p = { quantity: "forward value" as const, step: 1, name: "head_out", layer: 0, head: 2, pos: 3, index: 1 };
 * assert.equal(`${where(p)}: ${what(p)}`, "step 1, layer 0, head 2, position 3: head_out[1]");
 * ```
 */
export function where(p: Parting): string {
  const bits = [
    p.quantity === "probability"
      ? `draw ${p.step}`
      : p.quantity === "sampled name"
      ? `name ${p.step}`
      : `step ${p.step}`,
  ];
  if (p.layer !== undefined) bits.push(p.layer < 0 ? "the embedding" : `layer ${p.layer}`);
  if (p.head !== undefined) bits.push(`head ${p.head}`);
  if (p.pos !== undefined) bits.push(`position ${p.pos}`);
  return bits.join(", ");
}

/** What parted, for the report: "head_out[1]", "the gradient of wte[3][5]", … (example at `where`). */
export function what(p: Parting): string {
  switch (p.quantity) {
    case "forward value":
      return `${p.name}[${p.index}]`;
    case "gradient":
      return `the gradient of ${p.name}`;
    case "updated parameter":
      return `the updated parameter ${p.name}`;
    case "probability":
      return `the probability of token ${p.index}`;
    case "sampled name":
      return "the sampled name";
    default:
      return `the ${p.name}`;
  }
}
