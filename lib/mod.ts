/**
 * microGPT in TypeScript: the one import of every notebook (`@lib/mod.ts`). It is two lists, kept apart:
 *
 * - `engine_api.ts` — the engine, in the order of the lesson: data, tokenizer, autograd, parameters, model,
 *   training, inference (a program that only trains and samples needs nothing else);
 * - `notebook_api.ts` — the notebook helpers that show and check it: plots, `inspectAttention`, `check`,
 *   `checkPart`, `quickModel`, the train0…train5 ladder.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { movingAverage, Tokenizer } from "./mod.ts"; // one from the engine, one helper
 * const tokenizer = Tokenizer.fromDocs(["ava", "emma"]);
 * assert.deepEqual(tokenizer.encode("ava"), [4, 0, 3, 0, 4]); // a e m v, then BOS
 * assert.deepEqual(movingAverage(tokenizer.encode("ava"), 2), [4, 2, 1.5, 1.5, 2]);
 * ```
 *
 * @module
 */

// the engine
export * from "./engine_api.ts";
// the notebook helpers
export * from "./notebook_api.ts";
