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

/** What kernel_proxy_check.py reports of a cell. */
interface Result {
  status: string;
  text: string;
  seconds: number;
}
/** …and of a cell interrupted `interrupt_after` s in. */
type Interrupted = Result & { then: Result; answered_after: number };
type Step =
  | { run: string }
  | { run_all: string[]; stop_on_error: boolean }
  | { run: string; interrupt_after: number; then: string }
  | { interrupt: true }
  | { restart_during: string };

/**
 * Plays `steps` with tools/jupyter/kernel_proxy_check.py (jupyter_client) on a kernelspec whose proxy starts
 * `deno`: each step's result by name; asserts that no process is left running after shutdown.
 */
async function check(dir: string, deno: string, steps: Record<string, Step>) {
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
  const script = join(ROOT, "tools", "jupyter", "kernel_proxy_check.py");
  const out = await new Deno.Command(python, {
    args: [script, dir, "proxied", join(ROOT, "notebooks"), JSON.stringify(steps)],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr);
  // deno-lint-ignore no-explicit-any
  const result: Record<string, any> = JSON.parse(
    new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!,
  );
  assert.deepEqual(result.left_running, [], "the deno kernel exits with the proxy");
  return result;
}

/** A test that needs `.venv`, run in a fresh temporary folder. */
function proxyTest(name: string, fn: (dir: string) => Promise<void>) {
  Deno.test({ name, ignore, fn: () => inTempDir("kernel-proxy-test-", fn) });
}

// Cell k prints lines tagged "ck"; every line must land in its own cell, none missing.
const CELLS = [0, 1, 2, 3].map((k) => `for (let i = 1; i <= 20; i++) console.log(\`c${k} line \${i}\`);`)
  .concat([
    'for (let i = 1; i <= 20; i++) await Deno.jupyter.display({ "text/plain": `c4 line ${i}` }, { raw: true });',
    "`c5 line 1`",
  ]);
const EXPECTED = [20, 20, 20, 20, 20, 1];

proxyTest("kernel proxy: Run All output stays in its cell; shutdown leaves no process", async (dir) => {
  const all = { run_all: CELLS, stop_on_error: true };
  const r = await check(dir, Deno.execPath(), { round1: all, round2: all, round3: all });
  const misplaced = [r.round1, r.round2, r.round3].map((cells: Result[]) =>
    cells.reduce((bad, { text }, k) => {
      const marks = [...text.matchAll(/c(\d) line/g)].map((m) => Number(m[1]));
      const own = marks.filter((m) => m === k).length;
      return bad + (marks.length - own) + Math.max(0, EXPECTED[k] - own);
    }, 0)
  );
  assert.deepEqual(misplaced, [0, 0, 0], "no output line in a wrong cell or missing, in 3 Run All rounds");
});

proxyTest(
  "kernel proxy: Interrupt at any moment leaves a working kernel; Run All stops at the first error",
  async (dir) => {
    const train = (steps: string) => `await train(model, { docs, tokenizer, num_steps: ${steps} })`;
    const r = await check(dir, Deno.execPath(), {
      setup: {
        run: 'import { createModel, Random, Tokenizer, train } from "@lib/mod.ts";\n' +
          'const docs = ["emma", "olivia", "ava"], tokenizer = Tokenizer.fromDocs(docs);\n' +
          "const model = createModel({ config: { vocab_size: tokenizer.vocab_size, n_embd: 8, n_head: 2 }, " +
          "rng: new Random(1) });\nlet kept = 41;",
      },
      interrupt: { interrupt: true },
      idle: { run: "kept + 1" },
      train: {
        run: `const history = ${train("200_000")};`,
        interrupt_after: 4,
        then: "[history.stoppedAt === history.losses.length, Number.isFinite(model.loss([[0, 1]]))]",
      },
      sweep: {
        run: `const runs = [];\nfor (let i = 0; i < 3; i++) runs.push((${train("200_000")}).stoppedAt);`,
        interrupt_after: 2,
        then: "runs.length",
      },
      runaway: { run: "while (true) {}", interrupt_after: 2, then: "[1 + 1, kept]" },
      run_all: {
        run_all: ['throw new Error("first")', "var second = 2", "var third = 3"],
        stop_on_error: true,
      },
      after_run_all: { run: "typeof second + typeof third" },
      no_stop: { run_all: ['throw new Error("again")', "var fourth = 4; fourth"], stop_on_error: false },
      waiting: { run: "await new Promise(() => {})", interrupt_after: 2, then: "[1 + 1, typeof kept]" },
      exit: { run: "Deno.exit(3)" },
      after_exit: { run: "1 + 1" },
      restart: { restart_during: "while (true) {}" },
      restarted: { run: "1 + 1" },
    });
    const [t, sweep, runaway, waiting]: Interrupted[] = [r.train, r.sweep, r.runaway, r.waiting];
    assert.equal(r.setup.status, "ok", r.setup.text);
    assert.deepEqual(
      r.idle,
      { ...r.idle, status: "ok", text: "42" },
      "idle: nothing happens, `kept` is still 41",
    );
    // 4 s into 200,000 steps: train() stops at its next step, says where, keeps the history and the model
    assert.equal(t.status, "ok");
    assert.match(t.text, /^stopped at step \d+ of 200000$/);
    assert.ok(t.answered_after < 10, `train answered ${t.answered_after} s after the Interrupt`);
    assert.deepEqual(t.then, { ...t.then, status: "ok", text: "[ true, true ]" });
    // a sweep (three train() in one cell): the whole cell ends, each run saying where it stopped; not halted
    assert.equal(sweep.status, "ok", sweep.text);
    assert.equal(sweep.text.match(/stopped at step \d+ of 200000/g)?.length, 3, sweep.text);
    assert.deepEqual(sweep.then, { ...sweep.then, status: "ok", text: "3" });
    // `while (true) {}` (SIGINT cannot reach it): halted, told so, variables kept, no client-side restart
    assert.equal(runaway.status, "error");
    assert.match(runaway.text, /halted this cell .* Variables are kept/);
    assert.deepEqual(runaway.then, { ...runaway.then, status: "ok", text: "[ 2, 41 ]" });
    assert.ok(runaway.answered_after < 15, `1 + 1 answered ${runaway.answered_after} s after the Interrupt`);
    // three cells at once with stop_on_error, the first throws: the others are aborted and never run
    assert.deepEqual(r.run_all.map((c: Result) => c.status), ["error", "aborted", "aborted"]);
    assert.equal(r.after_run_all.text, '"undefinedundefined"');
    assert.deepEqual(
      r.no_stop.map((c: Result) => c.status),
      ["error", "ok"],
      "without stop_on_error the next cell runs",
    );
    // a cell waiting forever cannot be halted: the kernel is restarted and the cell says so
    assert.equal(waiting.status, "error");
    assert.match(waiting.text, /kernel was restarted: every variable .* Run the cells above/);
    assert.deepEqual(waiting.then, { ...waiting.then, status: "ok", text: '[ 2, "undefined" ]' });
    assert.ok(waiting.answered_after < 15, `1 + 1 answered ${waiting.answered_after} s after the Interrupt`);
    // a cell that ends the process: started again, and the cell says so
    assert.equal(r.exit.status, "error");
    assert.match(r.exit.text, /kernel stopped while this cell ran \(exit code 3\) and was started again/);
    assert.deepEqual(r.after_exit, { ...r.after_exit, status: "ok", text: "2" });
    assert.deepEqual(
      r.restarted,
      { ...r.restarted, status: "ok", text: "2" },
      "Restart during `while (true) {}`",
    );
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
    const r = await check(dir, fake, { alive: { run: 'console.log("alive")' } });
    assert.deepEqual(r.alive, { ...r.alive, status: "ok", text: "alive" });
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
