/**
 * `deno task test` — everything, in order: format check, lint, type-check (code and notebook cells), unit and
 * doc tests, notebooks headless (with exercise checks and the idle-race test), and the browser end-to-end test.
 * Every stage runs even when an earlier one failed; each one's counts are parsed from its output. Prints a
 * summary per stage and ends with one line `N passed, N failed` (`, N skipped` added when something was
 * skipped). Exits non-zero when anything failed.
 *
 * Flags: `--skip STAGE[,STAGE…]` (stages: fmt, lint, check, nbcheck, unit, notebooks, browser) reports those
 * stages as skipped; `--only STAGE[,…]` runs just those; `--help`. A bad flag is a one-line error (exit 2).
 * SIGTERM/SIGINT are passed on to the running stage's command (the notebook runner then shuts its kernels down)
 * and no further stage starts.
 *
 * @module
 */

import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { ROOT } from "../jupyter/setup.ts";
import { forwardSignals } from "./signals.ts";

/** Counts of one stage. */
export interface StageResult {
  name: string;
  passed: number;
  failed: number;
  skipped: number;
  seconds: number;
  /** What the counts count ("files", "tests", …) and anything worth a line in the summary. */
  note: string;
}

/** Output of a finished command. */
interface Ran {
  code: number;
  output: string;
  seconds: number;
}

const decoder = new TextDecoder();

/** The signal that stopped the run, once one did (no further stage starts). */
let stoppedBy: Deno.Signal | undefined;

/** Runs a command with output shown live and captured for parsing. */
async function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<Ran> {
  const started = performance.now();
  const child = new Deno.Command(cmd, {
    args,
    cwd: ROOT,
    env: { NO_COLOR: "1", ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  // Termination goes on to the stage's command (tools/testing/notebooks.ts forwards it to nbrun.py, which shuts its
  // kernels down), so nothing is left running.
  const stopForwarding = forwardSignals(child, (sig) => stoppedBy ??= sig);
  let output = "";
  const pump = async (stream: ReadableStream<Uint8Array>, sink: { writeSync(p: Uint8Array): number }) => {
    for await (const chunk of stream) {
      output += decoder.decode(chunk, { stream: true });
      let off = 0;
      while (off < chunk.length) off += sink.writeSync(chunk.subarray(off));
    }
  };
  await Promise.all([pump(child.stdout, Deno.stdout), pump(child.stderr, Deno.stderr)]);
  const { code } = await child.status;
  stopForwarding();
  return { code, output, seconds: (performance.now() - started) / 1000 };
}

/**
 * The last `N passed, N failed[, N skipped]` line of a tool's output, if any.
 *
 * @example
 * ```ts
 * import { parseCountsLine } from "./test.ts";
 * const c = parseCountsLine("ok\n3 passed, 1 failed\n");
 * console.assert(c?.passed === 3 && c.failed === 1 && c.skipped === 0);
 * ```
 */
export function parseCountsLine(
  output: string,
): { passed: number; failed: number; skipped: number } | undefined {
  const matches = [...output.matchAll(/^(?:\w+: )?(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$/gm)];
  const m = matches.at(-1);
  return m ? { passed: Number(m[1]), failed: Number(m[2]), skipped: Number(m[3] ?? 0) } : undefined;
}

/**
 * Counts from `deno test`'s closing line: `ok | 12 passed (3 steps) | 0 failed | 1 ignored (20ms)`.
 *
 * @example
 * ```ts
 * import { parseDenoTest } from "./test.ts";
 * const c = parseDenoTest("FAILED | 10 passed (2 steps) | 2 failed | 1 ignored (1s)");
 * console.assert(c?.passed === 10 && c.failed === 2 && c.ignored === 1);
 * ```
 */
export function parseDenoTest(
  output: string,
): { passed: number; failed: number; ignored: number } | undefined {
  const matches = [
    ...output.matchAll(
      /^(?:ok|FAILED) \| (\d+) passed(?: \(\d+ steps?\))? \| (\d+) failed(?: \(\d+ steps?\))?(?: \| (\d+) ignored)?/gm,
    ),
  ];
  const m = matches.at(-1);
  return m ? { passed: Number(m[1]), failed: Number(m[2]), ignored: Number(m[3] ?? 0) } : undefined;
}

/** Files named in `at file:///…:L:C` locations of deno's diagnostics, relative to the root. */
function filesWithErrors(output: string): Set<string> {
  const files = new Set<string>();
  for (const m of output.matchAll(/at (file:\/\/\S+?):\d+:\d+/g)) {
    files.add(relative(ROOT, fileURLToPath(m[1])));
  }
  return files;
}

/** TypeScript files of the project's code folders (what `deno check` covers). */
function tsFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    const abs = join(ROOT, dir);
    if (!existsSync(abs)) return;
    for (const name of readdirSync(abs).sort()) {
      if (name.startsWith(".") || name === "node_modules") continue;
      const rel = join(dir, name);
      if (statSync(join(ROOT, rel)).isDirectory()) walk(rel);
      else if (/\.(ts|tsx|mts)$/.test(name) && !name.endsWith(".d.ts")) out.push(rel);
    }
  };
  for (const dir of ["lib", "tests", "tools"]) walk(dir);
  return out;
}

/** Notebooks of the project (not in hidden, ignored or tool folders). */
function ipynbFiles(): string[] {
  const out: string[] = [];
  const skip = new Set(["node_modules", ".venv", "artifacts", "tmp"]);
  const walk = (dir: string) => {
    for (const name of readdirSync(join(ROOT, dir)).sort()) {
      if (name.startsWith(".") || skip.has(name)) continue;
      const rel = dir ? join(dir, name) : name;
      if (statSync(join(ROOT, rel)).isDirectory()) walk(rel);
      else if (name.endsWith(".ipynb")) out.push(rel);
    }
  };
  walk("");
  return out;
}

/** Notebooks whose bytes change when a copy is formatted with the project's config. */
async function notebookFormatProblems(notebooks: string[]): Promise<string[]> {
  if (!notebooks.length) return [];
  const tmp = await Deno.makeTempDir({ prefix: "microgpt-fmt-" });
  try {
    const copies = notebooks.map((_, i) => join(tmp, `${i}.ipynb`));
    notebooks.forEach((nb, i) => Deno.copyFileSync(join(ROOT, nb), copies[i]));
    const out = await new Deno.Command(deno, {
      args: ["fmt", "--quiet", "--config", join(ROOT, "deno.json"), ...copies],
      cwd: ROOT,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!out.success) {
      console.log(decoder.decode(out.stderr));
      return notebooks; // unparsable notebook JSON etc.
    }
    return notebooks.filter((nb, i) => {
      const a = Deno.readFileSync(join(ROOT, nb));
      const b = Deno.readFileSync(copies[i]);
      return a.length !== b.length || a.some((x, k) => x !== b[k]);
    });
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}

function banner(name: string) {
  console.log(`\n━━━ ${name} ━━━`);
}

const deno = Deno.execPath();

type Stage = { key: string; name: string; run: () => Promise<StageResult> };

const stages: Stage[] = [
  {
    key: "fmt",
    name: "format (deno fmt --check; notebooks compared with a formatted copy)",
    run: async () => {
      const started = performance.now();
      // Deno 2.9.6's `fmt --check` reports every .ipynb with a markdown cell as not formatted unless its
      // incremental cache has seen the file formatted (so always in a fresh clone), although `deno fmt` leaves
      // the same bytes. Notebooks are therefore checked by formatting a copy and comparing bytes.
      const notebooks = ipynbFiles();
      const r = await run(deno, [
        "fmt",
        "--check",
        ...(notebooks.length ? [`--ignore=${notebooks.join(",")}`] : []),
      ]);
      const total = Number(r.output.match(/(?:Checked|in) (\d+) files?/)?.[1] ?? 0);
      let bad = Number(r.output.match(/Found (\d+) not formatted files?/)?.[1] ?? (r.code ? 1 : 0));
      const nb = await notebookFormatProblems(notebooks);
      for (const f of nb) console.log(`not formatted: ${f}  (run: deno fmt ${f})`);
      if (notebooks.length) console.log(`Checked ${notebooks.length} notebooks, ${nb.length} not formatted`);
      bad += nb.length;
      return {
        name: "fmt",
        passed: Math.max(0, total + notebooks.length - bad),
        failed: bad,
        skipped: 0,
        seconds: (performance.now() - started) / 1000,
        note: "files",
      };
    },
  },
  {
    key: "lint",
    name: "lint (deno lint)",
    run: async () => {
      const r = await run(deno, ["lint"]);
      const total = Number(r.output.match(/Checked (\d+) files?/)?.[1] ?? 0);
      const files = new Set([...r.output.matchAll(/-->\s+(\S+?):\d+:\d+/g)].map((m) => m[1]));
      const bad = files.size || (r.code ? 1 : 0);
      const problems = Number(r.output.match(/Found (\d+) problems?/)?.[1] ?? 0);
      return {
        name: "lint",
        passed: Math.max(0, total - bad),
        failed: bad,
        skipped: 0,
        seconds: r.seconds,
        note: problems ? `files (${problems} problems)` : "files",
      };
    },
  },
  {
    key: "check",
    name: "type-check lib/ tests/ tools/ (deno check)",
    run: async () => {
      const files = tsFiles();
      const r = await run(deno, ["check", "--quiet", ...files]);
      const bad = filesWithErrors(r.output);
      const failed = bad.size || (r.code ? 1 : 0);
      const passed = files.filter((f) => !bad.has(f)).length - (bad.size === 0 && r.code ? files.length : 0);
      return {
        name: "type-check",
        passed: Math.max(0, passed),
        failed,
        skipped: 0,
        seconds: r.seconds,
        note: "files",
      };
    },
  },
  {
    key: "nbcheck",
    name: "type-check notebook cells (tools/testing/nbcheck.ts)",
    run: async () => {
      const r = await run(deno, ["run", "-A", "tools/testing/nbcheck.ts"]);
      const c = parseCountsLine(r.output) ?? { passed: 0, failed: 1, skipped: 0 };
      return {
        name: "notebook type-check",
        ...c,
        seconds: r.seconds,
        note: "notebooks (+ solution variants)",
      };
    },
  },
  {
    key: "unit",
    name: "unit + doc tests (deno test -A --doc)",
    run: async () => {
      const args = [
        "test",
        "-A",
        "--doc",
        // console.assert only prints; the preload makes a false one in a doc example fail its test.
        "--preload=tools/testing/assert_preload.ts",
        "--ignore=tools/testing/browser/",
        "lib/",
        "tests/",
        "tools/",
      ];
      const r = await run(deno, args);
      let c = parseDenoTest(r.output);
      let note = "tests";
      let failed = 0;
      let seconds = r.seconds;
      if (!c) {
        // Type errors stop deno test before any test runs: count that as a failure, and still run the tests
        // without the type check so their own results are known.
        console.log(
          "\n(tests did not start — type errors above; running them again with --no-check for counts)",
        );
        const again = await run(deno, ["test", "-A", "--doc", "--no-check", ...args.slice(3)]);
        c = parseDenoTest(again.output);
        seconds += again.seconds;
        failed = 1;
        note = "tests (+1: type errors in test or doc code)";
      }
      return {
        name: "unit + doc tests",
        passed: c?.passed ?? 0,
        failed: (c?.failed ?? 1) + failed,
        skipped: c?.ignored ?? 0,
        seconds,
        note,
      };
    },
  },
  {
    key: "notebooks",
    name: "notebooks headless + exercises (tools/testing/notebooks.ts)",
    run: async () => {
      const r = await run(deno, ["run", "-A", "tools/testing/notebooks.ts"]);
      const c = parseCountsLine(r.output) ?? { passed: 0, failed: 1, skipped: 0 };
      return { name: "notebooks", ...c, seconds: r.seconds, note: "runs and checks" };
    },
  },
  {
    key: "browser",
    name: "browser end-to-end (tools/testing/browser/browser_test.ts)",
    run: async () => {
      if (!existsSync(join(ROOT, "tools", "testing", "browser", "browser_test.ts"))) {
        console.log("tools/testing/browser/browser_test.ts does not exist: skipped");
        return { name: "browser", passed: 0, failed: 0, skipped: 1, seconds: 0, note: "not present" };
      }
      // Every lesson in real JupyterLab (Run All, no error output, every figure drawn), then the platform checks.
      const r = await run(deno, ["run", "-A", "tools/testing/browser/browser_test.ts", "--all"]);
      const c = parseCountsLine(r.output);
      if (c) {
        // A non-zero exit with all checks passed still fails (e.g. the server could not be stopped).
        const failed = c.failed || (r.code !== 0 && r.code !== 3 ? 1 : 0);
        return { name: "browser", ...c, failed, seconds: r.seconds, note: "checks" };
      }
      // browser_test.ts logs each check as "  ✓ what" / "  ✗ what"; exit 0 passed, 3 skipped, else failed.
      const ok = [...r.output.matchAll(/^ {2}✓ /gm)].length;
      const bad = [...r.output.matchAll(/^ {2}✗ /gm)].length;
      if (r.code === 3) {
        return { name: "browser", passed: 0, failed: 0, skipped: 1, seconds: r.seconds, note: "no chromium" };
      }
      return {
        name: "browser",
        passed: r.code === 0 ? Math.max(ok, 1) : ok,
        failed: r.code === 0 ? 0 : Math.max(bad, 1),
        skipped: 0,
        seconds: r.seconds,
        note: "checks",
      };
    },
  },
];

const USAGE = `usage: deno task test [--skip STAGE[,STAGE…]] [--only STAGE[,STAGE…]]
stages: ${stages.map((s) => s.key).join(", ")}`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: Deno.args,
      options: {
        skip: { type: "string", default: "" },
        only: { type: "string", default: "" },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    console.error(`deno task test: ${(e as Error).message} (see --help)`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const keys = new Set(stages.map((s) => s.key));
  const list = (s: string) => s.split(",").map((x) => x.trim()).filter(Boolean);
  for (const k of [...list(values.skip), ...list(values.only)]) {
    if (!keys.has(k)) {
      console.error(`deno task test: unknown stage '${k}' (stages: ${[...keys].join(", ")})`);
      return 2;
    }
  }
  const only = new Set(list(values.only));
  const skip = new Set(list(values.skip));

  const started = performance.now();
  const results: StageResult[] = [];
  for (const stage of stages) {
    const notRun = stoppedBy
      ? `not run (${stoppedBy})`
      : skip.has(stage.key) || (only.size > 0 && !only.has(stage.key))
      ? "skipped by flag"
      : undefined;
    if (notRun) {
      results.push({ name: stage.key, passed: 0, failed: 0, skipped: 1, seconds: 0, note: notRun });
      continue;
    }
    banner(stage.name);
    try {
      results.push(await stage.run());
    } catch (e) {
      console.error(`stage ${stage.key} crashed: ${(e as Error).stack ?? e}`);
      results.push({ name: stage.key, passed: 0, failed: 1, skipped: 0, seconds: 0, note: "crashed" });
    }
  }

  const total = results.reduce(
    (a, r) => ({ passed: a.passed + r.passed, failed: a.failed + r.failed, skipped: a.skipped + r.skipped }),
    { passed: 0, failed: 0, skipped: 0 },
  );
  console.log("\n━━━ summary ━━━");
  console.log(
    `${"stage".padEnd(22)} ${"passed".padStart(6)} ${"failed".padStart(6)} ${"skipped".padStart(7)} ${
      "time".padStart(8)
    }`,
  );
  for (const r of results) {
    const mark = r.failed ? "✗" : r.passed || !r.skipped ? "✓" : "–";
    console.log(
      `${mark} ${r.name.padEnd(20)} ${String(r.passed).padStart(6)} ${String(r.failed).padStart(6)} ` +
        `${String(r.skipped).padStart(7)} ${(r.seconds.toFixed(1) + " s").padStart(8)}  ${r.note}`,
    );
  }
  console.log(`total time ${((performance.now() - started) / 1000).toFixed(1)} s`);
  console.log(
    `${total.passed} passed, ${total.failed} failed` + (total.skipped ? `, ${total.skipped} skipped` : ""),
  );
  if (stoppedBy) {
    console.error(`deno task test: stopped by ${stoppedBy}`);
    return stoppedBy === "SIGINT" ? 130 : 143;
  }
  return total.failed > 0 ? 1 : 0;
}

if (import.meta.main) Deno.exit(await main());
