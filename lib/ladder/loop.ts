/**
 * The one training loop and the one evaluation shared by every rung of the ladder. A rung only decides how it
 * computes a loss and how it learns from it (`Rung`); what it sees, in which order, with which learning-rate
 * schedule, and how it is judged are the same for all, so their numbers can be compared.
 *
 * @module
 */
import { learningRate } from "../adam.ts";
import { stepGate } from "../interrupt.ts";
import type { Random } from "../random.ts";
import { probsFromLogits } from "../sample.ts";
import { checkTemperature } from "../config.ts";
import type { Rung } from "./rung.ts";

/** The part of lib's `Tokenizer` the loop uses. */
export interface Encoder {
  /** `[BOS, …ids, BOS]`. */
  encode(doc: string): number[];
  /** Drops BOS. */
  decode(ids: readonly number[]): string;
  readonly bos: number;
}

/** Options of {@link trainRung}. */
export interface RungTrainOptions {
  /** Training documents; step `s` learns from `docs[s % docs.length]`. */
  docs: readonly string[];
  tokenizer: Encoder;
  /** Number of steps (one document each). */
  num_steps: number;
  /** Peak learning rate; decays linearly to 0 as in microGPT (ignored by the count table). */
  learning_rate: number;
  /** Called after every step (1-based `step`). */
  onStep?(info: { step: number; num_steps: number; loss: number; lr: number }): void;
}

/** What {@link trainRung} returns. */
export interface RungHistory {
  rung: number;
  name: string;
  /** Training loss of every step (before that step's update). */
  losses: number[];
  /** Wall-clock seconds. */
  seconds: number;
  /** Set when the notebook's Interrupt stopped training early: the number of steps done. */
  stoppedAt?: number;
}

/**
 * Train a rung: for each step, one document → `lossAndGrad` → `update` with lr = learning_rate·(1 − s/num_steps).
 * Async: yields to the event loop every ~50 ms so a notebook stays responsive, and stops cleanly (keeping
 * what it learned) when the kernel's Interrupt button is pressed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { trainRung } from "./loop.ts";
 * import { createBigramModel } from "./train0.ts";
 * const tokenizer = { bos: 2, encode: (d: string) => [2, ...[...d].map((c) => c === "a" ? 0 : 1), 2], decode: () => "" };
 * const rung = createBigramModel({ vocab_size: 3 });
 * const h = await trainRung(rung, { docs: ["ab", "ba"], tokenizer, num_steps: 4, learning_rate: 1 });
 * // "ba" comes at steps 2 and 4: the second time, the rung has learned from it
 * assert(h.losses.length === 4 && h.losses[3] < h.losses[1]);
 * ```
 * @throws {RangeError} num_steps < 1, learning_rate ≤ 0, or no documents.
 * @throws {Error} the loss became NaN or infinite (the learning rate is too high for this rung).
 */
export async function trainRung(rung: Rung, opts: RungTrainOptions): Promise<RungHistory> {
  const { docs, tokenizer, num_steps, learning_rate, onStep } = opts;
  if (!Number.isInteger(num_steps) || num_steps < 1) {
    throw new RangeError(`num_steps must be a whole number ≥ 1, got ${num_steps}`);
  }
  if (!(learning_rate > 0)) throw new RangeError(`learning_rate must be > 0, got ${learning_rate}`);
  if (docs.length === 0) throw new RangeError("docs must hold at least one document, got 0");
  const gate = stepGate({ label: `rung ${rung.rung}` }); // an Interrupt stops after the current step
  const start = performance.now();
  const losses: number[] = [];
  let stoppedAt: number | undefined;
  for (let step = 0; step < num_steps; step++) {
    const loss = rung.lossAndGrad(tokenizer.encode(docs[step % docs.length]));
    if (!Number.isFinite(loss)) {
      throw new Error(
        `rung ${rung.rung}: the loss is ${loss} at step ${step + 1} of ${num_steps}; training diverged — ` +
          `try a smaller learning_rate than ${learning_rate}`,
      );
    }
    const lr = learningRate(learning_rate, step, num_steps); // linear decay to 0, as microGPT
    rung.update({ lr, step });
    losses.push(loss);
    onStep?.({ step: step + 1, num_steps, loss, lr });
    if (await gate.stop(step + 1, num_steps)) {
      stoppedAt = step + 1;
      break;
    }
  }
  const seconds = (performance.now() - start) / 1000;
  return { rung: rung.rung, name: rung.name, losses, seconds, ...(stoppedAt ? { stoppedAt } : {}) };
}

/**
 * Held-out loss: the mean over `docs` of each document's mean next-token cross-entropy (the engine's
 * `Model.loss` convention), computed without learning.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { evalRung } from "./loop.ts";
 * import { createBigramModel } from "./train0.ts";
 * const tokenizer = { bos: 2, encode: (d: string) => [2, ...[...d].map(() => 0), 2], decode: () => "" };
 * const fresh = createBigramModel({ vocab_size: 3 }); // uniform: every loss is ln 3
 * assert(Math.abs(evalRung(fresh, { docs: ["aa"], tokenizer }) - Math.log(3)) < 1e-12);
 * ```
 * @throws {RangeError} no documents.
 */
export function evalRung(rung: Rung, opts: { docs: readonly string[]; tokenizer: Encoder }): number {
  const { docs, tokenizer } = opts;
  if (docs.length === 0) throw new RangeError("docs must hold at least one document, got 0");
  let sum = 0;
  for (const doc of docs) sum += rung.loss(tokenizer.encode(doc));
  return sum / docs.length;
}

/**
 * Sample names from a rung: start at BOS, draw each next token from softmax(logits / temperature), stop at BOS.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Random } from "../random.ts";
 * import { sampleRung } from "./loop.ts";
 * import { createBigramModel } from "./train0.ts";
 * const tokenizer = { bos: 2, encode: () => [], decode: (ids: readonly number[]) => ids.map((i) => "ab"[i]).join("") };
 * const names = sampleRung(createBigramModel({ vocab_size: 3 }), { tokenizer, rng: new Random(1), count: 3 });
 * assert(names.length === 3);
 * ```
 * @throws {RangeError} temperature ≤ 0 or not finite; a rung whose logits are not finite (diverged).
 */
export function sampleRung(
  rung: Rung,
  opts: { tokenizer: Encoder; rng: Random; temperature?: number; count?: number },
): string[] {
  const { tokenizer, rng, temperature = 0.5, count = 10 } = opts;
  checkTemperature(temperature);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const next = rung.begin();
    const ids: number[] = [];
    let token = tokenizer.bos;
    for (let pos = 0; pos < rung.block_size; pos++) {
      token = rng.choices(probsFromLogits(next(token), temperature)); // the engine's softmax(logits / T)
      if (token === tokenizer.bos) break;
      ids.push(token);
    }
    out.push(tokenizer.decode(ids));
  }
  return out;
}
