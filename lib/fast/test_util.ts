/**
 * Small helpers for the fast engine's tests: seeded random arrays and central finite differences.
 *
 * @module
 */
import type { Random } from "../random.ts";

/**
 * `n` numbers drawn from `gauss(0, sigma)`.
 */
export function gaussArray(rng: Random, n: number, sigma = 1): Float64Array {
  return Float64Array.from({ length: n }, () => rng.gauss(0, sigma));
}

/**
 * Central difference `(f(a_i + h) − f(a_i − h)) / 2h` of `f` with respect to entry `i` of `a` (restored after).
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
 */
export function assertNear(got: number, want: number, tol: number, what: string): void {
  if (!(Math.abs(got - want) <= tol * Math.max(1, Math.abs(want)))) {
    throw new Error(`${what}: got ${got}, want ${want} (tolerance ${tol})`);
  }
}
