/**
 * The fast engine: the GPT of `../gpt.ts` on flat `Float64Array`s with a hand-written backward pass per layer.
 * Same `Model` interface, same numbers (losses and gradients bit for bit), tens of times faster.
 * Usually reached through `createModel({ engine: "fast", … })` from `../engines.ts`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createFastModel } from "./mod.ts";
 * import { Random } from "../random.ts";
 * const model = createFastModel({ config: { vocab_size: 27 }, rng: new Random(42) });
 * const loss = model.lossAndGrad([[26, 0, 1, 26]]);
 * assert(Math.abs(loss - Math.log(27)) < 0.5);
 * ```
 *
 * @module
 */
export * from "./model.ts";
export * from "./gpt.ts";
export * from "./params.ts";
export * from "./buffers.ts";
export * from "./linear.ts";
export * from "./rmsnorm.ts";
export * from "./attention.ts";
export * from "./relu.ts";
export * from "./softmax.ts";
export * from "./crossentropy.ts";
