/**
 * tools/jupyter/kernel_proxy.py against the real Deno kernel: "Run All"-style cells keep every output line in their own
 * cell (the bare kernel misplaces many), Interrupt at any moment leaves a working kernel (issue 14's cases),
 * Run All stops at the first error, shutdown leaves no process, and deno's ports are chosen where no outgoing
 * connection can take them. Needs `.venv` (deno task setup); ignored without it.
 */
import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./setup.ts";
import { inTempDir } from "../testing/test_util.ts";

const python = join(ROOT, ".venv", "bin", "python");
const ignore = !existsSync(python) || Deno.build.os === "windows";

/** Runs tools/jupyter/kernel_proxy_check.py in `mode` on a kernelspec whose proxy starts `deno`; its JSON and stderr. */
async function check(dir: string, deno: string, mode: "runall" | "interrupt" | "alive") {
  mkdirSync(join(dir, "proxied"), { recursive: true });
  writeFileSync(
    join(dir, "proxied", "kernel.json"),
    JSON.stringify({
      argv: [python, join(ROOT, "tools", "jupyter", "kernel_proxy.py"), deno, "{connection_file}"],
      display_name: "proxied Deno",
      language: "typescript",
      env: { NO_COLOR: "1" },
      interrupt_mode: "message",
    }),
  );
  const out = await new Deno.Command(python, {
    args: [
      join(ROOT, "tools", "jupyter", "kernel_proxy_check.py"),
      dir,
      "proxied",
      join(ROOT, "notebooks"),
      mode,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr);
  const stdout = new TextDecoder().decode(out.stdout);
  return { result: JSON.parse(stdout.trim().split("\n").at(-1)!), stderr };
}

/** A test that needs `.venv`, run in a fresh temporary folder. */
function proxyTest(name: string, fn: (dir: string) => Promise<void>) {
  Deno.test({ name, ignore, fn: () => inTempDir("kernel-proxy-test-", fn) });
}

proxyTest("kernel proxy: Run All output stays in its cell; shutdown leaves no process", async (dir) => {
  const { result: r } = await check(dir, Deno.execPath(), "runall");
  assert.deepEqual(
    r.misplaced,
    [0, 0, 0],
    "no output line in a wrong cell or missing, in 3 Run All rounds",
  );
  assert.deepEqual(r.left_running, [], "the deno kernel exits with the proxy");
});

proxyTest(
  "kernel proxy: Interrupt at any moment leaves a working kernel; Run All stops at the first error",
  async (dir) => {
    const { result: r } = await check(dir, Deno.execPath(), "interrupt");
    assert.equal(r.setup.status, "ok", r.setup.text);
    assert.deepEqual(
      r.idle,
      { ...r.idle, status: "ok", text: "42" },
      "idle: nothing happens, `kept` is still 41",
    );
    // 4 s into 200,000 steps: train() stops at its next step, says where, keeps the history and the model
    assert.equal(r.train.status, "ok");
    assert.match(r.train.text, /^stopped at step \d+ of 200000$/);
    assert.ok(
      r.train.answered_after < 10,
      `train answered ${r.train.answered_after} s after the Interrupt`,
    );
    assert.deepEqual(r.train.then, { ...r.train.then, status: "ok", text: "[ true, true ]" });
    // a sweep (three train() in one cell): the whole cell ends, each run saying where it stopped; not halted
    assert.equal(r.sweep.status, "ok", r.sweep.text);
    assert.equal(r.sweep.text.match(/stopped at step \d+ of 200000/g)?.length, 3, r.sweep.text);
    assert.deepEqual(r.sweep.then, { ...r.sweep.then, status: "ok", text: "3" });
    // `while (true) {}` (SIGINT cannot reach it): halted, told so, variables kept, no client-side restart
    assert.equal(r.runaway.status, "error");
    assert.match(r.runaway.text, /halted this cell .* Variables are kept/);
    assert.deepEqual(r.runaway.then, { ...r.runaway.then, status: "ok", text: "[ 2, 41 ]" });
    assert.ok(
      r.runaway.answered_after < 15,
      `1 + 1 answered ${r.runaway.answered_after} s after the Interrupt`,
    );
    // three cells at once with stop_on_error, the first throws: the others are aborted and never run
    assert.deepEqual(r.run_all, ["error", "aborted", "aborted", '"undefinedundefined"']);
    assert.deepEqual(r.no_stop, ["error", "ok"], "without stop_on_error the next cell runs");
    // a cell waiting forever cannot be halted: the kernel is restarted and the cell says so
    assert.equal(r.waiting.status, "error");
    assert.match(r.waiting.text, /kernel was restarted: every variable .* Run the cells above/);
    assert.deepEqual(r.waiting.then, { ...r.waiting.then, status: "ok", text: '[ 2, "undefined" ]' });
    assert.ok(
      r.waiting.answered_after < 15,
      `1 + 1 answered ${r.waiting.answered_after} s after the Interrupt`,
    );
    // a cell that ends the process: started again, and the cell says so
    assert.equal(r.exit.status, "error");
    assert.match(r.exit.text, /kernel stopped while this cell ran \(exit code 3\) and was started again/);
    assert.deepEqual(r.after_exit, { ...r.after_exit, status: "ok", text: "2" });
    assert.deepEqual(
      r.restarted,
      { ...r.restarted, status: "ok", text: "2" },
      "Restart during `while (true) {}`",
    );
    assert.deepEqual(r.left_running, [], "the deno kernel exits with the proxy");
  },
);

proxyTest(
  "kernel proxy: deno's ports lie outside the range the OS hands out for outgoing connections",
  async (dir) => {
    // Stands in for deno: logs the connection file it was given, then is the real kernel.
    const starts = join(dir, "starts.log");
    const fake = join(dir, "deno-logging");
    writeFileSync(
      fake,
      `#!/bin/sh\ncat "$4" >> "${starts}"\necho >> "${starts}"\nexec "${Deno.execPath()}" "$@"\n`,
    );
    chmodSync(fake, 0o755);
    const { result } = await check(dir, fake, "alive");
    assert.equal(result.output, "alive");
    const [conn] = readFileSync(starts, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    // A port from bind(0) would lie in that range: deno binds its ports one after another while the proxy's
    // sockets connect, and a connection's own local port could take one deno has yet to bind (seen in CI).
    const [lo, hi] = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)
      .map(Number);
    const ports = ["shell", "iopub", "stdin", "control", "hb"].map((name) => conn[`${name}_port`]);
    assert.equal(new Set(ports).size, 5, "five distinct ports");
    for (const port of ports) assert.ok(port < lo || port > hi, `port ${port} lies outside ${lo}–${hi}`);
  },
);

proxyTest("kernel proxy: a kernel that dies for another reason is not restarted", async (dir) => {
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
});
