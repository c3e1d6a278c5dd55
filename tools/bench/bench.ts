/**
 * `deno task bench`: how fast the engines train, in one table, with every ratio measured in the same run.
 *
 * Rows: the Python original (with `--compare-python PATH`: `python3 PATH` is timed as a whole), the scalar
 * engine and the fast engine on the reference run (1000 steps, batch 1, default model), the fast engine in a
 * fresh process and warm (V8 has compiled it), the whole `deno task train --engine fast` process, and the fast
 * engine on a bigger model (n_embd 64, n_head 4, n_layer 4, block_size 32, batch 8) as tokens/s. Optionally
 * (`--torch-python PY`) a PyTorch CPU peer of the bigger model (`tools/bench/torch_peer.py`).
 *
 * Wall-clock seconds depend on what else the machine runs; the table also shows this process's CPU seconds
 * and the load average, so a busy machine is visible. No timing is asserted anywhere.
 *
 * @module
 */
import { parseArgs } from "node:util";
import process from "node:process";
import { createModel, type EngineName } from "../../lib/engines.ts";
import { loadDocs } from "../../lib/data.ts";
import { Tokenizer } from "../../lib/tokenizer.ts";
import { Random } from "../../lib/random.ts";
import { train } from "../../lib/train.ts";
import type { GPTConfig } from "../../lib/config.ts";

const ROOT = new URL("../../", import.meta.url);
const REFERENCE_NAMES = new URL("../shared/reference/names.txt", ROOT);
const SHIPPED_NAMES = new URL("data/names.txt", ROOT);

/** The bigger model of issue 6. */
export const BIG_CONFIG = Object.freeze({ n_embd: 64, n_head: 4, n_layer: 4, block_size: 32 });
/** Documents per step on the bigger model. */
export const BIG_BATCH = 8;

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

/** What a bench run needs to know. */
export interface BenchOptions {
  /** Names file (one document per line). */
  data: string;
  /** Steps of the reference runs (default 1000). */
  steps: number;
}

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function exists(url: URL | string): boolean {
  try {
    return Deno.statSync(url).isFile;
  } catch {
    return false;
  }
}

/**
 * Train a fresh model as the reference does (seed 42, shuffle, init, `train` with defaults) for `steps` steps,
 * timing only the training loop.
 *
 * @example
 * ```ts
 * import { timeTraining } from "./bench.ts";
 * const t = await timeTraining({ engine: "fast", data: "data/names.txt", steps: 3 });
 * console.assert(t.steps === 3 && t.seconds > 0);
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
  const cpu0 = cpuSeconds();
  const history = await train(model, { docs, tokenizer, num_steps: opts.steps, batch_size, log: () => {} });
  return { steps: opts.steps, seconds: history.seconds, cpu: cpuSeconds() - cpu0, tokens };
}

/** Run a command, return its wall-clock seconds and stdout (throws with its stderr if it fails). */
async function timeCommand(
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

/** Fast-engine reference training in a new Deno process (nothing compiled yet). */
async function timeFreshProcess(opts: BenchOptions): Promise<Timing & { process: number }> {
  const script = new URL(import.meta.url).pathname;
  const { seconds, stdout } = await timeCommand(Deno.execPath(), [
    "run",
    "-A",
    script,
    "--child",
    "--data",
    opts.data,
    "--steps",
    String(opts.steps),
  ]);
  return { ...JSON.parse(stdout.trim().split("\n").pop()!), process: seconds };
}

/** Run `measure` `n` times; the run with the median seconds, every run, and a note with the best time. */
async function medianOf<T extends { seconds: number }>(
  runs: { n: number; what: string; progress: (s: string) => unknown },
  measure: () => Promise<T>,
): Promise<{ median: T; all: T[]; note: string }> {
  const { n, what, progress } = runs;
  const all: T[] = [];
  for (let i = 0; i < n; i++) {
    progress(`${what}${n > 1 ? ` (${i + 1}/${n})` : ""}`);
    all.push(await measure());
  }
  const sorted = [...all].sort((a, b) => a.seconds - b.seconds);
  const note = n > 1 ? `median of ${n} runs; best ${fmt(sorted[0].seconds)} s` : "";
  return { median: sorted[n >> 1], all, note };
}

/** Rows of the table. */
interface Row {
  name: string;
  steps: number;
  seconds: number;
  cpu?: number;
  tokens?: number;
  /** A run of the bigger model: not comparable with the reference baselines. */
  big?: boolean;
  note?: string;
}

function fmt(x: number | undefined, digits = 3): string {
  if (x === undefined || !Number.isFinite(x)) return "";
  if (x >= 1000) return Math.round(x).toLocaleString("en-US");
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toPrecision(digits);
}

/**
 * The table as text: one row per run with total seconds, CPU seconds, steps/s, tokens/s and the speed-up over
 * the baselines measured in the same run (Python original, scalar engine).
 *
 * @example
 * ```ts
 * import { formatTable } from "./bench.ts";
 * const text = formatTable([{ name: "fast", steps: 1000, seconds: 0.1 }], { python: 300 });
 * console.assert(text.includes("3,000×"));
 * ```
 */
export function formatTable(rows: readonly Row[], base: { python?: number; scalar?: number }): string {
  const head = ["run", "steps", "total s", "CPU s", "steps/s", "tokens/s", "vs Python", "vs scalar", "note"];
  const perStep = (b: number | undefined) => b === undefined ? undefined : b / 1000; // baselines are per 1000 steps
  const body = rows.map((r) => {
    const sPerStep = r.seconds / r.steps;
    const speed = (b: number | undefined) => {
      const p = perStep(b);
      return p === undefined ? "" : `${fmt(p / sPerStep)}×`;
    };
    return [
      r.name,
      String(r.steps),
      fmt(r.seconds),
      fmt(r.cpu),
      fmt(r.steps / r.seconds),
      r.tokens ? fmt(r.tokens / r.seconds) : "",
      r.big ? "" : speed(base.python),
      r.big ? "" : speed(base.scalar),
      r.note ?? "",
    ];
  });
  const all = [head, ...body];
  const widths = head.map((_, c) => Math.max(...all.map((r) => r[c].length)));
  const line = (r: string[]) => "| " + r.map((cell, c) => cell.padEnd(widths[c])).join(" | ") + " |";
  return [line(head), "|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|", ...body.map(line)].join(
    "\n",
  );
}

const HELP = `deno task bench [options]

  --steps N             reference steps per run (default 1000)
  --scalar-steps N      steps for the scalar engine (default: --steps; fewer is quicker, scaled to 1000)
  --big-steps N         steps on the bigger model (default 1000; 0 skips it)
  --compare-python PATH also time \`python3 PATH\` (the Python original; ~5 min) as the baseline
  --torch-python PY     also run tools/bench/torch_peer.py with this Python (needs torch; see tools/bench/README.md)
  --torch-steps N       steps of the PyTorch peer (default 100)
  --data PATH           names file (default ../shared/reference/names.txt, else data/names.txt)
  --repeat N            runs of each short measurement (fresh process, warm, CLI); the median is shown (default 3)
  --no-cli              skip timing the whole \`deno task train --engine fast\` process
  --json                print the measurements as JSON instead of the table
`;

/**
 * Run the benchmark with command-line `argv`; returns the exit code (2 for a bad flag).
 *
 * @example
 * ```ts
 * import { main } from "./bench.ts";
 * console.assert(await main(["--steps", "x"]) === 2);
 * ```
 */
export async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        steps: { type: "string", default: "1000" },
        "scalar-steps": { type: "string" },
        "big-steps": { type: "string", default: "1000" },
        "compare-python": { type: "string" },
        "torch-python": { type: "string" },
        "torch-steps": { type: "string", default: "100" },
        data: { type: "string" },
        "no-cli": { type: "boolean", default: false },
        repeat: { type: "string", default: "3" },
        json: { type: "boolean", default: false },
        child: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
    }));
  } catch (e) {
    console.error(`bench: ${(e as Error).message}`);
    return 2;
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const count = (flag: string, v: string | undefined, min: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) {
      throw new RangeError(`--${flag} must be a whole number ≥ ${min}, got ${v}`);
    }
    return n;
  };
  let steps: number, scalarSteps: number, bigSteps: number, torchSteps: number, repeat: number;
  try {
    repeat = count("repeat", values.repeat, 1);
    torchSteps = count("torch-steps", values["torch-steps"], 1);
    steps = count("steps", values.steps, 1);
    scalarSteps = count("scalar-steps", values["scalar-steps"] ?? values.steps, 0);
    bigSteps = count("big-steps", values["big-steps"], 0);
  } catch (e) {
    console.error(`bench: ${(e as Error).message}`);
    return 2;
  }
  if (values["compare-python"] !== undefined && !exists(values["compare-python"])) { // not after a long run
    console.error(`bench: --compare-python: no such file: ${values["compare-python"]}`);
    return 2;
  }
  const data = values.data ??
    (exists(REFERENCE_NAMES) ? new URL(REFERENCE_NAMES).pathname : new URL(SHIPPED_NAMES).pathname);

  if (values.child) { // the fresh-process measurement, run by the parent
    console.log(JSON.stringify(await timeTraining({ engine: "fast", data, steps })));
    return 0;
  }

  const loadBefore = Deno.loadavg()[0];
  const rows: Row[] = [];
  const base: { python?: number; scalar?: number } = {};
  const progress = (s: string) => values.json || console.error(`… ${s}`);

  if (values["compare-python"]) {
    progress(`python3 ${values["compare-python"]} (the original, all its steps)`);
    const { seconds } = await timeCommand("python3", [values["compare-python"]]);
    base.python = seconds;
    rows.push({ name: "Python original (whole process)", steps: 1000, seconds, note: "baseline" });
  }
  // short runs: repeat and keep the median (a busy machine makes single runs noisy); the note gives the best
  const fresh = await medianOf(
    { n: repeat, what: "fast engine, fresh process", progress },
    () => timeFreshProcess({ data, steps }),
  );
  await timeTraining({ engine: "fast", data, steps }); // compile
  const warm = await medianOf(
    { n: repeat, what: "fast engine, warm", progress },
    () => timeTraining({ engine: "fast", data, steps }),
  );
  let scalar: Timing | undefined;
  if (scalarSteps > 0) {
    progress(`scalar engine, ${scalarSteps} steps`);
    scalar = await timeTraining({ engine: "scalar", data, steps: scalarSteps });
    base.scalar = (scalar.seconds / scalar.steps) * 1000;
    rows.push({
      name: "scalar engine (training loop)",
      ...scalar,
      note: `baseline${scalarSteps !== 1000 ? "; vs-ratios scale it to 1000 steps" : ""}`,
    });
  }
  rows.push({ name: "fast engine, fresh process (training loop)", ...fresh.median, note: fresh.note });
  const byProcess = [...fresh.all].sort((a, b) => a.process - b.process);
  rows.push({
    name: "fast engine, fresh process (whole process)",
    ...fresh.median,
    seconds: byProcess[byProcess.length >> 1].process,
    cpu: undefined,
    note: `${fresh.all.length} runs; best ${fmt(byProcess[0].process)} s`,
  });
  rows.push({ name: "fast engine, warm (training loop)", ...warm.median, note: warm.note });
  if (!values["no-cli"] && exists(new URL("tools/cli/train.ts", ROOT))) {
    const cli = await medianOf({ n: repeat, what: "deno task train --engine fast", progress }, async () => ({
      steps,
      tokens: 0,
      ...await timeCommand(
        Deno.execPath(),
        ["task", "-q", "train", "--engine", "fast", "--data", data, "--steps", String(steps), "--json"],
        ROOT,
      ),
    }));
    rows.push({
      name: "deno task train --engine fast (whole process)",
      steps,
      seconds: cli.median.seconds,
      note: cli.note,
    });
  }
  if (bigSteps > 0) {
    progress(`fast engine, bigger model, ${bigSteps} steps`);
    const big = await timeTraining({
      engine: "fast",
      data,
      steps: bigSteps,
      config: BIG_CONFIG,
      batch_size: BIG_BATCH,
    });
    rows.push({
      name: "fast engine, bigger model (training loop)",
      ...big,
      big: true,
      note: `bigger: 64/4 heads/4 layers/block 32, batch 8; ${
        fmt((big.seconds / big.steps) * 1000)
      } s per 1000 steps`,
    });
  }
  if (values["torch-python"]) {
    progress("PyTorch peer");
    const script = new URL("tools/bench/torch_peer.py", ROOT).pathname;
    const { stdout } = await timeCommand(values["torch-python"], [
      script,
      "--data",
      data,
      "--steps",
      String(torchSteps),
    ]);
    const t = JSON.parse(stdout.trim().split("\n").pop()!);
    rows.push({
      name: "PyTorch CPU peer, bigger model (training loop)",
      ...t,
      big: true,
      note: `torch ${t.torch}`,
    });
  }

  const [load1] = Deno.loadavg();
  if (values.json) {
    console.log(
      JSON.stringify({ rows, base, load1, deno: Deno.version.deno, cpus: navigator.hardwareConcurrency }),
    );
    return 0;
  }
  console.log(
    `microGPT benchmark — deno ${Deno.version.deno}, ${navigator.hardwareConcurrency} CPUs, ` +
      `load average ${loadBefore.toFixed(2)} → ${load1.toFixed(2)} (1 min, start → end), data ${data}`,
  );
  console.log(formatTable(rows, base));
  console.log(
    "total s = wall clock; CPU s = this process's CPU time in the loop (compiler threads included). " +
      "Ratios compare time per step with baselines measured in this run.",
  );
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
