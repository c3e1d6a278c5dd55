/**
 * The three building blocks of the GPT, on `Value`s, with the float operations of microgpt.py in the same
 * order (sums left to right, division as multiplication by `b ** -1`).
 *
 * @module
 */
import type { Value } from "./value.ts";

/** A vector of values, `[n]`. */
export type Vec = readonly Value[];
/** A matrix of values, `[rows][cols]` (a weight matrix, or the cached keys or values of a head, `[T][head_dim]`). */
export type Mat = readonly Vec[];

/**
 * Matrix–vector product `W x`: `out[o] = w[o][0]·x[0] + w[o][1]·x[1] + …`, summed left to right.
 *
 * @param x the input vector, length n_in
 * @param w the weights, n_out rows of length n_in
 * @returns n_out values
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { linear, Value } from "./engine_api.ts";
 * const x = [new Value(1), new Value(2)];
 * const w = [[new Value(3), new Value(4)]];
 * assert(linear(x, w)[0].data === 11);
 * ```
 * @throws {RangeError} a row of w does not have the length of x.
 */
export function linear(x: Vec, w: Mat): Value[] {
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
 * import { softmax, Value } from "./engine_api.ts";
 * const p = softmax([new Value(1), new Value(1)]);
 * assert(p[0].data === 0.5 && p[1].data === 0.5);
 * ```
 * @throws {RangeError} logits is empty.
 */
export function softmax(logits: Vec): Value[] {
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
 * import { rmsnorm, Value } from "./engine_api.ts";
 * const y = rmsnorm([new Value(3), new Value(-3)]);
 * assert(Math.abs(y[0].data - 1) < 1e-5 && Math.abs(y[1].data + 1) < 1e-5);
 * ```
 * @throws {RangeError} x is empty.
 */
export function rmsnorm(x: Vec): Value[] {
  if (x.length === 0) throw new RangeError("rmsnorm: x must not be empty");
  let ss = x[0].mul(x[0]);
  for (let i = 1; i < x.length; i++) ss = ss.add(x[i].mul(x[i]));
  const ms = ss.mul(Math.pow(x.length, -1)); // sum / len, as sum * len ** -1
  const scale = ms.add(1e-5).pow(-0.5);
  return x.map((xi) => xi.mul(scale));
}

/** What `gpt()` hands an attention head besides its inputs: where it is, and the parts it may use. */
export interface HeadContext {
  /** Layer index. */
  layer: number;
  /** Head index within the layer. */
  head: number;
  /** Position of the query (the cache holds positions 0…pos). */
  pos: number;
  /** The softmax in use (the engine's, or a part swapped in). */
  softmax: (logits: Vec) => Value[];
  /** Reports the head's inner stages (`attn_scores`, `attn_logits`, `attn_weights`) to the forward observer. */
  observe?: (stage: "attn_scores" | "attn_logits" | "attn_weights", values: Vec) => void;
  /** Divide the scores by √head_dim (default true; `inspectAttention`'s `scale: false` turns it off). */
  scaled?: boolean;
}

/**
 * One causal attention head at one position: scores `q·k_t / √head_dim` over the cached positions t = 0…pos
 * (the cache only holds the past, so it is the causal mask), softmax, and the weighted sum of the values.
 *
 * @param q this position's query, [head_dim]
 * @param keys the cached keys of this head, [T][head_dim]
 * @param values the cached values of this head, [T][head_dim]
 * @returns the head's output, [head_dim]
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { attentionHead, Value } from "./engine_api.ts";
 * const v = (xs: number[]) => xs.map((x) => new Value(x));
 * // one cached position: all the weight goes to it, the output is its value
 * const out = attentionHead(v([1, 0]), [v([2, 3])], [v([5, 7])]);
 * assert.deepEqual(out.map((o) => o.data), [5, 7]);
 * ```
 */
export function attentionHead(q: Vec, keys: Mat, values: Mat, ctx: Partial<HeadContext> = {}): Value[] {
  const { softmax: softmaxFn = softmax, observe, scaled = true } = ctx;
  const head_dim = q.length;
  const scale = Math.pow(Math.pow(head_dim, 0.5), -1); // `/ head_dim**0.5` as `* (head_dim**0.5)**-1`
  const scores = keys.map((k) => { // [T]: q·k_t
    let dot = q[0].mul(k[0]);
    for (let j = 1; j < head_dim; j++) dot = dot.add(q[j].mul(k[j]));
    return dot;
  });
  const logits = scaled ? scores.map((s) => s.mul(scale)) : scores; // [T]
  const weights = softmaxFn(logits); // [T], sum to 1
  if (observe) {
    observe("attn_scores", scores);
    observe("attn_logits", logits);
    observe("attn_weights", weights);
  }
  const out = new Array<Value>(head_dim); // [head_dim]: Σ_t weights[t]·values[t]
  for (let j = 0; j < head_dim; j++) {
    let o = weights[0].mul(values[0][j]);
    for (let t = 1; t < values.length; t++) o = o.add(weights[t].mul(values[t][j]));
    out[j] = o;
  }
  return out;
}

/** What `gpt()` hands the MLP besides its inputs. */
export interface MlpContext {
  /** The linear layer in use (the engine's, or a part swapped in). */
  linear: (x: Vec, w: Mat) => Value[];
  /** Reports the hidden layer before (`mlp_hidden`) and after (`mlp_relu`) the ReLU to the forward observer. */
  observe?: (stage: "mlp_hidden" | "mlp_relu", values: Vec) => void;
}

/**
 * The MLP of one position: widen with `fc1` (n_embd → 4·n_embd), ReLU, narrow with `fc2` (back to n_embd).
 *
 * @param x the normalised input, [n_embd]
 * @param fc1 weights [4·n_embd][n_embd]
 * @param fc2 weights [n_embd][4·n_embd]
 * @returns [n_embd]
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mlp, Value } from "./engine_api.ts";
 * const v = (xs: number[]) => xs.map((x) => new Value(x));
 * // hidden = [2, −2] → relu → [2, 0] → out = 3·2 + 5·0
 * const out = mlp(v([2]), [v([1]), v([-1])], [v([3, 5])]);
 * assert(out[0].data === 6);
 * ```
 */
export function mlp(x: Vec, fc1: Mat, fc2: Mat, ctx: Partial<MlpContext> = {}): Value[] {
  const { linear: linearFn = linear, observe } = ctx;
  const hidden = linearFn(x, fc1); // [4·n_embd]
  const relu = hidden.map((h) => h.relu());
  if (observe) {
    observe("mlp_hidden", hidden);
    observe("mlp_relu", relu);
  }
  return linearFn(relu, fc2); // [n_embd]
}

/**
 * The parts of the forward pass that `gpt()` can swap for another implementation (`ForwardOptions.parts`);
 * each is documented at its default in `GPT_PARTS` (`head` is `attentionHead`, `residual` adds a sub-layer's
 * output to its input elementwise).
 */
export interface GPTParts {
  linear(x: Vec, w: Mat): Value[];
  softmax(logits: Vec): Value[]; // also makes the probabilities of the loss in `docLoss`
  rmsnorm(x: Vec): Value[];
  head(q: Vec, keys: Mat, values: Mat, ctx: HeadContext): Value[];
  mlp(x: Vec, fc1: Mat, fc2: Mat, ctx: MlpContext): Value[];
  residual(x: Vec, skip: Vec): Value[];
}

/**
 * The engine's own parts, the defaults of `gpt()`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { GPT_PARTS } from "./nn.ts";
 * assert.deepEqual(Object.keys(GPT_PARTS), ["linear", "softmax", "rmsnorm", "head", "mlp", "residual"]);
 * ```
 */
export const GPT_PARTS: Readonly<GPTParts> = Object.freeze({
  linear,
  softmax,
  rmsnorm,
  head: attentionHead,
  mlp,
  residual: (x: Vec, skip: Vec) => x.map((a, i) => a.add(skip[i])),
});
