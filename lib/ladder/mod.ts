/**
 * The train0…train5 ladder (notebook 02): microGPT assembled one idea at a time, makemore-style. Every rung is
 * a `Rung` that plugs into one training loop (`trainRung`) and one evaluation (`evalRung`):
 *
 * | rung | file      | adds                                                            |
 * |------|-----------|-----------------------------------------------------------------|
 * | 0    | train0.ts | bigram count table                                              |
 * | 1    | train1.ts | MLP (wte → fc1 → relu → fc2 → lm_head), gradients by hand + SGD |
 * | 2    | train2.ts | the same MLP on autograd `Value`s                               |
 * | 3    | train3.ts | wpe, single-head attention, RMSNorm, residuals                  |
 * | 4    | train4.ts | multi-head attention                                            |
 * | 5    | train5.ts | Adam (= microGPT)                                               |
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createBigramModel, evalRung, trainRung } from "./mod.ts";
 * const tokenizer = { bos: 2, encode: (d: string) => [2, ...[...d].map((c) => "ab".indexOf(c)), 2], decode: () => "" };
 * const rung = createBigramModel({ vocab_size: 3 });
 * await trainRung(rung, { docs: ["ab", "abb"], tokenizer, num_steps: 2, learning_rate: 1 });
 * assert(evalRung(rung, { docs: ["ab"], tokenizer }) < Math.log(3));
 * ```
 *
 * @module
 */
export * from "./rung.ts";
export * from "./loop.ts";
export * from "./init.ts";
export * from "./train0.ts";
export * from "./train1.ts";
export * from "./train2.ts";
export * from "./train3.ts";
export * from "./train4.ts";
export * from "./train5.ts";
