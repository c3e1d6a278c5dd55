/**
 * Model and training configuration, validated in one place. Every entry point (CLI flags, a notebook's
 * parameters cell, `train`, `sample`) goes through these checks, so a bad value fails early with a message
 * that names the parameter, its value and what is allowed.
 *
 * @module
 */
import { knownKeys } from "./checks.ts";

/** The architecture of a GPT. Names follow the lesson and `microgpt.py`. */
export interface GPTConfig {
  /** Number of distinct tokens, BOS included (27 for the names corpus). */
  vocab_size: number;
  /** Width of every embedding and hidden vector. */
  n_embd: number;
  /** Attention heads per layer; must divide `n_embd`. */
  n_head: number;
  /** Number of transformer blocks. */
  n_layer: number;
  /** Context window: the most positions the model sees. */
  block_size: number;
}

/**
 * The reference architecture: 4,192 parameters with a 27-token vocabulary.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_CONFIG } from "./config.ts";
 * assert(DEFAULT_CONFIG.n_embd === 16 && DEFAULT_CONFIG.block_size === 16 && Object.isFrozen(DEFAULT_CONFIG));
 * ```
 */
export const DEFAULT_CONFIG: Readonly<GPTConfig> = Object.freeze({
  vocab_size: 27,
  n_embd: 16,
  n_head: 4,
  n_layer: 1,
  block_size: 16,
});

/** Training hyper-parameters. */
export interface TrainConfig {
  /** Number of optimisation steps (≥ 1). */
  num_steps: number;
  /** Peak learning rate; decays linearly to 0 (> 0). */
  learning_rate: number;
  /** Adam's momentum decay, in [0, 1). */
  beta1: number;
  /** Adam's variance decay, in [0, 1). */
  beta2: number;
  /** Adam's epsilon (> 0). */
  eps_adam: number;
  /** Documents per step (≥ 1; 1 = the reference). */
  batch_size: number;
}

/**
 * The reference training run.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_TRAIN } from "./config.ts";
 * assert(DEFAULT_TRAIN.num_steps === 1000 && DEFAULT_TRAIN.learning_rate === 0.01);
 * ```
 */
export const DEFAULT_TRAIN: Readonly<TrainConfig> = Object.freeze({
  num_steps: 1000,
  learning_rate: 0.01,
  beta1: 0.85,
  beta2: 0.99,
  eps_adam: 1e-8,
  batch_size: 1,
});

/** `value` as a number (a TypeError naming `name` if it is not one), or a RangeError unless `ok(value)`. */
function check(name: string, value: unknown, ok: (x: number) => boolean, allowed: string): number {
  if (typeof value !== "number") {
    throw new TypeError(`${name} must be a number, got ${typeof value} (${String(value)})`);
  }
  if (!ok(value)) throw new RangeError(`${name} must be ${allowed}, got ${value}`);
  return value;
}
const positiveInt = (name: string, x: unknown) =>
  check(name, x, (x) => Number.isSafeInteger(x) && x >= 1, "a whole number ≥ 1");
/** A finite number > 0 (`example` goes into the message). */
const positive = (name: string, x: unknown, example = "") =>
  check(name, check(name, x, Number.isFinite, "a finite number"), (x) => x > 0, `> 0${example}`);

/**
 * The keys of a `GPTConfig` and of a `TrainConfig`, in the lesson's order: the one list every other file
 * (checkpoint, `train`, the CLI) reads them from.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { GPT_KEYS, TRAIN_KEYS } from "./config.ts";
 * assert(GPT_KEYS.includes("n_embd") && TRAIN_KEYS.includes("batch_size"));
 * ```
 */
export const GPT_KEYS = ["vocab_size", "n_embd", "n_head", "n_layer", "block_size"] as const;
/** See `GPT_KEYS`. */
export const TRAIN_KEYS = ["num_steps", "learning_rate", "beta1", "beta2", "eps_adam", "batch_size"] as const;

/**
 * Fill in defaults and check a model configuration.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gptConfig } from "./config.ts";
 * const config = gptConfig({ n_embd: 32 });
 * assert(config.n_head === 4 && config.n_embd === 32);
 * ```
 * @throws {RangeError} a size is not a whole number ≥ 1, `n_embd % n_head !== 0`, or an unknown key.
 * @throws {TypeError} a size is not a number.
 */
export function gptConfig(partial: Partial<GPTConfig> = {}): GPTConfig {
  knownKeys("GPT config", partial, GPT_KEYS);
  const c = { ...DEFAULT_CONFIG, ...partial };
  for (const key of GPT_KEYS) positiveInt(key, c[key]);
  if (c.vocab_size < 2) {
    throw new RangeError(`vocab_size must be ≥ 2 (BOS and one character), got ${c.vocab_size}`);
  }
  if (c.n_embd % c.n_head !== 0) {
    const divisors = Array.from({ length: c.n_embd }, (_, i) => i + 1).filter((d) => c.n_embd % d === 0);
    throw new RangeError(
      `n_embd (${c.n_embd}) must be divisible by n_head (${c.n_head}); try n_head in ${divisors.join(", ")}`,
    );
  }
  return c;
}

/**
 * Fill in defaults and check training hyper-parameters.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { trainConfig } from "./config.ts";
 * assert(trainConfig({ num_steps: 50 }).learning_rate === 0.01);
 * ```
 * @throws {RangeError} a value is out of range (steps < 1, lr ≤ 0, β outside [0, 1), …), or an unknown key.
 * @throws {TypeError} a value is not a number.
 */
export function trainConfig(partial: Partial<TrainConfig> = {}): TrainConfig {
  knownKeys("train config", partial, TRAIN_KEYS);
  const c = { ...DEFAULT_TRAIN, ...partial };
  for (const key of ["num_steps", "batch_size"] as const) positiveInt(key, c[key]);
  for (const key of ["learning_rate", "eps_adam"] as const) positive(key, c[key]);
  for (const key of ["beta1", "beta2"] as const) {
    check(key, check(key, c[key], Number.isFinite, "a finite number"), (b) => b >= 0 && b < 1, "in [0, 1)");
  }
  return c;
}

/**
 * Check a sampling temperature: a finite number > 0. (T → 0 approaches greedy decoding; use `greedy` for that.)
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkTemperature } from "./config.ts";
 * assert(checkTemperature(0.5) === 0.5);
 * ```
 * @throws {RangeError} temperature ≤ 0 or not finite.
 */
export function checkTemperature(temperature: unknown): number {
  return positive("temperature", temperature, " (e.g. 0.5)");
}
