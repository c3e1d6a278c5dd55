/**
 * Input checks shared by the figure builders. Errors name the argument, the bad value and what is allowed.
 *
 * @module
 */

/**
 * TypeError unless a builder's options are an object.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkOpts } from "./validate.ts";
 * assert.throws(() => checkOpts("bar", null), /bar\(opts\): opts must be an object/);
 * ```
 */
export function checkOpts(fn: string, opts: unknown): void {
  if (typeof opts !== "object" || opts === null) throw new TypeError(`${fn}(opts): opts must be an object`);
}

/**
 * Check that `value` is a non-empty array of finite numbers. `name` is used in the error message.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { finiteArray } from "./validate.ts";
 * assert.equal(finiteArray("y", [1, 2]).length, 2);
 * assert.throws(() => finiteArray("y", [1, NaN]), { name: "RangeError", message: "y[1] must be a finite number, got NaN" });
 * ```
 */
export function finiteArray(name: string, value: unknown): number[] {
  if (!Array.isArray(value) && !ArrayBuffer.isView(value)) {
    throw new TypeError(`${name} must be an array of numbers, got ${describe(value)}`);
  }
  const arr = Array.from(value as ArrayLike<unknown>);
  if (arr.length === 0) throw new RangeError(`${name} must not be empty`);
  arr.forEach((v, i) => finiteNumber(`${name}[${i}]`, v));
  return arr as number[];
}

/**
 * Check that `value` is a finite number.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { finiteNumber } from "./validate.ts";
 * assert.equal(finiteNumber("zmin", 0), 0);
 * ```
 */
export function finiteNumber(name: string, value: unknown): number {
  if (typeof value !== "number") throw new TypeError(`${name} must be a number, got ${describe(value)}`);
  if (!Number.isFinite(value)) throw new RangeError(`${name} must be a finite number, got ${value}`);
  return value;
}

/**
 * An optional finite number: `undefined` stays `undefined`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { optionalNumber } from "./validate.ts";
 * assert.equal(optionalNumber("zmax", undefined) ?? 1, 1);
 * ```
 */
export function optionalNumber(name: string, value: unknown): number | undefined {
  return value === undefined ? undefined : finiteNumber(name, value);
}

/**
 * Check that `value` is a non-empty array (of anything); returns it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nonEmptyArray } from "./validate.ts";
 * assert.equal(nonEmptyArray<number>("series", [1]).length, 1);
 * ```
 */
export function nonEmptyArray<T>(name: string, value: unknown): T[] {
  if (!Array.isArray(value)) throw new TypeError(`${name} must be an array, got ${describe(value)}`);
  if (value.length === 0) throw new RangeError(`${name} must not be empty`);
  return value as T[];
}

/**
 * Check that `value` is a non-empty array of Plotly trace objects.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { traces } from "./validate.ts";
 * assert.throws(() => traces("figure: data", [[1]]), /figure: data\[0\] must be a Plotly trace object/);
 * ```
 */
export function traces(name: string, value: unknown): Record<string, unknown>[] {
  return nonEmptyArray<Record<string, unknown>>(name, value).map((t, i) => {
    if (typeof t !== "object" || t === null || Array.isArray(t)) {
      throw new TypeError(`${name}[${i}] must be a Plotly trace object`);
    }
    return t;
  });
}

/**
 * Check that an array of labels (strings or numbers) has the expected length.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { labels } from "./validate.ts";
 * assert.equal(labels("x", ["a", "b"], 2, "z[0]").length, 2);
 * ```
 */
export function labels(name: string, value: unknown, length: number, lengthOf: string): (string | number)[] {
  if (!Array.isArray(value)) {
    throw new TypeError(`${name} must be an array of labels, got ${describe(value)}`);
  }
  value.forEach((v, i) => {
    if (typeof v !== "string" && typeof v !== "number") {
      throw new TypeError(`${name}[${i}] must be a string or a number, got ${describe(v)}`);
    }
  });
  sameLength(name, value.length, lengthOf, length);
  return value;
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
 * Check an optional string option.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { optionalString } from "./validate.ts";
 * assert.ok(optionalString("title", undefined) === undefined && optionalString("title", "t") === "t");
 * ```
 */
export function optionalString(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new TypeError(`${name} must be a string, got ${describe(value)}`);
  return value;
}

/**
 * A short description of a value for error messages.
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
