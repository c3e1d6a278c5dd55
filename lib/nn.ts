/**
 * The three building blocks of the GPT, on `Value`s, with the float operations of microgpt.py in the same
 * order (sums left to right, division as multiplication by `b ** -1`).
 *
 * @module
 */
import type { Value } from "./value.ts";

/**
 * Matrix–vector product `W x`: `out[o] = w[o][0]·x[0] + w[o][1]·x[1] + …`, summed left to right.
 *
 * @param x the input vector, length n_in
 * @param w the weights, n_out rows of length n_in
 * @returns n_out values
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { linear } from "./nn.ts";
 * import { Value } from "./value.ts";
 * const x = [new Value(1), new Value(2)];
 * const w = [[new Value(3), new Value(4)]];
 * assert(linear(x, w)[0].data === 11);
 * ```
 * @throws {RangeError} a row of w does not have the length of x.
 */
export function linear(x: readonly Value[], w: readonly (readonly Value[])[]): Value[] {
  const n = x.length;
  const out = new Array<Value>(w.length); // [n_out]
  for (let o = 0; o < w.length; o++) {
    const row = w[o];
    if (row.length !== n) {
      throw new RangeError(`linear: row ${o} of w has length ${row.length}, but x has length ${n}`);
    }
    let s = row[0].mul(x[0]);
    for (let i = 1; i < n; i++) s = s.add(row[i].mul(x[i]));
    out[o] = s;
  }
  return out;
}

/**
 * Softmax: `exp(l_i − max) / Σ exp(l_j − max)`. The max is a plain number (no gradient flows through it);
 * each output is `e_i · total^−1` with its own power node, as `e / total` is in microgpt.py.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { softmax } from "./nn.ts";
 * import { Value } from "./value.ts";
 * const p = softmax([new Value(1), new Value(1)]);
 * assert(p[0].data === 0.5 && p[1].data === 0.5);
 * ```
 * @throws {RangeError} logits is empty.
 */
export function softmax(logits: readonly Value[]): Value[] {
  if (logits.length === 0) throw new RangeError("softmax: logits must not be empty");
  let max = logits[0].data;
  for (let i = 1; i < logits.length; i++) if (logits[i].data > max) max = logits[i].data;
  const exps = logits.map((l) => l.sub(max).exp());
  let total = exps[0];
  for (let i = 1; i < exps.length; i++) total = total.add(exps[i]);
  return exps.map((e) => e.div(total));
}

/**
 * RMS normalisation without weights: `x_i · (mean(x²) + 1e-5)^−0.5`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rmsnorm } from "./nn.ts";
 * import { Value } from "./value.ts";
 * const y = rmsnorm([new Value(3), new Value(-3)]);
 * assert(Math.abs(y[0].data - 1) < 1e-5 && Math.abs(y[1].data + 1) < 1e-5);
 * ```
 * @throws {RangeError} x is empty.
 */
export function rmsnorm(x: readonly Value[]): Value[] {
  if (x.length === 0) throw new RangeError("rmsnorm: x must not be empty");
  let ss = x[0].mul(x[0]);
  for (let i = 1; i < x.length; i++) ss = ss.add(x[i].mul(x[i]));
  const ms = ss.mul(Math.pow(x.length, -1)); // sum / len, as sum * len ** -1
  const scale = ms.add(1e-5).pow(-0.5);
  return x.map((xi) => xi.mul(scale));
}
