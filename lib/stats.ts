/**
 * Two summaries the notebooks compute on plain numbers: a trailing moving average, to see the trend of a noisy
 * loss curve, and the entropy of a probability distribution, to say how spread out it is.
 *
 * (`liveLoss` in `plot/live.ts` smooths differently: an exponential moving average that it updates one step at
 * a time while training runs. `movingAverage` is for a finished list of losses.)
 *
 * @module
 */
import { check, numbers } from "./plot/validate.ts";

/**
 * Trailing moving average: element `i` of the result is the mean of `xs[i − window + 1 … i]`, the last
 * `window` values up to and including `xs[i]`. The first `window − 1` windows are shorter (there is nothing
 * before `xs[0]`), so the result has the same length as `xs` and starts at `xs[0]`. Each window is summed left
 * to right. A non-finite value (NaN, ±Infinity, say from a diverged run) makes the averages of the windows
 * that contain it non-finite; the windows after it are unaffected.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { movingAverage } from "./stats.ts";
 * // windows: [2], [2, 4], [2, 4, 6], [4, 6, 8]
 * assert.deepEqual(movingAverage([2, 4, 6, 8], 3), [2, 3, 4, 6]);
 * ```
 * @param xs The values, e.g. the training loss of every step.
 * @param window How many values each mean covers: an integer ≥ 1 (1 returns a copy of `xs`).
 * @throws {TypeError} `xs` is not an array of numbers, or `window` is not a number.
 * @throws {RangeError} `window` is not an integer ≥ 1.
 */
export function movingAverage(xs: readonly number[], window: number): number[] {
  if (!Array.isArray(xs)) {
    throw new TypeError(`movingAverage: xs must be an array of numbers, got ${typeof xs}`);
  }
  if (!Number.isInteger(check("movingAverage: window", window, "number")) || window < 1) {
    throw new RangeError(`movingAverage: window must be an integer ≥ 1, got ${window}`);
  }
  xs.forEach((x, i) => {
    if (typeof x !== "number") {
      throw new TypeError(`movingAverage: xs[${i}] must be a number, got ${typeof x}`);
    }
  });
  return xs.map((_, i) => {
    const start = Math.max(0, i - window + 1);
    let sum = 0;
    for (let j = start; j <= i; j++) sum += xs[j];
    return sum / (i - start + 1);
  });
}

/** How far the probabilities given to `entropy` may sum away from 1 (rounding in a softmax is far smaller). */
const SUM_TOLERANCE = 1e-6;

/**
 * Entropy of a probability distribution in **nats** (natural logarithm): H = −Σ pᵢ ln pᵢ. It is 0 when one
 * outcome has probability 1 and ln k when k outcomes share it equally, so e^H reads as "the effective number of
 * choices". A term with pᵢ = 0 counts as 0 (the limit of p ln p as p → 0), so impossible outcomes change
 * nothing. For bits (base-2 logarithm) divide by `Math.LN2`. The losses in this course are in nats too.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { entropy } from "./stats.ts";
 * assert.equal(entropy([1, 0, 0]), 0); // certain: nothing to choose
 * assert.ok(Math.abs(entropy([0.25, 0.25, 0.25, 0.25]) - Math.log(4)) < 1e-15); // 4 equal choices: ln 4
 * assert.ok(Math.abs(entropy([0.5, 0.5]) / Math.LN2 - 1) < 1e-15); // a fair coin: 1 bit
 * ```
 * @param p Probabilities: a non-empty array of finite numbers ≥ 0 that sum to 1 (within 1e-6).
 * @returns H in nats, between 0 and ln(p.length).
 * @throws {TypeError} `p` is not an array of numbers.
 * @throws {RangeError} `p` is empty, has an entry that is negative or not finite, or does not sum to 1.
 */
export function entropy(p: readonly number[]): number {
  let total = 0, h = 0;
  numbers("entropy: p", p).forEach((x, i) => {
    if (x < 0) throw new RangeError(`entropy: p[${i}] must be a finite probability ≥ 0, got ${x}`);
    total += x;
    if (x > 0) h -= x * Math.log(x);
  });
  if (Math.abs(total - 1) > SUM_TOLERANCE) {
    throw new RangeError(`entropy: p must sum to 1 (within ${SUM_TOLERANCE}), got a sum of ${total}`);
  }
  return h;
}

/**
 * How sharp a set of attention rows is: the mean, over the rows, of each row's largest weight. 1 when every
 * row puts all its weight on one key; 1/n when a row spreads evenly over n keys (so a row with a single key
 * always scores 1 — leave such rows out to measure a choice).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { meanLargestWeight } from "./stats.ts";
 * assert.equal(meanLargestWeight([[0.9, 0.1], [0.25, 0.25, 0.5]]), 0.7); // (0.9 + 0.5) / 2
 * assert.equal(meanLargestWeight([[0.25, 0.25, 0.25, 0.25]]), 0.25); // uniform over 4 keys
 * ```
 * @param rows Non-empty rows of weights (finite numbers); at least one row.
 * @throws {TypeError} `rows` or a row is not an array, or a weight is not a number.
 * @throws {RangeError} no rows, an empty row, or a weight that is not finite.
 */
export function meanLargestWeight(rows: readonly (readonly number[])[]): number {
  let sum = 0;
  check<unknown[]>("meanLargestWeight: rows", rows, "array").forEach((row, i) => {
    sum += Math.max(...numbers(`meanLargestWeight: rows[${i}]`, row));
  });
  return sum / rows.length;
}
