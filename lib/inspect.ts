/**
 * Look inside attention: run a trained model's forward pass on one name with plain numbers and return, per
 * layer and head, the queries, keys and values, the raw scores q·k, the scaled scores q·k/√head_dim and the
 * attention weights. Options switch the √head_dim scaling and the causal mask off, for the "what happens
 * without" demos. The arithmetic follows the engines (same operations, same order), so with both switches on
 * the logits equal the model's own.
 *
 * @module
 */
import type { GPTConfig } from "./config.ts";
import type { Model, StateDict } from "./model.ts";

/** What `inspectAttention` needs from a tokenizer (the lib `Tokenizer` fits). */
export interface TokenizerLike {
  /** Id of the BOS token. */
  readonly bos: number;
  /** Characters by id (ids below `bos`). */
  readonly chars: readonly string[];
  /** `[BOS, …ids, BOS]` for a document. */
  encode(doc: string): number[];
}

/** Options of `inspectAttention`. */
export interface InspectOptions {
  /** How to map the text to tokens. */
  tokenizer: TokenizerLike;
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
  /** Raw dot products q[t]·k[s] for every pair, masked or not, `[T][T]`. */
  scores: number[][];
  /** `scores` divided by √head_dim (equal to `scores` when `scale` is false), `[T][T]`. */
  scaled: number[][];
  /** Softmax of each row over the visible keys; masked entries are exactly 0. Rows sum to 1. `[T][T]`. */
  weights: number[][];
  /** The head's output Σ_s weights[t][s]·v[s], `[T][head_dim]`. */
  out: number[][];
}

/** Everything `inspectAttention` measured. */
export interface AttentionTrace {
  /** Input token ids, `[T]` (starts with BOS). */
  tokens: number[];
  /** A readable label per position: "BOS" or the character. */
  labels: string[];
  /** Width of one head (n_embd / n_head). */
  head_dim: number;
  /** The switches used. */
  scale: boolean;
  mask: boolean;
  /** `layers[l][h]` is head h of layer l. */
  layers: HeadTrace[][];
  /** Next-token logits at every position, `[T][vocab_size]`. */
  logits: number[][];
}

/** y[o] = Σ_i w[o][i]·x[i], summed left to right. */
function linear(x: readonly number[], w: readonly (readonly number[])[]): number[] {
  return w.map((row) => {
    let s = 0;
    for (let i = 0; i < row.length; i++) s += row[i] * x[i];
    return s;
  });
}

function rmsnorm(x: readonly number[]): number[] {
  let ss = 0;
  for (const xi of x) ss += xi * xi;
  const ms = ss * Math.pow(x.length, -1);
  const scale = Math.pow(ms + 1e-5, -0.5);
  return x.map((xi) => xi * scale);
}

/** Softmax over the entries where `visible` is true; the others get 0. */
function softmaxVisible(logits: readonly number[], visible: (s: number) => boolean): number[] {
  let max = -Infinity;
  for (let s = 0; s < logits.length; s++) if (visible(s) && logits[s] > max) max = logits[s];
  const exps = logits.map((l, s) => (visible(s) ? Math.exp(l - max) : 0));
  let total = 0;
  for (let s = 0; s < exps.length; s++) if (visible(s)) total += exps[s];
  const inv = Math.pow(total, -1);
  return exps.map((e, s) => (visible(s) ? e * inv : 0));
}

function matrix(sd: StateDict, name: string, rows: number, cols: number): number[][] {
  const m = sd[name];
  if (!Array.isArray(m) || m.length !== rows || m.some((r) => r.length !== cols)) {
    throw new RangeError(`state dict entry ${name} must have shape [${rows}][${cols}]`);
  }
  return m;
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
  const { n_embd, n_head, n_layer, block_size, vocab_size } = config;
  const head_dim = n_embd / n_head;
  const sd = model.stateDict();

  const encoded = tokenizer.encode(text);
  const tokens = encoded.slice(0, Math.min(encoded.length - 1, block_size)); // [BOS, …letters]
  const T = tokens.length;
  const labels = tokens.map((t) => (t === tokenizer.bos ? "BOS" : tokenizer.chars[t]));

  const wte = matrix(sd, "wte", vocab_size, n_embd);
  const wpe = matrix(sd, "wpe", block_size, n_embd);
  const lm_head = matrix(sd, "lm_head", vocab_size, n_embd);

  // x: [T][n_embd] — token + position embedding, normalised once before the layers.
  let x = tokens.map((tok, pos) => rmsnorm(wte[tok].map((e, i) => e + wpe[pos][i])));
  const layers: HeadTrace[][] = [];
  const attnScale = Math.pow(Math.pow(head_dim, 0.5), -1);

  for (let li = 0; li < n_layer; li++) {
    const p = `layer${li}.`;
    const wq = matrix(sd, p + "attn_wq", n_embd, n_embd);
    const wk = matrix(sd, p + "attn_wk", n_embd, n_embd);
    const wv = matrix(sd, p + "attn_wv", n_embd, n_embd);
    const wo = matrix(sd, p + "attn_wo", n_embd, n_embd);
    const fc1 = matrix(sd, p + "mlp_fc1", 4 * n_embd, n_embd);
    const fc2 = matrix(sd, p + "mlp_fc2", n_embd, 4 * n_embd);

    const xn = x.map(rmsnorm); // [T][n_embd]
    const q = xn.map((r) => linear(r, wq)); // [T][n_embd]
    const k = xn.map((r) => linear(r, wk));
    const v = xn.map((r) => linear(r, wv));
    const heads: HeadTrace[] = [];
    const concat = Array.from({ length: T }, () => [] as number[]); // [T][n_embd]
    for (let h = 0; h < n_head; h++) {
      const cut = (m: number[][]) => m.map((r) => r.slice(h * head_dim, (h + 1) * head_dim));
      const qh = cut(q), kh = cut(k), vh = cut(v); // [T][head_dim]
      const scores = qh.map((qt) =>
        kh.map((ks) => {
          let s = 0;
          for (let j = 0; j < head_dim; j++) s += qt[j] * ks[j];
          return s;
        })
      ); // [T][T]
      const scaled = scores.map((row) => row.map((s) => (scale ? s * attnScale : s)));
      const weights = scaled.map((row, t) => softmaxVisible(row, (s) => !mask || s <= t));
      const out = weights.map((w, t) => {
        const last = mask ? t : T - 1; // the positions this query can see
        const o: number[] = [];
        for (let j = 0; j < head_dim; j++) {
          let acc = 0;
          for (let s = 0; s <= last; s++) acc += w[s] * vh[s][j];
          o.push(acc);
        }
        return o;
      }); // [T][head_dim]
      out.forEach((o, t) => concat[t].push(...o));
      heads.push({ q: qh, k: kh, v: vh, scores, scaled, weights, out });
    }
    layers.push(heads);
    const attn = concat.map((c) => linear(c, wo));
    x = x.map((r, t) => r.map((e, i) => attn[t][i] + e)); // residual
    const mlp = x.map((r) => linear(linear(rmsnorm(r), fc1).map((u) => Math.max(0, u)), fc2));
    x = x.map((r, t) => r.map((e, i) => mlp[t][i] + e)); // residual
  }
  const logits = x.map((r) => linear(r, lm_head)); // [T][vocab_size]
  return { tokens, labels, head_dim, scale, mask, layers, logits };
}
