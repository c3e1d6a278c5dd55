import assert from "node:assert/strict";
import { HELP, parseTrainArgs, type TrainArgs, UsageError } from "./train_args.ts";

function parsed(argv: string[]): TrainArgs {
  const a = parseTrainArgs(argv);
  assert.notEqual(a, "help");
  return a as TrainArgs;
}

function usage(argv: string[], message: RegExp): void {
  assert.throws(() => parseTrainArgs(argv), (e: unknown) => {
    assert.ok(e instanceof UsageError, `expected a UsageError, got ${e}`);
    assert.match(e.message, message);
    assert.ok(!e.message.includes("\n"), `one line: ${e.message}`);
    return true;
  });
}

Deno.test("no flags: the reference run (seed 42, 1000 steps, lr 0.01, 20 samples at T 0.5, scalar engine)", () => {
  assert.deepStrictEqual(parsed([]), {
    model: {},
    steps: 1000,
    learning_rate: 0.01,
    batch_size: 1,
    seed: 42,
    temperature: 0.5,
    samples: 20,
    engine: "scalar",
    data: undefined,
    save: undefined,
    load: undefined,
    json: false,
  });
  assert.equal(parseTrainArgs(["--help"]), "help");
  assert.equal(parseTrainArgs(["-h", "--steps", "nonsense"]), "help");
});

Deno.test("every flag is read, in either --flag value or --flag=value form", () => {
  const a = parsed([
    "--n-embd=32",
    "--n-head",
    "8",
    "--n-layer",
    "2",
    "--block-size",
    "8",
    "--steps",
    "1e2",
    "--lr",
    ".005",
    "--batch-size",
    "4",
    "--seed",
    "0",
    "--temperature",
    "1.5",
    "--samples",
    "0",
    "--data",
    "x.txt",
    "--engine",
    "fast",
    "--save",
    "m.json",
    "--json",
  ]);
  assert.deepStrictEqual(a.model, { n_embd: 32, n_head: 8, n_layer: 2, block_size: 8 });
  assert.deepStrictEqual(
    [
      a.steps,
      a.learning_rate,
      a.batch_size,
      a.seed,
      a.temperature,
      a.samples,
      a.data,
      a.engine,
      a.save,
      a.json,
    ],
    [100, 0.005, 4, 0, 1.5, 0, "x.txt", "fast", "m.json", true],
  );
});

Deno.test("--load: defaults to --steps 0 (sample only); --steps N trains on; architecture flags are refused", () => {
  const a = parsed(["--load", "m.json"]);
  assert.equal(a.steps, 0);
  assert.equal(a.load, "m.json");
  assert.equal(parsed(["--load", "m.json", "--steps", "10", "--lr", "0.001"]).steps, 10);
  usage(
    ["--load", "m.json", "--n-embd", "32", "--n-layer", "2"],
    /^--n-embd, --n-layer cannot be combined with --load/,
  );
  usage(["--load", "m.json", "--lr", "0.1"], /--lr has no effect without training/);
  usage(["--load", "m.json", "--data", "x.txt"], /--data has no effect without training/);
  usage(["--steps", "0"], /--steps 0 .* needs --load/);
});

Deno.test("bad flags and values: one-line UsageError naming the flag, the value and what is allowed", () => {
  usage(["--step", "5"], /^unknown flag --step \(did you mean --steps\?\)$/);
  usage(["--frobnicate"], /^unknown flag --frobnicate$/);
  usage(["--steps"], /^--steps needs a value$/);
  usage(["--json=yes"], /^--json takes no value$/);
  usage(["500"], /^unexpected argument 500/);
  usage(["--lr", "-1"], /^--lr needs a value; for a negative number write --lr=-/);
  usage(["--lr=-1"], /^--lr must be > 0, got -1$/);
  usage(["--lr", "0"], /^--lr must be > 0, got 0$/);
  usage(["--lr", "fast"], /^--lr must be a number, got "fast"$/);
  usage(["--steps", "2.5"], /^--steps must be a whole number ≥ 1, got 2.5$/);
  usage(["--steps", "0x10"], /^--steps must be a number, got "0x10"$/);
  usage(
    ["--n-embd", "30"],
    /^--n-embd \(30\) must be divisible by --n-head \(4\); try --n-head in 1, 2, 3, 5, 6, 10/,
  );
  usage(["--n-head", "0"], /^--n-head must be a whole number ≥ 1, got 0$/);
  usage(["--block-size", "0"], /^--block-size must be a whole number ≥ 1, got 0$/);
  usage(["--n-layer", ""], /^--n-layer must be a number, got ""$/);
  usage(["--batch-size", "0"], /^--batch-size must be a whole number ≥ 1, got 0$/);
  usage(["--temperature", "0"], /^--temperature must be > 0/);
  usage(["--temperature", "Infinity"], /^--temperature must be a number/);
  usage(["--samples=-3"], /^--samples must be a whole number ≥ 0, got -3$/);
  usage(["--seed", "4.2"], /^--seed must be a whole number ≥ 0, got 4.2$/);
  usage(["--seed", "1e20"], /^--seed must be below 2\^53, got 1e20$/);
  usage(["--engine", "gpu"], /^--engine must be scalar or fast, got "gpu"$/);
  usage(["--save", ""], /^--save needs a file path$/);
});

Deno.test("--help lists every flag", () => {
  for (const flag of ["--steps", "--n-embd", "--n-head", "--n-layer", "--block-size", "--lr", "--seed"]) {
    assert.ok(HELP.includes(flag), flag);
  }
  for (
    const flag of ["--temperature", "--samples", "--batch-size", "--data", "--save", "--load", "--engine"]
  ) {
    assert.ok(HELP.includes(flag), flag);
  }
  assert.ok(HELP.includes("--json") && HELP.includes("Exit codes"));
});
