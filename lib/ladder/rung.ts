/**
 * What every rung of the train0…train5 ladder is. makemore-style: each rung is a small model behind this one
 * interface, so every rung plugs into the same training loop (`trainRung`) and the same evaluation
 * (`evalRung`) in `loop.ts`, and the only thing that changes from one rung to the next is one idea.
 *
 * @module
 */

/** What `update` needs from the training loop. */
export interface UpdateOpts {
  /** The learning rate of this step, already decayed by the loop. */
  lr: number;
  /** 0-based step number (Adam's bias correction uses `step + 1`). */
  step: number;
}

/** One rung: a next-token model over token ids, trained one document at a time. */
export interface Rung {
  /** Position on the ladder, 0…5 (file `train<N>.ts`). */
  readonly rung: number;
  /** Short name, e.g. "bigram counts". */
  readonly name: string;
  /** The one idea this rung adds to the one below it. */
  readonly idea: string;
  /** Number of learned numbers (for the count table: its 27×27 cells). */
  readonly numParams: number;
  /** The most predicted positions per document (longer documents are cut, as in the engine). */
  readonly block_size: number;
  /**
   * Learn from one document `[BOS, …ids, BOS]`: returns its mean next-token cross-entropy (before learning
   * from it) and accumulates what `update` will apply (gradients, or counts for rung 0).
   */
  lossAndGrad(tokens: readonly number[]): number;
  /** The same loss without learning anything (held-out evaluation). */
  loss(tokens: readonly number[]): number;
  /** Apply what `lossAndGrad` accumulated, then clear it. */
  update(opts: UpdateOpts): void;
  /**
   * Start a fresh sequence: the returned function takes the token at the next position and returns the
   * logits (length vocab_size) for the token after it. At most `block_size` calls.
   */
  begin(): (token: number) => number[];
}

/**
 * How many positions of `tokens` a rung predicts: `min(block_size, tokens.length - 1)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { predictedPositions } from "./rung.ts";
 * assert(predictedPositions([26, 4, 12, 12, 0, 26], 16) === 5); // [BOS] e m m a [BOS]: 5 next tokens
 * assert(predictedPositions([26, 4, 12, 12, 0, 26], 3) === 3); // cut to the context window
 * ```
 * @throws {RangeError} fewer than 2 tokens.
 */
export function predictedPositions(tokens: readonly number[], block_size: number): number {
  if (tokens.length < 2) {
    throw new RangeError(`tokens must hold at least 2 ids ([BOS, BOS]), got length ${tokens.length}`);
  }
  return Math.min(block_size, tokens.length - 1);
}

/**
 * Give a rung a one-line `toString()` and a Jupyter display (non-enumerable), so a rung left as a cell's last
 * expression shows "train3 · + attention (1 head): 4,192 parameters — …" instead of thousands of numbers.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { withDisplay } from "./rung.ts";
 * const r = withDisplay({ rung: 0, name: "demo", idea: "an idea", numParams: 1234 });
 * assert(String(r) === "train0 · demo: 1,234 parameters — an idea");
 * ```
 */
export function withDisplay<R extends Pick<Rung, "rung" | "name" | "idea" | "numParams">>(rung: R): R {
  const text = () =>
    `train${rung.rung} · ${rung.name}: ${rung.numParams.toLocaleString("en-US")} parameters — ${rung.idea}`;
  Object.defineProperty(rung, "toString", { value: text, enumerable: false });
  Object.defineProperty(rung, Symbol.for("Jupyter.display"), {
    value: () => ({ "text/plain": text() }),
    enumerable: false,
  });
  return rung;
}
