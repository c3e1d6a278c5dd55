/**
 * The scalar engine: the GPT of microgpt.py on `Value`s, one token at a time with a KV cache. Slow next to
 * the fast engine but every number is a node you can inspect, and `backward()` gives every gradient.
 * `scalar_model.ts` wraps it in the `Model` interface (`createScalarModel`).
 *
 * @module
 */
import { checkPos, checkSequence, checkToken } from "./checks.ts";
import { type GPTConfig, gptConfig } from "./config.ts";
import type { StateDict } from "./model.ts";
import { linear, rmsnorm, softmax } from "./nn.ts";
import { Value } from "./value.ts";

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
  checkToken(token, vocab_size);
  checkPos(pos, block_size);
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
  const n = checkSequence(tokens, config);
  const kv = createKVCache(config);
  let sum: Value | null = null;
  for (let pos = 0; pos < n; pos++) {
    const target = tokens[pos + 1];
    const probs = softmax(gpt(tokens[pos], pos, kv, sd));
    const lossT = probs[target].log().neg(); // −log p(target)
    sum = sum === null ? lossT : sum.add(lossT);
  }
  return sum!.mul(1 / n);
}
