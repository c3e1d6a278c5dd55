/**
 * The flags of `deno task train`: parsing, defaults and validation (ranges come from `lib/config.ts`), with
 * error messages that name the flag. No engine here, so every usage error is found before any work starts.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { closest, distance } from "fastest-levenshtein";
import {
  checkTemperature,
  DEFAULT_CONFIG,
  DEFAULT_TRAIN,
  GPT_KEYS,
  type GPTConfig,
  gptConfig,
  trainConfig,
} from "../../lib/config.ts";

/**
 * A mistake on the command line: `train` prints its message on one line and exits with code 2.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseTrainArgs, UsageError } from "./train_args.ts";
 * try {
 *   parseTrainArgs(["--lr", "0"]);
 * } catch (e) {
 *   assert(e instanceof UsageError && e.message === "--lr must be > 0, got 0");
 * }
 * ```
 */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Everything a run needs, validated. */
export interface TrainArgs {
  /** Architecture flags given on the command line (vocab_size comes from the data or the checkpoint). */
  model: Partial<Omit<GPTConfig, "vocab_size">>;
  /** Optimisation steps; 0 only with `load` (sample from a checkpoint). */
  steps: number;
  learning_rate: number;
  batch_size: number;
  seed: number;
  temperature: number;
  samples: number;
  engine: "scalar" | "fast";
  /** Names file; undefined = the project's data/names.txt. */
  data?: string;
  save?: string;
  load?: string;
  json: boolean;
}

/**
 * The defaults of the flags (the reference run).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULTS } from "./train_args.ts";
 * assert(DEFAULTS.seed === 42 && DEFAULTS.samples === 20);
 * ```
 */
export const DEFAULTS = Object.freeze({ seed: 42, temperature: 0.5, samples: 20, engine: "scalar" as const });

/**
 * The text of `deno task train --help`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { HELP } from "./train_args.ts";
 * assert(HELP.startsWith("Usage: deno task train") && HELP.includes("--json"));
 * ```
 */
export const HELP = `Usage: deno task train [flags]

Train a microGPT on a names file, then sample names from it: the terminal twin of the notebooks.
With no flags this is the reference run (seed 42, 1000 steps, 4,192 parameters) on data/names.txt.

Model (fixed by the checkpoint when --load is given):
  --n-embd N        width of embeddings and hidden vectors (default ${DEFAULT_CONFIG.n_embd})
  --n-head N        attention heads per layer, must divide --n-embd (default ${DEFAULT_CONFIG.n_head})
  --n-layer N       transformer blocks (default ${DEFAULT_CONFIG.n_layer})
  --block-size N    context window, the most positions the model sees (default ${DEFAULT_CONFIG.block_size})
Training:
  --steps N         optimisation steps (default ${DEFAULT_TRAIN.num_steps}; with --load: 0, i.e. only sample)
  --lr X            peak learning rate, decays linearly to 0 (default ${DEFAULT_TRAIN.learning_rate})
  --batch-size N    names per step (default ${DEFAULT_TRAIN.batch_size}, as in the reference)
  --data PATH       names file, one name per line (default data/names.txt)
  --engine E        scalar (the lesson's Value engine, default) or fast (Float64Array, same numbers)
  --seed N          random seed: data shuffle, initial weights, sampling (default ${DEFAULTS.seed})
Sampling:
  --samples N       names to sample at the end (default ${DEFAULTS.samples}; 0 = none)
  --temperature T   > 0; lower is more conservative (default ${DEFAULTS.temperature})
Checkpoints:
  --save PATH       write the model, its config and tokenizer as JSON after training
  --load PATH       start from a checkpoint: with --steps 0 (the default) only sample; with --steps N
                    train N more steps on --data (fresh optimiser state, same tokenizer)
Output:
  --json            print one JSON object on stdout: config, num_params, vocab_size, num_docs, losses (every
                    step, full precision), samples, seconds; progress still goes to stderr
  -h, --help        show this help

Progress (step, loss, steps/s, ETA) goes to stderr: one line redrawn in place on a terminal, plain lines
(step 1, then every 10%) when piped. Ctrl-C stops training cleanly; what was trained so far is still sampled (and saved).
Exit codes: 0 done, 1 failed while running, 2 bad flags or values, 130 interrupted.

Examples:
  deno task train --steps 200 --samples 10
  deno task train --n-embd 32 --n-layer 2 --engine fast --save model.ckpt.json
  deno task train --load model.ckpt.json --samples 50 --temperature 0.8
  deno task train --data data/names.txt --json > run.json   # the Python original's run, step for step`;

const OPTIONS = {
  "n-embd": { type: "string" },
  "n-head": { type: "string" },
  "n-layer": { type: "string" },
  "block-size": { type: "string" },
  steps: { type: "string" },
  lr: { type: "string" },
  "batch-size": { type: "string" },
  seed: { type: "string" },
  temperature: { type: "string" },
  samples: { type: "string" },
  data: { type: "string" },
  engine: { type: "string" },
  save: { type: "string" },
  load: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** Config keys → the flags that set them, to translate `lib/config.ts` messages. */
const FLAG_OF: Record<string, string> = {
  n_embd: "--n-embd",
  n_head: "--n-head",
  n_layer: "--n-layer",
  block_size: "--block-size",
  num_steps: "--steps",
  learning_rate: "--lr",
  batch_size: "--batch-size",
  temperature: "--temperature",
};

/** Rewrite a validation message from lib/config.ts in terms of the flags (`n_embd` → `--n-embd`). */
function inFlags(message: string): string {
  return message.replace(new RegExp(`\\b(${Object.keys(FLAG_OF).join("|")})\\b`, "g"), (k) => FLAG_OF[k]);
}

function num(flag: string, value: string): number {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(value.trim())) {
    throw new UsageError(`--${flag} must be a number, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

function wholeNumber(flag: string, value: string, min: number): number {
  const n = num(flag, value);
  if (!Number.isInteger(n) || n < min) {
    throw new UsageError(`--${flag} must be a whole number ≥ ${min}, got ${value}`);
  }
  if (!Number.isSafeInteger(n)) throw new UsageError(`--${flag} must be below 2^53, got ${value}`);
  return n;
}

/** The known flag nearest to a mistyped one (at most 2 edits away), for "did you mean". */
function nearestFlag(flag: string): string | undefined {
  const best = closest(flag, Object.keys(OPTIONS));
  return flag.length >= 3 && distance(flag, best) <= 2 ? best : undefined;
}

/** node:util's parse errors, in one line and in our words. */
function parseError(e: Error & { code?: string }): UsageError {
  const flag = /'(-[^' ]+)/.exec(e.message)?.[1] ?? "";
  switch (e.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION": {
      const guess = nearestFlag(flag.replace(/^-+/, "").replace(/=.*/, ""));
      return new UsageError(`unknown flag ${flag}${guess ? ` (did you mean --${guess}?)` : ""}`);
    }
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return new UsageError(
        `unexpected argument ${/'([^']*)'/.exec(e.message)?.[1] ?? ""}: every value follows its flag`,
      );
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      if (/ambiguous/.test(e.message)) {
        return new UsageError(`${flag} needs a value; for a negative number write ${flag}=-…`);
      }
      if (/does not take an argument/.test(e.message)) return new UsageError(`${flag} takes no value`);
      return new UsageError(`${flag.replace(/ .*/, "")} needs a value`);
    default:
      return new UsageError(e.message.replace(/\s*\n\s*/g, " "));
  }
}

/**
 * Parse and validate the flags of `deno task train`. Returns `"help"` for `--help`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseTrainArgs } from "./train_args.ts";
 * const args = parseTrainArgs(["--steps", "50", "--n-embd", "32", "--json"]);
 * assert(args !== "help" && args.steps === 50 && args.model.n_embd === 32 && args.seed === 42);
 * ```
 * @throws {UsageError} unknown flag, missing value, a value out of range, or flags that contradict each other.
 */
export function parseTrainArgs(argv: readonly string[]): TrainArgs | "help" {
  let v;
  try {
    v = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (e) {
    throw parseError(e as Error);
  }
  if (v.help) return "help";
  const model: TrainArgs["model"] = {};
  for (const key of GPT_KEYS) { // n_embd → --n-embd, …; vocab_size comes from the data
    const flag = key.replace("_", "-") as keyof typeof OPTIONS, value = v[flag];
    if (key !== "vocab_size" && typeof value === "string") model[key] = num(flag, value);
  }
  if (v.load !== undefined && Object.keys(model).length > 0) {
    const given = Object.keys(model).map((k) => FLAG_OF[k]).join(", ");
    throw new UsageError(`${given} cannot be combined with --load: the checkpoint fixes the architecture`);
  }
  const steps = v.steps === undefined
    ? (v.load !== undefined ? 0 : DEFAULT_TRAIN.num_steps)
    : num("steps", v.steps);
  if (steps === 0 && v.load === undefined) {
    throw new UsageError("--steps 0 means no training, which needs --load (a checkpoint to sample from)");
  }
  if (steps === 0) {
    for (const flag of ["lr", "batch-size", "data"] as const) {
      if (v[flag] !== undefined) {
        throw new UsageError(
          `--${flag} has no effect without training; add --steps N to train the loaded model`,
        );
      }
    }
  }
  const engine = v.engine ?? DEFAULTS.engine;
  if (engine !== "scalar" && engine !== "fast") {
    throw new UsageError(`--engine must be scalar or fast, got ${JSON.stringify(engine)}`);
  }
  for (const flag of ["data", "save", "load"] as const) {
    if (v[flag] === "") throw new UsageError(`--${flag} needs a file path`);
  }
  try {
    gptConfig(model);
    const train = trainConfig({
      num_steps: steps === 0 ? 1 : steps,
      learning_rate: v.lr === undefined ? DEFAULT_TRAIN.learning_rate : num("lr", v.lr),
      batch_size: v["batch-size"] === undefined
        ? DEFAULT_TRAIN.batch_size
        : num("batch-size", v["batch-size"]),
    });
    return {
      model,
      steps,
      learning_rate: train.learning_rate,
      batch_size: train.batch_size,
      seed: v.seed === undefined ? DEFAULTS.seed : wholeNumber("seed", v.seed, 0),
      temperature: checkTemperature(
        v.temperature === undefined ? DEFAULTS.temperature : num("temperature", v.temperature),
      ),
      samples: v.samples === undefined ? DEFAULTS.samples : wholeNumber("samples", v.samples, 0),
      engine,
      data: v.data,
      save: v.save,
      load: v.load,
      json: v.json ?? false,
    };
  } catch (e) {
    if (e instanceof RangeError || e instanceof TypeError) throw new UsageError(inFlags(e.message));
    throw e;
  }
}
