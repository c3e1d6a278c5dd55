/**
 * microGPT in TypeScript: the public API, in the order of the lesson — data, tokenizer, autograd,
 * parameters, model, training, inference — followed by the notebook helpers (plots, checks, inspection).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createModel, Random, sample, Tokenizer, train } from "./mod.ts";
 * const rng = new Random(42);
 * const docs = ["emma", "olivia", "ava", "isabella"];
 * rng.shuffle(docs);
 * const tokenizer = Tokenizer.fromDocs(docs);
 * const model = createModel({ config: { vocab_size: tokenizer.vocab_size, n_embd: 8, n_head: 2 }, rng });
 * await train(model, { docs, tokenizer, num_steps: 3 });
 * assert(sample(model, { tokenizer, rng, count: 2 }).length === 2);
 * ```
 *
 * @module
 */

// randomness (CPython-compatible)
export * from "./random.ts";
// 1. data
export * from "./data.ts";
// 2. tokenizer
export * from "./tokenizer.ts";
// 3. autograd
export * from "./value.ts";
export * from "./nn.ts";
// 4. parameters
export * from "./config.ts";
export * from "./params.ts";
// 5. model
export * from "./model.ts";
export * from "./gpt.ts";
export * from "./scalar_model.ts";
export * from "./engines.ts";
// 6. training
export * from "./adam.ts";
export * from "./interrupt.ts";
export * from "./train.ts";
export type { StepInfo } from "./train.ts"; // plot.ts's liveLoss accepts the same shape
// 7. inference
export * from "./sample.ts";
export * from "./checkpoint.ts";
// 8. parity: the Python original's run, committed
export * from "./reference_run.ts";
// notebook helpers
export * from "./plot.ts";
export * from "./stats.ts";
export * from "./check.ts";
export * from "./check_part.ts";
export * from "./inspect.ts";
export * from "./quick.ts";
export * from "./loc.ts";
// the train0…train5 ladder of notebook 02
export * from "./ladder/mod.ts";
