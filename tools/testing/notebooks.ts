/**
 * `deno task notebooks [files…] [--jobs N] [--timeout S]` — runs notebooks headless with the real Deno kernel
 * (through `tools/testing/nbrun.py`) and checks their exercises.
 *
 * With no files: every `notebooks/*.ipynb`, the platform fixtures in `tests/fixtures/`, and the idle-race test
 * (`tests/fixtures/many_outputs.ipynb` run 20 times in one kernel, counting every output).
 * For each notebook:
 * - it is committed clean (no outputs, no execution counts) with the project's kernelspec;
 * - it runs top to bottom with no error output;
 * - if it has exercises (`tests/solutions/<stem>.json`, or `<stem>.solutions.json` beside a fixture), it runs
 *   once with every solution substituted (each self-check prints ✓, no ✗) and once with every wrong answer
 *   (each prints ✗, no ✓).
 * Ends with one line `N passed, N failed`.
 *
 * @module
 */

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ensureLabEnv, KERNEL_NAME, ROOT, SetupError } from "../jupyter/setup.ts";
import { forwardSignals } from "./signals.ts";

/** One nbrun job (see tools/testing/nbrun.py). */
export interface NotebookJob {
  notebook: string;
  mode: "plain" | "rerun" | "solution" | "wrong";
  solutions?: string;
  repeat?: number;
  label?: string;
  /** Fail on any output to stderr (lessons; not with wrong answers). */
  no_stderr?: boolean;
}

/** A notebook's cell, as much as the checks need. */
interface Cell {
  cell_type: string;
  source: string | string[];
  outputs?: unknown[];
  execution_count?: number | null;
  metadata?: Record<string, unknown>;
}

/** Runs of the idle-race test: many small outputs, all counted, in one kernel. */
export const RACE_REPEAT = 20;

/**
 * Where a notebook's exercise answers live: `tests/solutions/<stem>.json` for lesson notebooks, or
 * `<stem>.solutions.json` beside a notebook elsewhere (the platform fixtures). Paths are relative to the root.
 *
 * @example
 * ```ts
 * import { solutionsFor } from "./notebooks.ts";
 * console.assert(solutionsFor("notebooks/no-such-notebook.ipynb") === undefined);
 * ```
 */
export function solutionsFor(notebook: string): string | undefined {
  const stem = basename(notebook, ".ipynb");
  for (
    const candidate of [
      join("tests", "solutions", `${stem}.json`),
      join(dirname(notebook), `${stem}.solutions.json`),
    ]
  ) {
    if (existsSync(resolve(ROOT, candidate))) return candidate;
  }
  return undefined;
}

/**
 * Problems with how a notebook is committed: outputs or execution counts left in, or another kernelspec.
 *
 * @example
 * ```ts
 * import { commitProblems } from "./notebooks.ts";
 * const nb = { metadata: { kernelspec: { name: "microgpt-deno" } }, cells: [
 *   { cell_type: "code", source: "1", outputs: [{}], execution_count: 3 },
 * ] };
 * console.assert(commitProblems(nb).length === 1);
 * ```
 */
export function commitProblems(
  nb: { metadata?: { kernelspec?: { name?: string } }; cells?: Cell[] },
): string[] {
  const problems: string[] = [];
  const kernel = nb.metadata?.kernelspec?.name;
  if (kernel !== KERNEL_NAME) {
    problems.push(`metadata.kernelspec.name is ${JSON.stringify(kernel)}, expected "${KERNEL_NAME}"`);
  }
  const dirty = (nb.cells ?? [])
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => c.cell_type === "code" && ((c.outputs?.length ?? 0) > 0 || c.execution_count != null))
    .map(({ i }) => i + 1);
  if (dirty.length > 0) {
    problems.push(
      `committed with outputs or execution counts in cell(s) ${dirty.join(", ")} ` +
        `(clear them: Edit → Clear Outputs of All Cells, then save)`,
    );
  }
  return problems;
}

function listNotebooks(dir: string): string[] {
  const abs = resolve(ROOT, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs).filter((f) => f.endsWith(".ipynb")).sort().map((f) => join(dir, f));
}

/**
 * Builds the runs for the given notebooks (paths relative to the project root): a plain Run All; for a lesson
 * (under notebooks/) a re-run (all cells, then each again in reverse order, in one kernel); with exercise
 * answers, a run with the solutions and one with wrong answers; and with `race`, the idle-race fixture ×20.
 */
export function planFor(notebooks: string[], { race = false } = {}): NotebookJob[] {
  const jobs: NotebookJob[] = [];
  for (const notebook of notebooks) {
    // A lesson (not a platform fixture) must not write to stderr, and is also re-run out of order (fixtures
    // count their outputs per run): Run All, then every cell again, last first.
    const lesson = !relative(join(ROOT, "notebooks"), resolve(ROOT, notebook)).startsWith("..");
    const quiet = lesson ? { no_stderr: true } : {};
    jobs.push({ notebook, mode: "plain", ...quiet });
    if (lesson) jobs.push({ notebook, mode: "rerun", ...quiet });
    const solutions = solutionsFor(notebook);
    if (solutions) {
      jobs.push({ notebook, mode: "solution", solutions, ...quiet });
      jobs.push({ notebook, mode: "wrong", solutions });
    }
  }
  if (race) {
    const notebook = join("tests", "fixtures", "many_outputs.ipynb");
    jobs.push({
      notebook,
      mode: "plain",
      repeat: RACE_REPEAT,
      label: `${notebook} ×${RACE_REPEAT} (idle race)`,
    });
  }
  return jobs;
}

interface JobResult {
  label: string;
  notebook: string;
  mode: string;
  ok: boolean;
  seconds: number;
  problems: string[];
}

const USAGE =
  "usage: deno task notebooks [notebook.ipynb …] [--jobs N] [--timeout SECONDS_PER_CELL] [--no-exercises]";

/**
 * The command line of `deno task notebooks`, or a one-line error (exit 2). `--jobs` and `--timeout` are
 * whole numbers ≥ 1 (defaults from NOTEBOOK_JOBS / NBRUN_TIMEOUT, else 2 and 180).
 *
 * @example
 * ```ts
 * import { parseNotebookArgs } from "./notebooks.ts";
 * import { deepStrictEqual, match } from "node:assert";
 * const ok = parseNotebookArgs(["a.ipynb", "--jobs", "1"], {});
 * deepStrictEqual(ok, { jobs: 1, timeout: 180, noExercises: false, help: false, notebooks: ["a.ipynb"] });
 * match(String(parseNotebookArgs(["--jobs", "0"], {})), /--jobs must be a whole number >= 1, got '0'/);
 * match(String(parseNotebookArgs(["--job", "1"], {})), /Unknown option '--job'/);
 * ```
 */
export function parseNotebookArgs(
  args: string[],
  env: { NOTEBOOK_JOBS?: string; NBRUN_TIMEOUT?: string },
): { jobs: number; timeout: number; noExercises: boolean; help: boolean; notebooks: string[] } | string {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        jobs: { type: "string", default: env.NOTEBOOK_JOBS ?? "2" },
        timeout: { type: "string", default: env.NBRUN_TIMEOUT ?? "180" },
        "no-exercises": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    return (e as Error).message;
  }
  const { values, positionals } = parsed;
  const whole = (name: string, text: string): number | string =>
    /^\d+$/.test(text) && Number(text) >= 1
      ? Number(text)
      : `--${name} must be a whole number >= 1, got '${text}'`;
  const jobs = whole("jobs", values.jobs);
  if (typeof jobs === "string") return jobs;
  const timeout = whole("timeout", values.timeout);
  if (typeof timeout === "string") return timeout;
  return { jobs, timeout, noExercises: values["no-exercises"], help: values.help, notebooks: positionals };
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
  const values = parsed;
  const positionals = parsed.notebooks;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }

  let notebooks: string[];
  let race = false;
  if (positionals.length > 0) {
    notebooks = positionals.map((p) => relative(ROOT, resolve(Deno.cwd(), p)));
    const missing = notebooks.filter((n) => !existsSync(resolve(ROOT, n)));
    if (missing.length) {
      console.error(`notebooks: not found: ${missing.join(", ")}`);
      return 1;
    }
  } else {
    const lessons = listNotebooks("notebooks");
    console.log(
      lessons.length
        ? `notebooks: ${lessons.length} in notebooks/`
        : "notebooks: notebooks/ has no notebooks yet (0 lesson notebooks run)",
    );
    notebooks = [...lessons, ...listNotebooks(join("tests", "fixtures"))];
    race = true;
  }

  let passed = 0;
  let failed = 0;
  // Static checks first: cheap, and a learner-facing problem even when the code runs.
  for (const nb of notebooks) {
    let problems: string[];
    try {
      problems = commitProblems(JSON.parse(readFileSync(resolve(ROOT, nb), "utf8")));
    } catch (e) {
      problems = [`not a readable notebook: ${(e as Error).message}`];
    }
    if (problems.length) {
      failed++;
      console.log(`FAIL committed clean: ${nb}\n       ${problems.join("\n       ")}`);
    } else passed++;
  }

  let lab;
  try {
    lab = await ensureLabEnv({ isolated: true });
  } catch (e) {
    if (e instanceof SetupError) {
      console.error(`notebooks: ${e.message}`);
      console.log(`${passed} passed, ${failed + 1} failed`);
      return 1;
    }
    throw e;
  }

  let jobs = planFor(notebooks, { race });
  if (values.noExercises) jobs = jobs.filter((j) => j.mode === "plain" || j.mode === "rerun");
  const tmp = await Deno.makeTempDir({ prefix: "microgpt-nbrun-" });
  const planPath = join(tmp, "plan.json");
  const reportPath = join(tmp, "report.json");
  await Deno.writeTextFile(planPath, JSON.stringify(jobs, null, 2));
  const started = performance.now();
  const child = new Deno.Command(lab.python, {
    args: [
      join(ROOT, "tools", "testing", "nbrun.py"),
      "--plan",
      planPath,
      "--report",
      reportPath,
      "--jobs",
      String(values.jobs),
      "--timeout",
      String(values.timeout),
    ],
    cwd: ROOT,
    env: { ...lab.env, PYTHONUNBUFFERED: "1" },
    stdin: "null",
    stdout: "inherit",
    stderr: "piped",
  }).spawn();
  // Termination (e.g. `timeout`, Ctrl-C) goes on to nbrun.py, which shuts its kernels down and exits.
  let stoppedBy: Deno.Signal | undefined;
  const stopForwarding = forwardSignals(child, (sig) => stoppedBy ??= sig);
  // The kernel's "deno jupyter is unstable" banner is noise; everything else on stderr is shown as it comes
  // (a kernel's dying words, e.g. V8 running out of memory, belong next to the run that failed).
  const relayed = (async () => {
    let pending = "";
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
      const lines = (pending + chunk).split("\n");
      pending = lines.pop() ?? "";
      const shown = lines.filter((l) => l.trim() && !l.includes('"deno jupyter" is unstable'));
      if (shown.length) console.error(shown.join("\n"));
    }
    if (pending.trim() && !pending.includes('"deno jupyter" is unstable')) console.error(pending);
  })();
  await child.status;
  stopForwarding();
  // Kernels inherit nbrun's stderr: if the pipe is still open after nbrun exited, a kernel outlived it. Say so
  // and count it as a failure rather than wait for it forever.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const outlived = await Promise.race([
    relayed.then(() => false),
    new Promise<boolean>((done) => timer = setTimeout(() => done(true), 5000)),
  ]);
  clearTimeout(timer);
  if (outlived) {
    console.log("FAIL a kernel process was still running 5 s after nbrun.py exited (an orphan kernel)");
    failed++;
  }
  const seconds = (performance.now() - started) / 1000;

  let results: JobResult[] = [];
  try {
    results = JSON.parse(await Deno.readTextFile(reportPath));
  } catch {
    console.log("FAIL nbrun.py produced no report (see its errors above)");
  }
  await Deno.remove(tmp, { recursive: true });
  const missingRuns = jobs.length - results.length;

  // Per-notebook wall time (the plain run is what a learner waits for with Run All).
  const plain = results.filter((r) => r.mode === "plain");
  if (plain.length) {
    console.log("\nnotebook wall time (Run All, headless):");
    for (const r of plain) {
      console.log(`  ${r.seconds.toFixed(1).padStart(6)} s  ${r.label}${r.ok ? "" : "  FAILED"}`);
    }
  }
  passed += results.filter((r) => r.ok).length;
  failed += results.filter((r) => !r.ok).length + Math.max(0, missingRuns);
  console.log(`notebooks: ${jobs.length} runs in ${seconds.toFixed(1)} s`);
  console.log(`${passed} passed, ${failed} failed`);
  if (stoppedBy) {
    console.error(`notebooks: stopped by ${stoppedBy}`);
    return stoppedBy === "SIGINT" ? 130 : 143;
  }
  return failed > 0 ? 1 : 0;
}

if (import.meta.main) Deno.exit(await main());
