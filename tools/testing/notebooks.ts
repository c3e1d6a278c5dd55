/**
 * `deno task notebooks [files…] [--jobs N] [--timeout S]` — runs notebooks headless with the real Deno kernel and
 * checks their exercises (default: every `notebooks/*.ipynb` and the platform fixtures in `tests/fixtures/`).
 * Each notebook must be committed clean (no outputs, no execution counts) with the project's kernelspec; then
 * come the runs `planFor` (plan.ts) lists for it, each one `tools/testing/nbrun.py` process (stock nbclient plus
 * the course's checks; see there), which prints its result as JSON.
 * Ends with one line `N passed, N failed` (and the same counts in `$TEST_REPORT`, see report.ts).
 *
 * @module
 */

import { existsSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ensureLabEnv, type LabEnv, ROOT, SetupError } from "../jupyter/setup.ts";
import { allNotebooks, commitProblems, type NotebookJob, planFor } from "./plan.ts";
import { report } from "./report.ts";
import { forwardSignals, stoppedBy, stoppedStatus } from "./signals.ts";

/** What nbrun.py prints (one JSON object). */
interface RunResult {
  ok: boolean;
  seconds: number;
  problems: string[];
  cells_run?: number;
  exercises?: number;
  expectations?: number;
}

/**
 * The command line of `deno task notebooks`, or a one-line error (exit 2). `--jobs` and `--timeout` are
 * whole numbers ≥ 1 (defaults from NOTEBOOK_JOBS / NBRUN_TIMEOUT, else 2 and 180).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseNotebookArgs } from "./notebooks.ts";
 * const ok = parseNotebookArgs(["a.ipynb", "--jobs", "1"], {});
 * assert.deepEqual(ok, { jobs: 1, timeout: 180, help: false, notebooks: ["a.ipynb"] });
 * assert.match(String(parseNotebookArgs(["--jobs", "0"], {})), /--jobs must be a whole number >= 1, got '0'/);
 * assert.match(String(parseNotebookArgs(["--job", "1"], {})), /Unknown option '--job'/);
 * ```
 */
export function parseNotebookArgs(
  args: string[],
  env: { NOTEBOOK_JOBS?: string; NBRUN_TIMEOUT?: string },
): { jobs: number; timeout: number; help: boolean; notebooks: string[] } | string {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: {
        jobs: { type: "string", default: env.NOTEBOOK_JOBS ?? "2" },
        timeout: { type: "string", default: env.NBRUN_TIMEOUT ?? "180" },
        help: { type: "boolean", short: "h", default: false },
      },
      allowPositionals: true,
      strict: true,
    });
    const bad = (["jobs", "timeout"] as const).find((name) => !/^[1-9]\d*$/.test(values[name]));
    if (bad) return `--${bad} must be a whole number >= 1, got '${values[bad]}'`;
    return {
      jobs: Number(values.jobs),
      timeout: Number(values.timeout),
      help: values.help,
      notebooks: positionals,
    };
  } catch (e) {
    return (e as Error).message;
  }
}

/** Runs one job in its own nbrun.py process and returns its result. */
async function runJob(lab: LabEnv, job: NotebookJob, timeout: number): Promise<RunResult> {
  const args = [join(ROOT, "tools", "testing", "nbrun.py"), job.notebook, "--mode", job.mode];
  if (job.solutions) args.push("--solutions", job.solutions);
  if (job.noStderr) args.push("--no-stderr");
  if (job.parameters) args.push("--parameters", JSON.stringify(job.parameters));
  const child = new Deno.Command(lab.python, {
    args: [...args, "--timeout", String(timeout)],
    cwd: ROOT,
    env: { ...lab.env, PYTHONUNBUFFERED: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  // Termination (e.g. `timeout`, Ctrl-C) goes on to nbrun.py, which shuts its kernel down and exits.
  const stopForwarding = forwardSignals(child);
  // The kernel's "deno jupyter is unstable" banner is noise; the rest of stderr (e.g. a kernel's dying words)
  // is shown as it comes. The kernel shares this pipe: if it is still open 5 s after nbrun.py exited, a
  // kernel outlived it.
  const relayed = child.stderr.pipeThrough(new TextDecoderStream()).pipeTo(
    new WritableStream({
      write(chunk) {
        const shown = chunk.split("\n").filter((l) => l.trim() && !l.includes('"deno jupyter" is unstable'));
        if (shown.length) console.error(shown.join("\n"));
      },
    }),
  );
  const [out] = await Promise.all([new Response(child.stdout).text(), child.status]);
  stopForwarding();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const orphan = await Promise.race([
    relayed.then(() => false),
    new Promise<boolean>((done) => timer = setTimeout(() => done(true), 5000)),
  ]);
  clearTimeout(timer);
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

/** One line per run (and its problems), as `ok`/`FAIL` with the time and what was checked. */
function printResult(label: string, r: RunResult): void {
  const extra = [
    r.cells_run !== undefined ? `${r.cells_run} cells` : "",
    r.exercises ? `${r.exercises} self-checks` : "",
    r.expectations ? `${r.expectations} output checks` : "",
  ].filter(Boolean);
  console.log(
    `${r.ok ? "ok  " : "FAIL"} ${r.seconds.toFixed(1).padStart(6)} s  ${label}` +
      (extra.length ? `  (${extra.join(", ")})` : ""),
  );
  for (const p of r.problems) console.log("       " + p.replaceAll("\n", "\n       "));
}

async function main(): Promise<number> {
  const parsed = parseNotebookArgs(Deno.args, {
    NOTEBOOK_JOBS: Deno.env.get("NOTEBOOK_JOBS"),
    NBRUN_TIMEOUT: Deno.env.get("NBRUN_TIMEOUT"),
  });
  if (typeof parsed === "string") {
    console.error(`deno task notebooks: ${parsed} (see --help)`);
    return 2;
  }
  if (parsed.help) {
    console.log(
      "usage: deno task notebooks [notebook.ipynb …] [--jobs N] [--timeout SECONDS_PER_CELL]",
    );
    return 0;
  }
  const notebooks = parsed.notebooks.length
    ? parsed.notebooks.map((p) => relative(ROOT, resolve(Deno.cwd(), p)))
    : allNotebooks();
  const missing = notebooks.filter((n) => !existsSync(resolve(ROOT, n)));
  if (missing.length) {
    console.error(`notebooks: not found: ${missing.join(", ")}`);
    return 1;
  }

  const counts = { passed: 0, failed: 0 };
  // Static checks first: cheap, and a learner-facing problem even when the code runs.
  for (const nb of notebooks) {
    let problems: string[];
    try {
      problems = commitProblems(JSON.parse(readFileSync(resolve(ROOT, nb), "utf8")));
    } catch (e) {
      problems = [`not a readable notebook: ${(e as Error).message}`];
    }
    if (problems.length) console.log(`FAIL committed clean: ${nb}\n       ${problems.join("\n       ")}`);
    counts[problems.length ? "failed" : "passed"]++;
  }

  let lab: LabEnv;
  try {
    lab = await ensureLabEnv({ isolated: true });
  } catch (e) {
    if (!(e instanceof SetupError)) throw e;
    console.error(`notebooks: ${e.message}`);
    report({ passed: counts.passed, failed: counts.failed + 1 });
    return 1;
  }

  const jobs = planFor(notebooks);
  const started = performance.now();
  const plain: string[] = [];
  const queue = [...jobs];
  // `--jobs` workers take runs from the queue until it is empty or a signal stopped everything.
  const worker = async () => {
    for (let job = queue.shift(); job && !stoppedBy; job = queue.shift()) {
      const edits = job.parameters &&
        Object.entries(job.parameters).map(([name, value]) => `${name} = ${value}`).join(", ");
      const label = edits
        ? `${job.notebook} [${edits}]`
        : job.mode === "plain"
        ? job.notebook
        : `${job.notebook} [${job.mode}]`;
      const r = await runJob(lab, job, parsed.timeout);
      printResult(label, r);
      counts[r.ok ? "passed" : "failed"]++;
      if (job.mode === "plain" && !job.parameters) {
        plain.push(`  ${r.seconds.toFixed(1).padStart(6)} s  ${label}${r.ok ? "" : "  FAILED"}`);
      }
    }
  };
  await Promise.all(Array.from({ length: parsed.jobs }, worker));
  counts.failed += queue.length; // runs a signal kept from starting

  // Per-notebook wall time (the plain run is what a learner waits for with Run All).
  if (plain.length) console.log(`\nnotebook wall time (Run All, headless):\n${plain.join("\n")}`);
  console.log(`notebooks: ${jobs.length} runs in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  report(counts);
  return stoppedStatus("notebooks") ?? (counts.failed > 0 ? 1 : 0);
}

if (import.meta.main) Deno.exit(await main());
