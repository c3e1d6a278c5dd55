/**
 * Inference: turn logits into next-token probabilities (with a temperature) and draw names one character at
 * a time. Shared by both engines; the float operations follow microgpt.py (`l / T` as `l · T^−1`, then its
 * softmax), so a seeded run samples the same names as the Python reference.
 *
 * @module
 */
import { checkTokenizer } from "./checks.ts";
import { checkTemperature } from "./config.ts";
import type { Model } from "./model.ts";
import type { Random } from "./random.ts";
import type { Tokenizer } from "./tokenizer.ts";

/**
 * Softmax of `logits / temperature` on plain numbers, in microgpt.py's float order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { probsFromLogits } from "./sample.ts";
 * const p = probsFromLogits([0, Math.log(3)], 1);
 * assert(Math.abs(p[0] - 0.25) < 1e-15 && Math.abs(p[1] - 0.75) < 1e-15);
 * ```
 * @throws {RangeError} temperature ≤ 0, not finite or so small that logits / T overflows; logits empty or
 *   not finite.
 */
export function probsFromLogits(logits: readonly number[], temperature = 1): number[] {
  const invT = Math.pow(checkTemperature(temperature), -1);
  const n = logits.length;
  if (n === 0) throw new RangeError("logits must not be empty");
  const scaled = new Array<number>(n);
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    checkLogit(logits, i);
    scaled[i] = logits[i] * invT;
    if (!Number.isFinite(scaled[i])) {
      throw new RangeError(`temperature ${temperature} is too small: logits[${i}] / temperature overflows`);
    }
    if (i === 0 || scaled[i] > max) max = scaled[i];
  }
  const exps = new Array<number>(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    exps[i] = Math.exp(scaled[i] + -max);
    total = i === 0 ? exps[0] : total + exps[i];
  }
  const inv = Math.pow(total, -1);
  return exps.map((e) => e * inv);
}

/** Options of `sample`. */
export interface SampleOptions {
  tokenizer: Tokenizer;
  /** Draws the tokens; the reference keeps using the training generator. */
  rng: Random;
  /** > 0; lower is more conservative. Default 0.5. */
  temperature?: number;
  /** How many names. Default 20. */
  count?: number;
  /** Logits → probabilities at a temperature (default `probsFromLogits`; `checkPart` swaps in a learner's). */
  probs?: (logits: readonly number[], temperature: number) => number[];
}

/**
 * Generate `count` documents: start from BOS, draw each next token from the model's probabilities at
 * `temperature`, stop at BOS or after block_size tokens.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createScalarModel, Random, sample, Tokenizer } from "./engine_api.ts";
 * const tokenizer = Tokenizer.fromDocs(["ab", "ba"]);
 * const rng = new Random(1);
 * const model = createScalarModel({ config: { vocab_size: tokenizer.vocab_size, block_size: 4 }, rng });
 * const names = sample(model, { tokenizer, rng, count: 3 });
 * assert(names.length === 3 && names.every((s) => /^[ab]*$/.test(s)));
 * ```
 * @throws {RangeError} temperature ≤ 0 or not finite, count not a whole number ≥ 0, or the tokenizer's
 *   vocabulary does not match the model.
 * @throws {TypeError} no tokenizer or rng, or count is not a number.
 */
export function sample(model: Model, opts: SampleOptions): string[] {
  const { tokenizer, rng, temperature = 0.5, count = 20, probs = probsFromLogits } = opts;
  checkTemperature(temperature);
  checkTokenizer(tokenizer, model.config.vocab_size);
  if (typeof rng?.choices !== "function") {
    throw new TypeError(`rng must be a Random (e.g. new Random(42)), got ${String(rng)}`);
  }
  if (typeof count !== "number") throw new TypeError(`count must be a number, got ${typeof count}`);
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(`count must be a whole number ≥ 0, got ${count}`);
  }
  const out: string[] = [];
  for (let s = 0; s < count; s++) {
    const next = model.begin();
    let token = tokenizer.bos;
    const ids: number[] = [];
    for (let pos = 0; pos < model.config.block_size; pos++) {
      token = rng.choices(probs(next(token), temperature));
      if (token === tokenizer.bos) break;
      ids.push(token);
    }
    out.push(tokenizer.decode(ids));
  }
  return out;
}

/**
 * The most likely continuation of `opts.prefix` (default "", BOS is put in front): always take the
 * highest-probability token (the limit T → 0).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createScalarModel, greedy, Random, Tokenizer } from "./engine_api.ts";
 * const tokenizer = Tokenizer.fromDocs(["ab"]);
 * const model = createScalarModel({ config: { vocab_size: 3, block_size: 4 }, rng: new Random(1) });
 * assert(greedy(model, { tokenizer }) === greedy(model, { tokenizer })); // deterministic
 * ```
 * @throws {RangeError} the prefix is too long for block_size or has an unknown character.
 */
export function greedy(model: Model, opts: { tokenizer: Tokenizer; prefix?: string }): string {
  const { tokenizer, prefix = "" } = opts;
  checkTokenizer(tokenizer, model.config.vocab_size);
  if (typeof prefix !== "string") throw new TypeError(`prefix must be a string, got ${typeof prefix}`);
  const tokens = tokenizer.encode(prefix).slice(0, -1); // [BOS, …prefix]: it must leave a position to predict
  if (tokens.length > model.config.block_size) {
    throw new RangeError(
      `prefix ${JSON.stringify(prefix)} has ${tokens.length - 1} characters; at most block_size − 1 = ${
        model.config.block_size - 1
      } fit`,
    );
  }
  const next = model.begin();
  let logits: number[] = [];
  for (const t of tokens) logits = next(t);
  const ids = tokens.slice(1);
  for (let pos = tokens.length;; pos++) {
    let best = 0;
    for (let i = 0; i < logits.length; i++) if (checkLogit(logits, i) > logits[best]) best = i;
    if (best === tokenizer.bos) break;
    ids.push(best);
    if (pos >= model.config.block_size) break; // every position used: like `sample`, at most block_size tokens
    logits = next(best);
  }
  return tokenizer.decode(ids);
}

/** `logits[i]`, or a RangeError if it is NaN or infinite (a comparison with NaN would pick a token silently). */
function checkLogit(logits: readonly number[], i: number): number {
  if (!Number.isFinite(logits[i])) {
    throw new RangeError(
      `logits[${i}] is ${logits[i]}: the model's weights are not finite (a diverged run?)`,
    );
  }
  return logits[i];
}
