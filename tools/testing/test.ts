/**
 * `deno task test` — everything, in order: format check, lint, type-check (code, doc examples and notebook
 * cells), unit and doc tests, notebooks headless (with exercise checks), the static site, and the browser
 * end-to-end test. Every stage runs even when an earlier one failed. Prints a summary per stage and ends with one
 * line `N passed, N failed` (`, N skipped` added when something was skipped). Exits non-zero when anything failed.
 *
 * Each stage is a command; its counts come from machine-readable results, never from its human output:
 * `deno test`'s JUnit report, the JSON counts the project's own tools write to `$TEST_REPORT` (report.ts), or
 * else the exit status (0 = one check passed, otherwise one failed). Types are checked once, by the `check`
 * stage (`deno check --doc`), so the unit stage runs its tests with `--no-check` and always has counts. To add a
 * stage, add an entry to `STAGES`.
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
import { type Counts, report, spawn, stoppedBy, stoppedStatus } from "./report.ts";
import { allNotebooks } from "./notebooks.ts";

/**
 * One stage: a command (arguments of this `deno`; the output shows them as the stage's title) and where its
 * counts come from: `junit`, deno test's JUnit report; `report`, JSON counts in `$TEST_REPORT`; `exit`, the exit
 * status.
 */
interface Stage {
  key: string;
  counts: "junit" | "report" | "exit";
  args: string[];
}

/** Runs `deno args` with its output shown live (SIGTERM/SIGINT passed on); resolves to its exit status. */
async function run(args: string[], env: Record<string, string> = {}): Promise<number> {
  const child = spawn(Deno.execPath(), { args, cwd: ROOT, env: { NO_COLOR: "1", ...env }, stdin: "null" });
  return (await child.status).code;
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

/** Runs a stage's command and turns its result file (or else its exit status) into counts. */
async function runStage(stage: Stage): Promise<Required<Counts>> {
  const file = join(await Deno.makeTempDir({ prefix: "microgpt-test-" }), "counts");
  const args = stage.counts === "junit" ? [...stage.args, `--junit-path=${file}`] : stage.args;
  const code = await run(args, stage.counts === "report" ? { TEST_REPORT: file } : {});
  const text = await Deno.readTextFile(file).catch(() => undefined);
  await Deno.remove(join(file, ".."), { recursive: true });
  let counts = text === undefined || stage.counts === "exit"
    ? undefined
    : stage.counts === "junit"
    ? junitCounts(text)
    : { skipped: 0, ...JSON.parse(text) as Counts };
  counts ??= { passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, skipped: 0 };
  // A tool that reported all passed but exited non-zero (e.g. it could not clean up) still fails.
  return code !== 0 && counts.failed === 0 && counts.skipped === 0 ? { ...counts, failed: 1 } : counts;
}

/**
 * Format check: `deno fmt --check` for everything but notebooks (its exit status: one check), then each
 * notebook by formatting a copy and comparing bytes. (Deno 2.9.6's `fmt --check` reports every .ipynb with a
 * markdown cell as not formatted unless its incremental cache has seen the file formatted — so always in a fresh
 * clone — although `deno fmt` leaves the same bytes.)
 */
async function formatCounts(): Promise<Required<Counts>> {
  const notebooks = allNotebooks();
  const others = await run(["fmt", "--check", `--ignore=${notebooks.join(",")}`]);
  const tmp = await Deno.makeTempDir({ prefix: "microgpt-fmt-" });
  const copy = (i: number) => join(tmp, `${i}.ipynb`);
  notebooks.forEach((nb, i) => Deno.copyFileSync(join(ROOT, nb), copy(i)));
  const code = await run(["fmt", "--quiet", "--config", join(ROOT, "deno.json"), tmp]);
  const bad = notebooks.filter((nb, i) =>
    code !== 0 || Deno.readTextFileSync(join(ROOT, nb)) !== Deno.readTextFileSync(copy(i))
  );
  await Deno.remove(tmp, { recursive: true });
  for (const f of bad) console.log(`not formatted: ${f}  (run: deno fmt ${f})`);
  console.log(`Checked ${notebooks.length} notebooks, ${bad.length} not formatted`);
  const failed = bad.length + (others === 0 ? 0 : 1);
  return { passed: notebooks.length + 1 - failed, failed, skipped: 0 };
}

/** The stages, in order (`fmt` runs `formatCounts`, the rest their `args`). */
const STAGES: Stage[] = [
  { key: "fmt", counts: "exit", args: ["fmt", "--check"] }, // notebooks compared with a formatted copy
  { key: "lint", counts: "exit", args: ["lint"] },
  { key: "check", counts: "exit", args: ["check", "--quiet", "--doc", "lib/", "tests/", "tools/"] }, // + doc examples
  { key: "nbcheck", counts: "report", args: ["run", "-A", "tools/testing/nbcheck.ts"] }, // notebook cells
  { key: "unit", counts: "junit", args: ["task", "unit", "--no-check"] }, // types were checked above
  { key: "notebooks", counts: "report", args: ["task", "notebooks"] }, // headless, re-run, parameters, exercises
  { key: "site", counts: "report", args: ["run", "-A", "tools/site/site_check.ts"] }, // deno task site + Chromium
  // Every lesson in real JupyterLab (Run All, no error output, every figure drawn), then the platform checks.
  { key: "browser", counts: "report", args: ["run", "-A", "tools/testing/browser/browser_test.ts", "--all"] },
];

/** What a stage's counts count, for the summary. */
const COUNTED = { exit: "exit status", junit: "tests", report: "checks" };

const KEYS = STAGES.map((s) => s.key);

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
    console.log(
      `usage: deno task test [--skip STAGE[,STAGE…]] [--only STAGE[,STAGE…]]\nstages: ${KEYS.join(", ")}`,
    );
    return 0;
  }
  const list = (s: string) => new Set(s.split(",").map((x) => x.trim()).filter(Boolean));
  const only = list(values.only), skip = list(values.skip);
  const unknown = [...only, ...skip].find((k) => !KEYS.includes(k));
  if (unknown) {
    console.error(`deno task test: unknown stage '${unknown}' (stages: ${KEYS.join(", ")})`);
    return 2;
  }

  const started = performance.now();
  const rows: string[] = [];
  const total = { passed: 0, failed: 0, skipped: 0 };
  for (const stage of STAGES) {
    const t0 = performance.now();
    let counts: Required<Counts>,
      note = stage.key === "fmt" ? "files + each notebook" : COUNTED[stage.counts];
    if (stoppedBy || skip.has(stage.key) || (only.size > 0 && !only.has(stage.key))) {
      counts = { passed: 0, failed: 0, skipped: 1 };
      note = stoppedBy ? `not run (${stoppedBy})` : "skipped by flag";
    } else {
      console.log(`\n━━━ ${stage.key}: deno ${stage.args.join(" ")} ━━━`);
      try {
        counts = stage.key === "fmt" ? await formatCounts() : await runStage(stage);
      } catch (e) {
        console.error(`stage ${stage.key} crashed: ${(e as Error).stack ?? e}`);
        counts = { passed: 0, failed: 1, skipped: 0 };
        note = "crashed";
      }
    }
    for (const k of ["passed", "failed", "skipped"] as const) total[k] += counts[k];
    const mark = counts.failed ? "✗" : counts.passed || !counts.skipped ? "✓" : "–";
    const cols = [counts.passed, counts.failed, counts.skipped].map((n, i) =>
      String(n).padStart(i < 2 ? 6 : 7)
    );
    const time = `${((performance.now() - t0) / 1000).toFixed(1)} s`.padStart(8);
    rows.push(`${mark} ${stage.key.padEnd(10)} ${cols.join(" ")} ${time}  ${note}`);
  }
  console.log(`\n━━━ summary ━━━\n${"stage".padEnd(12)} passed failed skipped     time\n${rows.join("\n")}`);
  console.log(`total time ${((performance.now() - started) / 1000).toFixed(1)} s`);
  report(total); // the closing line CI reads, last: `N passed, N failed[, N skipped]`
  return stoppedStatus("deno task test") ?? (total.failed > 0 ? 1 : 0);
}

if (import.meta.main) Deno.exit(await main());
