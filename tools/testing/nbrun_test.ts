/**
 * tools/testing/nbrun.py: when the kernel cannot start, a failed result with the reason, exit status 1, and no
 * Python traceback afterwards; a plain run checks the notebook is committed clean; `--mode rerun` catches a notebook that breaks when its cells are run again out
 * of order; `--no-stderr` fails a lesson that prints warnings. Needs `.venv` (deno task setup); ignored
 * without it.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../jupyter/setup.ts";
import { notebookJson } from "./browser/e2e_notebook.ts";
import { inTempDir } from "./test_util.ts";

const python = join(ROOT, ".venv", "bin", "python");
const ignore = !existsSync(python) || Deno.build.os === "windows";

/** Writes a Deno-kernel notebook with one code cell per source. */
function writeNotebook(path: string, sources: string[]): string {
  writeFileSync(path, notebookJson(sources));
  return path;
}

/** Runs nbrun.py with `args` (the project's kernels unless `jupyterPath` says otherwise). */
async function nbrun(args: string[], jupyterPath = join(ROOT, ".venv", "share", "jupyter")) {
  const out = await new Deno.Command(python, {
    args: [join(ROOT, "tools", "testing", "nbrun.py"), ...args],
    env: { JUPYTER_PATH: jupyterPath },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  const result: { ok: boolean; problems: string[] } = JSON.parse(stdout);
  return { code: out.code, stdout, stderr: new TextDecoder().decode(out.stderr), ...result };
}

/** A test that needs `.venv`, run in a fresh temporary folder. */
function nbrunTest(name: string, fn: (dir: string) => Promise<void>) {
  Deno.test({ name, ignore, fn: () => inTempDir("nbrun-test-", fn) });
}

/** Runs `nb` with `passArgs` (it must pass, exit 0), then with `failArgs` (it must fail, exit 1); the failed run. */
async function passesThenFails(nb: string, passArgs: string[], failArgs: string[]) {
  const passed = await nbrun([...passArgs, nb]);
  assert.equal(passed.code, 0, passed.stdout);
  const failed = await nbrun([...failArgs, nb]);
  assert.equal(failed.code, 1, failed.stdout);
  return failed;
}

nbrunTest(
  "nbrun: a kernel that dies at start is a failed result with the reason, exit 1, no traceback",
  async (dir) => {
    mkdirSync(join(dir, "kernels", "broken"), { recursive: true });
    writeFileSync(
      join(dir, "kernels", "broken", "kernel.json"),
      JSON.stringify({
        argv: ["/bin/sh", "-c", "echo 'broken kernel: cannot start' >&2; exit 1", "{connection_file}"],
        display_name: "broken",
        language: "sh",
      }),
    );
    const r = await nbrun(["--kernel", "broken", join(ROOT, "tests", "fixtures", "smoke.ipynb")], dir);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.equal(r.ok, false);
    assert.match(r.problems.join("\n"), /Kernel died before replying to kernel_info/);
    assert.match(r.stderr, /broken kernel: cannot start/, "the kernel's own words are shown");
    assert.doesNotMatch(r.stderr, /Traceback|Exception ignored/);
  },
);

nbrunTest(
  "nbrun --mode rerun: a cell that breaks when run again after the rest fails the run; Run All alone passes",
  async (dir) => {
    const nb = writeNotebook(join(dir, "rerun.ipynb"), [
      "const items = [1, 2, 3];",
      'items.shift();\nif (items.length < 2) throw new Error("items used up: run the cell above again");',
    ]);
    const rerun = await passesThenFails(nb, ["--mode", "plain"], ["--mode", "rerun"]);
    assert.equal(rerun.ok, false);
    assert.match(rerun.problems.join("\n"), /cell 2 \(re-run, last cell first\).*items used up/s);
  },
);

nbrunTest(
  "nbrun: a run with --no-stderr fails on a cell that writes to stderr; without it the cell passes",
  async (dir) => {
    const nb = writeNotebook(join(dir, "warns.ipynb"), [
      'console.log("fine");\nconsole.warn("careful: deprecated option");',
    ]);
    const quiet = await passesThenFails(nb, [], ["--no-stderr"]);
    assert.deepEqual(quiet.problems, [
      `cell 1: wrote to stderr (a warning a learner would see): 'careful: deprecated option\\n'`,
    ]);
  },
);

nbrunTest(
  "nbrun --parameters: papermill injects the values after the parameters cell; later cells see them",
  async (dir) => {
    const nb = writeNotebook(join(dir, "params.ipynb"), [
      'const num_steps = 1000; // training steps\nconst name = "emma";',
      'if (num_steps !== 60 || name !== "ada") throw new Error(`got num_steps ${num_steps}, name ${name}`);',
    ]);
    const parsed = JSON.parse(readFileSync(nb, "utf8"));
    parsed.cells[0].metadata.tags = ["parameters"];
    writeFileSync(nb, JSON.stringify(parsed));
    const shipped = await nbrun([nb]);
    assert.equal(shipped.ok, false);
    assert.match(shipped.problems.join("\n"), /got num_steps 1000, name emma/);
    const edited = await nbrun(["--parameters", '{"num_steps": 60, "name": "ada"}', nb]);
    assert.equal(edited.code, 0, edited.stdout + edited.stderr);
    assert.equal(edited.ok, true);
  },
);

nbrunTest(
  "nbrun: a plain run fails a notebook committed with execution counts or another kernelspec; a re-run does not check",
  async (dir) => {
    const nb = writeNotebook(join(dir, "dirty.ipynb"), ["1 + 1;"]);
    const parsed = JSON.parse(readFileSync(nb, "utf8"));
    parsed.cells[0].execution_count = 3;
    parsed.metadata.kernelspec.name = "deno";
    writeFileSync(nb, JSON.stringify(parsed));
    const plain = await passesThenFails(nb, ["--mode", "rerun"], []);
    assert.deepEqual(plain.problems, [
      "metadata.kernelspec.name is 'deno', expected 'microgpt-deno'",
      "committed with outputs or execution counts in cell(s) 1 (clear them: Edit → Clear Outputs of All Cells, then save)",
    ]);
  },
);
