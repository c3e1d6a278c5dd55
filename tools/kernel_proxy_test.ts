/**
 * tools/kernel_proxy.py against the real Deno kernel: "Run All"-style cells keep every output line in their own
 * cell (the bare kernel misplaces many), Interrupt still stops a SIGINT-watching loop with the kernel's state
 * intact, and shutdown leaves no process. Needs `.venv` (deno task setup); ignored without it.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./setup.ts";

const python = join(ROOT, ".venv", "bin", "python");

Deno.test({
  name: "kernel proxy: Run All output stays in its cell; interrupt and shutdown still work",
  ignore: !existsSync(python) || Deno.build.os === "windows",
  async fn() {
    const dir = mkdtempSync(join(tmpdir(), "kernel-proxy-test-"));
    try {
      mkdirSync(join(dir, "proxied"));
      writeFileSync(
        join(dir, "proxied", "kernel.json"),
        JSON.stringify({
          argv: [python, join(ROOT, "tools", "kernel_proxy.py"), Deno.execPath(), "{connection_file}"],
          display_name: "proxied Deno",
          language: "typescript",
          env: { NO_COLOR: "1" },
        }),
      );
      const out = await new Deno.Command(python, {
        args: [join(ROOT, "tools", "kernel_proxy_check.py"), dir, "proxied", join(ROOT, "notebooks"), "3"],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stdout = new TextDecoder().decode(out.stdout);
      assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
      const r = JSON.parse(stdout.trim().split("\n").at(-1)!);
      assert.deepEqual(
        r.misplaced,
        [0, 0, 0],
        "no output line in a wrong cell or missing, in 3 Run All rounds",
      );
      assert.match(r.interrupt_output, /^stopped after \d+$/);
      assert.equal(r.after_interrupt, "state kept: true");
      assert.equal(r.after_status, "ok");
      assert.deepEqual(r.left_running, [], "the deno kernel exits with the proxy");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
});
