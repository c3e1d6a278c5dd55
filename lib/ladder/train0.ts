/**
 * Rung 0 of the ladder: a bigram model that learns by counting. `counts[a][b]` is how often token `b` followed
 * token `a` in the training documents; the probability of `b` after `a` is that count plus 1 (add-one
 * smoothing, so no pair is impossible) divided by the row's total plus vocab_size. It is a `Model` like the
 * GPT: `lossAndGrad` notes the pairs of a batch, `step` adds them to the table — "training" is counting (no
 * gradients, the learning rate is ignored).
 *
 * @module
 */
import { type GPTConfig, gptConfig } from "../config.ts";
import type { Model } from "../model.ts";
import { positionMean, smallRung } from "./rung.ts";

/** Options of {@link createBigramModel}. */
export interface BigramOptions {
  /** Number of distinct tokens, BOS included (27 for names). */
  vocab_size: number;
  /** The most predicted positions per document (default 16, as the GPT). */
  block_size?: number;
}

/** Rung 0: the count table and the probabilities it implies. */
export interface BigramModel extends Model {
  /** `counts[a][b]`: times token `b` followed token `a` ([vocab_size][vocab_size]). */
  readonly counts: number[][];
  /** The next-token probabilities, row `a` = P(next | a), add-one smoothing included. */
  probs(): number[][];
}

/**
 * Create an empty count table (every pair seen 0 times: with add-one smoothing every next token is equally
 * likely).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createBigramModel } from "./train0.ts";
 * const m = createBigramModel({ vocab_size: 3 }); // tokens a=0, b=1, BOS=2
 * m.lossAndGrad([[2, 0, 1, 2]]); // note BOS→a, a→b, b→BOS
 * m.step({ lr: 0, t: 0, beta1: 0, beta2: 0, eps: 0 }); // add them to the table
 * assert(m.counts[0][1] === 1);
 * assert(m.probs()[0][1] === 2 / 4); // (1 + 1) / (1 + 3)
 * ```
 * @throws {RangeError} vocab_size < 2 or block_size < 1 (from `gptConfig`).
 */
export function createBigramModel(opts: BigramOptions): BigramModel {
  const { vocab_size, block_size = 16 } = opts;
  const config: GPTConfig = gptConfig({ vocab_size, block_size }); // validates both
  const zeros = () => Array.from({ length: vocab_size }, () => new Array<number>(vocab_size).fill(0));
  const counts = zeros(); // [vocab][vocab]
  const pending = zeros(); // pairs noted since the last step
  const rowTotal = new Array<number>(vocab_size).fill(0);

  const prob = (a: number, b: number) => (counts[a][b] + 1) / (rowTotal[a] + vocab_size);
  return smallRung(0, {
    engine: "counts",
    config,
    // the loss is measured before this batch's pairs count, so it is an honest prediction of unseen text
    docLoss: (tokens, n, learn) =>
      positionMean(tokens, n, (a, b) => {
        if (learn) pending[a][b] += 1;
        return -Math.log(prob(a, b));
      }),
    logits: (token) => counts[token].map((_, b) => Math.log(prob(token, b))), // log-probabilities
    update() {
      for (let a = 0; a < vocab_size; a++) {
        for (let b = 0; b < vocab_size; b++) {
          counts[a][b] += pending[a][b];
          rowTotal[a] += pending[a][b];
          pending[a][b] = 0;
        }
      }
    },
    read: () => ({ counts: counts.map((row) => [...row]) }),
    write(sd) {
      for (let a = 0; a < vocab_size; a++) {
        for (let b = 0; b < vocab_size; b++) counts[a][b] = sd.counts[a][b];
        rowTotal[a] = counts[a].reduce((s, x) => s + x, 0);
        pending[a].fill(0);
      }
    },
  }, { counts, probs: () => counts.map((row, a) => row.map((_, b) => prob(a, b))) });
}
