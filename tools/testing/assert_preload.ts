/**
 * Preloaded by the unit + doc test stage (`deno test --preload tools/testing/assert_preload.ts`, see tools/test.ts and
 * deno.json's "unit" task): makes `console.assert` throw instead of only printing, so a doc example whose
 * `console.assert(...)` is false fails its test. New examples should prefer `node:assert`.
 *
 * @module
 */

/**
 * A `console.assert` that throws an `Error` ("console.assert failed: …") when the condition is falsy.
 *
 * @example
 * ```ts
 * import { throwingAssert } from "./assert_preload.ts";
 * import { throws } from "node:assert";
 * throwingAssert(true);
 * throws(() => throwingAssert(false, "x is", 2), /console.assert failed: x is 2/);
 * ```
 */
export function throwingAssert(condition?: boolean, ...data: unknown[]): void {
  if (condition) return;
  const what = data.map((d) => (typeof d === "string" ? d : Deno.inspect(d))).join(" ");
  throw new Error(what ? `console.assert failed: ${what}` : "console.assert failed");
}

console.assert = throwingAssert;
