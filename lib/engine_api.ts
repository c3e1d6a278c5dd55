/**
 * The engine's public API, in the order of the lesson: data, tokenizer, autograd, parameters, model,
 * training, inference. Only what a program or a notebook calls is listed; the checks and plumbing the engine's
 * files share stay inside lib/. Nothing here imports a notebook helper (plots, checks, inspection, the ladder), so a
 * program that only trains and samples — the CLI, a test — can import this file alone.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createModel, Random, sample, Tokenizer, train } from "./engine_api.ts";
 * const rng = new Random(42);
 * const docs = ["emma", "olivia", "ava", "isabella"];
 * const tokenizer = Tokenizer.fromDocs(docs);
 * const model = createModel({ config: { vocab_size: tokenizer.vocab_size, n_embd: 8, n_head: 2 }, rng });
 * await train(model, { docs, tokenizer, num_steps: 2 });
 * assert.equal(sample(model, { tokenizer, rng, count: 3 }).length, 3);
 * ```
 *
 * @module
 */

// randomness: CPython's Mersenne Twister, passed in explicitly everywhere
export * from "./random.ts";
// 1. data: the documents (names), shuffled and split
export * from "./data.ts";
// 2. tokenizer: characters ↔ ids, BOS at both ends
export * from "./tokenizer.ts";
// 3. autograd: the scalar Value and the layers built from it
export * from "./value.ts";
export * from "./nn.ts";
// 4. parameters: the config and the state dict in the reference order
export * from "./config.ts";
export { countParams, type CreateModelOptions, initStateDict, type ParamInfo, paramTable } from "./params.ts";
// 5. model: the Model interface, the scalar forward pass, createModel for either engine (scalar | fast)
export type { AdamStep, Model, Optimizer, StateDict, StepOptions } from "./model.ts";
export * from "./gpt.ts";
export * from "./scalar_model.ts";
export * from "./engines.ts";
// 6. training: Adam, the one training loop, stopping it from JupyterLab's Interrupt
export * from "./adam.ts";
export { clearInterrupt, interrupted, requestInterrupt, watchInterrupt } from "./interrupt.ts";
export * from "./train.ts";
// 7. inference: sampling with a temperature, saving and loading a trained model
export * from "./sample.ts";
export * from "./checkpoint.ts";
