/**
 * What `checkPart` compares and how: the report's record of where the numbers part, the rule for "agrees"
 * (1e-12, relative to values above 1) and the check on what a learner's function returns.
 *
 * @module
 */

/** Where the learner's run left the reference, and by how much. */
export interface Parting {
  /** The kind of number that parted first: "forward value", "loss", "gradient", "updated parameter",
   * "probability", "sampled name", or "probe" (an edge case run after the model). */
  quantity: string;
  /** Where: "step 1, layer 0, head 2, position 3", "draw 4", "an edge case, softmax([1000, 999, 998])", … */
  at: string;
  /** What parted there: "head_out[1]", "the gradient of wte[3][5]", "the probability of token 7", … */
  what: string;
  expected?: number | string;
  actual?: number | string;
  /** The learner's function threw or returned something of the wrong shape or type. */
  problem?: string;
}

/** The outcome of one run: where it parted (with the usual mistake's hint, if any), or how close it came. */
export interface RunResult {
  parting?: Parting;
  hint?: string;
  /** The report's table: one row per training step (or per sampled name). */
  rows?: Record<string, unknown>[];
  /** Largest |Δ| over everything compared, when nothing parted (0: bit-identical). */
  maxDelta?: number;
}

/**
 * Compare two vectors: the first index where they disagree (-1: none, and none past the end) and the largest
 * |Δ| (NaN counts as ∞). They agree where |a − e| ≤ tol · max(1, |e|), tol 1e-12 for "matches the reference"
 * (1e-9 when asking whether numbers fit a usual mistake); NaN agrees only with NaN (the reference never is one,
 * a mistake's model can be).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compare } from "./check_part_compare.ts";
 * assert.deepEqual(compare([1, 2.5, 3], [1, 2, 3]), { index: 1, max: 0.5 });
 * assert.equal(compare([0.1 + 0.2, 1 + 1e-11, NaN], [0.3, 1, NaN], 1e-9).index, -1);
 * assert.equal(compare([1], [1, 2]).index, 1);
 * ```
 */
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

/** A learner's function failed: threw, or returned the wrong shape (the message says what). */
export class PartFailure extends Error {}

/**
 * Checks a learner's output is an array of `n` things with a numeric `data`; returns their numbers, else
 * throws a `PartFailure` saying what it is instead.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkValues } from "./check_part_compare.ts";
 * import { Value } from "./value.ts";
 * assert.deepEqual(checkValues("rmsnorm", [new Value(1)], 1, "its input"), [1]);
 * assert.throws(() => checkValues("rmsnorm", [1], 1, "its input"), /returned number at index 0, not a Value/);
 * ```
 */
export function checkValues(part: string, out: unknown, n: number, what: string): number[] {
  const type = (x: unknown) => x === null ? "null" : Array.isArray(x) ? "an array" : typeof x; // for the message
  if (!Array.isArray(out)) {
    throw new PartFailure(`your ${part} returned ${type(out)}, not an array of Values`);
  }
  if (out.length !== n) throw new PartFailure(`your ${part} returned ${out.length} values; ${what} has ${n}`);
  const bad = out.findIndex((v) => typeof v?.data !== "number");
  if (bad >= 0) throw new PartFailure(`your ${part} returned ${type(out[bad])} at index ${bad}, not a Value`);
  return datas(out);
}

/**
 * Plain numbers out of an array of Values (or of anything with a numeric `data`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { datas } from "./check_part_compare.ts";
 * assert.deepEqual(datas([{ data: 1 }, { data: 2 }]), [1, 2]);
 * ```
 */
export function datas(xs: readonly { data: number }[]): number[] {
  return xs.map((x) => x.data);
}

/**
 * What a learner's function threw, for the report: a `PartFailure`'s message as it is, anything else as
 * "your rmsnorm threw RangeError: too big".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { errorText } from "./check_part_compare.ts";
 * assert.equal(errorText("rmsnorm", new RangeError("too big")), "your rmsnorm threw RangeError: too big");
 * ```
 */
export function errorText(part: string, e: unknown): string {
  if (e instanceof PartFailure) return e.message;
  return `your ${part} threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
}
