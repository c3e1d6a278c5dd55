/**
 * One entry point for both engines: `createModel({ config, rng, engine })`. The scalar engine builds a
 * `Value` graph (inspectable, slow); the fast engine computes the same numbers on `Float64Array`s.
 *
 * @module
 */
import type { Model } from "./model.ts";
import { createScalarModel } from "./scalar_model.ts";
import type { CreateModelOptions } from "./params.ts";
import { createFastModel } from "./fast/model.ts";

/** The engines `createModel` knows. */
export type EngineName = "scalar" | "fast";

/** Options of `createModel`: those of `createScalarModel` plus the engine. */
export interface CreateAnyModelOptions extends CreateModelOptions {
  /** "scalar" (default, the `Value` engine) or "fast". */
  engine?: EngineName;
  /** false: train without the causal mask (fast engine only; notebook 04's cheat). Default true. */
  causal?: boolean;
}

const factories = { scalar: createScalarModel, fast: createFastModel };

/**
 * A GPT on the chosen engine, weights drawn from `rng` in the reference order (or copied from `stateDict`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createModel, Random } from "./engine_api.ts";
 * const model = createModel({ config: { vocab_size: 27 }, rng: new Random(42) });
 * assert(model.engine === "scalar" && model.numParams === 4192);
 * ```
 * @throws {RangeError} an unknown engine name, or `causal: false` on an engine other than "fast".
 */
export function createModel(opts: CreateAnyModelOptions): Model {
  const { engine = "scalar", ...rest } = opts;
  if (rest.causal !== undefined && rest.causal !== true && engine !== "fast") {
    throw new RangeError(
      `causal: false needs engine "fast" (the ${engine} engine always masks), got ${rest.causal}`,
    );
  }
  if (!Object.hasOwn(factories, engine)) {
    throw new RangeError(`engine must be one of "scalar", "fast", got ${JSON.stringify(engine)}`);
  }
  return factories[engine](rest);
}
