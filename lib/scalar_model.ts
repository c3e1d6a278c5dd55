/**
 * The scalar engine as a `Model` (`gpt.ts`'s forward pass behind the interface `train()` and `sample()` use).
 *
 * @module
 */
import type { GPTConfig } from "./config.ts";
import type { Model, StateDict, StepOptions } from "./model.ts";
import { updateParams } from "./adam.ts";
import { checkBatch } from "./checks.ts";
import { createKVCache, docLoss, gpt, type LossOptions, toValues, type ValueStateDict } from "./gpt.ts";
import {
  checkStateDict,
  countParams,
  type CreateModelOptions,
  initialWeights,
  ModelDisplay,
} from "./params.ts";
import { recycleNodes } from "./recycle.ts";
import type { Value } from "./value.ts";

/**
 * The scalar engine's model: the `Model` interface plus the `Value` graph for lessons (`sd`, `params`,
 * `lossValue`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createScalarModel, Random } from "./engine_api.ts";
 * const model = createScalarModel({ config: { vocab_size: 3, n_embd: 4, n_head: 1 }, rng: new Random(1) });
 * const loss = model.lossValue([[2, 0, 1, 2]]); // a Value: inspect it, or call loss.backward()
 * loss.backward();
 * assert(model.sd.wte[2].some((p) => p.grad !== 0));
 * ```
 */
export class ScalarModel extends ModelDisplay implements Model {
  readonly engine = "scalar" as const;
  readonly config: GPTConfig;
  readonly numParams: number;
  /** The parameters as `Value`s, by name. */
  sd: ValueStateDict;
  /** All parameters in state-dict order (row by row). */
  params: Value[];
  /** Options of every forward pass in `lossValue`/`loss` (observers, swapped parts: `checkPart` sets them). */
  forward: LossOptions = {};
  #m: Float64Array;
  #v: Float64Array;

  /** Prefer `createScalarModel`. */
  constructor(config: GPTConfig, sd: StateDict) {
    super();
    checkStateDict(config, sd);
    this.config = config;
    this.numParams = countParams(config);
    this.sd = toValues(sd);
    this.params = Object.values(this.sd).flat(2);
    this.#m = new Float64Array(this.numParams);
    this.#v = new Float64Array(this.numParams);
  }

  /**
   * The loss graph of a batch: one document's `docLoss`, or the mean over documents for a bigger batch.
   * Call `.backward()` on it to get every parameter's gradient.
   */
  lossValue(batch: readonly (readonly number[])[]): Value {
    checkBatch(batch, this.config);
    const losses = batch.map((tokens) => docLoss(tokens, this.config, this.sd, this.forward));
    return losses.length === 1 ? losses[0] : losses.reduce((a, b) => a.add(b)).mul(1 / losses.length);
  }

  lossAndGrad(batch: readonly (readonly number[])[]): number {
    return this.#recycled(() => {
      const loss = this.lossValue(batch);
      loss.backward();
      return loss.data;
    });
  }

  /**
   * The graph of `fn` is dropped when it returns: recycle its nodes (lib/recycle.ts), unless caller code runs
   * inside (an observer or parts in `forward`), which could keep a node.
   */
  #recycled(fn: () => number): number {
    return Object.values(this.forward).every((x) => x === undefined) ? recycleNodes(fn) : fn();
  }

  loss(batch: readonly (readonly number[])[]): number {
    checkBatch(batch, this.config);
    // One document's graph at a time (a whole batch's graph at once makes the garbage collector's work grow
    // with the square of the batch); the float operations are those of `lossValue(batch).data`.
    const losses = batch.map((tokens) =>
      this.#recycled(() => docLoss(tokens, this.config, this.sd, this.forward).data)
    );
    return losses.length === 1 ? losses[0] : losses.reduce((a, b) => a + b) * (1 / losses.length);
  }

  step(opts: StepOptions): void {
    const p = this.params;
    const data = Float64Array.from(p, (v) => v.data), grad = Float64Array.from(p, (v) => v.grad);
    updateParams({ data, grad, m: this.#m, v: this.#v }, opts);
    for (let i = 0; i < p.length; i++) {
      p[i].data = data[i];
      p[i].grad = 0;
    }
  }

  begin(): (token: number) => number[] {
    const kv = createKVCache(this.config);
    let pos = 0;
    return (token: number) => gpt(token, pos++, kv, this.sd).map((l) => l.data);
  }

  stateDict(): StateDict {
    const out: StateDict = {};
    for (const [name, m] of Object.entries(this.sd)) out[name] = m.map((row) => row.map((v) => v.data));
    return out;
  }

  loadStateDict(sd: StateDict): void {
    checkStateDict(this.config, sd);
    const values = Object.keys(this.sd).flatMap((name) => sd[name].flat()); // in the order of this.params
    for (let i = 0; i < values.length; i++) {
      this.params[i].data = values[i];
      this.params[i].grad = 0;
    }
    this.#m.fill(0);
    this.#v.fill(0);
  }
}

/**
 * A scalar-engine GPT with weights drawn from `rng` (or copied from `stateDict`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createScalarModel, Random } from "./engine_api.ts";
 * const model = createScalarModel({ config: { vocab_size: 27 }, rng: new Random(42) });
 * assert(model.numParams === 4192);
 * const logits = model.begin()(26);
 * assert(logits.length === 27);
 * ```
 * @throws {TypeError} neither rng nor stateDict is given.
 */
export function createScalarModel(opts: CreateModelOptions): ScalarModel {
  const { config, stateDict } = initialWeights(opts, "createScalarModel");
  return new ScalarModel(config, stateDict);
}
