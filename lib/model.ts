/**
 * The one interface every model implements: the scalar `Value` engine (the teaching engine, `gpt.ts`), the
 * fast `Float64Array` engine (`fast/`), and the smaller models of notebook 02's ladder (`ladder/`: a count
 * table, an MLP). `train`, `meanLoss`, `sample`, `checkpoint`, the CLI and the notebooks accept any of them,
 * so a learner can swap engines — or models — without changing anything else (makemore's design).
 *
 * @module
 */
import type { GPTConfig } from "./config.ts";

/** Named parameter matrices as plain numbers, in the reference order (`wte`, `wpe`, `lm_head`, `layer0.attn_wq`, …). */
export type StateDict = Record<string, number[][]>;

/** Adam hyper-parameters for one update. `t` is the 0-based step number (bias correction uses t + 1). */
export interface AdamStep {
  lr: number;
  t: number;
  beta1: number;
  beta2: number;
  eps: number;
}

/** The update rules `step` knows: Adam (microGPT's), or plain SGD (p ← p − lr·grad, the ladder's rungs 1–4). */
export type Optimizer = "adam" | "sgd";

/** What `step` receives from `train`: the learning rate of this step, Adam's settings, and the rule. */
export interface StepOptions extends AdamStep {
  /** Default "adam". */
  optimizer?: Optimizer;
}

/** A next-token model that can be trained and sampled: a GPT on either engine, or a rung of the ladder. */
export interface Model {
  /** What computes it: "scalar" or "fast" for the GPT engines; a ladder rung says how it works, e.g. "counts". */
  readonly engine: string;
  /** The architecture (validated). A smaller model uses the parts it has (a count table: vocab_size, block_size). */
  readonly config: GPTConfig;
  /** Number of scalar parameters (4,192 for the defaults). */
  readonly numParams: number;
  /**
   * Forward and backward over a batch of token sequences, each `[BOS, …ids, BOS]`. Each sequence is cut to
   * `block_size` predicted positions. The loss is the mean over documents of each document's mean
   * next-token cross-entropy (batch of one = the reference). Gradients accumulate until `step`.
   */
  lossAndGrad(batch: readonly (readonly number[])[]): number;
  /** The same loss without gradients (for held-out evaluation). */
  loss(batch: readonly (readonly number[])[]): number;
  /**
   * One update from what `lossAndGrad` accumulated (Adam unless `optimizer` is "sgd"; a count table adds its
   * counts), then clear it. A model that cannot follow the asked rule throws a RangeError.
   */
  step(opts: StepOptions): void;
  /**
   * Start a fresh sequence (empty KV cache). The returned function takes the token at the next position and
   * returns the logits (length vocab_size) for the token after it. At most `block_size` calls.
   */
  begin(): (token: number) => number[];
  /** A deep copy of the parameters. */
  stateDict(): StateDict;
  /** Overwrite the parameters (shapes must match), and reset the optimiser state. */
  loadStateDict(sd: StateDict): void;
}

/**
 * The update rule a `step` asks for (undefined means "adam"), or a RangeError with one wording for every model.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkOptimizer } from "./model.ts";
 * assert.equal(checkOptimizer(undefined), "adam");
 * assert.equal(checkOptimizer("sgd"), "sgd");
 * assert.throws(() => checkOptimizer("sdg"), /optimizer must be "adam" or "sgd", got "sdg"/);
 * ```
 */
export function checkOptimizer(optimizer: unknown): Optimizer {
  if (optimizer === undefined) return "adam";
  if (optimizer !== "adam" && optimizer !== "sgd") {
    throw new RangeError(`optimizer must be "adam" or "sgd", got ${JSON.stringify(optimizer)}`);
  }
  return optimizer;
}
