/**
 * `deno task bench`: how fast the engines train, in one table, with every ratio measured in the same run.
 *
 * Rows: the Python original (with `--compare-python PATH`: `python3 PATH` is timed as a whole, run in its own
 * folder so that it finds its `input.txt`), the scalar engine and the fast engine on the reference run (1000
 * steps, batch 1, default model), the fast engine in a fresh process and warm (V8 has compiled it), the whole
 * `deno task train --engine fast` process, and the fast engine on a bigger model (n_embd 64, n_head 4, n_layer
 * 4, block_size 32, batch 8) as tokens/s. Optionally (`--torch-python PY`) a PyTorch CPU peer of the bigger
 * model (`tools/bench/torch_peer.py`).
 *
 * Wall-clock seconds depend on what else the machine runs; the table also shows this process's CPU seconds
 * and the load average, so a busy machine is visible. No timing is asserted anywhere.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { timeCommand, timeTraining, type Timing } from "./measure.ts";

const ROOT = new URL("../../", import.meta.url);
const BENCH = new URL(import.meta.url).pathname;
/** The bigger model of issue 6, trained on 8 documents per step. */
const BIG = { config: { n_embd: 64, n_head: 4, n_layer: 4, block_size: 32 }, batch_size: 8 };
/** Runs of each short measurement (fresh process, warm, CLI): one is noisy on a busy machine. */
const REPEAT = 3;

/** A row of the table; `big` rows (the bigger model) get no ratios against the reference baselines. */
interface Row extends Partial<Timing> {
  name: string;
  steps: number;
  seconds: number;
  big?: boolean;
  note?: string;
}

function fmt(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return "";
  if (x >= 1000) return Math.round(x).toLocaleString("en-US");
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toPrecision(3);
}

/** The last line a child process printed, as JSON. */
// deno-lint-ignore no-explicit-any
const lastJson = (stdout: string): any => JSON.parse(stdout.trim().split("\n").pop()!);

/** `measure` run `REPEAT` times: the run with the median seconds, with a note giving the best. */
async function median<T extends { seconds: number }>(what: string, measure: () => Promise<T>) {
  const all: T[] = [];
  for (let i = 1; i <= REPEAT; i++) {
    console.error(`… ${what} (${i}/${REPEAT})`);
    all.push(await measure());
  }
  all.sort((a, b) => a.seconds - b.seconds);
  return { ...all[REPEAT >> 1], note: `median of ${REPEAT} runs; best ${fmt(all[0].seconds)} s` };
}

/**
 * The table as text: one row per run with total seconds, CPU seconds, steps/s, tokens/s and the speed-up over
 * the baselines measured in the same run (Python original, scalar engine), both in seconds per 1000 steps.
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
  const body = rows.map((r) => {
    const speed = (b?: number) => b === undefined || r.big ? "" : `${fmt(b / 1000 / (r.seconds / r.steps))}×`;
    const tokens = r.tokens ? fmt(r.tokens / r.seconds) : "";
    const cells = [String(r.steps), fmt(r.seconds), fmt(r.cpu), fmt(r.steps / r.seconds), tokens];
    return [r.name, ...cells, speed(base.python), speed(base.scalar), r.note ?? ""];
  });
  const widths = head.map((_, c) => Math.max(...[head, ...body].map((r) => r[c].length)));
  const line = (r: string[]) => "| " + r.map((cell, c) => cell.padEnd(widths[c])).join(" | ") + " |";
  const rule = "|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|";
  return [line(head), rule, ...body.map(line)].join("\n");
}

const HELP = `deno task bench [options]

  --steps N             reference steps per run, also on the bigger model (default 1000)
  --compare-python PATH also time \`python3 PATH\` (the Python original; minutes) as the baseline
  --torch-python PY     also run tools/bench/torch_peer.py with this Python (needs torch; see tools/bench/README.md)
  --data PATH           names file (default data/names.txt, the course's corpus)
`;

/** The flags, checked: a RangeError for a bad one. */
function parseFlags(argv: string[]) {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      steps: { type: "string", default: "1000" },
      "compare-python": { type: "string" },
      "torch-python": { type: "string" },
      data: { type: "string", default: new URL("data/names.txt", ROOT).pathname },
      child: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  const steps = Number(v.steps);
  if (!Number.isInteger(steps) || steps < 1) {
    throw new RangeError(`--steps must be a whole number ≥ 1, got ${v.steps}`);
  }
  const python = v["compare-python"];
  if (python !== undefined && !existsSync(python)) {
    throw new RangeError(`--compare-python: no such file: ${python}`);
  }
  return { ...v, steps, python, torch: v["torch-python"] };
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
  const reference = () => timeTraining({ engine: "fast", data, steps });
  if (f.child) return (console.log(JSON.stringify(await reference())), 0); // the fresh-process run, for the parent
  const loadBefore = Deno.loadavg()[0];
  const rows: Row[] = [];
  const base: { python?: number; scalar?: number } = {};
  const progress = (s: string) => console.error(`… ${s}`);

  if (f.python) {
    progress(`python3 ${f.python} (the original, all its steps)`);
    const python = resolve(f.python);
    base.python = (await timeCommand("python3", [python], new URL(`file://${dirname(python)}/`))).seconds;
    rows.push({
      name: "Python original (whole process)",
      steps: 1000,
      seconds: base.python,
      note: "baseline",
    });
  }
  const child = ["run", "-A", BENCH, "--child", "--data", data, "--steps", `${steps}`];
  const fresh = await median("fast engine, fresh process", async () => {
    return lastJson((await timeCommand(Deno.execPath(), child)).stdout) as Timing;
  });
  await reference(); // compile
  const warm = await median("fast engine, warm", reference);
  progress(`scalar engine, ${steps} steps`);
  const scalar = await timeTraining({ engine: "scalar", data, steps });
  base.scalar = (scalar.seconds / scalar.steps) * 1000;
  rows.push({ name: "scalar engine (training loop)", ...scalar, note: "baseline" });
  rows.push({ name: "fast engine, fresh process (training loop)", ...fresh });
  rows.push({ name: "fast engine, warm (training loop)", ...warm });
  const args = ["task", "-q", "train", "--engine", "fast", "--data", data, "--steps", `${steps}`, "--json"];
  const cli = await median("deno task train --engine fast", async () => {
    return { steps, ...await timeCommand(Deno.execPath(), args, ROOT) };
  });
  rows.push({ name: "deno task train --engine fast (whole process)", ...cli });
  progress(`fast engine, bigger model, ${steps} steps`);
  const big = await timeTraining({ engine: "fast", data, steps, ...BIG });
  const per1000 = fmt((big.seconds / steps) * 1000);
  const note = `bigger: 64/4 heads/4 layers/block 32, batch 8; ${per1000} s per 1000 steps`;
  rows.push({ name: "fast engine, bigger model (training loop)", ...big, big: true, note });
  if (f.torch) {
    progress("PyTorch peer");
    const script = new URL("tools/bench/torch_peer.py", ROOT).pathname;
    const t = lastJson((await timeCommand(f.torch, [script, "--data", data, "--steps", `${steps}`])).stdout);
    rows.push({
      name: "PyTorch CPU peer, bigger model (training loop)",
      ...t,
      big: true,
      note: `torch ${t.torch}`,
    });
  }

  console.log(
    `microGPT benchmark — deno ${Deno.version.deno}, ${navigator.hardwareConcurrency} CPUs, load average ` +
      `${loadBefore.toFixed(2)} → ${Deno.loadavg()[0].toFixed(2)} (1 min, start → end), data ${data}`,
  );
  console.log(formatTable(rows, base));
  console.log(
    "total s = wall clock; CPU s = this process's CPU time in the loop (compiler threads included). " +
      "Ratios compare time per step with baselines measured in this run.",
  );
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
