/**
 * Save and load a trained model as JSON: config, tokenizer characters and every weight. JavaScript writes
 * each double with the shortest text that reads back to the same bits, so a round trip is exact.
 * (Adam's moment buffers are not saved: a loaded model starts a fresh optimiser.)
 *
 * @module
 */
import { checkTokenizer } from "./checks.ts";
import { GPT_KEYS, type GPTConfig, gptConfig } from "./config.ts";
import { createModel, type EngineName } from "./engines.ts";
import type { Model, StateDict } from "./model.ts";
import { checkStateDict } from "./params.ts";
import { Tokenizer } from "./tokenizer.ts";

/** The JSON form of a checkpoint. */
export interface Checkpoint {
  format: "microgpt-checkpoint";
  version: 1;
  /** The engine that saved it (informational: any engine can load it). */
  engine: string;
  config: GPTConfig;
  /** The tokenizer's characters in id order (BOS = their count). */
  chars: string[];
  stateDict: StateDict;
  /** Anything else worth keeping (e.g. the training steps and final loss). */
  meta?: Record<string, unknown>;
}

/** What to put in a checkpoint. */
export interface CheckpointInput {
  model: Model;
  tokenizer: Tokenizer;
  meta?: Record<string, unknown>;
}

/** A loaded checkpoint: a ready model, its tokenizer and the `meta` saved with them (`{}` if none). */
export type LoadedCheckpoint = Required<CheckpointInput>;

/** Options of `loadCheckpoint`. */
export interface LoadOptions {
  /** The engine to load into. Default: the one that saved it. */
  engine?: EngineName;
}

/**
 * Write a model and its tokenizer to `path` as a JSON `Checkpoint`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createModel, loadCheckpoint, Random, saveCheckpoint, Tokenizer } from "./engine_api.ts";
 * const tokenizer = Tokenizer.fromDocs(["ab"]);
 * const model = createModel({ config: { vocab_size: 3, n_embd: 4, n_head: 1 }, rng: new Random(1) });
 * const path = Deno.makeTempFileSync({ suffix: ".json" });
 * saveCheckpoint(path, { model, tokenizer, meta: { steps: 0 } });
 * assert(loadCheckpoint(path).meta.steps === 0);
 * Deno.removeSync(path);
 * ```
 * @throws {RangeError} the tokenizer does not match the model, or a weight is not finite.
 */
export function saveCheckpoint(path: string | URL, input: CheckpointInput): void {
  const { model, tokenizer, meta } = input;
  checkTokenizer(tokenizer, model.config.vocab_size);
  const stateDict = model.stateDict();
  checkStateDict(model.config, stateDict); // what loading checks: every entry finite, every shape the config's
  const ckpt: Checkpoint = {
    format: "microgpt-checkpoint",
    version: 1,
    engine: model.engine,
    config: { ...model.config },
    chars: [...tokenizer.chars],
    stateDict,
    ...(meta ? { meta } : {}),
  };
  Deno.writeTextFileSync(path, JSON.stringify(ckpt) + "\n");
}

/**
 * Read a checkpoint written by `saveCheckpoint`: a ready model (on the engine that saved it, or `opts.engine`)
 * and its tokenizer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCheckpoint } from "./checkpoint.ts";
 * try {
 *   loadCheckpoint("no-such-file.json");
 * } catch (e) {
 *   assert(e instanceof Deno.errors.NotFound);
 * }
 * ```
 * @throws {TypeError} not a microgpt checkpoint (wrong format, version or field types).
 * @throws {RangeError} the config, characters or weights are invalid or inconsistent.
 */
export function loadCheckpoint(path: string | URL, opts: LoadOptions = {}): LoadedCheckpoint {
  const c: Partial<Checkpoint> | null = JSON.parse(Deno.readTextFileSync(path));
  const isObject = (x: unknown): x is object => typeof x === "object" && x !== null && !Array.isArray(x);
  const fail: (why: string) => never = (why) => {
    throw new TypeError(`not a microgpt checkpoint: ${why}`);
  };
  if (!isObject(c)) return fail("not a JSON object");
  if (c.format !== "microgpt-checkpoint") {
    fail(`format is ${JSON.stringify(c.format)}, expected "microgpt-checkpoint"`);
  }
  if (c.version !== 1) fail(`version ${JSON.stringify(c.version)} is not supported (only 1)`);
  if (!isObject(c.stateDict)) fail("stateDict must be an object of matrices");
  if (!isObject(c.config)) return fail(`config must be an object (${GPT_KEYS.join(", ")})`);
  // a missing size must not silently become the default: the weights were shaped by the saved one
  const missing = GPT_KEYS.find((key) => !(key in c.config!));
  if (missing) fail(`config.${missing} is missing`);
  if (c.meta !== undefined && !isObject(c.meta)) {
    fail(`meta must be an object, got ${JSON.stringify(c.meta)}`);
  }
  const config = gptConfig(c.config);
  const tokenizer = new Tokenizer(c.chars!); // the constructor checks that it is an array of characters
  checkTokenizer(tokenizer, config.vocab_size); // the saved characters and the saved config must agree
  const engine = opts.engine ?? (c.engine === "fast" ? "fast" : "scalar");
  const model = createModel({ config, stateDict: c.stateDict, engine });
  return { model, tokenizer, meta: c.meta ?? {} };
}
