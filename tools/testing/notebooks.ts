/**
 * `deno task notebooks [files…] [--jobs N] [--timeout S]` — runs notebooks headless with the real Deno kernel and
 * checks their exercises (default: every `notebooks/*.ipynb` and the platform fixtures in `tests/fixtures/`).
 * The runs of each notebook are the `planFor` list; each is one `tools/testing/nbrun.py` process (stock nbclient
 * plus the course's checks, including that the notebook is committed clean; see there), which prints its result
 * as JSON. `--jobs` runs at once (default NOTEBOOK_JOBS, else 2); `--timeout` seconds per cell (default
 * NBRUN_TIMEOUT, else 180). Ends with one line `N passed, N failed` (and the same counts in `$TEST_REPORT`, see
 * report.ts).
 *
 * @module
 */

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { ensureLabEnv, type LabEnv, ROOT, SetupError } from "../jupyter/setup.ts";
import { report, spawn, stoppedBy, stoppedStatus } from "./report.ts";

/** Every notebook the tests cover: the lessons in notebooks/, then the platform fixtures in tests/fixtures/. */
export function allNotebooks(): string[] {
  return ["notebooks", join("tests", "fixtures")].flatMap((dir) =>
    readdirSync(resolve(ROOT, dir)).filter((f) => f.endsWith(".ipynb")).sort().map((f) => join(dir, f))
  );
}

/**
 * Where a notebook's exercise answers live: `tests/solutions/<stem>.json` for lesson notebooks, or
 * `<stem>.solutions.json` beside a notebook elsewhere (the platform fixtures). Paths are relative to the root.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { solutionsFor } from "./notebooks.ts";
 * assert.equal(solutionsFor("tests/fixtures/exercise.ipynb"), "tests/fixtures/exercise.solutions.json");
 * assert.equal(solutionsFor("notebooks/no-such-notebook.ipynb"), undefined);
 * ```
 */
export function solutionsFor(notebook: string): string | undefined {
  const stem = basename(notebook, ".ipynb");
  return [join("tests", "solutions", `${stem}.json`), join(dirname(notebook), `${stem}.solutions.json`)]
    .find((candidate) => existsSync(resolve(ROOT, candidate)));
}

/**
 * The edits a learner is likely to make first, each of which a lesson must survive: every steps-like parameter
 * (a name ending in `steps`) at 60; and `n_embd` at 32 with the steps at 60 too (a wider model is what is tested,
 * not a long run). Read from the notebook's cell tagged `parameters`; only the edits it has parameters for.
 */
function parameterEdits(notebook: string): Record<string, number>[] {
  const nb = JSON.parse(readFileSync(resolve(ROOT, notebook), "utf8"));
  const cell = nb.cells.find((c: { metadata?: { tags?: string[] } }) =>
    c.metadata?.tags?.includes("parameters")
  );
  const source = [cell?.source ?? ""].flat().join("");
  const declared = [...source.matchAll(/^(?:const|let)\s+(\w+)/gm)].map((m) => m[1]);
  const steps = Object.fromEntries(
    declared.filter((name) => name.endsWith("steps")).map((name) => [name, 60]),
  );
  return [
    ...(Object.keys(steps).length ? [steps] : []),
    ...(declared.includes("n_embd") ? [{ ...steps, n_embd: 32 }] : []),
  ];
}

/** One run: what the output calls it, and the arguments of nbrun.py. */
export interface Run {
  label: string;
  args: string[];
}

/**
 * The runs for the given notebooks (paths relative to the project root): a plain Run All; for a lesson (in
 * notebooks/) also a re-run out of order (Run All, then every cell again, last first, in one kernel) and a Run
 * All per parameter edit (`parameterEdits`, injected as papermill does), none of them allowed to write to stderr;
 * with exercise answers, a run with every solution substituted (each self-check prints ✓, no ✗) and one with
 * every wrong answer (✗, no ✓).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { planFor } from "./notebooks.ts";
 * assert.deepEqual(planFor(["tests/fixtures/smoke.ipynb"]), [
 *   { label: "tests/fixtures/smoke.ipynb", args: ["tests/fixtures/smoke.ipynb"] },
 * ]);
 * ```
 */
export function planFor(notebooks: string[]): Run[] {
  return notebooks.flatMap((nb) => {
    const lesson = dirname(nb) === "notebooks";
    const quiet = lesson ? ["--no-stderr"] : [];
    const runs = [{ label: nb, args: [nb, ...quiet] }];
    if (lesson) {
      runs.push({ label: `${nb} [rerun]`, args: [nb, "--mode", "rerun", ...quiet] });
      for (const edit of parameterEdits(nb)) {
        const label = Object.entries(edit).map(([name, value]) => `${name} = ${value}`).join(", ");
        runs.push({ label: `${nb} [${label}]`, args: [nb, "--parameters", JSON.stringify(edit), ...quiet] });
      }
    }
    const solutions = solutionsFor(nb);
    if (solutions) {
      runs.push(
        { label: `${nb} [solution]`, args: [nb, "--mode", "solution", "--solutions", solutions, ...quiet] },
        { label: `${nb} [wrong]`, args: [nb, "--mode", "wrong", "--solutions", solutions] },
      );
    }
    return runs;
  });
}

/** What nbrun.py prints (one JSON object). */
interface RunResult {
  ok: boolean;
  seconds: number;
  problems: string[];
  cells_run?: number;
  exercises?: number;
  expectations?: number;
}

/** Runs nbrun.py with `args` and returns its result; a kernel still holding stderr 5 s after it exited fails it. */
async function runNbrun(lab: LabEnv, args: string[]): Promise<RunResult> {
  // Termination (e.g. `timeout`, Ctrl-C) goes on to nbrun.py, whose nbclient shuts its kernel down.
  const child = spawn(lab.python, {
    args: [join(ROOT, "tools", "testing", "nbrun.py"), ...args],
    cwd: ROOT,
    env: { ...lab.env, PYTHONUNBUFFERED: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  });
  // The kernel's "deno jupyter is unstable" banner is noise; the rest of stderr (e.g. a kernel's dying words)
  // is shown as it comes. The kernel shares this pipe, so it closes only once no kernel outlived nbrun.py.
  const relayed = child.stderr.pipeThrough(new TextDecoderStream()).pipeTo(
    new WritableStream({
      write(chunk) {
        const shown = chunk.split("\n").filter((l) => l.trim() && !l.includes('"deno jupyter" is unstable'));
        if (shown.length) console.error(shown.join("\n"));
      },
    }),
  );
  const [out] = await Promise.all([new Response(child.stdout).text(), child.status]);
  const orphan = await Promise.race([relayed.then(() => false), sleep(5000, true, { ref: false })]);
  let result: RunResult;
  try {
    result = JSON.parse(out.trim().split("\n").at(-1) ?? "");
  } catch {
    result = { ok: false, seconds: 0, problems: [`nbrun.py printed no result: ${out.trim().slice(-300)}`] };
  }
  if (orphan) {
    result.problems.push("a kernel process was still running 5 s after nbrun.py exited (an orphan)");
  }
  return { ...result, ok: result.ok && !orphan };
}

/** The command line (throws on a bad one). */
function commandLine() {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    options: {
      jobs: { type: "string", default: Deno.env.get("NOTEBOOK_JOBS") ?? "2" },
      timeout: { type: "string", default: Deno.env.get("NBRUN_TIMEOUT") ?? "180" },
      help: { type: "boolean", short: "h", default: false },
    },
    allowPositionals: true,
  });
  const bad = (["jobs", "timeout"] as const).find((name) => !/^[1-9]\d*$/.test(values[name]));
  if (bad) throw new Error(`--${bad} must be a whole number >= 1, got '${values[bad]}'`);
  return { ...values, positionals };
}

async function main(): Promise<number> {
  let values;
  try {
    values = commandLine();
  } catch (e) {
    console.error(`deno task notebooks: ${(e as Error).message} (see --help)`);
    return 2;
  }
  if (values.help) {
    console.log("usage: deno task notebooks [notebook.ipynb …] [--jobs N] [--timeout SECONDS_PER_CELL]");
    return 0;
  }
  const notebooks = values.positionals.length
    ? values.positionals.map((p) => relative(ROOT, resolve(Deno.cwd(), p)))
    : allNotebooks();
  const missing = notebooks.filter((n) => !existsSync(resolve(ROOT, n)));
  if (missing.length) {
    console.error(`notebooks: not found: ${missing.join(", ")}`);
    return 1;
  }
  let lab: LabEnv;
  try {
    lab = await ensureLabEnv({ isolated: true });
  } catch (e) {
    if (!(e instanceof SetupError)) throw e;
    console.error(`notebooks: ${e.message}`);
    report({ passed: 0, failed: 1 });
    return 1;
  }

  const runs = planFor(notebooks);
  const queue = [...runs];
  const counts = { passed: 0, failed: 0 };
  const wallTimes: string[] = []; // the plain run is what a learner waits for with Run All
  const started = performance.now();
  // `--jobs` workers take runs from the queue until it is empty or a signal stopped everything.
  const worker = async () => {
    while (queue.length > 0 && !stoppedBy) {
      const run = queue.shift()!;
      const r = await runNbrun(lab, [...run.args, "--timeout", values.timeout]);
      if (stoppedBy) r.problems.unshift(`not finished: stopped by ${stoppedBy}`);
      const time = `${r.seconds.toFixed(1).padStart(6)} s  ${run.label}`;
      const extra = [
        r.cells_run !== undefined && `${r.cells_run} cells`,
        r.exercises && `${r.exercises} self-checks`,
        r.expectations && `${r.expectations} output checks`,
      ].filter(Boolean).join(", ");
      console.log(`${r.ok ? "ok  " : "FAIL"} ${time}${extra ? `  (${extra})` : ""}`);
      for (const p of r.problems) console.log("       " + p.replaceAll("\n", "\n       "));
      counts[r.ok ? "passed" : "failed"]++;
      if (notebooks.includes(run.label)) wallTimes.push(`  ${time}${r.ok ? "" : "  FAILED"}`);
    }
  };
  await Promise.all(Array.from({ length: Number(values.jobs) }, worker));
  counts.failed += queue.length; // runs a signal kept from starting

  if (wallTimes.length) console.log(`\nnotebook wall time (Run All, headless):\n${wallTimes.join("\n")}`);
  console.log(`notebooks: ${runs.length} runs in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  report(counts);
  return stoppedStatus("notebooks") ?? (counts.failed > 0 ? 1 : 0);
}

if (import.meta.main) Deno.exit(await main());
