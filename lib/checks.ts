/**
 * The input checks every model shares, each written once with one wording: a token id, a position, a
 * training sequence, a batch, and a tokenizer that fits the model. Both engines, the ladder's rungs, `train`,
 * `sample` and `checkpoint` call these, so one mistake gets the same message wherever it is made.
 *
 * @module
 */
import type { GPTConfig } from "./config.ts";

/** What the checks need of a tokenizer (a `Tokenizer` has it). */
export interface TokenizerLike {
  readonly vocab_size: number;
  encode(doc: string): number[];
}

function wholeBelow(name: string, value: unknown, end: string): never {
  throw new RangeError(`${name} must be a whole number in [0, ${end}), got ${value}`);
}

/**
 * A token id: a whole number in `[0, vocab_size)`. Returns it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkToken } from "./checks.ts";
 * assert.equal(checkToken(26, 27), 26);
 * assert.throws(() => checkToken(27, 27), /token must be a whole number in \[0, 27\), got 27/);
 * ```
 * @throws {RangeError} not a whole number in range.
 */
export function checkToken(token: unknown, vocab_size: number): number {
  if (typeof token !== "number" || !Number.isInteger(token) || token < 0 || token >= vocab_size) {
    wholeBelow("token", token, String(vocab_size));
  }
  return token as number;
}

/**
 * A position: a whole number in `[0, block_size)` (a model sees at most `block_size` tokens). Returns it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkPos } from "./checks.ts";
 * assert.equal(checkPos(15, 16), 15);
 * assert.throws(() => checkPos(16, 16), /pos must be a whole number in \[0, block_size = 16\), got 16/);
 * ```
 * @throws {RangeError} not a whole number in range.
 */
export function checkPos(pos: unknown, block_size: number): number {
  if (typeof pos !== "number" || !Number.isInteger(pos) || pos < 0 || pos >= block_size) {
    wholeBelow("pos", pos, `block_size = ${block_size}`);
  }
  return pos as number;
}

/**
 * A training sequence `[BOS, …ids, BOS]`: at least 2 tokens, each a valid id up to where it is cut (the
 * model predicts at most `block_size` positions, so it reads `block_size + 1` tokens). Returns the number of
 * predicted positions, `min(block_size, tokens.length − 1)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkSequence } from "./checks.ts";
 * assert.equal(checkSequence([26, 0, 26], { vocab_size: 27, block_size: 16 }), 2);
 * assert.throws(() => checkSequence([26], { vocab_size: 27, block_size: 16 }), /at least 2 tokens/);
 * ```
 * @throws {RangeError} fewer than 2 tokens, or a token out of range.
 */
export function checkSequence(
  tokens: readonly number[],
  config: Pick<GPTConfig, "vocab_size" | "block_size">,
): number {
  if (!Array.isArray(tokens) || tokens.length < 2) {
    throw new RangeError(
      `a training sequence needs at least 2 tokens ([BOS, …, BOS]), got ${(tokens as unknown[])?.length}`,
    );
  }
  const n = Math.min(config.block_size, tokens.length - 1);
  for (let i = 0; i <= n; i++) checkToken(tokens[i], config.vocab_size);
  return n;
}

/**
 * A batch: at least one training sequence, each passing `checkSequence`. `name` is the parameter the
 * message names (default "batch").
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkBatch } from "./checks.ts";
 * checkBatch([[26, 0, 26], [26, 1, 2, 26]], { vocab_size: 27, block_size: 16 });
 * assert.throws(() => checkBatch([], { vocab_size: 27, block_size: 16 }), /at least one token sequence/);
 * ```
 * @throws {RangeError} an empty batch, or a bad sequence.
 */
export function checkBatch(
  batch: readonly (readonly number[])[],
  config: Pick<GPTConfig, "vocab_size" | "block_size">,
  name = "batch",
): void {
  if (!Array.isArray(batch) || batch.length === 0) {
    throw new RangeError(`${name} must hold at least one token sequence`);
  }
  for (const tokens of batch) checkSequence(tokens, config);
}

/**
 * A tokenizer whose vocabulary is the model's (`vocab_size` of the model's config).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkTokenizer } from "./checks.ts";
 * import { Tokenizer } from "./tokenizer.ts";
 * checkTokenizer(Tokenizer.fromDocs(["ab"]), 3);
 * assert.throws(() => checkTokenizer(Tokenizer.fromDocs(["ab"]), 27), /must equal the model's vocab_size \(27\)/);
 * ```
 * @throws {TypeError} not a tokenizer.
 * @throws {RangeError} the vocabulary sizes differ.
 */
export function checkTokenizer(tokenizer: TokenizerLike, vocab_size: number): void {
  if (typeof tokenizer?.encode !== "function") {
    throw new TypeError(`tokenizer must be a Tokenizer (Tokenizer.fromDocs(docs)), got ${String(tokenizer)}`);
  }
  if (tokenizer.vocab_size !== vocab_size) {
    throw new RangeError(
      `tokenizer.vocab_size (${tokenizer.vocab_size}) must equal the model's vocab_size (${vocab_size}); ` +
        "use the tokenizer the model was trained with",
    );
  }
}
