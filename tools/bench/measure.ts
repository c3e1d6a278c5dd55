/**
 * How `deno task bench` measures: a reference training run in this process, and a command as a whole. Only
 * wall-clock and CPU seconds are recorded; nothing here judges them.
 *
 * @module
 */
import process from "node:process";
import { createModel, type EngineName } from "../../lib/engines.ts";
import { loadDocs } from "../../lib/data.ts";
import { Tokenizer } from "../../lib/tokenizer.ts";
import { Random } from "../../lib/random.ts";
import { train } from "../../lib/train.ts";
import type { GPTConfig } from "../../lib/config.ts";

/** One measured training run. */
export interface Timing {
  steps: number;
  /** Wall-clock seconds of the training loop. */
  seconds: number;
  /** CPU seconds (user + system) of the process during the loop; undefined when not measured. */
  cpu?: number;
  /** Positions predicted (tokens) during the run. */
  tokens: number;
}

/**
 * Train a fresh model as the reference does (seed 42, shuffle, init, `train` with defaults) for `steps` steps,
 * timing only the training loop (`measure_test.ts` runs it).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { timeTraining } from "./measure.ts";
 * const t = await timeTraining({ engine: "fast", data: "data/names.txt", steps: 3 });
 * assert(t.steps === 3 && t.seconds > 0);
 * ```
 */
export async function timeTraining(
  opts: { engine: EngineName; data: string; steps: number; config?: Partial<GPTConfig>; batch_size?: number },
): Promise<Timing> {
  const rng = new Random(42);
  const docs = loadDocs(opts.data, { rng });
  const tokenizer = Tokenizer.fromDocs(docs);
  const config = { ...opts.config, vocab_size: tokenizer.vocab_size };
  const model = createModel({ config, rng, engine: opts.engine });
  const block = model.config.block_size;
  const batch_size = opts.batch_size ?? 1;
  let tokens = 0;
  for (let s = 0; s < opts.steps * batch_size; s++) {
    tokens += Math.min(block, docs[s % docs.length].length + 1);
  }
  const cpu0 = process.cpuUsage();
  const history = await train(model, { docs, tokenizer, num_steps: opts.steps, batch_size, log: () => {} });
  const cpu = process.cpuUsage(cpu0); // user + system microseconds since cpu0
  return { steps: opts.steps, seconds: history.seconds, cpu: (cpu.user + cpu.system) / 1e6, tokens };
}

/**
 * Run a command, return its wall-clock seconds and stdout (throws with its stderr if it fails).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { timeCommand } from "./measure.ts";
 * const { seconds, stdout } = await timeCommand(Deno.execPath(), ["eval", "console.log(6 * 7)"]);
 * assert(seconds > 0 && stdout.trim() === "42");
 * ```
 */
export async function timeCommand(
  cmd: string,
  args: string[],
  cwd?: URL,
): Promise<{ seconds: number; stdout: string }> {
  const t0 = performance.now();
  const out = await new Deno.Command(cmd, { args, cwd, stdout: "piped", stderr: "piped" }).output();
  const seconds = (performance.now() - t0) / 1000;
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")} failed (${out.code}): ${new TextDecoder().decode(out.stderr)}`);
  }
  return { seconds, stdout: new TextDecoder().decode(out.stdout) };
}
