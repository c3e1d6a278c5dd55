/**
 * The train0…train5 ladder (notebook 02): microGPT assembled one idea at a time, makemore-style. Every rung is
 * a `Model`, trained by the one `train`, judged by the one `meanLoss`, sampled by the one `sample`:
 *
 * | rung | model                                                  | adds                                           |
 * |------|--------------------------------------------------------|------------------------------------------------|
 * | 0    | `createBigramModel` (train0.ts)                        | a count table                                  |
 * | 1    | `createMlpByHand` (train1.ts), optimizer "sgd"         | an MLP, gradients by hand                      |
 * | 2    | `createMlpAutograd` (train2.ts), optimizer "sgd"       | the same MLP on autograd `Value`s              |
 * | 3    | `createModel({ config: { n_head: 1 } })`, "sgd"        | wpe, attention (1 head), RMSNorm, residuals    |
 * | 4    | `createModel({ config })`, "sgd"                       | multi-head attention                           |
 * | 5    | `createModel({ config })`, "adam"                      | Adam (= microGPT)                              |
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createBigramModel, LADDER } from "./mod.ts";
 * import { meanLoss, train } from "../train.ts";
 * import { Tokenizer } from "../tokenizer.ts";
 * const tokenizer = Tokenizer.fromDocs(["ab", "abb"]);
 * const rung = createBigramModel({ vocab_size: tokenizer.vocab_size });
 * await train(rung, { docs: ["ab", "abb"], tokenizer, num_steps: 2, optimizer: LADDER[0].optimizer });
 * assert(meanLoss(rung, [tokenizer.encode("ab")]) < Math.log(3));
 * ```
 *
 * @module
 */
export { LADDER, type RungInfo } from "./rung.ts";
export * from "./train0.ts";
export * from "./train1.ts";
export * from "./train2.ts";
