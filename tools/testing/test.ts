/**
 * `deno task test` — everything, in order: format check, lint, type-check (code and notebook cells), unit and
 * doc tests, notebooks headless (with exercise checks), the static site, and the browser end-to-end test. Every
 * stage runs even when an earlier one failed. Prints a summary per stage and ends with one line `N passed, N
 * failed` (`, N skipped` added when something was skipped). Exits non-zero when anything failed.
 *
 * Each stage is a command; its counts come from machine-readable results, never from its human output:
 * `deno test`'s JUnit report, the JSON counts the project's own tools write to `$TEST_REPORT` (report.ts), or
 * else the exit status (0 = one check passed, otherwise one failed). To add a stage, add an entry to `STAGES`.
 *
 * Flags: `--skip STAGE[,STAGE…]` reports those stages as skipped; `--only STAGE[,…]` runs just those; `--help`.
 * A bad flag is a one-line error (exit 2). SIGTERM/SIGINT are passed on to the running stage's command (the
 * notebook runner then shuts its kernels down) and no further stage starts.
 *
 * @module
 */

import { join } from "node:path";
import { parseArgs } from "node:util";
import { ROOT } from "../jupyter/setup.ts";
import { type Counts, report } from "./report.ts";
import { forwardSignals, stoppedBy, stoppedStatus } from "./signals.ts";
import { allNotebooks } from "./plan.ts";

/** Counts of one stage, for the summary. */
export interface StageResult extends Required<Counts> {
  name: string;
  seconds: number;
  /** What the counts count ("tests", "runs", …) and anything worth a line in the summary. */
  note: string;
}

/** One stage: a command and where its counts come from. */
export interface Stage {
  key: string;
  name: string;
  /** Arguments of `deno` (the one running this script). */
  args: string[];
  /** `junit`: deno test's JUnit report; `report`: JSON counts in `$TEST_REPORT`; `exit`: the exit status. */
  counts: "junit" | "report" | "exit";
  note: string;
}

const deno = Deno.execPath();

/** Runs `deno args` with its output shown live; returns the exit status and the seconds it took. */
async function run(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; seconds: number }> {
  const started = performance.now();
  const child = new Deno.Command(deno, { args, cwd: ROOT, env: { NO_COLOR: "1", ...env }, stdin: "null" })
    .spawn();
  const stopForwarding = forwardSignals(child);
  const { code } = await child.status;
  stopForwarding();
  return { code, seconds: (performance.now() - started) / 1000 };
}

/**
 * Counts from a JUnit XML report (as `deno test --junit-path` writes it): the root element's `tests`,
 * `failures` and `errors`, and one skipped test per `<skipped/>`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { junitCounts } from "./test.ts";
 * const xml = `<testsuites name="deno test" tests="4" failures="1" errors="0">
 *   <testsuite><testcase name="a"><skipped/></testcase></testsuite></testsuites>`;
 * assert.deepEqual(junitCounts(xml), { passed: 2, failed: 1, skipped: 1 });
 * ```
 */
export function junitCounts(xml: string): Required<Counts> | undefined {
  const root = xml.match(/<testsuites\b[^>]*>/)?.[0];
  if (!root) return undefined;
  const attr = (name: string) => Number(root.match(new RegExp(`\\b${name}="(\\d+)"`))?.[1] ?? 0);
  const skipped = xml.match(/<skipped\b/g)?.length ?? 0;
  const failed = attr("failures") + attr("errors");
  return { passed: attr("tests") - failed - skipped, failed, skipped };
}

/** Reads the counts a stage left in `file` (see `Stage.counts`); undefined when it left none. */
function readCounts(kind: Stage["counts"], file: string): Required<Counts> | undefined {
  let text;
  try {
    text = Deno.readTextFileSync(file);
  } catch {
    return undefined;
  }
  if (kind === "junit") return junitCounts(text);
  const c = JSON.parse(text) as Counts;
  return { passed: c.passed, failed: c.failed, skipped: c.skipped ?? 0 };
}

/** Runs a stage's command and turns its result file (or else its exit status) into counts. */
async function runStage(stage: Stage): Promise<StageResult> {
  const file = await Deno.makeTempFile({ prefix: "microgpt-test-" });
  await Deno.remove(file); // a stage that writes nothing leaves nothing
  const args = stage.counts === "junit" ? [...stage.args, `--junit-path=${file}`] : stage.args;
  const r = await run(args, stage.counts === "report" ? { TEST_REPORT: file } : {});
  let counts = stage.counts === "exit" ? undefined : readCounts(stage.counts, file);
  let { note } = stage;
  let seconds = r.seconds;
  if (!counts && stage.counts === "junit" && !stoppedBy) {
    // Type errors stop deno test before any test runs: count that as a failure, and run the tests again
    // without the type check so their own results are known.
    console.log("\n(tests did not start — type errors above; running them again with --no-check for counts)");
    const again = await run([...args, "--no-check"]);
    const c = readCounts("junit", file);
    counts = c && { ...c, failed: c.failed + 1 };
    note += " (+1: type errors in test or doc code)";
    seconds += again.seconds;
  }
  await Deno.remove(file).catch(() => {});
  counts ??= { passed: r.code === 0 ? 1 : 0, failed: r.code === 0 ? 0 : 1, skipped: 0 };
  // A tool that reported all passed but exited non-zero (e.g. it could not clean up) still fails.
  if (r.code !== 0 && counts.failed === 0 && counts.skipped === 0) counts = { ...counts, failed: 1 };
  return { name: stage.key, ...counts, seconds, note };
}

/** Notebooks whose bytes change when a copy is formatted with the project's config. */
async function notebookFormatProblems(notebooks: string[]): Promise<string[]> {
  const tmp = await Deno.makeTempDir({ prefix: "microgpt-fmt-" });
  try {
    const copies = notebooks.map((_, i) => join(tmp, `${i}.ipynb`));
    notebooks.forEach((nb, i) => Deno.copyFileSync(join(ROOT, nb), copies[i]));
    const r = await run(["fmt", "--quiet", "--config", join(ROOT, "deno.json"), ...copies]);
    if (r.code !== 0) return notebooks; // unparsable notebook JSON etc.
    const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, k) => x === b[k]);
    return notebooks.filter((nb, i) =>
      !same(Deno.readFileSync(join(ROOT, nb)), Deno.readFileSync(copies[i]))
    );
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}

/** Format check: `deno fmt --check` for everything but notebooks (its exit status), then each notebook. */
async function formatStage(): Promise<StageResult> {
  // Deno 2.9.6's `fmt --check` reports every .ipynb with a markdown cell as not formatted unless its
  // incremental cache has seen the file formatted (so always in a fresh clone), although `deno fmt` leaves
  // the same bytes. Notebooks are therefore checked by formatting a copy and comparing bytes.
  const started = performance.now();
  const notebooks = allNotebooks();
  const r = await run(["fmt", "--check", `--ignore=${notebooks.join(",")}`]);
  const bad = await notebookFormatProblems(notebooks);
  for (const f of bad) console.log(`not formatted: ${f}  (run: deno fmt ${f})`);
  console.log(`Checked ${notebooks.length} notebooks, ${bad.length} not formatted`);
  const failed = bad.length + (r.code === 0 ? 0 : 1);
  return {
    name: "fmt",
    passed: notebooks.length + 1 - failed,
    failed,
    skipped: 0,
    seconds: (performance.now() - started) / 1000,
    note: "other files + notebooks",
  };
}

/** The stages after the format check, in order. */
export const STAGES: Stage[] = [
  { key: "lint", name: "lint (deno lint)", args: ["lint"], counts: "exit", note: "exit status" },
  {
    key: "check",
    name: "type-check lib/ tests/ tools/ (deno check)",
    args: ["check", "--quiet", "lib/", "tests/", "tools/"],
    counts: "exit",
    note: "exit status",
  },
  {
    key: "nbcheck",
    name: "type-check notebook cells (tools/testing/nbcheck.ts)",
    args: ["run", "-A", "tools/testing/nbcheck.ts"],
    counts: "report",
    note: "notebooks (+ solution variants)",
  },
  {
    key: "unit",
    name: "unit + doc tests (deno task unit: deno test -A --doc lib/ tests/ tools/)",
    args: ["task", "unit"],
    counts: "junit",
    note: "tests",
  },
  {
    key: "notebooks",
    name: "notebooks headless + exercises (tools/testing/notebooks.ts)",
    args: ["task", "notebooks"],
    counts: "report",
    note: "runs and checks",
  },
  {
    key: "site",
    name: "static site: deno task site, then every page in Chromium (tools/site/site_check.ts)",
    args: ["run", "-A", "tools/site/site_check.ts"],
    counts: "report",
    note: "checks",
  },
  {
    key: "browser",
    name: "browser end-to-end (tools/testing/browser/browser_test.ts)",
    // Every lesson in real JupyterLab (Run All, no error output, every figure drawn), then the platform checks.
    args: ["run", "-A", "tools/testing/browser/browser_test.ts", "--all"],
    counts: "report",
    note: "checks",
  },
];

const KEYS = ["fmt", ...STAGES.map((s) => s.key)];
const USAGE = `usage: deno task test [--skip STAGE[,STAGE…]] [--only STAGE[,STAGE…]]\nstages: ${
  KEYS.join(", ")
}`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: Deno.args,
      options: {
        skip: { type: "string", default: "" },
        only: { type: "string", default: "" },
        help: { type: "boolean", short: "h" },
      },
    })); // strict: an unknown flag or a positional argument throws
  } catch (e) {
    console.error(`deno task test: ${(e as Error).message} (see --help)`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const list = (s: string) => s.split(",").map((x) => x.trim()).filter(Boolean);
  const only = new Set(list(values.only));
  const skip = new Set(list(values.skip));
  const unknown = [...only, ...skip].find((k) => !KEYS.includes(k));
  if (unknown) {
    console.error(`deno task test: unknown stage '${unknown}' (stages: ${KEYS.join(", ")})`);
    return 2;
  }

  const started = performance.now();
  const results: StageResult[] = [];
  const all = [
    { key: "fmt", name: "format (deno fmt --check; notebooks compared with a formatted copy)" },
    ...STAGES,
  ];
  for (const stage of all) {
    const notRun = stoppedBy
      ? `not run (${stoppedBy})`
      : skip.has(stage.key) || (only.size > 0 && !only.has(stage.key))
      ? "skipped by flag"
      : undefined;
    if (notRun) {
      results.push({ name: stage.key, passed: 0, failed: 0, skipped: 1, seconds: 0, note: notRun });
      continue;
    }
    console.log(`\n━━━ ${stage.name} ━━━`);
    try {
      results.push("args" in stage ? await runStage(stage) : await formatStage());
    } catch (e) {
      console.error(`stage ${stage.key} crashed: ${(e as Error).stack ?? e}`);
      results.push({ name: stage.key, passed: 0, failed: 1, skipped: 0, seconds: 0, note: "crashed" });
    }
  }

  const sum = (k: "passed" | "failed" | "skipped") => results.reduce((a, r) => a + r[k], 0);
  console.log("\n━━━ summary ━━━");
  console.log(
    `${"stage".padEnd(12)} ${"passed".padStart(6)} ${"failed".padStart(6)} ${"skipped".padStart(7)}     time`,
  );
  for (const r of results) {
    const mark = r.failed ? "✗" : r.passed || !r.skipped ? "✓" : "–";
    const cols = [r.passed, r.failed].map((n) => String(n).padStart(6)).join(" ");
    const time = `${r.seconds.toFixed(1)} s`.padStart(8);
    console.log(`${mark} ${r.name.padEnd(10)} ${cols} ${String(r.skipped).padStart(7)} ${time}  ${r.note}`);
  }
  console.log(`total time ${((performance.now() - started) / 1000).toFixed(1)} s`);
  // The closing line CI reads, last: `N passed, N failed[, N skipped]`.
  report({ passed: sum("passed"), failed: sum("failed"), skipped: sum("skipped") });
  return stoppedStatus("deno task test") ?? (sum("failed") > 0 ? 1 : 0);
}

if (import.meta.main) Deno.exit(await main());
