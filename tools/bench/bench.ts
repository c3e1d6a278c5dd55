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
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { medianOf, timeCommand, timeTraining, type Timing } from "./measure.ts";

const ROOT = new URL("../../", import.meta.url);
const SHIPPED_NAMES = new URL("data/names.txt", ROOT);

/** The bigger model of issue 6. */
export const BIG_CONFIG = Object.freeze({ n_embd: 64, n_head: 4, n_layer: 4, block_size: 32 });
/** Documents per step on the bigger model. */
export const BIG_BATCH = 8;

/** Fast-engine reference training in a new Deno process (nothing compiled yet). */
async function timeFreshProcess(
  opts: { data: string; steps: number },
): Promise<Timing & { process: number }> {
  const args = ["run", "-A", new URL(import.meta.url).pathname, "--child", "--data", opts.data];
  const { seconds, stdout } = await timeCommand(Deno.execPath(), [...args, "--steps", String(opts.steps)]);
  return { ...JSON.parse(stdout.trim().split("\n").pop()!), process: seconds };
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

/** The note of a repeated measurement: how many runs, and the best. */
function spread(r: { all: unknown[]; best: { seconds: number } }): string {
  return r.all.length > 1 ? `median of ${r.all.length} runs; best ${fmt(r.best.seconds)} s` : "";
}

/**
 * The table as text: one row per run with total seconds, CPU seconds, steps/s, tokens/s and the speed-up over
 * the baselines measured in the same run (Python original, scalar engine).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatTable } from "./bench.ts";
 * const text = formatTable([{ name: "fast", steps: 1000, seconds: 0.1 }], { python: 300 });
 * assert(text.includes("3,000×"));
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

/** The numeric flags: default (undefined: --steps's value) and least value. */
const COUNTS = {
  steps: ["1000", 1],
  "scalar-steps": [undefined, 0],
  "big-steps": ["1000", 0],
  "torch-steps": ["100", 1],
  repeat: ["3", 1],
} as const;
type Count = keyof typeof COUNTS;

const HELP = `deno task bench [options]

  --steps N             reference steps per run (default 1000)
  --scalar-steps N      steps for the scalar engine (default: --steps; fewer is quicker, scaled to 1000)
  --big-steps N         steps on the bigger model (default 1000; 0 skips it)
  --compare-python PATH also time \`python3 PATH\` (the Python original; ~5 min) as the baseline
  --torch-python PY     also run tools/bench/torch_peer.py with this Python (needs torch; see tools/bench/README.md)
  --torch-steps N       steps of the PyTorch peer (default 100)
  --data PATH           names file (default data/names.txt, the course's corpus)
  --repeat N            runs of each short measurement (fresh process, warm, CLI); the median is shown (default 3)
  --no-cli              skip timing the whole \`deno task train --engine fast\` process
  --json                print the measurements as JSON instead of the table
`;

/** The flags, checked: a message for a bad one. */
function parseFlags(argv: string[]) {
  const str = (d?: string) => ({ type: "string", ...(d === undefined ? {} : { default: d }) }) as const;
  const bool = { type: "boolean", default: false } as const;
  const { values: v } = parseArgs({
    args: argv,
    options: {
      ...Object.fromEntries(Object.entries(COUNTS).map(([k, [d]]) => [k, str(d)])) as Record<
        Count,
        { type: "string" }
      >,
      "compare-python": str(),
      "torch-python": str(),
      data: str(),
      "no-cli": bool,
      json: bool,
      child: bool,
      help: bool,
    },
  });
  const counts = {} as Record<Count, number>;
  for (const [flag, [, min]] of Object.entries(COUNTS) as [Count, readonly [unknown, number]][]) {
    const text = v[flag] ?? v.steps, n = Number(text);
    if (!Number.isInteger(n) || n < min) {
      throw new RangeError(`--${flag} must be a whole number ≥ ${min}, got ${text}`);
    }
    counts[flag] = n;
  }
  const python = v["compare-python"];
  if (python !== undefined && !existsSync(python)) {
    throw new RangeError(`--compare-python: no such file: ${python}`);
  }
  const data = v.data ?? SHIPPED_NAMES.pathname;
  return { ...v, ...counts, data, python, torch: v["torch-python"], cli: !v["no-cli"] };
}

/**
 * Run the benchmark with command-line `argv`; returns the exit code (2 for a bad flag).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { main } from "./bench.ts";
 * assert.equal(await main(["--steps", "x"]), 2);
 * ```
 */
export async function main(argv: string[]): Promise<number> {
  let f;
  try {
    f = parseFlags(argv);
  } catch (e) {
    console.error(`bench: ${(e as Error).message}`);
    return 2;
  }
  if (f.help) return (console.log(HELP), 0);
  const { data, steps } = f;
  if (f.child) { // the fresh-process measurement, run by the parent
    console.log(JSON.stringify(await timeTraining({ engine: "fast", data, steps })));
    return 0;
  }
  const loadBefore = Deno.loadavg()[0];
  const rows: Row[] = [];
  const base: { python?: number; scalar?: number } = {};
  const progress = (s: string) => f.json || console.error(`… ${s}`);
  const repeat = { n: f.repeat, progress };

  if (f.python) {
    progress(`python3 ${f.python} (the original, all its steps)`);
    base.python = (await timeCommand("python3", [f.python])).seconds;
    rows.push({
      name: "Python original (whole process)",
      steps: 1000,
      seconds: base.python,
      note: "baseline",
    });
  }
  // short runs: repeat and keep the median (a busy machine makes single runs noisy); the note gives the best
  const fresh = await medianOf({ ...repeat, what: "fast engine, fresh process" }, () => timeFreshProcess(f));
  await timeTraining({ engine: "fast", data, steps }); // compile
  const warm = await medianOf(
    { ...repeat, what: "fast engine, warm" },
    () => timeTraining({ engine: "fast", data, steps }),
  );
  if (f["scalar-steps"] > 0) {
    progress(`scalar engine, ${f["scalar-steps"]} steps`);
    const scalar = await timeTraining({ engine: "scalar", data, steps: f["scalar-steps"] });
    base.scalar = (scalar.seconds / scalar.steps) * 1000;
    const scaled = scalar.steps !== 1000 ? "; vs-ratios scale it to 1000 steps" : "";
    rows.push({ name: "scalar engine (training loop)", ...scalar, note: `baseline${scaled}` });
  }
  rows.push({ name: "fast engine, fresh process (training loop)", ...fresh.median, note: spread(fresh) });
  const byProcess = fresh.all.map((r) => r.process).sort((a, b) => a - b);
  rows.push({
    name: "fast engine, fresh process (whole process)",
    ...fresh.median,
    seconds: byProcess[byProcess.length >> 1],
    cpu: undefined,
    note: `${byProcess.length} runs; best ${fmt(byProcess[0])} s`,
  });
  rows.push({ name: "fast engine, warm (training loop)", ...warm.median, note: spread(warm) });
  if (f.cli && existsSync(new URL("tools/cli/train.ts", ROOT))) {
    const args = [
      "task",
      "-q",
      "train",
      "--engine",
      "fast",
      "--data",
      data,
      "--steps",
      String(steps),
      "--json",
    ];
    const cli = await medianOf(
      { ...repeat, what: "deno task train --engine fast" },
      async () => ({ steps, ...await timeCommand(Deno.execPath(), args, ROOT) }),
    );
    const { seconds } = cli.median;
    rows.push({ name: "deno task train --engine fast (whole process)", steps, seconds, note: spread(cli) });
  }
  if (f["big-steps"] > 0) {
    progress(`fast engine, bigger model, ${f["big-steps"]} steps`);
    const big = await timeTraining({
      engine: "fast",
      data,
      steps: f["big-steps"],
      config: BIG_CONFIG,
      batch_size: BIG_BATCH,
    });
    const per1000 = fmt((big.seconds / big.steps) * 1000);
    const note = `bigger: 64/4 heads/4 layers/block 32, batch 8; ${per1000} s per 1000 steps`;
    rows.push({ name: "fast engine, bigger model (training loop)", ...big, big: true, note });
  }
  if (f.torch) {
    progress("PyTorch peer");
    const script = new URL("tools/bench/torch_peer.py", ROOT).pathname;
    const args = [script, "--data", data, "--steps", String(f["torch-steps"])];
    const t = JSON.parse((await timeCommand(f.torch, args)).stdout.trim().split("\n").pop()!);
    rows.push({
      name: "PyTorch CPU peer, bigger model (training loop)",
      ...t,
      big: true,
      note: `torch ${t.torch}`,
    });
  }

  const [load1] = Deno.loadavg();
  if (f.json) {
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
