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

/** The defaults of the flags that lib/config.ts does not know (the reference run). */
const DEFAULTS = { seed: 42, temperature: 0.5, samples: 20 };

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

/** The flags that take a number, and the names lib/config.ts gives them (its messages name the flag instead). */
const NUMERIC = {
  "n-embd": "n_embd",
  "n-head": "n_head",
  "n-layer": "n_layer",
  "block-size": "block_size",
  steps: "num_steps",
  lr: "learning_rate",
  "batch-size": "batch_size",
  temperature: "temperature",
} as const;
type Key = (typeof NUMERIC)[keyof typeof NUMERIC];
const FLAG_OF = Object.fromEntries(Object.entries(NUMERIC).map(([flag, key]) => [key, `--${flag}`]));
const STRING = { type: "string" } as const;
const OPTIONS = {
  ...Object.fromEntries(Object.keys(NUMERIC).map((flag) => [flag, STRING])) as Record<
    keyof typeof NUMERIC,
    typeof STRING
  >,
  seed: STRING,
  samples: STRING,
  data: STRING,
  engine: STRING,
  save: STRING,
  load: STRING,
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

function num(flag: string, value: string): number {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(value.trim())) {
    throw new UsageError(`${flag} must be a number, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

/** --seed and --samples (lib/config.ts has no rule for them): a whole number ≥ 0. */
function wholeNumber(flag: "seed" | "samples", value: string | undefined): number {
  if (value === undefined) return DEFAULTS[flag];
  const n = num(`--${flag}`, value);
  if (!Number.isInteger(n) || n < 0) {
    throw new UsageError(`--${flag} must be a whole number ≥ 0, got ${value}`);
  }
  if (!Number.isSafeInteger(n)) throw new UsageError(`--${flag} must be below 2^53, got ${value}`);
  return n;
}

/** node:util's parse errors, in one line and in our words (with "did you mean" for a flag 1–2 edits away). */
function parseError(e: Error & { code?: string }): UsageError {
  const flag = /'(-[^' ]+)/.exec(e.message)?.[1] ?? "";
  switch (e.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION": {
      const typed = flag.replace(/^-+/, "").replace(/=.*/, ""), guess = closest(typed, Object.keys(OPTIONS));
      const hint = typed.length >= 3 && distance(typed, guess) <= 2 ? ` (did you mean --${guess}?)` : "";
      return new UsageError(`unknown flag ${flag}${hint}`);
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
 * Parse and validate the flags of `deno task train`. Returns `"help"` for `--help`. Ranges are checked by
 * lib/config.ts (`gptConfig`, `trainConfig`, `checkTemperature`), with its messages naming the flag.
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
  const n: Partial<Record<Key, number>> = {};
  for (const [flag, key] of Object.entries(NUMERIC)) {
    const value = v[flag as keyof typeof NUMERIC];
    if (value !== undefined) n[key] = num(`--${flag}`, value);
  }
  const model: TrainArgs["model"] = {};
  for (const key of ["n_embd", "n_head", "n_layer", "block_size"] as const) {
    if (n[key] !== undefined) model[key] = n[key];
  }
  if (v.load !== undefined && Object.keys(model).length > 0) {
    const given = Object.keys(model).map((k) => FLAG_OF[k]).join(", ");
    throw new UsageError(`${given} cannot be combined with --load: the checkpoint fixes the architecture`);
  }
  const steps = n.num_steps ?? (v.load !== undefined ? 0 : DEFAULT_TRAIN.num_steps);
  if (steps === 0 && v.load === undefined) {
    throw new UsageError("--steps 0 means no training, which needs --load (a checkpoint to sample from)");
  }
  for (const flag of ["lr", "batch-size", "data"] as const) {
    if (steps === 0 && v[flag] !== undefined) {
      throw new UsageError(
        `--${flag} has no effect without training; add --steps N to train the loaded model`,
      );
    }
  }
  const engine = v.engine ?? "scalar";
  if (engine !== "scalar" && engine !== "fast") {
    throw new UsageError(`--engine must be scalar or fast, got ${JSON.stringify(engine)}`);
  }
  for (const flag of ["data", "save", "load"] as const) {
    if (v[flag] === "") throw new UsageError(`--${flag} needs a file path`);
  }
  try {
    gptConfig(model);
    const train = trainConfig({
      num_steps: steps || 1,
      learning_rate: n.learning_rate ?? DEFAULT_TRAIN.learning_rate,
      batch_size: n.batch_size ?? DEFAULT_TRAIN.batch_size,
    });
    return {
      model,
      steps,
      learning_rate: train.learning_rate,
      batch_size: train.batch_size,
      seed: wholeNumber("seed", v.seed),
      temperature: checkTemperature(n.temperature ?? DEFAULTS.temperature),
      samples: wholeNumber("samples", v.samples),
      engine,
      data: v.data,
      save: v.save,
      load: v.load,
      json: v.json ?? false,
    };
  } catch (e) {
    if (!(e instanceof RangeError || e instanceof TypeError)) throw e;
    const keys = new RegExp(`\\b(${Object.keys(FLAG_OF).join("|")})\\b`, "g");
    throw new UsageError(e.message.replace(keys, (key) => FLAG_OF[key]));
  }
}
