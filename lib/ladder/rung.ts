/**
 * The train0…train5 ladder as data (see `mod.ts`), and what its small models (rungs 0–2) share.
 *
 * @module
 */
import { checkBatch, checkPos, checkToken } from "../checks.ts";
import type { GPTConfig } from "../config.ts";
import { checkOptimizer, type Model, type Optimizer, type StateDict, type StepOptions } from "../model.ts";
import { checkMatrices, type CreateModelOptions, initialWeights } from "../params.ts";

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

/** The matrices of the MLP rungs (1 and 2), in the order they are used. */
export const MLP_MATRICES = ["wte", "mlp_fc1", "mlp_fc2", "lm_head"] as const;

/**
 * The GPT's initial weights drawn from `opts.rng` (in the reference order), keeping only `names` (written
 * without `layer0.`): a matrix starts from the same numbers on every rung, so rungs differ by their idea, not
 * by the dice. Returns the validated config and the matrices.
 */
export function pickInit<N extends string>(opts: CreateModelOptions, names: readonly N[], factory: string) {
  const { config, stateDict: sd } = initialWeights(opts, factory);
  const params = {} as Record<N, number[][]>;
  for (const name of names) params[name] = sd[name] ?? sd[`layer0.${name}`];
  return { config, params };
}

/** The mean over a document's `n` predicted positions of nll(a, b) = −log p(next token b | token a). */
export function positionMean(tokens: readonly number[], n: number, nll: (a: number, b: number) => number) {
  let sum = 0;
  for (let pos = 0; pos < n; pos++) sum += nll(tokens[pos], tokens[pos + 1]);
  return sum / n;
}

/** What a small rung computes itself; `smallRung` makes a `Model` of it. */
export interface RungParts {
  engine: string;
  config: GPTConfig;
  /** The mean loss of one checked document over its `n` predicted positions; `learn` > 0: also note the
   * gradients (or counts) of this document, as one of `learn` documents in the batch. */
  docLoss(tokens: readonly number[], n: number, learn: number): number;
  /** The logits of the token after `token`. */
  logits(token: number): number[];
  /** Apply what `docLoss` noted (SGD with learning rate `lr`, or add the counts), then clear it. */
  update(lr: number): void;
  /** A copy of the parameters as numbers (their shapes are the rung's: `numParams` counts them,
   * `loadStateDict` checks against them), and overwriting them from a checked state dict. */
  read(): StateDict;
  write(sd: StateDict): void;
}

/**
 * A small rung as a `Model`, with `extra` (what the lesson looks at) on it: the loss of a batch is the mean
 * over its documents (the batch checked with the engines' rule and wording), `begin` feeds one checked token
 * per position, a loaded state dict is checked against the shapes of `read()`, rungs 1 and 2 learn by plain
 * SGD only (any other optimizer is a RangeError), and a rung left as a cell's last expression shows one line:
 * "train0 · bigram counts: 729 parameters — …".
 */
export function smallRung<X extends object>(rung: number, parts: RungParts, extra: X): Model & X {
  const { config } = parts;
  const table = Object.entries(parts.read()).map(([name, m]) => ({
    name,
    shape: [m.length, m[0].length] as const,
  }));
  const mean = (batch: readonly (readonly number[])[], learn: boolean) => {
    checkBatch(batch, config);
    let sum = 0;
    for (const tokens of batch) {
      sum += parts.docLoss(tokens, Math.min(config.block_size, tokens.length - 1), learn ? batch.length : 0);
    }
    return sum / batch.length;
  };
  const numParams = table.reduce((s, { shape: [rows, cols] }) => s + rows * cols, 0);
  const model: Model & X = Object.assign(extra, {
    engine: parts.engine,
    config,
    numParams,
    loss: (batch: readonly (readonly number[])[]) => mean(batch, false),
    lossAndGrad: (batch: readonly (readonly number[])[]) => mean(batch, true),
    step({ lr, optimizer }: StepOptions) {
      const asked = rung > 0 ? checkOptimizer(optimizer) : "sgd"; // rung 0 counts, whatever is asked
      if (asked !== "sgd") {
        throw new RangeError(
          `train${rung} learns by plain SGD: train it with optimizer "sgd", got "${asked}"`,
        );
      }
      parts.update(lr);
    },
    begin() {
      let pos = 0;
      return (token: number) => {
        checkPos(pos++, config.block_size);
        return parts.logits(checkToken(token, config.vocab_size));
      };
    },
    stateDict: parts.read,
    loadStateDict(sd: StateDict) {
      checkMatrices(table, sd);
      parts.write(sd);
    },
  });
  const { name, idea } = LADDER[rung];
  const text = () => `train${rung} · ${name}: ${numParams.toLocaleString("en-US")} parameters — ${idea}`;
  return Object.defineProperties(model, { // defined properties are not enumerable
    toString: { value: text },
    [Symbol.for("Jupyter.display")]: { value: () => ({ "text/plain": text() }) },
  });
}
