/**
 * A trained model in one call, for notebooks whose subject comes after training (the block, sampling, scale):
 * read the names, shuffle them with the seed, split off a held-out part, draw the weights, train. The random
 * draws happen in the reference order (shuffle, then every weight), and the returned `rng` continues from
 * there, so sampling with it reproduces a run written out by hand.
 *
 * @module
 */
import type { GPTConfig, TrainConfig } from "./config.ts";
import { loadDocs, splitDocs } from "./data.ts";
import { createModel, type EngineName } from "./engines.ts";
import type { Model, StateDict } from "./model.ts";
import { Random } from "./random.ts";
import { Tokenizer } from "./tokenizer.ts";
import { type StepInfo, train, type TrainHistory } from "./train.ts";

/** Options of `quickModel`. Training hyper-parameters (`learning_rate`, `beta1`, …) pass through to `train`. */
export interface QuickModelOptions extends Partial<TrainConfig> {
  /** Seeds the shuffle, the initial weights and (through the returned `rng`) later sampling (`new Random(seed)`). Default 42. */
  seed?: number;
  /** "fast" (default: 1000 steps in well under a second) or "scalar". */
  engine?: EngineName;
  /** Architecture changes; `vocab_size` comes from the tokenizer unless given. */
  config?: Partial<GPTConfig>;
  /** The corpus, one name per entry (default: `loadDocs()`, the project's data/names.txt). Not modified. */
  docs?: readonly string[];
  /** Share of the shuffled names held out from training, in [0, 1). Default 0.1; 0 trains on every name. */
  valFraction?: number;
  /** Called after every training step (e.g. `liveLoss(...).onStep`). */
  onStep?: (info: StepInfo) => void;
}

/** What `quickModel` returns. */
export interface QuickModel {
  /** The trained model. */
  model: Model;
  /** Characters of the whole corpus, plus BOS. */
  tokenizer: Tokenizer;
  /** The generator after the shuffle and the weight draw: pass it to `sample` to continue the reference order. */
  rng: Random;
  /** Every name, shuffled. */
  docs: string[];
  /** The names training draws from (the first part of `docs`). */
  train: string[];
  /** The held-out names (the last part of `docs`). */
  val: string[];
  /** The weights before training (to restart from the same draw, e.g. with another optimiser). */
  initial: StateDict;
  /** Losses and timing of the run. */
  history: TrainHistory;
}

/**
 * Shuffle the names with `seed`, hold out the last `valFraction`, draw a model and train it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { quickModel } from "./quick.ts";
 * const docs = ["emma", "olivia", "ava", "isabella", "sophia", "mia", "amelia", "harper", "evelyn", "abigail"];
 * const { model, history, train, val } = await quickModel({ docs, num_steps: 20, config: { n_embd: 8, n_head: 2 } });
 * assert(history.losses.length === 20 && train.length === 9 && val.length === 1);
 * assert(model.engine === "fast");
 * ```
 * @throws {RangeError} a bad seed, valFraction, engine, config or training option (from the functions it calls).
 */
export async function quickModel(opts: QuickModelOptions = {}): Promise<QuickModel> {
  const { seed = 42, engine = "fast", config = {}, valFraction = 0.1, onStep, docs: given, ...trainOpts } =
    opts;
  const rng = new Random(seed); // checks the seed
  const docs = given === undefined ? loadDocs() : [...given];
  rng.shuffle(docs); // first draw: the order of the names
  const tokenizer = Tokenizer.fromDocs(docs);
  const split = splitDocs(docs, { valFraction });
  const model = createModel({ config: { vocab_size: tokenizer.vocab_size, ...config }, rng, engine }); // then the weights
  const initial = model.stateDict();
  const history = await train(model, { ...trainOpts, docs: split.train, tokenizer, onStep });
  return { model, tokenizer, rng, docs, train: split.train, val: split.val, initial, history };
}
