/**
 * Small helpers for the fast engine's tests: seeded random arrays and central finite differences.
 *
 * @module
 */
import type { Random } from "../random.ts";

/**
 * `n` numbers drawn from `gauss(0, sigma)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gaussArray } from "./test_util.ts";
 * import { Random } from "../random.ts";
 * assert(gaussArray(new Random(1), 3).length === 3);
 * ```
 */
export function gaussArray(rng: Random, n: number, sigma = 1): Float64Array {
  return Float64Array.from({ length: n }, () => rng.gauss(0, sigma));
}

/**
 * Central difference `(f(a_i + h) − f(a_i − h)) / 2h` of `f` with respect to entry `i` of `a` (restored after).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { centralDiff } from "./test_util.ts";
 * const a = Float64Array.of(3);
 * const d = centralDiff(() => a[0] * a[0], a, 0);
 * assert(Math.abs(d - 6) < 1e-6);
 * ```
 */
export function centralDiff(f: () => number, a: Float64Array, i: number, h = 1e-6): number {
  const x = a[i];
  a[i] = x + h;
  const up = f();
  a[i] = x - h;
  const down = f();
  a[i] = x;
  return (up - down) / (2 * h);
}

/**
 * Throws unless `|got − want| ≤ tol · max(1, |want|)`.
 *
 * @example
 * ```ts
 * import { assertNear } from "./test_util.ts";
 * assertNear(1.0000001, 1, 1e-6, "close enough");
 * ```
 */
export function assertNear(got: number, want: number, tol: number, what: string): void {
  if (!(Math.abs(got - want) <= tol * Math.max(1, Math.abs(want)))) {
    throw new Error(`${what}: got ${got}, want ${want} (tolerance ${tol})`);
  }
}
