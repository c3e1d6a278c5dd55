/**
 * The fast engine's `Model`: the GPT of `gpt.ts` (the scalar engine's `../gpt.ts` on flat `Float64Array`s, with a
 * hand-written backward pass per layer) with its buffers, trained by the one Adam (`../adam.ts`). Its losses and
 * gradients are the scalar engine's bit for bit — tens of times faster (`deno task bench` measures it). Usually
 * reached through `createModel({ engine: "fast", … })` from `../engines.ts`.
 *
 * @module
 */
import { updateParams } from "../adam.ts";
import { checkBatch, checkPos, checkToken } from "../checks.ts";
import type { GPTConfig } from "../config.ts";
import type { Model, StateDict, StepOptions } from "../model.ts";
import { type CreateModelOptions, initialWeights, ModelDisplay } from "../params.ts";
import { type Activations, createActivations, createGrads, type Grads } from "./buffers.ts";
import { backward, docLoss, forward, gptWeights, type Weights } from "./gpt.ts";
import { type FlatParams, flatParams, loadFlat, toStateDict } from "./params.ts";

/**
 * A GPT on flat arrays; implements the same `Model` interface as the scalar engine.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createFastModel } from "./model.ts";
 * import { Random } from "../random.ts";
 * const model = createFastModel({ config: { vocab_size: 5, n_embd: 8, n_head: 2 }, rng: new Random(1) });
 * const before = model.loss([[4, 0, 1, 4]]);
 * for (let t = 0; t < 20; t++) {
 *   model.lossAndGrad([[4, 0, 1, 4]]);
 *   model.step({ lr: 0.01, t, beta1: 0.85, beta2: 0.99, eps: 1e-8 });
 * }
 * assert(model.loss([[4, 0, 1, 4]]) < before); // it learns the sequence
 * ```
 */
export class FastModel extends ModelDisplay implements Model {
  readonly engine = "fast" as const;
  readonly config: GPTConfig;
  readonly numParams: number;
  /** Parameters and gradients, one flat array each, with named matrix views. */
  readonly params: FlatParams;
  #m: Float64Array;
  #v: Float64Array;
  #weights: Weights;
  #acts: Activations;
  #grads: Grads;
  #docLosses = new Float64Array(8);
  #inference: Activations | undefined;
  #sequences = 0;
  #owner = 0;
  /**
   * Whether training attends only to earlier positions (true, the GPT) or to the whole name (false: notebook
   * 04's model trained without the causal mask). Generation is causal either way: later tokens do not exist yet.
   */
  readonly causal: boolean;

  /** Prefer `createFastModel`. @throws {RangeError} the state dict does not fit the config. */
  constructor(config: GPTConfig, sd: StateDict, causal = true) {
    super();
    this.config = config;
    this.causal = causal;
    this.params = flatParams(config);
    loadFlat(this.params, config, sd);
    this.numParams = this.params.data.length;
    this.#m = new Float64Array(this.numParams);
    this.#v = new Float64Array(this.numParams);
    this.#weights = gptWeights(this.params, config);
    this.#acts = createActivations(config);
    this.#grads = createGrads(config, this.#acts);
  }

  #batchLoss(batch: readonly (readonly number[])[], grad: boolean): number {
    checkBatch(batch, this.config);
    const B = batch.length;
    if (this.#docLosses.length < B) this.#docLosses = new Float64Array(B);
    const losses = this.#docLosses;
    // The scalar engine's backward finishes the last document first: run them in that order.
    for (let b = B - 1; b >= 0; b--) {
      const tokens = batch[b], n = Math.min(this.config.block_size, tokens.length - 1);
      losses[b] = docLoss(this.#weights, this.#acts, tokens, { n, causal: this.causal });
      if (grad) {
        backward(this.#weights, {
          acts: this.#acts,
          grads: this.#grads,
          tokens,
          n,
          gdoc: 1 / B,
          causal: this.causal,
        });
      }
    }
    let total = losses[0];
    for (let b = 1; b < B; b++) total += losses[b];
    return B === 1 ? total : total * (1 / B);
  }

  lossAndGrad(batch: readonly (readonly number[])[]): number {
    return this.#batchLoss(batch, true);
  }

  loss(batch: readonly (readonly number[])[]): number {
    return this.#batchLoss(batch, false);
  }

  step(opts: StepOptions): void {
    updateParams({ data: this.params.data, grad: this.params.grad, m: this.#m, v: this.#v }, opts); // zeroes grad
  }

  /**
   * Sequences share one set of inference buffers. A sequence that finds them used by a newer one since its
   * last call first replays its own earlier tokens (the forward pass is deterministic, so the result is the
   * same as with buffers of its own); sampling one name after another never needs that.
   */
  begin(): (token: number) => number[] {
    const acts = this.#inference ??= createActivations(this.config);
    const { vocab_size, block_size } = this.config;
    const id = ++this.#sequences;
    this.#owner = id;
    const tokens: number[] = [];
    return (token: number) => {
      checkToken(token, vocab_size);
      const pos = checkPos(tokens.length, block_size);
      tokens.push(token);
      const from = this.#owner === id ? pos : 0; // replay the earlier tokens if another sequence ran since
      this.#owner = id;
      forward(this.#weights, acts, tokens, { from, to: pos + 1, causal: true });
      return Array.from(acts.logits[pos]);
    };
  }

  stateDict(): StateDict {
    return toStateDict(this.params);
  }

  loadStateDict(sd: StateDict): void {
    loadFlat(this.params, this.config, sd);
    this.params.grad.fill(0);
    this.#m.fill(0);
    this.#v.fill(0);
  }
}

/**
 * A fast-engine GPT with weights drawn from `rng` exactly as the scalar engine draws them (or copied from
 * `stateDict`). `causal: false` trains without the causal mask (every position sees the whole name).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createFastModel } from "./model.ts";
 * import { Random } from "../random.ts";
 * const model = createFastModel({ config: { vocab_size: 27 }, rng: new Random(42) });
 * assert(model.numParams === 4192 && model.begin()(26).length === 27);
 * ```
 * @throws {TypeError} neither rng nor stateDict is given.
 */
export function createFastModel(opts: CreateModelOptions & { causal?: boolean }): FastModel {
  const { config, stateDict } = initialWeights(opts, "createFastModel");
  return new FastModel(config, stateDict, opts.causal ?? true);
}
