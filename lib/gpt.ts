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
import { GPT_PARTS, type GPTParts, type HeadContext } from "./nn.ts";
export { GPT_PARTS, type GPTParts } from "./nn.ts"; // the parts belong to gpt(); nn.ts holds them
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
 * import { createKVCache, DEFAULT_CONFIG } from "./engine_api.ts";
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

/** Where a vector was seen in the forward pass (`ForwardEvent.stage`), in the order `gpt()` reports them. */
export type ForwardStage =
  | "embedding" // wte[token] + wpe[pos], [n_embd]
  | "embedding_normed" // rmsnorm of it, before the layers
  | "attn_input" // per layer: rmsnorm(x), the attention block's input
  | "q" // per layer: queries, keys, values, [n_embd] (head h is the slice h·head_dim …)
  | "k"
  | "v"
  | "attn_scores" // per layer and head: q·k_t for t = 0…pos, [pos + 1] (from the engine's head)
  | "attn_logits" // the scores / √head_dim
  | "attn_weights" // softmax of the logits
  | "head_out" // per layer and head: the head's output, [head_dim]
  | "attn_out" // per layer: the heads concatenated, times attn_wo, [n_embd]
  | "attn_residual" // x after the attention block's residual connection
  | "mlp_input" // rmsnorm(x), the MLP's input
  | "mlp_hidden" // fc1 · input, before the ReLU, [4·n_embd] (from the engine's mlp)
  | "mlp_relu" // after the ReLU
  | "mlp_out" // fc2 · relu, [n_embd]
  | "mlp_residual" // x after the MLP block's residual connection: the layer's output
  | "logits"; // lm_head · x, [vocab_size]

/** One vector of the forward pass, as the observer sees it: the real nodes, not copies. */
export interface ForwardEvent {
  stage: ForwardStage;
  /** The position being computed. */
  pos: number;
  /** The layer, for stages inside a layer. */
  layer?: number;
  /** The head, for the attention heads' stages. */
  head?: number;
  /** The vector itself (read `.data`; keep it if you like: it never changes afterwards). */
  values: readonly Value[];
}

/** Options of `gpt()` and `docLoss()`. */
export interface ForwardOptions {
  /** Called with every intermediate vector, in the order of the computation (see `ForwardStage`). */
  observe?: (event: ForwardEvent) => void;
  /** Implementations to use instead of the engine's own (`GPT_PARTS`); leave out the ones to keep. */
  parts?: Partial<GPTParts>;
}

/** Options of `docLoss()`: those of `gpt()`, and another forward pass in its place (`checkPart("gpt", …)`). */
export interface LossOptions extends ForwardOptions {
  gpt?: (token: number, pos: number, kv: KVCache, sd: ValueStateDict, opts: ForwardOptions) => Value[];
}

/**
 * One forward step: the logits [vocab_size] for the token after `token` at position `pos`, given the
 * earlier positions in `kv` (which this call extends). `opts.observe` sees every intermediate vector;
 * `opts.parts` swaps in other implementations of the parts (with no options, or with `GPT_PARTS`, the
 * numbers are the engine's, bit for bit).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createKVCache, type ForwardEvent, gpt, initStateDict, Random, rmsnorm, toValues } from "./engine_api.ts";
 * import type { Value } from "./value.ts";
 * const sd = toValues(initStateDict({}, new Random(42)));
 * const kv = createKVCache({});
 * const logits = gpt(26, 0, kv, sd); // BOS at position 0
 * assert(logits.length === 27 && kv.keys[0].length === 1);
 *
 * // watch the forward pass: attention weights of layer 0, head 2, at position 1
 * const seen: ForwardEvent[] = [];
 * gpt(0, 1, kv, sd, { observe: (e) => seen.push(e) });
 * const w = seen.find((e) => e.stage === "attn_weights" && e.layer === 0 && e.head === 2)!;
 * assert(w.pos === 1 && w.values.length === 2); // positions 0 and 1
 *
 * // swap one part: an rmsnorm of your own (here: the engine's, counted)
 * let calls = 0;
 * const myRmsnorm = (x: readonly Value[]) => (calls++, rmsnorm(x));
 * gpt(26, 0, createKVCache({}), sd, { parts: { rmsnorm: myRmsnorm } });
 * assert(calls === 3); // once before the layers, twice in the layer
 * ```
 * @throws {RangeError} token or pos out of range.
 * @throws {TypeError} `opts.parts` names an unknown part or holds something other than a function.
 */
export function gpt(
  token: number,
  pos: number,
  kv: KVCache,
  sd: ValueStateDict,
  opts: ForwardOptions = {},
): Value[] {
  const { n_layer, n_head, n_embd, vocab_size, block_size } = kv.config;
  checkToken(token, vocab_size);
  checkPos(pos, block_size);
  const { linear, softmax, rmsnorm, head, mlp, residual } = withParts(opts.parts);
  const { observe } = opts;
  const see = (stage: ForwardStage, values: readonly Value[], layer?: number, head?: number) =>
    observe?.({ stage, pos, layer, head, values });
  const head_dim = n_embd / n_head;
  let x = sd.wte[token].map((t, i) => t.add(sd.wpe[pos][i])); // [n_embd]: token + position embedding
  see("embedding", x);
  x = rmsnorm(x);
  see("embedding_normed", x);
  for (let li = 0; li < n_layer; li++) {
    const w = (name: string) => sd[`layer${li}.${name}`];
    // 1) multi-head attention block
    let x_residual = x;
    x = rmsnorm(x);
    see("attn_input", x, li);
    const q = linear(x, w("attn_wq")); // [n_embd]
    const k = linear(x, w("attn_wk"));
    const v = linear(x, w("attn_wv"));
    see("q", q, li), see("k", k, li), see("v", v, li);
    kv.keys[li].push(k); // the cache: [T][n_embd], T = pos + 1
    kv.values[li].push(v);
    const x_attn: Value[] = []; // [n_embd], the heads side by side
    for (let h = 0; h < n_head; h++) {
      const slice = (vec: readonly Value[]) => vec.slice(h * head_dim, (h + 1) * head_dim); // [head_dim]
      const ctx: HeadContext = {
        layer: li,
        head: h,
        pos,
        softmax,
        observe: observe && ((stage, values) => see(stage, values, li, h)),
      };
      const out = head(slice(q), kv.keys[li].map(slice), kv.values[li].map(slice), ctx); // [head_dim]
      see("head_out", out, li, h);
      x_attn.push(...out);
    }
    x = linear(x_attn, w("attn_wo"));
    see("attn_out", x, li);
    x = residual(x, x_residual);
    see("attn_residual", x, li);
    // 2) MLP block
    x_residual = x;
    x = rmsnorm(x);
    see("mlp_input", x, li);
    x = mlp(x, w("mlp_fc1"), w("mlp_fc2"), {
      linear,
      observe: observe && ((stage, values) => see(stage, values, li)),
    });
    see("mlp_out", x, li);
    x = residual(x, x_residual);
    see("mlp_residual", x, li);
  }
  const logits = linear(x, sd.lm_head); // [vocab_size]
  see("logits", logits);
  return logits;
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
 * positions of `−log p(next token)`, computed as `(1/n) · (l_0 + l_1 + …)` like microgpt.py. `opts` are
 * passed to every `gpt()` call (an observer, parts swapped in; a `softmax` part also makes the probabilities).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { docLoss, gptConfig, initStateDict, Random, toValues } from "./engine_api.ts";
 * const config = gptConfig({});
 * const loss = docLoss([26, 0, 26], config, toValues(initStateDict(config, new Random(42))));
 * assert(Math.abs(loss.data - Math.log(27)) < 0.5); // near uniform at init
 * ```
 * @throws {RangeError} fewer than 2 tokens, or a token out of range.
 */
export function docLoss(
  tokens: readonly number[],
  config: GPTConfig,
  sd: ValueStateDict,
  opts: LossOptions = {},
): Value {
  const n = checkSequence(tokens, config);
  const kv = createKVCache(config);
  const { softmax } = withParts(opts.parts);
  let sum: Value | null = null;
  for (let pos = 0; pos < n; pos++) {
    const target = tokens[pos + 1];
    const probs = softmax((opts.gpt ?? gpt)(tokens[pos], pos, kv, sd, opts));
    const lossT = probs[target].log().neg(); // −log p(target)
    sum = sum === null ? lossT : sum.add(lossT);
  }
  return sum!.mul(1 / n);
}

/** `GPT_PARTS` with `parts` swapped in; a TypeError for an unknown part name or a part that is not a function. */
function withParts(parts: Partial<GPTParts> | undefined): GPTParts {
  if (parts === undefined) return GPT_PARTS;
  for (const [name, fn] of Object.entries(parts)) {
    if (!(name in GPT_PARTS)) {
      throw new TypeError(
        `parts: unknown part "${name}"; the parts are ${Object.keys(GPT_PARTS).join(", ")}`,
      );
    }
    if (typeof fn !== "function") throw new TypeError(`parts.${name} must be a function, got ${typeof fn}`);
  }
  return { ...GPT_PARTS, ...parts };
}
