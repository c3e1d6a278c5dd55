/**
 * The scalar engine: the GPT of microgpt.py on `Value`s, one token at a time with a KV cache. Slow next to
 * the fast engine but every number is a node you can inspect, and `backward()` gives every gradient.
 *
 * @module
 */
import { type GPTConfig, gptConfig } from "./config.ts";
import type { AdamStep, Model, StateDict } from "./model.ts";
import { adamUpdate } from "./adam.ts";
import { linear, rmsnorm, softmax } from "./nn.ts";
import { checkStateDict, countParams, type CreateModelOptions, initialWeights } from "./params.ts";
import { Value, withNodePool } from "./value.ts";

/** The parameters as `Value`s, by name (`wte`, `wpe`, `lm_head`, `layer0.attn_wq`, …). */
export type ValueStateDict = Record<string, Value[][]>;

/** Keys and values of the positions seen so far, per layer: `keys[layer][t]` is a key vector [n_embd]. */
export interface KVCache {
  readonly config: GPTConfig;
  readonly keys: Value[][][]; // [n_layer][T][n_embd]
  readonly values: Value[][][]; // [n_layer][T][n_embd]
}

/**
 * An empty KV cache for a new sequence.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createKVCache } from "./gpt.ts";
 * import { DEFAULT_CONFIG } from "./config.ts";
 * const kv = createKVCache(DEFAULT_CONFIG);
 * assert(kv.keys.length === 1 && kv.keys[0].length === 0);
 * ```
 */
export function createKVCache(config: Partial<GPTConfig>): KVCache {
  const c = gptConfig(config);
  return {
    config: c,
    keys: Array.from({ length: c.n_layer }, () => []),
    values: Array.from({ length: c.n_layer }, () => []),
  };
}

/**
 * One forward step: the logits [vocab_size] for the token after `token` at position `pos`, given the
 * earlier positions in `kv` (which this call extends).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createKVCache, gpt, toValues } from "./gpt.ts";
 * import { initStateDict } from "./params.ts";
 * import { Random } from "./random.ts";
 * const sd = toValues(initStateDict({}, new Random(42)));
 * const kv = createKVCache({});
 * const logits = gpt(26, 0, kv, sd); // BOS at position 0
 * assert(logits.length === 27 && kv.keys[0].length === 1);
 * ```
 * @throws {RangeError} token or pos out of range.
 */
export function gpt(token: number, pos: number, kv: KVCache, sd: ValueStateDict): Value[] {
  const { n_layer, n_head, n_embd, vocab_size, block_size } = kv.config;
  if (!Number.isInteger(token) || token < 0 || token >= vocab_size) {
    throw new RangeError(`token must be a whole number in [0, ${vocab_size}), got ${token}`);
  }
  if (!Number.isInteger(pos) || pos < 0 || pos >= block_size) {
    throw new RangeError(`pos must be a whole number in [0, block_size = ${block_size}), got ${pos}`);
  }
  const head_dim = n_embd / n_head;
  const scale = Math.pow(Math.pow(head_dim, 0.5), -1); // `/ head_dim**0.5` as `* (head_dim**0.5)**-1`
  const tokEmb = sd.wte[token]; // [n_embd]
  const posEmb = sd.wpe[pos]; // [n_embd]
  let x = tokEmb.map((t, i) => t.add(posEmb[i])); // [n_embd]
  x = rmsnorm(x);
  for (let li = 0; li < n_layer; li++) {
    // 1) multi-head attention block
    let residual = x;
    x = rmsnorm(x);
    const q = linear(x, sd[`layer${li}.attn_wq`]); // [n_embd]
    const k = linear(x, sd[`layer${li}.attn_wk`]);
    const v = linear(x, sd[`layer${li}.attn_wv`]);
    const keys = kv.keys[li]; // [T][n_embd]
    const values = kv.values[li];
    keys.push(k);
    values.push(v);
    const xAttn: Value[] = []; // [n_embd], the heads concatenated
    for (let h = 0; h < n_head; h++) {
      const hs = h * head_dim;
      const attnLogits = keys.map((kt) => { // [T]
        let dot = q[hs].mul(kt[hs]);
        for (let j = 1; j < head_dim; j++) dot = dot.add(q[hs + j].mul(kt[hs + j]));
        return dot.mul(scale);
      });
      const weights = softmax(attnLogits); // [T]
      for (let j = 0; j < head_dim; j++) {
        let out = weights[0].mul(values[0][hs + j]);
        for (let t = 1; t < values.length; t++) out = out.add(weights[t].mul(values[t][hs + j]));
        xAttn.push(out);
      }
    }
    x = linear(xAttn, sd[`layer${li}.attn_wo`]);
    x = x.map((a, i) => a.add(residual[i]));
    // 2) MLP block
    residual = x;
    x = rmsnorm(x);
    x = linear(x, sd[`layer${li}.mlp_fc1`]); // [4·n_embd]
    x = x.map((xi) => xi.relu());
    x = linear(x, sd[`layer${li}.mlp_fc2`]); // [n_embd]
    x = x.map((a, i) => a.add(residual[i]));
  }
  return linear(x, sd.lm_head); // [vocab_size]
}

/**
 * Wrap a state dict of numbers into leaf `Value`s labelled like `wte[3][5]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toValues } from "./gpt.ts";
 * const sd = toValues({ wte: [[0.5]] });
 * assert(sd.wte[0][0].data === 0.5 && sd.wte[0][0].label === "wte[0][0]");
 * ```
 */
export function toValues(sd: StateDict): ValueStateDict {
  const out: ValueStateDict = {};
  for (const [name, m] of Object.entries(sd)) {
    out[name] = m.map((row, r) => row.map((x, c) => new Value(x, { label: `${name}[${r}][${c}]` })));
  }
  return out;
}

/**
 * The loss of one document as a `Value` graph: the mean over its first `min(block_size, len − 1)`
 * positions of `−log p(next token)`, computed as `(1/n) · (l_0 + l_1 + …)` like microgpt.py.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { docLoss, toValues } from "./gpt.ts";
 * import { initStateDict } from "./params.ts";
 * import { Random } from "./random.ts";
 * import { gptConfig } from "./config.ts";
 * const config = gptConfig({});
 * const loss = docLoss([26, 0, 26], config, toValues(initStateDict(config, new Random(42))));
 * assert(Math.abs(loss.data - Math.log(27)) < 0.5); // near uniform at init
 * ```
 * @throws {RangeError} fewer than 2 tokens, or a token out of range.
 */
export function docLoss(tokens: readonly number[], config: GPTConfig, sd: ValueStateDict): Value {
  if (!Array.isArray(tokens) || tokens.length < 2) {
    throw new RangeError(
      `a training sequence needs at least 2 tokens ([BOS, …, BOS]), got ${tokens?.length}`,
    );
  }
  const n = Math.min(config.block_size, tokens.length - 1);
  const kv = createKVCache(config);
  let sum: Value | null = null;
  for (let pos = 0; pos < n; pos++) {
    const target = tokens[pos + 1];
    if (!Number.isInteger(target) || target < 0 || target >= config.vocab_size) {
      throw new RangeError(`token must be a whole number in [0, ${config.vocab_size}), got ${target}`);
    }
    const probs = softmax(gpt(tokens[pos], pos, kv, sd));
    const lossT = probs[target].log().neg(); // −log p(target)
    sum = sum === null ? lossT : sum.add(lossT);
  }
  return sum!.mul(1 / n);
}

/**
 * The scalar engine's model: the `Model` interface plus the `Value` graph for lessons (`sd`, `params`,
 * `lossValue`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createScalarModel } from "./gpt.ts";
 * import { Random } from "./random.ts";
 * const model = createScalarModel({ config: { vocab_size: 3, n_embd: 4, n_head: 1 }, rng: new Random(1) });
 * const loss = model.lossValue([[2, 0, 1, 2]]); // a Value: inspect it, or call loss.backward()
 * loss.backward();
 * assert(model.sd.wte[2].some((p) => p.grad !== 0));
 * ```
 */
export class ScalarModel implements Model {
  readonly engine = "scalar" as const;
  readonly config: GPTConfig;
  readonly numParams: number;
  /** The parameters as `Value`s, by name. */
  sd: ValueStateDict;
  /** All parameters in state-dict order (row by row). */
  params: Value[];
  #m: Float64Array;
  #v: Float64Array;

  /** Prefer `createScalarModel`. */
  constructor(config: GPTConfig, sd: StateDict) {
    checkStateDict(config, sd);
    this.config = config;
    this.numParams = countParams(config);
    this.sd = toValues(sd);
    this.params = Object.values(this.sd).flat(2);
    this.#m = new Float64Array(this.numParams);
    this.#v = new Float64Array(this.numParams);
  }

  /**
   * The loss graph of a batch: one document's `docLoss`, or the mean over documents for a bigger batch.
   * Call `.backward()` on it to get every parameter's gradient.
   */
  lossValue(batch: readonly (readonly number[])[]): Value {
    if (!Array.isArray(batch) || batch.length === 0) {
      throw new RangeError("batch must hold at least one token sequence");
    }
    let total = docLoss(batch[0], this.config, this.sd);
    if (batch.length === 1) return total;
    for (let b = 1; b < batch.length; b++) total = total.add(docLoss(batch[b], this.config, this.sd));
    return total.mul(1 / batch.length);
  }

  lossAndGrad(batch: readonly (readonly number[])[]): number {
    return withNodePool(() => { // the graph is dropped after the step: recycle its nodes
      const loss = this.lossValue(batch);
      loss.backward();
      return loss.data;
    });
  }

  loss(batch: readonly (readonly number[])[]): number {
    if (!Array.isArray(batch) || batch.length === 0) {
      throw new RangeError("batch must hold at least one token sequence");
    }
    // One document's graph at a time (a whole batch's graph at once makes the garbage collector's work grow
    // with the square of the batch); the float operations are those of `lossValue(batch).data`.
    let total = 0;
    for (let b = 0; b < batch.length; b++) {
      const l = withNodePool(() => docLoss(batch[b], this.config, this.sd).data);
      total = b === 0 ? l : total + l;
    }
    return batch.length === 1 ? total : total * (1 / batch.length);
  }

  step(opts: AdamStep): void {
    const p = this.params;
    const data = new Float64Array(p.length);
    const grad = new Float64Array(p.length);
    for (let i = 0; i < p.length; i++) {
      data[i] = p[i].data;
      grad[i] = p[i].grad;
    }
    adamUpdate({ data, grad, m: this.#m, v: this.#v }, opts);
    for (let i = 0; i < p.length; i++) {
      p[i].data = data[i];
      p[i].grad = 0;
    }
  }

  begin(): (token: number) => number[] {
    const kv = createKVCache(this.config);
    let pos = 0;
    return (token: number) => gpt(token, pos++, kv, this.sd).map((l) => l.data);
  }

  stateDict(): StateDict {
    const out: StateDict = {};
    for (const [name, m] of Object.entries(this.sd)) out[name] = m.map((row) => row.map((v) => v.data));
    return out;
  }

  loadStateDict(sd: StateDict): void {
    checkStateDict(this.config, sd);
    for (const [name, m] of Object.entries(this.sd)) {
      m.forEach((row, r) =>
        row.forEach((v, c) => {
          v.data = sd[name][r][c];
          v.grad = 0;
        })
      );
    }
    this.#m.fill(0);
    this.#v.fill(0);
  }

  /** `GPT(scalar engine, 4,192 params: …)`. */
  toString(): string {
    const { vocab_size, n_embd, n_head, n_layer, block_size } = this.config;
    return `GPT(scalar engine, ${this.numParams.toLocaleString("en-US")} params: vocab_size=${vocab_size}, ` +
      `n_embd=${n_embd}, n_head=${n_head}, n_layer=${n_layer}, block_size=${block_size})`;
  }

  /** Jupyter shows the model as its `toString()`. */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return { "text/plain": this.toString() };
  }
}

/**
 * A scalar-engine GPT with weights drawn from `rng` (or copied from `stateDict`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createScalarModel } from "./gpt.ts";
 * import { Random } from "./random.ts";
 * const model = createScalarModel({ config: { vocab_size: 27 }, rng: new Random(42) });
 * assert(model.numParams === 4192);
 * const logits = model.begin()(26);
 * assert(logits.length === 27);
 * ```
 * @throws {TypeError} neither rng nor stateDict is given.
 */
export function createScalarModel(opts: CreateModelOptions): ScalarModel {
  const { config, stateDict } = initialWeights(opts, "createScalarModel");
  return new ScalarModel(config, stateDict);
}
