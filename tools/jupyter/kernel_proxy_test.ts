/**
 * tools/jupyter/kernel_proxy.py against the real Deno kernel: "Run All"-style cells keep every output line in their own
 * cell (the bare kernel misplaces many), Interrupt still stops a SIGINT-watching loop with the kernel's state
 * intact, shutdown leaves no process, and a kernel that dies on a taken port is started again. Needs `.venv`
 * (deno task setup); ignored without it.
 */
import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./setup.ts";
import { inTempDir } from "../testing/test_util.ts";

const python = join(ROOT, ".venv", "bin", "python");
const ignore = !existsSync(python) || Deno.build.os === "windows";

/** Runs tools/jupyter/kernel_proxy_check.py on a kernelspec whose proxy starts `deno`; returns its JSON and stderr. */
async function check(dir: string, deno: string, rounds: number) {
  mkdirSync(join(dir, "proxied"), { recursive: true });
  writeFileSync(
    join(dir, "proxied", "kernel.json"),
    JSON.stringify({
      argv: [python, join(ROOT, "tools", "jupyter", "kernel_proxy.py"), deno, "{connection_file}"],
      display_name: "proxied Deno",
      language: "typescript",
      env: { NO_COLOR: "1" },
    }),
  );
  const out = await new Deno.Command(python, {
    args: [
      join(ROOT, "tools", "jupyter", "kernel_proxy_check.py"),
      dir,
      "proxied",
      join(ROOT, "notebooks"),
      String(rounds),
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr);
  const stdout = new TextDecoder().decode(out.stdout);
  return { result: JSON.parse(stdout.trim().split("\n").at(-1)!), stderr };
}

Deno.test({
  name: "kernel proxy: Run All output stays in its cell; interrupt and shutdown still work",
  ignore,
  fn: () =>
    inTempDir("kernel-proxy-test-", async (dir) => {
      const { result: r } = await check(dir, Deno.execPath(), 3);
      assert.deepEqual(
        r.misplaced,
        [0, 0, 0],
        "no output line in a wrong cell or missing, in 3 Run All rounds",
      );
      assert.match(r.interrupt_output, /^stopped after \d+$/);
      assert.equal(r.after_interrupt, "state kept: true");
      assert.equal(r.after_status, "ok");
      assert.deepEqual(r.left_running, [], "the deno kernel exits with the proxy");
    }),
});

Deno.test({
  name: "kernel proxy: a kernel that dies on a taken port is started again on other ports",
  ignore,
  fn: () =>
    inTempDir("kernel-proxy-test-", async (dir) => {
      // Stands in for deno: the first two starts fail the way deno does when another process took its port
      // (seen in CI); later starts are the real kernel. Each start logs the ports it was given.
      const starts = join(dir, "starts.log");
      const fake = join(dir, "deno-flaky");
      writeFileSync(
        fake,
        `#!/bin/sh
conn="$4"
echo "$(cat "$conn")" >> "${starts}"
if [ "$(wc -l < "${starts}")" -le 2 ]; then
  echo "error: Uncaught (in promise) AddrInUse: Address already in use (os error 98)" >&2
  exit 1
fi
exec "${Deno.execPath()}" "$@"
`,
      );
      chmodSync(fake, 0o755);
      const { result, stderr } = await check(dir, fake, 0);
      assert.equal(result.output, "alive", "the third start runs the cell");
      assert.equal((stderr.match(/starting it again on other ports/g) ?? []).length, 2, stderr);
      const conns = readFileSync(starts, "utf8").trim().split("\n").map((l) => JSON.parse(l));
      assert.equal(conns.length, 3);
      const shells = new Set(conns.map((c) => c.shell_port));
      assert.equal(shells.size, 3, "each start gets fresh ports");
      // Outside the range the OS hands out for outgoing connections, so our own reconnects cannot take them.
      const [lo, hi] = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)
        .map(Number);
      for (const c of conns) {
        for (const name of ["shell", "iopub", "stdin", "control", "hb"]) {
          const port = c[`${name}_port`];
          assert.ok(port < lo || port > hi, `${name}_port ${port} lies outside ${lo}–${hi}`);
        }
      }
    }),
});

Deno.test({
  name: "kernel proxy: a kernel that dies for another reason is not restarted",
  ignore,
  fn: () =>
    inTempDir("kernel-proxy-test-", async (dir) => {
      const fake = join(dir, "deno-broken");
      writeFileSync(
        fake,
        `#!/bin/sh\necho start >> "${join(dir, "starts.log")}"\necho "error: boom" >&2\nexit 3\n`,
      );
      chmodSync(fake, 0o755);
      const ports = Object.fromEntries(
        ["shell", "iopub", "stdin", "control", "hb"].map((n) => [`${n}_port`, "*"]),
      );
      writeFileSync(join(dir, "conn.json"), JSON.stringify({ transport: "tcp", ip: "127.0.0.1", ...ports }));
      const out = await new Deno.Command(python, {
        args: [join(ROOT, "tools", "jupyter", "kernel_proxy.py"), fake, join(dir, "conn.json")],
        stderr: "piped",
      }).output();
      assert.equal(out.code, 3, "the proxy exits with the kernel's code");
      assert.match(new TextDecoder().decode(out.stderr), /error: boom/, "deno's stderr is passed on");
      assert.equal(readFileSync(join(dir, "starts.log"), "utf8"), "start\n", "started once");
    }),
});
