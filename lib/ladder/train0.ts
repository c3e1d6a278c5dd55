/**
 * Rung 0 of the ladder: a bigram model that learns by counting. `counts[a][b]` is how often token `b` followed
 * token `a` in the training documents; the probability of `b` after `a` is that count (plus `smoothing`, so no
 * pair is impossible) divided by the row's total. No gradients, no learning rate: "training" is counting.
 *
 * @module
 */
import { checkPos, checkToken } from "../checks.ts";
import { predictedPositions, type Rung, withDisplay } from "./rung.ts";

/** Options of {@link createBigramModel}. */
export interface BigramOptions {
  /** Number of distinct tokens, BOS included (27 for names). */
  vocab_size: number;
  /** The most predicted positions per document (default 16, as the GPT). */
  block_size?: number;
  /** Pseudo-count added to every cell (default 1: add-one smoothing). */
  smoothing?: number;
}

/** Rung 0: the count table and the probabilities it implies. */
export interface BigramModel extends Rung {
  /** `counts[a][b]`: times token `b` followed token `a` ([vocab_size][vocab_size]). */
  readonly counts: number[][];
  /** The next-token probabilities, row `a` = P(next | a), smoothing included. */
  probs(): number[][];
}

/**
 * Create an empty count table (every pair seen 0 times; with smoothing every next token is equally likely).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createBigramModel } from "./train0.ts";
 * const m = createBigramModel({ vocab_size: 3 }); // tokens a=0, b=1, BOS=2
 * m.lossAndGrad([2, 0, 1, 2]); // count BOS→a, a→b, b→BOS
 * m.update({ lr: 0, step: 0 });
 * assert(m.counts[0][1] === 1);
 * assert(m.probs()[0][1] === 2 / 4); // (1 + 1) / (1 + 3)
 * ```
 * @throws {RangeError} vocab_size < 2, block_size < 1 or smoothing < 0.
 */
export function createBigramModel(opts: BigramOptions): BigramModel {
  const { vocab_size, block_size = 16, smoothing = 1 } = opts;
  if (!Number.isInteger(vocab_size) || vocab_size < 2) {
    throw new RangeError(`vocab_size must be a whole number ≥ 2, got ${vocab_size}`);
  }
  if (!Number.isInteger(block_size) || block_size < 1) {
    throw new RangeError(`block_size must be a whole number ≥ 1, got ${block_size}`);
  }
  if (!(smoothing >= 0)) throw new RangeError(`smoothing must be ≥ 0, got ${smoothing}`);
  const zeros = () => Array.from({ length: vocab_size }, () => new Array<number>(vocab_size).fill(0));
  const counts = zeros(); // [vocab][vocab]
  let pending = zeros(); // counts seen since the last update
  const rowTotal = new Array<number>(vocab_size).fill(0);

  const prob = (a: number, b: number) => (counts[a][b] + smoothing) / (rowTotal[a] + smoothing * vocab_size);
  const check = (t: number) => checkToken(t, vocab_size);
  const loss = (tokens: readonly number[]) => {
    const n = predictedPositions(tokens, block_size);
    let sum = 0;
    for (let pos = 0; pos < n; pos++) sum += -Math.log(prob(check(tokens[pos]), check(tokens[pos + 1])));
    return sum / n;
  };

  return withDisplay({
    rung: 0,
    name: "bigram counts",
    idea: "count which token follows which; normalise each row into probabilities",
    numParams: vocab_size * vocab_size,
    block_size,
    counts,
    probs: () => counts.map((row, a) => row.map((_, b) => prob(a, b))),
    loss,
    lossAndGrad(tokens) {
      const value = loss(tokens);
      const n = predictedPositions(tokens, block_size);
      for (let pos = 0; pos < n; pos++) pending[tokens[pos]][tokens[pos + 1]] += 1;
      return value;
    },
    update() {
      for (let a = 0; a < vocab_size; a++) {
        for (let b = 0; b < vocab_size; b++) {
          counts[a][b] += pending[a][b];
          rowTotal[a] += pending[a][b];
        }
      }
      pending = zeros();
    },
    begin() {
      let pos = 0;
      return (token) => {
        checkPos(pos++, block_size);
        const row = check(token);
        return counts[row].map((_, b) => Math.log(prob(row, b))); // logits = log-probabilities
      };
    },
  });
}
