/**
 * tools/nbrun.py when the kernel cannot start: one FAIL line with the reason, exit status 1, and no Python
 * traceback afterwards. Needs `.venv` (deno task setup); ignored without it.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./setup.ts";

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
