import assert from "node:assert/strict";
import { typeCheckNotebooks } from "./nbcheck.ts";
import { join } from "node:path";
import { planFor } from "./notebooks.ts";
import { junitCounts } from "./test.ts";
import { inTempDir } from "./test_util.ts";

Deno.test("planFor: plain run for every notebook, a re-run and the parameter edits for lessons, solution and wrong runs", () => {
  const fixture = "tests/fixtures/exercise.ipynb";
  const lesson = "notebooks/06-sampling-temperature.ipynb";
  const solutions = "tests/solutions/06-sampling-temperature.json";
  const plan = planFor([fixture, "tests/fixtures/smoke.ipynb", lesson]);
  assert.deepEqual(plan.map((r) => r.args.join(" ")), [
    fixture,
    `${fixture} --mode solution --solutions tests/fixtures/exercise.solutions.json`,
    `${fixture} --mode wrong --solutions tests/fixtures/exercise.solutions.json`, // fixtures may write to stderr
    "tests/fixtures/smoke.ipynb",
    `${lesson} --no-stderr`,
    `${lesson} --mode rerun --no-stderr`, // lessons only: fixtures count their outputs per run
    `${lesson} --parameters {"num_steps":60} --no-stderr`, // notebook 06 has no n_embd
    `${lesson} --mode solution --solutions ${solutions} --no-stderr`,
    `${lesson} --mode wrong --solutions ${solutions}`, // a wrong answer may warn
  ]);
  assert.deepEqual(plan.map((r) => r.label.replace(/^.*\//, "")).slice(4), [
    "06-sampling-temperature.ipynb",
    "06-sampling-temperature.ipynb [rerun]",
    "06-sampling-temperature.ipynb [num_steps = 60]",
    "06-sampling-temperature.ipynb [solution]",
    "06-sampling-temperature.ipynb [wrong]",
  ]);
  // Notebook 01's parameters cell has steps and n_embd: every steps-like parameter at 60, then n_embd 32 as well.
  const edits = planFor(["notebooks/01-one-file-gpt.ipynb"]).flatMap((r) =>
    r.args[1] === "--parameters" ? [JSON.parse(r.args[2])] : []
  );
  assert.equal(edits.length, 2);
  assert.ok(
    edits.every((e) => e.num_steps === 60 && Object.keys(e).every((k) => k === "n_embd" || e[k] === 60)),
  );
  assert.deepEqual([edits[0].n_embd, edits[1].n_embd], [undefined, 32]);
});

Deno.test("junitCounts: reads what deno test --junit-path writes (passed, failed, ignored, steps)", () =>
  inTempDir("junit-test-", async (dir) => {
    Deno.writeTextFileSync(
      join(dir, "x_test.ts"),
      `Deno.test("ok", () => {});
Deno.test("fails", () => { throw new Error("no"); });
Deno.test({ name: "ignored", ignore: true, fn() {} });
Deno.test("with a step", async (t) => { await t.step("step", () => {}); });`,
    );
    const xml = join(dir, "report.xml");
    await new Deno.Command(Deno.execPath(), {
      args: ["test", "--no-config", `--junit-path=${xml}`, "x_test.ts"],
      cwd: dir,
      stdout: "null",
      stderr: "null",
    }).output();
    // "with a step" and its step are two test cases.
    assert.deepEqual(junitCounts(Deno.readTextFileSync(xml)), { passed: 3, failed: 1, skipped: 1 });
    assert.equal(junitCounts("error: Type checking failed."), undefined);
  }));

Deno.test("typeCheckNotebooks: a type error and a syntax error fail their own notebook, at cell and line; solutions substituted", () =>
  inTempDir("nbcheck-test-", async (dir) => {
    const write = (name: string, sources: string[]) => {
      const cells = [
        { cell_type: "markdown", source: "# Title" },
        ...sources.map((source) => ({
          cell_type: "code",
          source,
        })),
      ];
      Deno.writeTextFileSync(join(dir, name), JSON.stringify({ cells }));
      return join(dir, name);
    };
    const good = write("good.ipynb", ["const a: number = 1;", "console.log(a + 1);"]);
    const typo = write("typo.ipynb", ["const a: number = 1;", "const n = 2;\nconst b: string = a;"]);
    const broken = write("broken.ipynb", ["const = ;"]);
    // An exercise: the shipped placeholder checks, the solution (substituted for the cell) has a type error.
    const exercise = write("ex.ipynb", ["function f(): number {\n  return 0;\n}", "console.log(f());"]);
    const nb = JSON.parse(Deno.readTextFileSync(exercise));
    nb.cells[1].metadata = { exercise: "f" };
    Deno.writeTextFileSync(exercise, JSON.stringify(nb));
    const answer = 'function f(): number {\n  const s: string = "a";\n  return s;\n}';
    Deno.writeTextFileSync(
      join(dir, "ex.solutions.json"),
      JSON.stringify({ f: { solution: answer, wrong: "" } }),
    );
    const results = await typeCheckNotebooks([good, typo, broken, exercise]);
    assert.deepEqual(results.map((r) => [r.label, r.ok]), [
      [good, true],
      [typo, false],
      [broken, false],
      [exercise, true],
      [`${exercise} [solution]`, false],
    ]);
    assert.match(results[1].output, /TS2322[\s\S]*typo\.ipynb, cell 3, line 2, col 7/);
    assert.match(results[2].output, /broken\.ipynb, cell 2, line 1/);
    assert.match(results[4].output, /TS2322[\s\S]*ex\.ipynb, cell 2, line 3, col 3/);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), [
      "broken.ipynb",
      "ex.ipynb",
      "ex.solutions.json",
      "good.ipynb",
      "typo.ipynb",
    ], "the generated modules are removed");
  }));
