/**
 * Look inside attention: run a trained model's weights through the scalar engine's forward pass (`gpt()`) on
 * one name and return, from its observer, per layer and head, the queries, keys and values, the scaled scores
 * q·k/√head_dim and the attention weights. Options switch the √head_dim scaling and
 * the causal mask off, for the "what happens without" demos (a head swapped in through `gpt()`'s parts). With
 * both switches on the logits are the model's own (both engines compute the same numbers).
 *
 * @module
 */
import type { GPTConfig } from "./config.ts";
import { createKVCache, type ForwardEvent, gpt, toValues } from "./gpt.ts";
import type { Model } from "./model.ts";
import { attentionHead, type GPTParts } from "./nn.ts";
import { checkStateDict } from "./params.ts";
import type { Tokenizer } from "./tokenizer.ts";
import type { Value } from "./value.ts";

/** Options of `inspectAttention`. */
export interface InspectOptions {
  /** How to map the text to tokens (what is used: its BOS id, its characters by id and `encode`). */
  tokenizer: Pick<Tokenizer, "bos" | "chars" | "encode">;
  /** The name to run. The model reads `[BOS, …letters]`, cut to `block_size` positions. */
  text: string;
  /** Divide scores by √head_dim before the softmax (default true, as in training). */
  scale?: boolean;
  /** Causal mask: position t sees keys 0…t only (default true, as in training). */
  mask?: boolean;
}

/** One attention head of one layer, over the T positions of the input. */
export interface HeadTrace {
  /** Queries, `[T][head_dim]`. */
  q: number[][];
  /** Keys, `[T][head_dim]`. */
  k: number[][];
  /** Values, `[T][head_dim]`. */
  v: number[][];
  /** q[t]·k[s] / √head_dim (not divided when `scale` is false) for every pair, masked or not, `[T][T]`. */
  scaled: number[][];
  /** Softmax of each row over the visible keys; masked entries are exactly 0. Rows sum to 1. `[T][T]`. */
  weights: number[][];
}

/** Everything `inspectAttention` measured. */
export interface AttentionTrace {
  /** Input token ids, `[T]` (starts with BOS). */
  tokens: number[];
  /** A readable label per position: "BOS" or the character. */
  labels: string[];
  /** Width of one head (n_embd / n_head). */
  head_dim: number;
  /** `layers[l][h]` is head h of layer l. */
  layers: HeadTrace[][];
  /** Next-token logits at every position, `[T][vocab_size]`. */
  logits: number[][];
}

/**
 * Run the forward pass of `model` on `text` and return what every attention head computed, as plain numbers.
 * Like training, it sees at most `block_size` positions: a longer text is cut to `[BOS, …first block_size − 1
 * letters]` (`trace.tokens.length` says how many were used).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { inspectAttention } from "./inspect.ts";
 * import { gptConfig } from "./config.ts";
 * const config = gptConfig({ vocab_size: 3, n_embd: 4, n_head: 2, block_size: 8 });
 * // A made-up model: every matrix filled with 0.1 (a trained one comes from model.stateDict()).
 * const fill = (r: number, c: number) => Array.from({ length: r }, () => new Array(c).fill(0.1));
 * const sd: Record<string, number[][]> = {
 *   wte: fill(3, 4), wpe: fill(8, 4), lm_head: fill(3, 4),
 *   "layer0.attn_wq": fill(4, 4), "layer0.attn_wk": fill(4, 4), "layer0.attn_wv": fill(4, 4),
 *   "layer0.attn_wo": fill(4, 4), "layer0.mlp_fc1": fill(16, 4), "layer0.mlp_fc2": fill(4, 16),
 * };
 * const tokenizer = { bos: 2, chars: ["a", "b"], encode: (d: string) => [2, ...[...d].map((c) => c === "a" ? 0 : 1), 2] };
 * const trace = inspectAttention({ config, stateDict: () => sd }, { tokenizer, text: "ab" });
 * assert(trace.labels.join(" ") === "BOS a b");
 * assert(trace.layers[0][1].weights[0][0] === 1); // BOS can only look at itself
 * ```
 * @throws {TypeError} `text` is not a string.
 * @throws {RangeError} the text has a character the tokenizer does not know (from `encode`), or the state dict
 * does not match the config.
 */
export function inspectAttention(
  model: Pick<Model, "config" | "stateDict">,
  opts: InspectOptions,
): AttentionTrace {
  const { tokenizer, text, scale = true, mask = true } = opts;
  if (typeof text !== "string") throw new TypeError(`text must be a string, got ${typeof text}`);
  const config: GPTConfig = model.config;
  const { n_embd, n_head, n_layer, block_size } = config;
  const head_dim = n_embd / n_head;
  const numbers = model.stateDict();
  checkStateDict(config, numbers);
  const sd = toValues(numbers);

  const encoded = tokenizer.encode(text);
  const tokens = encoded.slice(0, Math.min(encoded.length - 1, block_size)); // [BOS, …letters]
  const T = tokens.length;
  const labels = tokens.map((t) => (t === tokenizer.bos ? "BOS" : tokenizer.chars[t]));
  /** Head h's columns of every position's vector. */
  const cut = <X>(m: X[][], h: number) => m.map((vec) => vec.slice(h * head_dim, (h + 1) * head_dim));

  // The model's own forward pass, position by position; the observer keeps what we show. Without the mask a
  // head must also see the keys and values of later positions: each pass takes them from the pass before,
  // which is exact for layer 0 on the second pass, for layer 1 on the third, … (a layer's keys depend only
  // on the layers below it), so n_layer + 1 passes give the unmasked model exactly.
  let seen = record(T, n_layer);
  for (let pass = 0; pass < (mask ? 1 : n_layer + 1); pass++) {
    const before = seen;
    const head: GPTParts["head"] = (q, keys, values, ctx) => {
      if (mask || pass === 0) return attentionHead(q, keys, values, { ...ctx, scaled: scale });
      // every position's keys and values, from the pass before
      const [k, v] = [cut(before.k[ctx.layer], ctx.head), cut(before.v[ctx.layer], ctx.head)];
      return attentionHead(q, k, v, { ...ctx, scaled: scale });
    };
    seen = record(T, n_layer);
    const kv = createKVCache(config);
    const rec = seen;
    tokens.forEach((token, pos) => {
      const logits = gpt(token, pos, kv, sd, { parts: { head }, observe: (e) => rec.keep(e) });
      rec.logits[pos] = logits.map((l) => l.data);
    });
  }

  const layers = seen.heads.map((heads, l) =>
    heads.map((h, hi): HeadTrace => {
      const [q, k, v] = [seen.q[l], seen.k[l], seen.v[l]].map((m) => cut(m, hi).map(data)); // [T][head_dim]
      // The mask hides the scores of later keys from the model; the trace shows them anyway.
      const attnScale = scale ? Math.pow(Math.pow(head_dim, 0.5), -1) : 1; // as in attentionHead
      const scaled = q.map((qt, t) =>
        k.map((ks, s) => (s < h.logits[t].length ? h.logits[t][s] : dot(qt, ks) * attnScale))
      );
      const weights = h.weights.map((row) => [...row, ...new Array<number>(T - row.length).fill(0)]);
      return { q, k, v, scaled, weights };
    })
  );
  return { tokens, labels, head_dim, layers, logits: seen.logits };
}

/** What the observer kept of one forward pass over T positions: per layer (and head), per position. */
function record(T: number, n_layer: number) {
  const perLayer = <X>() => Array.from({ length: n_layer }, () => new Array<X>(T));
  const heads: { logits: number[][]; weights: number[][] }[][] = Array
    .from({ length: n_layer }, () => []);
  const rec = {
    q: perLayer<Value[]>(),
    k: perLayer<Value[]>(),
    v: perLayer<Value[]>(),
    heads,
    logits: new Array<number[]>(T),
    keep({ stage, layer, head, pos, values }: ForwardEvent): void {
      if (layer === undefined) return;
      if (stage === "q" || stage === "k" || stage === "v") rec[stage][layer][pos] = [...values];
      if (head === undefined) return;
      const h = (heads[layer][head] ??= { logits: [], weights: [] });
      if (stage === "attn_logits") h.logits[pos] = data(values);
      if (stage === "attn_weights") h.weights[pos] = data(values);
    },
  };
  return rec;
}

const data = (values: readonly Value[]) => values.map((v) => v.data);

/** a·b, summed left to right as the engine's attention head does. */
function dot(a: readonly number[], b: readonly number[]): number {
  let s = a[0] * b[0];
  for (let j = 1; j < a.length; j++) s += a[j] * b[j];
  return s;
}
