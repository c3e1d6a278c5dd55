/**
 * The train0…train5 ladder as data, and the few helpers its small models share. Every rung is a `Model`
 * (`../model.ts`), so all six are trained by the one `train`, judged by the one `meanLoss` and sampled by the
 * one `sample`: only the model changes from one rung to the next (makemore's design). Rungs 0–2 are the small
 * models of `train0.ts`…`train2.ts`; rungs 3–5 are configurations of the real GPT (`createModel`).
 *
 * @module
 */
import { checkBatch, checkPos, checkToken } from "../checks.ts";
import type { GPTConfig } from "../config.ts";
import { checkOptimizer, type Optimizer } from "../model.ts";

/** What a rung is on the ladder: its name, the one idea it adds, and how `train` should update it. */
export interface RungInfo {
  /** 0…5 (file `train<N>.ts` for rungs 0–2). */
  readonly rung: number;
  /** Short name, e.g. "bigram counts". */
  readonly name: string;
  /** The one idea this rung adds to the one below it. */
  readonly idea: string;
  /** `train`'s `optimizer` for it (rung 0 counts and ignores it). */
  readonly optimizer: Optimizer;
  /** For rungs 3–5: the GPT configuration that makes the rung (`{ n_head: 1 }` for one head). */
  readonly config?: Partial<GPTConfig>;
}

/**
 * The six rungs. Rungs 3–5 differ only in configuration: one head and SGD, `n_head` heads and SGD, then Adam —
 * which is microGPT.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LADDER } from "./rung.ts";
 * assert.deepEqual(LADDER.map((r) => r.optimizer), ["sgd", "sgd", "sgd", "sgd", "sgd", "adam"]);
 * assert.deepEqual(LADDER[3].config, { n_head: 1 });
 * ```
 */
export const LADDER: readonly RungInfo[] = Object.freeze([
  {
    rung: 0,
    name: "bigram counts",
    idea: "count which token follows which; normalise each row into probabilities",
    optimizer: "sgd",
  },
  {
    rung: 1,
    name: "MLP, gradients by hand",
    idea: "learned embeddings + a hidden layer, trained by SGD with hand-derived gradients",
    optimizer: "sgd",
  },
  {
    rung: 2,
    name: "MLP, autograd",
    idea: "the same MLP, but Value.backward() computes the gradients",
    optimizer: "sgd",
  },
  {
    rung: 3,
    name: "+ attention (1 head)",
    idea: "position embeddings, single-head causal attention, RMSNorm and residual connections",
    optimizer: "sgd",
    config: { n_head: 1 },
  },
  {
    rung: 4,
    name: "+ multi-head",
    idea: "split attention into n_head independent heads of head_dim numbers each",
    optimizer: "sgd",
    config: {},
  },
  {
    rung: 5,
    name: "+ Adam (= microGPT)",
    idea: "Adam: per-parameter step sizes from running averages of the gradient and its square",
    optimizer: "adam",
    config: {},
  },
]);

/**
 * The loss of a batch as every model defines it: the mean over documents of each document's loss. The batch
 * is checked first (`checkBatch`: the engines' rule and wording).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { batchMean } from "./rung.ts";
 * const config = { vocab_size: 27, block_size: 16 };
 * assert.equal(batchMean([[26, 26], [26, 1, 2, 26]], config, (t) => t.length), 3);
 * assert.throws(() => batchMean([], config, (t) => t.length), /batch must hold at least one token sequence/);
 * ```
 * @throws {RangeError} an empty batch, or a sequence that is too short or has a token out of range.
 */
export function batchMean(
  batch: readonly (readonly number[])[],
  config: Pick<GPTConfig, "vocab_size" | "block_size">,
  docLoss: (tokens: readonly number[]) => number,
): number {
  checkBatch(batch, config);
  let sum = 0;
  for (const tokens of batch) sum += docLoss(tokens);
  return sum / batch.length;
}

/**
 * `Model.begin` for a small rung: feeds `logitsOf` one checked token per position, at most `block_size`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sequence } from "./rung.ts";
 * const next = sequence({ vocab_size: 3, block_size: 1 }, (token) => [token, 0, 0]);
 * assert.deepEqual(next(2), [2, 0, 0]);
 * assert.throws(() => next(2), /pos must be a whole number in \[0, block_size = 1\)/);
 * ```
 */
export function sequence(
  config: Pick<GPTConfig, "vocab_size" | "block_size">,
  logitsOf: (token: number) => number[],
): (token: number) => number[] {
  let pos = 0;
  return (token) => {
    checkPos(pos++, config.block_size);
    return logitsOf(checkToken(token, config.vocab_size));
  };
}

/**
 * Rungs 1 and 2 learn by plain SGD only: anything else asked of their `step` is a RangeError.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sgdOnly } from "./rung.ts";
 * sgdOnly(1, "sgd"); // fine
 * assert.throws(() => sgdOnly(1, undefined), /train1 learns by plain SGD: train it with optimizer "sgd", got "adam"/);
 * ```
 * @throws {RangeError} optimizer is not "sgd".
 */
export function sgdOnly(rung: number, optimizer: Optimizer | undefined): void {
  const asked = checkOptimizer(optimizer);
  if (asked !== "sgd") {
    throw new RangeError(`train${rung} learns by plain SGD: train it with optimizer "sgd", got "${asked}"`);
  }
}

/**
 * Give a small rung a one-line `toString()` and Jupyter display (non-enumerable), so a rung left as a cell's
 * last expression shows "train0 · bigram counts: 729 parameters — …" instead of thousands of numbers.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { withDisplay } from "./rung.ts";
 * const m = withDisplay({ numParams: 1234 }, 0);
 * assert(String(m).startsWith("train0 · bigram counts: 1,234 parameters — count"));
 * ```
 */
export function withDisplay<M extends { numParams: number }>(model: M, rung: number): M {
  const { name, idea } = LADDER[rung];
  const text = () =>
    `train${rung} · ${name}: ${model.numParams.toLocaleString("en-US")} parameters — ${idea}`;
  return Object.defineProperties(model, { // defined properties are not enumerable
    toString: { value: text },
    [Symbol.for("Jupyter.display")]: { value: () => ({ "text/plain": text() }) },
  });
}
