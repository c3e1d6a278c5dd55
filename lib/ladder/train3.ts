/**
 * Rung 3 of the ladder: the MLP becomes a transformer block. Four ideas arrive together, because each needs the
 * others to train well: a position embedding (`wpe`, so the model knows where it is), single-head causal
 * attention (each position looks back at every earlier one), RMSNorm (keeps vector sizes steady) and residual
 * connections (each block adds to its input instead of replacing it). Still plain SGD.
 *
 * `createTransformerRung` is the one forward pass that rungs 3, 4 and 5 share; rung 4 swaps the attention
 * function, rung 5 the optimiser.
 *
 * @module
 */
import type { GPTConfig } from "../config.ts";
import { linear, rmsnorm, softmax } from "../nn.ts";
import { toValues } from "../gpt.ts";
import { Value, withNodePool, zeroGrad } from "../value.ts";
import { checkPos, checkToken } from "../checks.ts";
import { pickInit } from "./init.ts";
import { predictedPositions, type Rung, type UpdateOpts, withDisplay } from "./rung.ts";
import type { MlpOptions } from "./train1.ts";

/** An attention function: the current query against every cached key and value of this layer. */
export type Attend = (q: Value[], keys: Value[][], values: Value[][], config: GPTConfig) => Value[];
/** An optimiser: move `params` using their `.grad`, then zero the gradients. */
export type Optimizer = (params: Value[], opts: UpdateOpts) => void;

/**
 * Single-head causal attention. Scores are q·kₜ/√d over the cached positions t (only earlier ones exist: the
 * cache is the causal mask), softmax turns them into weights, the output is the weighted sum of the values.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Value } from "../value.ts";
 * import { attention } from "./train3.ts";
 * const v = (xs: number[]) => xs.map((x) => new Value(x));
 * const out = attention(v([1, 0]), [v([1, 0])], [v([3, 4])]); // one position: all weight on it
 * assert(out[0].data === 3 && out[1].data === 4);
 * ```
 */
export function attention(q: Value[], keys: Value[][], values: Value[][]): Value[] {
  const scale = Math.pow(Math.pow(q.length, 0.5), -1); // 1/√d keeps scores from growing with d
  const scores = keys.map((k) => q.map((qj, j) => qj.mul(k[j])).reduce((a, b) => a.add(b)).mul(scale));
  const weights = softmax(scores); // [T], sums to 1
  return q.map((_, j) => weights.map((w, t) => w.mul(values[t][j])).reduce((a, b) => a.add(b)));
}

/**
 * Plain SGD: p ← p − lr·∂loss/∂p, then zero the gradients.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sgd } from "./train3.ts";
 * import { Value } from "../value.ts";
 * const p = new Value(1);
 * p.grad = 0.5;
 * sgd([p], { lr: 0.1, step: 0 });
 * assert(p.data === 0.95 && p.grad === 0);
 * ```
 */
export const sgd: Optimizer = (params, { lr }) => {
  for (const p of params) p.data -= lr * p.grad;
  zeroGrad(params);
};

/** A transformer rung: its parameters are `Value`s named as in the engine's state dict. */
export interface TransformerRung extends Rung {
  readonly config: GPTConfig;
  readonly params: Record<string, Value[][]>;
}

/** What distinguishes rungs 3, 4 and 5. */
export interface TransformerSpec {
  rung: number;
  name: string;
  idea: string;
  attend: Attend;
  /** Called once per model (optimisers such as Adam keep state per model). */
  optimizer: () => Optimizer;
}

/**
 * Build a transformer rung: the GPT forward pass (as in microGPT) with a pluggable attention function and
 * optimiser.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Random } from "../random.ts";
 * import { attention, createTransformerRung, sgd } from "./train3.ts";
 * const spec = { rung: 3, name: "demo", idea: "demo", attend: attention, optimizer: () => sgd };
 * const m = createTransformerRung(spec, { rng: new Random(42) });
 * assert(m.numParams === 4192);
 * ```
 */
export function createTransformerRung(spec: TransformerSpec, opts: MlpOptions): TransformerRung {
  const { config, params: init } = pickInit(opts);
  const params: Record<string, Value[][]> = toValues(init);
  const flat = Object.values(params).flat(2);
  const optimize = spec.optimizer();
  const check = (token: number) => checkToken(token, config.vocab_size);
  type Cache = { keys: Value[][]; values: Value[][] }[];
  const newCache = (): Cache => Array.from({ length: config.n_layer }, () => ({ keys: [], values: [] }));

  const forward = (token: number, pos: number, cache: Cache): Value[] => {
    const tok = params.wte[check(token)], posEmb = params.wpe[pos];
    let x = tok.map((t, i) => t.add(posEmb[i])); // [n_embd] what + where
    x = rmsnorm(x);
    for (let li = 0; li < config.n_layer; li++) {
      const W = (name: string) => params[`layer${li}.${name}`];
      let residual = x;
      x = rmsnorm(x);
      const q = linear(x, W("attn_wq")), k = linear(x, W("attn_wk")), v = linear(x, W("attn_wv"));
      cache[li].keys.push(k);
      cache[li].values.push(v);
      x = linear(spec.attend(q, cache[li].keys, cache[li].values, config), W("attn_wo"));
      x = x.map((a, i) => a.add(residual[i])); // residual: add, don't replace
      residual = x;
      x = rmsnorm(x);
      x = linear(x, W("mlp_fc1")).map((a) => a.relu()); // [4·n_embd]
      x = linear(x, W("mlp_fc2")); // [n_embd]
      x = x.map((a, i) => a.add(residual[i]));
    }
    return linear(x, params.lm_head); // [vocab_size]
  };
  const docLoss = (tokens: readonly number[]): Value => {
    const n = predictedPositions(tokens, config.block_size);
    const cache = newCache();
    const losses: Value[] = [];
    for (let pos = 0; pos < n; pos++) {
      const probs = softmax(forward(tokens[pos], pos, cache));
      losses.push(probs[check(tokens[pos + 1])].log().neg());
    }
    return losses.reduce((a, b) => a.add(b)).mul(1 / n);
  };

  return withDisplay({
    rung: spec.rung,
    name: spec.name,
    idea: spec.idea,
    numParams: flat.length,
    block_size: config.block_size,
    config,
    params,
    // withNodePool: the graph is dropped after each call, so its nodes are recycled (less garbage to collect)
    loss: (tokens) => withNodePool(() => docLoss(tokens).data),
    lossAndGrad: (tokens) =>
      withNodePool(() => {
        const loss = docLoss(tokens);
        loss.backward();
        return loss.data;
      }),
    update: (u) => optimize(flat, u),
    begin() {
      const cache = newCache();
      let pos = 0;
      return (token) => {
        checkPos(pos, config.block_size);
        return forward(token, pos++, cache).map((v) => v.data);
      };
    },
  });
}

/**
 * Rung 3: position embeddings, one attention head over all n_embd dimensions, RMSNorm, residuals; SGD.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Random } from "../random.ts";
 * import { createSingleHeadGPT } from "./train3.ts";
 * const m = createSingleHeadGPT({ rng: new Random(42) });
 * assert(m.numParams === 4192 && m.begin()(26).length === 27);
 * ```
 */
export function createSingleHeadGPT(opts: MlpOptions): TransformerRung {
  return createTransformerRung({
    rung: 3,
    name: "+ attention (1 head)",
    idea: "position embeddings, single-head causal attention, RMSNorm and residual connections",
    attend: (q, keys, values) => attention(q, keys, values),
    optimizer: () => sgd,
  }, opts);
}
