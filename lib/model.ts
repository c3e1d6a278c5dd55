/**
 * The one interface both engines implement: the scalar `Value` engine (the teaching engine, `gpt.ts`)
 * and the fast `Float64Array` engine (`fast/`). `train`, `sample`, `checkpoint`, the CLI and the notebooks
 * accept either, so a learner can swap engines without changing anything else.
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

/** A GPT that can be trained and sampled. */
export interface Model {
  /** Which engine computes it. */
  readonly engine: "scalar" | "fast";
  /** The architecture (validated). */
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
  /** One Adam update from the accumulated gradients, then zero the gradients. */
  step(opts: AdamStep): void;
  /**
   * Start a fresh sequence (empty KV cache). The returned function takes the token at the next position and
   * returns the logits (length vocab_size) for the token after it. At most `block_size` calls.
   */
  begin(): (token: number) => number[];
  /** A deep copy of the parameters. */
  stateDict(): StateDict;
  /** Overwrite the parameters (shapes must match the config), and reset the optimiser state. */
  loadStateDict(sd: StateDict): void;
}
