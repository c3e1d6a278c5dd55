/**
 * `deno task train`: train a microGPT on a names file and sample from it, the terminal twin of the notebooks.
 * Flags and their checks live in `train_args.ts`; `deno task train --help` lists them.
 *
 * The run follows the reference's use of the random generator: shuffle the documents, draw the initial
 * weights, train, then sample; so `deno task train --json` reproduces the Python original's run on
 * `data/names.txt` (committed in `lib/testdata/microgpt_course_names.json`).
 *
 * @module
 */
// Only the modules the CLI needs, not lib/mod.ts (which also loads the plots, the ladder and the inspectors):
// start-up is part of every run's time.
import { createModel } from "../../lib/engines.ts";
import { DEFAULT_DATA_PATH, loadDocs } from "../../lib/data.ts";
import { gptConfig } from "../../lib/config.ts";
import { loadCheckpoint, saveCheckpoint } from "../../lib/checkpoint.ts";
import { Random } from "../../lib/random.ts";
import { sample } from "../../lib/sample.ts";
import { Tokenizer } from "../../lib/tokenizer.ts";
import { train, type TrainHistory } from "../../lib/train.ts";
import { watchInterrupt } from "../../lib/interrupt.ts";
import { dirname } from "node:path";
import { Progress } from "./progress.ts";
import { HELP, parseTrainArgs, type TrainArgs, UsageError } from "./train_args.ts";

/** What `--json` prints. */
export interface TrainResult {
  config: Record<string, unknown>;
  num_params: number;
  vocab_size: number;
  num_docs: number;
  /** Loss of every step, step 1 first. */
  losses: number[];
  samples: string[];
  /** Wall-clock seconds of training. */
  seconds: number;
  /** Set when Ctrl-C stopped training early: the last step done. */
  stopped_at?: number;
}

const fmt = (n: number) => n.toLocaleString("en-US");

/** `read()`, with a problem in the file given to `flag` (missing, not JSON, wrong content) as a usage error. */
function readFlagFile<T>(flag: string, path: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    const reason = e instanceof Deno.errors.NotFound
      ? "no such file"
      : e instanceof Deno.errors.PermissionDenied
      ? "permission denied"
      : e instanceof Deno.errors.IsADirectory
      ? "is a directory; give a file"
      : e instanceof SyntaxError
      ? `not a JSON file (${e.message})`
      : (e as Error).message;
    throw new UsageError(`${flag} ${path}: ${reason}`);
  }
}

/**
 * The model to train or sample, its tokenizer, the checkpoint's metadata and the (shuffled) training names: from
 * the checkpoint (--load) and the data (when training), or a fresh model. Uses the generator as the reference
 * does: the shuffle first, then the initial weights.
 */
function start(args: TrainArgs, rng: Random, dataLabel: string) {
  const { load } = args;
  const loaded = load === undefined
    ? undefined
    : readFlagFile("--load", load, () => loadCheckpoint(load, { engine: args.engine }));
  const docs = args.steps > 0
    ? readFlagFile("--data", dataLabel, () => loadDocs(args.data ?? DEFAULT_DATA_PATH, { rng }))
    : [];
  if (loaded) {
    try {
      for (const doc of docs) loaded.tokenizer.encode(doc);
    } catch (e) {
      const why = (e as Error).message;
      throw new UsageError(`--data ${dataLabel} does not fit the checkpoint's tokenizer: ${why}`);
    }
    return { ...loaded, docs };
  }
  const tokenizer = Tokenizer.fromDocs(docs);
  const config = gptConfig({ ...args.model, vocab_size: tokenizer.vocab_size });
  const model = createModel({ config, rng, engine: args.engine }); // draws the initial weights
  return { model, tokenizer, meta: {} as Record<string, unknown>, docs };
}

/** Run with validated flags; returns the exit code (0, or 130 when Ctrl-C stopped training). */
async function run(args: TrainArgs): Promise<number> {
  const rng = new Random(args.seed);
  const dataLabel = args.data ?? "data/names.txt";
  if (args.save !== undefined) await checkWritable(args.save);
  const { model, tokenizer, docs, meta } = start(args, rng, dataLabel);
  const c = model.config;
  if (!args.json) {
    console.log(`${args.load ? `loaded ${args.load}: ` : ""}${model}`); // GPT(engine, params: config)
    if (args.steps > 0) console.log(`data: ${dataLabel}, ${fmt(docs.length)} names, seed ${args.seed}`);
  }

  let history: TrainHistory | undefined;
  if (args.steps > 0) {
    const progress = new Progress(STDERR);
    history = await train(model, {
      docs,
      tokenizer,
      num_steps: args.steps,
      learning_rate: args.learning_rate,
      batch_size: args.batch_size,
      onStep: (info) => progress.step(info),
      log: (line) => {
        progress.end();
        STDERR.write(line + "\n");
      },
    });
  }
  if (args.save !== undefined) {
    // What the weights have seen, carried across --load/--save (loading and saving without training keeps it).
    const before = typeof meta.trained_steps === "number" ? meta.trained_steps : 0;
    const seen = history
      ? { trained_steps: before + history.losses.length, data: dataLabel, seed: args.seed }
      : meta;
    saveCheckpoint(args.save, { model, tokenizer, meta: seen });
  }
  const samples = args.samples > 0
    ? sample(model, { tokenizer, rng, temperature: args.temperature, count: args.samples })
    : [];

  const result: TrainResult = {
    config: {
      ...c,
      num_steps: args.steps,
      learning_rate: args.learning_rate,
      batch_size: args.batch_size,
      seed: args.seed,
      temperature: args.temperature,
      samples: args.samples,
      engine: model.engine,
      data: args.steps > 0 ? dataLabel : null,
      load: args.load ?? null,
      save: args.save ?? null,
    },
    num_params: model.numParams,
    vocab_size: c.vocab_size,
    num_docs: docs.length,
    losses: history?.losses ?? [],
    samples,
    seconds: history?.seconds ?? 0,
    ...(history?.stoppedAt !== undefined ? { stopped_at: history.stoppedAt } : {}),
  };
  if (args.json) console.log(JSON.stringify(result));
  else {
    if (history) console.log(String(history)); // trained N/M steps in … s (engine): loss …, mean of last 100 …
    if (args.save !== undefined) console.log(`saved ${args.save}`);
    if (samples.length > 0) console.log(`samples (temperature ${args.temperature}):`);
    samples.forEach((name) => console.log(`  ${name}`));
  }
  return result.stopped_at !== undefined ? 130 : 0;
}

/** Fail before training, not after, when --save cannot be written. */
async function checkWritable(path: string): Promise<void> {
  const dir = dirname(path);
  const stat = (p: string) => Deno.stat(p).then((info) => info, () => undefined);
  const [target, parent] = await Promise.all([stat(path), stat(dir)]);
  if (target?.isDirectory) throw new UsageError(`--save ${path}: is a directory; give a file name`);
  if (!parent) throw new UsageError(`--save ${path}: no directory ${dir}`);
  if (!parent.isDirectory) throw new UsageError(`--save ${path}: ${dir} is not a directory`);
}

/**
 * Ctrl-C stops training at the end of the current step (the run still samples and saves what it has);
 * a second Ctrl-C quits at once.
 */
function stopOnCtrlC(): void {
  if (!watchInterrupt({ force: true })) return; // no signals here (e.g. Windows): Ctrl-C ends the process
  let count = 0;
  Deno.addSignalListener("SIGINT", () => {
    if (++count >= 2) Deno.exit(130);
  });
}

/** Progress and messages go to stderr (stdout is the result). */
const STDERR = {
  write: (s: string) => void Deno.stderr.writeSync(new TextEncoder().encode(s)),
  tty: Deno.stderr.isTerminal(),
};

/** The CLI: parse, run, map errors to exit codes (2 usage, 1 failure) with a one-line message. */
async function main(argv: readonly string[]): Promise<number> {
  try {
    const args = parseTrainArgs(argv);
    if (args === "help") {
      console.log(HELP);
      return 0;
    }
    stopOnCtrlC();
    return await run(args);
  } catch (e) {
    if (e instanceof UsageError) {
      STDERR.write(`train: ${e.message} (see deno task train --help)\n`);
      return 2;
    }
    STDERR.write(`train: ${(e as Error)?.message ?? String(e)}\n`);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
