// The `deno task train` CLI as a user runs it: spawned as a process, exit codes, stdout/stderr, files.
import assert from "node:assert/strict";
import { Progress } from "./progress.ts";
import type { TrainResult } from "./train.ts";
import { existsSync } from "node:fs";
import { loadReferenceRun, REFERENCE_RUN_PATH, type ReferenceRun } from "../../lib/reference_run.ts";

const ROOT = new URL("../../", import.meta.url);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `deno task train ...args` with the task's permissions, from the project root; stdout and stderr piped. */
async function train(...args: string[]): Promise<Run> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-write", "--allow-env", "tools/cli/train.ts", ...args],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

function json(run: Run): TrainResult {
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout);
}

/** A usage error: exit 2, nothing on stdout, one line on stderr that matches, no stack trace. */
function assertUsageError(run: Run, message: RegExp): void {
  assert.equal(run.code, 2, `exit code for: ${run.stderr}`);
  assert.equal(run.stdout, "");
  const lines = run.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, `one line on stderr, got:\n${run.stderr}`);
  assert.match(lines[0], /^train: /);
  assert.match(lines[0], message);
  assert.doesNotMatch(run.stderr, /\bat .*\.ts:\d+/, "no stack trace");
}

const TINY = ["--n-embd", "8", "--n-head", "2", "--block-size", "8"];

Deno.test("--help: exit 0, usage on stdout", async () => {
  const run = await train("--help");
  assert.equal(run.code, 0);
  assert.match(run.stdout, /^Usage: deno task train/);
  assert.match(run.stdout, /--temperature/);
});

Deno.test("bad flags and values: exit 2 with a one-line message naming the flag", async () => {
  const cases: [string[], RegExp][] = [
    [["--stepz", "3"], /unknown flag --stepz \(did you mean --steps\?\)/],
    [["--steps", "-5"], /--steps needs a value/],
    [["--steps=-5"], /--steps must be a whole number ≥ 1, got -5/],
    [["--lr", "0"], /--lr must be > 0, got 0/],
    [["--n-embd", "10"], /--n-embd \(10\) must be divisible by --n-head \(4\)/],
    [["--temperature", "abc"], /--temperature must be a number, got "abc"/],
    [["--engine", "gpu"], /--engine must be scalar or fast/],
    [["--steps", "0"], /--steps 0 .* needs --load/],
    [["--load", "x.json", "--n-layer", "2"], /--n-layer cannot be combined with --load/],
  ];
  const runs = await Promise.all(cases.map(([args]) => train(...args)));
  runs.forEach((run, i) => assertUsageError(run, cases[i][1]));
});

Deno.test("bad files: exit 2 before any training", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/empty.txt`, "\n  \n");
    await Deno.writeTextFile(`${dir}/notes.json`, '{"hello": 1}');
    const cases: [string[], RegExp][] = [
      [["--data", `${dir}/missing.txt`, "--steps", "1"], /--data .*missing\.txt: no such file/],
      [["--data", `${dir}/empty.txt`, "--steps", "1"], /--data .*empty\.txt: .*no documents/],
      [["--data", dir, "--steps", "1"], /--data .*: is a directory; give a file/],
      [["--load", `${dir}/missing.json`], /--load .*missing\.json: no such file/],
      [["--load", `${dir}/notes.json`], /--load .*notes\.json: not a microgpt checkpoint/],
      [["--steps", "1", "--save", `${dir}/no/such/dir/m.json`], /--save .*: no directory/],
      [["--steps", "1", "--save", dir], /--save .*: is a directory/],
    ];
    const runs = await Promise.all(cases.map(([args]) => train(...args)));
    runs.forEach((run, i) => assertUsageError(run, cases[i][1]));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--json: every loss as a full-precision number, samples, sizes, config; progress on stderr at step 1 and every 10%", async () => {
  const run = await train("--steps", "30", "--samples", "4", "--seed", "3", ...TINY, "--json");
  const r = json(run);
  assert.equal(r.losses.length, 30);
  assert.ok(r.losses.every((l) => Number.isFinite(l) && l > 0 && l < 10), String(r.losses));
  assert.ok(r.losses.some((l) => String(l).length > 12), "full precision, not rounded");
  assert.equal(r.samples.length, 4);
  assert.ok(r.samples.every((s) => /^[a-z]*$/.test(s)), String(r.samples));
  // 27 tokens (a–z + BOS); wte, lm_head 27×8, wpe 8×8, attention 4×8×8, MLP 2×(32×8).
  assert.equal(r.vocab_size, 27);
  assert.equal(r.num_params, 27 * 8 * 2 + 8 * 8 + 4 * 8 * 8 + 2 * 32 * 8);
  assert.equal(
    r.num_docs,
    (await Deno.readTextFile(new URL("data/names.txt", ROOT))).trim().split("\n").length,
  );
  assert.ok(r.seconds > 0);
  assert.equal(r.config.n_embd, 8);
  assert.equal(r.config.seed, 3);
  assert.equal(r.config.num_steps, 30);
  const progress = run.stderr.trim().split("\n");
  assert.equal(progress.length, 11, run.stderr);
  assert.match(progress[0], /^step {2}1\/30 \| loss \d\.\d{4} \| avg \d\.\d{4} \| [\d.]+ steps\/s \| ETA /);
  assert.match(progress[1], /^step {2}3\/30 /);
  assert.match(progress[10], /^step 30\/30 /);
});

Deno.test("human output: header, summary and one sample per line on stdout", async () => {
  const run = await train("--steps", "5", "--samples", "3", ...TINY);
  assert.equal(run.code, 0, run.stderr);
  const lines = run.stdout.trimEnd().split("\n");
  assert.equal(
    lines[0],
    "GPT(scalar engine, 1,264 params: vocab_size=27, n_embd=8, n_head=2, n_layer=1, block_size=8)",
  );
  assert.match(lines[1], /^data: data\/names\.txt, 32,257 names, seed 42$/);
  assert.match(
    lines[2],
    /^trained 5\/5 steps in [\d.]+ s \(scalar\): loss \d\.\d{3} → \d\.\d{3}, mean of last 5 \d\.\d{3}$/,
  );
  assert.equal(lines[3], "samples (temperature 0.5):");
  assert.equal(lines.length, 7);
  assert.ok(lines.slice(4).every((l) => /^ {2}[a-z]*$/.test(l)), run.stdout);
});

Deno.test("--save then --load: the same model (exact JSON round trip), sampled alike by both engines", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const ckpt = `${dir}/m.ckpt.json`;
    const saved = await train("--steps", "20", "--samples", "0", ...TINY, "--save", ckpt);
    assert.equal(saved.code, 0, saved.stderr);
    assert.match(saved.stdout, /saved .*m\.ckpt\.json/);
    const again = `${dir}/again.ckpt.json`;
    const [scalar, fast, resaved] = await Promise.all([
      train("--load", ckpt, "--seed", "7", "--samples", "12", "--json"),
      train("--load", ckpt, "--seed", "7", "--samples", "12", "--json", "--engine", "fast"),
      train("--load", ckpt, "--samples", "0", "--save", again),
    ]);
    const a = json(scalar);
    assert.equal(a.losses.length, 0);
    assert.equal(a.samples.length, 12);
    assert.equal(a.num_params, 1264);
    assert.equal(a.config.load, ckpt);
    assert.deepStrictEqual(json(fast).samples, a.samples);
    assert.equal(resaved.code, 0, resaved.stderr);
    assert.equal(await Deno.readTextFile(again), await Deno.readTextFile(ckpt));
    // Training on from a checkpoint (fresh optimiser state), on data its tokenizer knows.
    const more = json(await train("--load", ckpt, "--steps", "3", "--samples", "0", "--json"));
    assert.equal(more.losses.length, 3);
    await Deno.writeTextFile(`${dir}/accents.txt`, "zoe\nzoë\n");
    assertUsageError(
      await train("--load", ckpt, "--steps", "3", "--data", `${dir}/accents.txt`),
      /--data .*accents\.txt does not fit the checkpoint's tokenizer: .*ë/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "Ctrl-C stops training cleanly: exit 130, the steps done so far reported, still sampled",
  ignore: Deno.build.os === "windows",
  async fn() {
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-read",
        "--allow-write",
        "--allow-env",
        "tools/cli/train.ts",
        "--steps",
        "1000000",
        ...TINY,
      ],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const stdout = new Response(child.stdout).text();
    const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
    let stderr = "";
    while (!stderr.includes("step ")) { // the first progress line: training has started
      const { value, done } = await reader.read();
      if (done) break;
      stderr += value;
    }
    child.kill("SIGINT");
    for (let r = await reader.read(); !r.done; r = await reader.read()) stderr += r.value;
    const status = await child.status;
    assert.equal(status.code, 130, stderr);
    const out = (await stdout).trimEnd().split("\n");
    assert.match(stderr, /stopped at step (\d+) of 1000000/);
    const stoppedAt = Number(/stopped at step (\d+)/.exec(stderr)![1]);
    assert.match(
      out.find((l) => l.startsWith("trained"))!,
      new RegExp(`^trained ${stoppedAt}/1000000 steps .*\\(stopped at step ${stoppedAt}\\)$`),
    );
    assert.equal(
      out.filter((l) => /^ {2}[a-z]*$/.test(l)).length,
      20,
      "20 samples after the interrupted run",
    );
  },
});

// Parity with the Python original: its run on data/names.txt is committed (lib/testdata/); makemore's file and
// the run on it are checked too when ../shared/reference sits next to the project (they are not committed).
function assertMatchesReference(r: TrainResult, reference: ReferenceRun): void {
  assert.equal(r.num_params, reference.num_params);
  assert.equal(r.vocab_size, reference.vocab_size);
  assert.equal(r.num_docs, reference.num_docs);
  assert.equal(r.losses.length, reference.losses.length);
  r.losses.forEach((l, i) => {
    assert.ok(Math.abs(l - reference.losses[i]) <= 1e-12, `step ${i + 1}: ${l} vs ${reference.losses[i]}`);
  });
  assert.deepStrictEqual(r.samples, reference.samples);
}

const references = [
  { data: "data/names.txt", run: REFERENCE_RUN_PATH }, // as a user types it, relative to the project root
  ...[{
    data: "../shared/reference/names.txt",
    run: new URL("../shared/reference/microgpt-reference.json", ROOT),
  }]
    .filter((r) => existsSync(r.run) && existsSync(new URL(r.data, ROOT))),
];
for (const { data, run } of references) {
  for (const engine of ["fast", "scalar"]) {
    Deno.test(
      `deno task train --data ${data} --json${engine === "fast" ? " --engine fast" : ""} ` +
        "equals the Python original's run (losses within 1e-12, same samples)",
      async () => {
        const args = ["--data", data, "--json", ...(engine === "fast" ? ["--engine", "fast"] : [])];
        assertMatchesReference(json(await train(...args)), loadReferenceRun(run));
      },
    );
  }
}

Deno.test("progress: on a terminal one line redrawn in place (throttled), piped plain lines at step 1 and every 10%", () => {
  const info = (step: number, num_steps: number) => ({ step, num_steps, loss: 2.5, seconds: step / 1000 });
  const tty: string[] = [];
  const onTerminal = new Progress({ write: (s) => void tty.push(s), tty: true });
  for (let s = 1; s <= 1000; s++) onTerminal.step(info(s, 1000)); // far faster than 10 redraws a second
  assert.ok(tty.length >= 2 && tty.length < 100, `1000 steps, throttled to a few redraws: got ${tty.length}`);
  assert.ok(
    tty.every((w) => w.startsWith("\r\x1b[2K")),
    "each redraw returns to the line start and clears it",
  );
  assert.ok(tty.slice(0, -1).every((w) => !w.includes("\n")), "no newline before the end");
  assert.equal(
    tty.at(-1),
    "\r\x1b[2Kstep 1000/1000 | loss 2.5000 | avg 2.5000 | 1000.0 steps/s | ETA 0.0s\n",
  );

  const piped: string[] = [];
  const onPipe = new Progress({ write: (s) => void piped.push(s), tty: false });
  for (let s = 1; s <= 25; s++) onPipe.step(info(s, 25));
  const steps = piped.map((l) => Number(/^step +(\d+)\//.exec(l)?.[1]));
  assert.deepEqual(steps, [1, 3, 6, 9, 12, 15, 18, 21, 24, 25]);
  assert.ok(piped.every((l) => l.endsWith("\n") && !l.includes("\r") && !l.includes("\x1b")));
});
