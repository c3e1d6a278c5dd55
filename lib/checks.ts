/**
 * The input checks every model shares, each written once with one wording: a token id, a position, a
 * training sequence, a batch, a tokenizer that fits the model, and the keys of an options object. Both engines, the ladder's rungs, `train`,
 * `sample` and `checkpoint` call these, so one mistake gets the same message wherever it is made. Not part of
 * the public API (`mod.ts`): the public functions that call them document what they throw.
 *
 * @module
 */
import type { GPTConfig } from "./config.ts";

/** What the checks need of a tokenizer (a `Tokenizer` has it). */
export interface TokenizerLike {
  readonly vocab_size: number;
  encode(doc: string): number[];
}

/** `value` if it is a whole number in `[0, end)`, else a RangeError naming `name` and the range. */
function index(name: string, value: unknown, end: number, endName = ""): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value >= end) {
    throw new RangeError(`${name} must be a whole number in [0, ${endName}${end}), got ${value}`);
  }
  return value;
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
 */
export function checkToken(token: unknown, vocab_size: number): number {
  return index("token", token, vocab_size);
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
 */
export function checkPos(pos: unknown, block_size: number): number {
  return index("pos", pos, block_size, "block_size = ");
}

/**
 * A training sequence `[BOS, …ids, BOS]`: at least 2 tokens, each a valid id up to where it is cut (the
 * model reads `block_size + 1` tokens). Returns the number of predicted positions, `min(block_size, len − 1)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkSequence } from "./checks.ts";
 * assert.equal(checkSequence([26, 0, 26], { vocab_size: 27, block_size: 16 }), 2);
 * assert.throws(() => checkSequence([26], { vocab_size: 27, block_size: 16 }), /at least 2 tokens/);
 * ```
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
 * A batch: at least one sequence, each passing `checkSequence`; `name` is the parameter the message names.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkBatch } from "./checks.ts";
 * checkBatch([[26, 0, 26], [26, 1, 2, 26]], { vocab_size: 27, block_size: 16 });
 * assert.throws(() => checkBatch([], { vocab_size: 27, block_size: 16 }), /at least one token sequence/);
 * ```
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
 * A tokenizer (TypeError if not) whose vocabulary is the model's `vocab_size` (RangeError if not).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkTokenizer } from "./checks.ts";
 * import { Tokenizer } from "./tokenizer.ts";
 * checkTokenizer(Tokenizer.fromDocs(["ab"]), 3);
 * assert.throws(() => checkTokenizer(Tokenizer.fromDocs(["ab"]), 27), /must equal the model's vocab_size \(27\)/);
 * ```
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

/** An options object with only `allowed` keys: a misspelt one (`n_emb`, `num_step`) would silently keep a default. */
export function knownKeys(what: string, partial: object, allowed: readonly string[]): void {
  if (typeof partial !== "object" || partial === null) {
    throw new TypeError(`${what} must be an object, got ${partial === null ? "null" : typeof partial}`);
  }
  const unknown = Object.keys(partial).find((key) => !allowed.includes(key));
  if (unknown !== undefined) {
    throw new RangeError(`${what}: unknown key ${JSON.stringify(unknown)}; allowed: ${allowed.join(", ")}`);
  }
}
