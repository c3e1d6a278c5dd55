/**
 * tools/nbrun.py: when the kernel cannot start, one FAIL line with the reason, exit status 1, and no Python
 * traceback afterwards; `--mode rerun` catches a notebook that breaks when its cells are run again out of
 * order. Needs `.venv` (deno task setup); ignored without it.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KERNEL_NAME, ROOT } from "./setup.ts";

const python = join(ROOT, ".venv", "bin", "python");

Deno.test({
  name: "nbrun: a kernel that dies at start is one FAIL line, exit 1, no traceback",
  ignore: !existsSync(python) || Deno.build.os === "windows",
  async fn() {
    const dir = mkdtempSync(join(tmpdir(), "nbrun-test-"));
    try {
      mkdirSync(join(dir, "kernels", "broken"), { recursive: true });
      writeFileSync(
        join(dir, "kernels", "broken", "kernel.json"),
        JSON.stringify({
          argv: ["/bin/sh", "-c", "echo 'broken kernel: cannot start' >&2; exit 1", "{connection_file}"],
          display_name: "broken",
          language: "sh",
        }),
      );
      const out = await new Deno.Command(python, {
        args: [
          join(ROOT, "tools", "nbrun.py"),
          "--kernel",
          "broken",
          join(ROOT, "tests", "fixtures", "smoke.ipynb"),
        ],
        env: { JUPYTER_PATH: dir },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stdout = new TextDecoder().decode(out.stdout);
      const stderr = new TextDecoder().decode(out.stderr);
      assert.equal(out.code, 1, stdout + stderr);
      assert.match(stdout, /^FAIL .*smoke\.ipynb/m);
      assert.match(stdout, /Kernel died before replying to kernel_info/);
      assert.match(stdout, /nbrun: 0 passed, 1 failed/);
      assert.match(stderr, /broken kernel: cannot start/, "the kernel's own words are shown");
      assert.doesNotMatch(stderr, /Traceback|Exception ignored/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
});

Deno.test({
  name:
    "nbrun --mode rerun: a cell that breaks when run again after the rest fails the run; Run All alone passes",
  ignore: !existsSync(python) || Deno.build.os === "windows",
  async fn() {
    const dir = mkdtempSync(join(tmpdir(), "nbrun-test-"));
    try {
      const code = (source: string) => ({
        cell_type: "code",
        metadata: {},
        outputs: [],
        execution_count: null,
        source,
      });
      const nb = join(dir, "rerun.ipynb");
      writeFileSync(
        nb,
        JSON.stringify({
          nbformat: 4,
          nbformat_minor: 5,
          metadata: { kernelspec: { name: KERNEL_NAME, display_name: "Deno", language: "typescript" } },
          cells: [
            code("const items = [1, 2, 3];"),
            code(
              'items.shift();\nif (items.length < 2) throw new Error("items used up: run the cell above again");',
            ),
          ],
        }),
      );
      const run = async (mode: string) => {
        const out = await new Deno.Command(python, {
          args: [join(ROOT, "tools", "nbrun.py"), "--mode", mode, nb],
          env: { JUPYTER_PATH: join(ROOT, ".venv", "share", "jupyter") },
          stdout: "piped",
          stderr: "null",
        }).output();
        return { code: out.code, stdout: new TextDecoder().decode(out.stdout) };
      };
      const plain = await run("plain");
      assert.equal(plain.code, 0, plain.stdout);
      const rerun = await run("rerun");
      assert.equal(rerun.code, 1, rerun.stdout);
      assert.match(rerun.stdout, /cell 2 \(re-run, last cell first\).*items used up/s);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
});
