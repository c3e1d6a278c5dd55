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

/** Agreement: |a − e| ≤ 1e-12 · max(1, |e|). NaN never agrees. */
export function agrees(a: number, e: number): boolean {
  return a === e || Math.abs(a - e) <= 1e-12 * Math.max(1, Math.abs(e));
}

/** A learner's function failed: threw, or returned the wrong shape. Carries where (from the last record). */
export class PartFailure extends Error {}

/** Compare two vectors; the first disagreeing index or -1, and the largest |Δ|. */
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

export function typeOf(x: unknown): string {
  return x === null ? "null" : Array.isArray(x) ? `an array` : typeof x;
}

export function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
