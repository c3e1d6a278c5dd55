/**
 * The training loop, shared by every model (both engines, and the rungs of notebook 02's ladder): take the
 * next documents, compute loss and gradients, take an Adam (or SGD) step with a linearly decaying learning
 * rate, report progress. Async so that a notebook stays
 * responsive (it yields to the event loop every ~50 ms) and an Interrupt stops it cleanly.
 *
 * @module
 */
import { checkBatch, checkTokenizer, knownKeys } from "./checks.ts";
import { TRAIN_KEYS, type TrainConfig, trainConfig } from "./config.ts";
import { checkOptimizer, type Model, type Optimizer } from "./model.ts";
import { learningRate } from "./adam.ts";
import { stepGate } from "./interrupt.ts";
import type { Tokenizer } from "./tokenizer.ts";

/** What `onStep` receives after every step. */
export interface StepInfo {
  /** 1-based step number. */
  step: number;
  num_steps: number;
  /** Training loss of this step's batch. */
  loss: number;
  /** Learning rate used for this step. */
  lr: number;
  /** Wall time since training started. */
  seconds: number;
}

/** Options of `train`: the documents, the tokenizer, hyper-parameters and callbacks. */
export interface TrainOptions extends Partial<TrainConfig> {
  /** Training documents, already shuffled (the reference shuffles once, before the model is drawn). */
  docs: readonly string[];
  tokenizer: Tokenizer;
  /** Called after every step (progress lines, live plots). */
  onStep?: (info: StepInfo) => void;
  /** Where the "stopped at step …" line goes. Default `console.log`. */
  log?: (line: string) => void;
  /** The update rule `model.step` applies: "adam" (default, microGPT's) or "sgd" (p ← p − lr·grad). */
  optimizer?: Optimizer;
}

/**
 * The record of a training run. Shows itself in Jupyter as a one-line summary.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { TrainHistory } from "./train.ts";
 * const h = new TrainHistory(1000, "scalar");
 * h.losses.push(3.37, 3.42);
 * assert(String(h).startsWith("trained 2/1000 steps"));
 * ```
 */
export class TrainHistory {
  /** Training loss of every completed step (index i = step i + 1). */
  losses: number[] = [];
  /** Set when an Interrupt stopped the run: the number of completed steps. */
  stoppedAt?: number;
  /** Wall time of the run. */
  seconds = 0;

  /**
   * @param num_steps Steps that were asked for.
   * @param engine The engine that trained.
   */
  constructor(readonly num_steps: number, readonly engine: string) {}

  /**
   * Mean training loss of the last `k` completed steps (a less noisy "final loss").
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { TrainHistory } from "./train.ts";
   * const h = new TrainHistory(3, "scalar");
   * h.losses.push(3, 2, 1);
   * assert(h.meanLast(2) === 1.5 && h.meanLast() === 2);
   * ```
   * @throws {RangeError} k is not a whole number ≥ 1, or no step has completed.
   */
  meanLast(k = 100): number {
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a whole number ≥ 1, got ${k}`);
    if (this.losses.length === 0) throw new RangeError("meanLast: no training step has completed yet");
    const tail = this.losses.slice(-k);
    return tail.reduce((a, b) => a + b, 0) / tail.length;
  }

  /** `trained 1000/1000 steps in 4.1 s (scalar): loss 3.366 → 2.654, mean of last 100 2.281`. */
  toString(): string {
    const n = this.losses.length;
    if (n === 0) return `TrainHistory(no steps completed of ${this.num_steps})`;
    const f = (x: number) => x.toFixed(3);
    let s = `trained ${n}/${this.num_steps} steps in ${this.seconds.toFixed(1)} s (${this.engine}): loss ${
      f(this.losses[0])
    } → ${f(this.losses[n - 1])}, mean of last ${Math.min(100, n)} ${f(this.meanLast(100))}`;
    if (this.stoppedAt !== undefined) s += ` (stopped at step ${this.stoppedAt})`;
    return s;
  }

  /** Jupyter shows the summary line. */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return { "text/plain": this.toString() };
  }
}

/**
 * Train `model` on `docs`. Step s (0-based) uses the documents starting at `docs[(s · batch_size) mod len]`,
 * learning rate `lr · (1 − s / num_steps)`, one update (`optimizer`: Adam unless "sgd"). A non-finite loss stops with an error naming
 * the step. An Interrupt (Jupyter's button, or `requestInterrupt()`) stops after the current step and
 * returns the history so far with `stoppedAt`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createModel, Random, Tokenizer, train } from "./engine_api.ts";
 * const docs = ["emma", "olivia", "ava"];
 * const tokenizer = Tokenizer.fromDocs(docs);
 * const model = createModel({ config: { vocab_size: tokenizer.vocab_size, n_embd: 8, n_head: 2 }, rng: new Random(42) });
 * const history = await train(model, { docs, tokenizer, num_steps: 5 });
 * assert(history.losses.length === 5);
 * ```
 * @throws {RangeError} bad hyper-parameters, an unknown option, no documents, a document with an unknown
 *   character, or a tokenizer that does not match the model.
 * @throws {TypeError} docs is not an array, or tokenizer is not a Tokenizer.
 * @throws {Error} the loss became NaN or infinite.
 */
export async function train(model: Model, opts: TrainOptions): Promise<TrainHistory> {
  const { tc, encoded, optimizer } = checkOptions(model, opts); // bad options fail before step 1
  const { docs, tokenizer, onStep, log = console.log } = opts;
  const stop = stepGate(log); // an Interrupt stops after the current step
  const history = new TrainHistory(tc.num_steps, model.engine);
  const start = performance.now();
  for (let s = 0; s < tc.num_steps; s++) {
    const batch: number[][] = [];
    for (let b = 0; b < tc.batch_size; b++) {
      const i = (s * tc.batch_size + b) % docs.length;
      batch.push(encoded[i] ??= tokenizer.encode(docs[i])); // encoded when first used
    }
    const loss = model.lossAndGrad(batch);
    if (!Number.isFinite(loss)) {
      throw new Error(
        `the loss is ${loss} at step ${s + 1} of ${tc.num_steps}: training diverged (a learning rate of ` +
          `${tc.learning_rate} may be too high) or a weight became non-finite`,
      );
    }
    const lr = learningRate(tc.learning_rate, s, tc.num_steps);
    model.step({ lr, t: s, beta1: tc.beta1, beta2: tc.beta2, eps: tc.eps_adam, optimizer });
    history.losses.push(loss);
    history.seconds = (performance.now() - start) / 1000;
    onStep?.({ step: s + 1, num_steps: tc.num_steps, loss, lr, seconds: history.seconds });
    if (await stop(s + 1, tc.num_steps)) {
      history.stoppedAt = s + 1;
      break;
    }
  }
  history.seconds = (performance.now() - start) / 1000;
  return history;
}

/**
 * Mean loss over token sequences, one document at a time (no gradients).
 * @throws {RangeError} no sequences.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createModel, meanLoss, Random } from "./engine_api.ts";
 * const model = createModel({ config: { vocab_size: 3, n_embd: 4, n_head: 1 }, rng: new Random(1) });
 * assert(Math.abs(meanLoss(model, [[2, 0, 1, 2]]) - Math.log(3)) < 0.2);
 * ```
 */
export function meanLoss(model: Model, sequences: readonly (readonly number[])[]): number {
  checkBatch(sequences, model.config, "sequences"); // a mean of none would be NaN
  let sum = 0;
  for (const seq of sequences) sum += model.loss([seq]);
  return sum / sequences.length;
}

const OPTIONS = ["docs", "tokenizer", "onStep", "log", "optimizer", ...TRAIN_KEYS];

/** Validate `train`'s options and encode the documents (an unknown character fails here, before training). */
function checkOptions(model: Model, opts: TrainOptions) {
  knownKeys("train options", opts, OPTIONS);
  const { docs, tokenizer } = opts;
  // the hyper-parameters that were given (an undefined one keeps its default)
  const tc = trainConfig(
    Object.fromEntries(TRAIN_KEYS.map((k) => [k, opts[k]]).filter(([, v]) => v !== undefined)),
  );
  if (!Array.isArray(docs)) throw new TypeError(`docs must be an array of strings, got ${typeof docs}`);
  if (docs.length === 0) throw new RangeError("docs: the corpus has no documents; give at least one");
  checkTokenizer(tokenizer, model.config.vocab_size);
  for (const d of docs) tokenizer.encode(d); // an unknown character fails here, before step 1
  // [BOS, ...ids, BOS] per document, filled as training reaches it: a short run on a big corpus does not keep
  // every document's encoding alive (megabytes that made V8 run a full garbage collection mid-training)
  const encoded: number[][] = new Array(docs.length);
  return { tc, encoded, optimizer: checkOptimizer(opts.optimizer) };
}
