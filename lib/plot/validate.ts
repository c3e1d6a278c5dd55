/**
 * Input checks shared by the figure builders (each checks its options once, at its entry) and `stats.ts`.
 * Errors name the argument, the bad value and what is allowed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { check, numbers, sameLength } from "./validate.ts";
 * assert.equal(check("zmin", 0, "number"), 0);
 * assert.equal(check("title", undefined, "string", true), undefined);
 * assert.throws(() => numbers("y", [1, NaN]), { name: "RangeError", message: "y[1] must be a finite number, got NaN" });
 * assert.throws(() => sameLength("x", 1, "z[0]", 2), /x has length 1 but z\[0\] has length 2/);
 * ```
 *
 * @module
 */

/** What `check` accepts: a string, a finite number, an object (not null, not an array), a non-empty array. */
export type Kind = "string" | "number" | "object" | "array";

/** `value` if it is of `kind` (or `undefined` when `optional`), else a TypeError/RangeError naming `name`. */
export function check<T>(name: string, value: unknown, kind: Kind, optional?: false): T;
export function check<T>(name: string, value: unknown, kind: Kind, optional: boolean): T | undefined;
export function check<T>(name: string, value: unknown, kind: Kind, optional = false): T | undefined {
  if (value === undefined && optional) return undefined;
  const ok = kind === "array"
    ? Array.isArray(value)
    : kind === "object"
    ? typeof value === "object" && value !== null && !Array.isArray(value)
    : kind === "string"
    ? typeof value === "string"
    : typeof value === "number";
  const a = kind === "object" || kind === "array" ? "an" : "a";
  if (!ok) throw new TypeError(`${name} must be ${a} ${kind}, got ${describe(value)}`);
  if (kind === "number" && !Number.isFinite(value)) {
    throw new RangeError(`${name} must be a finite number, got ${value}`);
  }
  if (kind === "array" && (value as unknown[]).length === 0) {
    throw new RangeError(`${name} must not be empty`);
  }
  return value as T;
}

/** A non-empty array (or typed array) of finite numbers, as a plain array. */
export function numbers(name: string, value: unknown): number[] {
  if (!Array.isArray(value) && !ArrayBuffer.isView(value)) {
    throw new TypeError(`${name} must be an array of numbers, got ${describe(value)}`);
  }
  const arr = check<unknown[]>(name, Array.from(value as ArrayLike<unknown>), "array");
  arr.forEach((v, i) => check(`${name}[${i}]`, v, "number"));
  return arr as number[];
}

/**
 * A non-empty array of labels (strings or numbers).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { labels } from "./validate.ts";
 * assert.deepEqual(labels("x", ["a", 2]), ["a", 2]);
 * assert.throws(() => labels("x", [null]), /x\[0\] must be a string or a number/);
 * ```
 */
export function labels(name: string, value: unknown): (string | number)[] {
  return check<unknown[]>(name, value, "array").map((v, i) => {
    if (typeof v === "string" || typeof v === "number") return v;
    throw new TypeError(`${name}[${i}] must be a string or a number, got ${describe(v)}`);
  });
}

/**
 * RangeError unless two lengths agree.
 *
 * @example
 * ```ts
 * import { sameLength } from "./validate.ts";
 * sameLength("x", 3, "y", 3); // fine; different lengths throw a RangeError naming both
 * ```
 */
export function sameLength(nameA: string, a: number, nameB: string, b: number): void {
  if (a !== b) throw new RangeError(`${nameA} has length ${a} but ${nameB} has length ${b}; they must match`);
}

/**
 * A short description of a value for error messages: `null`, `an array of length 2`, `"text"`, `number 3`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describe } from "./validate.ts";
 * assert.ok(describe([1, 2]) === "an array of length 2" && describe(null) === "null");
 * ```
 */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? value.slice(0, 40) + "…" : value);
  if (typeof value === "object") return `an object (${value.constructor?.name ?? "Object"})`;
  return `${typeof value} ${String(value)}`;
}

/**
 * A compact number for summaries: 4 significant digits, no trailing zeros.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fmt } from "./validate.ts";
 * assert.ok(fmt(3.29583686) === "3.296" && fmt(432) === "432" && fmt(0.00001234) === "1.23e-5");
 * ```
 */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return x.toExponential(2);
  return String(Number(x.toPrecision(4)));
}
