import assert from "node:assert/strict";
import { extractModule, locate, typeCheckNotebooks } from "./nbcheck.ts";
import { join } from "node:path";
import { commitProblems, planFor, solutionsFor } from "./plan.ts";
import { junitCounts } from "./test.ts";
import { inTempDir } from "./test_util.ts";

Deno.test("extractModule: code cells only, in order, exercise cells substituted, line map back to cells", () => {
  const nb = {
    cells: [
      { cell_type: "markdown", source: "# Title\n" },
      { cell_type: "code", source: ["const a = 1;\n", "const b = a + 1;"] },
      { cell_type: "markdown", source: "text" },
      { cell_type: "code", source: "function f() {\n  return 0;\n}\n", metadata: { exercise: "f" } },
      { cell_type: "code", source: "console.log(f());" },
    ],
  };
  const plain = extractModule(nb);
  const lines = plain.source.split("\n");
  assert.deepEqual(plain.spans.map((s) => s.cell), [2, 4, 5]);
  assert.equal(lines[plain.spans[0].start - 1], "const a = 1;");
  assert.equal(lines[plain.spans[0].start], "const b = a + 1;");
  assert.equal(lines[plain.spans[1].start], "  return 0;");
  assert.ok(plain.source.includes("export {};"), "a module, so notebooks do not share one global scope");
  assert.equal(locate(plain.spans, plain.spans[1].start + 1), "cell 4, line 2");
  assert.equal(locate(plain.spans, plain.spans[2].start), "cell 5, line 1");
  assert.equal(locate(plain.spans, 1), "generated line 1");

  const solved = extractModule(nb, { f: "function f() {\n  return 42;\n}" });
  assert.ok(solved.source.includes("return 42;") && !solved.source.includes("return 0;"));
});

Deno.test("commitProblems: outputs, execution counts and a foreign kernelspec are reported", () => {
  const clean = {
    metadata: { kernelspec: { name: "microgpt-deno" } },
    cells: [{ cell_type: "code", source: "1", outputs: [], execution_count: null }, {
      cell_type: "markdown",
      source: "x",
    }],
  };
  assert.deepEqual(commitProblems(clean), []);
  const dirty = {
    metadata: { kernelspec: { name: "deno" } },
    cells: [
      { cell_type: "markdown", source: "x" },
      { cell_type: "code", source: "1", outputs: [], execution_count: 4 },
      { cell_type: "code", source: "2", outputs: [{ output_type: "stream" }], execution_count: null },
    ],
  };
  const problems = commitProblems(dirty);
  assert.equal(problems.length, 2);
  assert.match(problems[0], /"deno"/);
  assert.match(problems[1], /cell\(s\) 2, 3/);
});

Deno.test("planFor: plain run for every notebook, a re-run and the parameter edits for lessons, solution and wrong runs", () => {
  const fixture = "tests/fixtures/exercise.ipynb";
  assert.equal(solutionsFor(fixture), "tests/fixtures/exercise.solutions.json");
  assert.equal(solutionsFor("tests/fixtures/smoke.ipynb"), undefined);
  const lesson = "notebooks/06-sampling-temperature.ipynb";
  const plan = planFor([fixture, "tests/fixtures/smoke.ipynb", lesson]);
  assert.deepEqual(plan.map((j) => `${j.notebook}:${j.mode}`), [
    `${fixture}:plain`,
    `${fixture}:solution`,
    `${fixture}:wrong`,
    "tests/fixtures/smoke.ipynb:plain",
    `${lesson}:plain`,
    `${lesson}:rerun`, // lessons only: fixtures count their outputs per run
    `${lesson}:plain`, // with num_steps 60, injected (notebook 06 has no n_embd)
    `${lesson}:solution`,
    `${lesson}:wrong`,
  ]);
  assert.deepEqual(
    plan.filter((j) => j.noStderr).map((j) => j.mode),
    ["plain", "rerun", "plain", "solution"],
    "a lesson may not write to stderr (except with wrong answers); fixtures may",
  );
  assert.deepEqual(plan.filter((j) => j.parameters).map((j) => j.parameters), [{ num_steps: 60 }]);
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

Deno.test("typeCheckNotebooks: a type error and a syntax error fail their own notebook, at cell and line", () =>
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
    const results = await typeCheckNotebooks([good, typo, broken]);
    assert.deepEqual(results.map((r) => [r.label, r.ok]), [[good, true], [typo, false], [broken, false]]);
    assert.match(results[1].output, /TS2322[\s\S]*typo\.ipynb, cell 3, line 2, col 7/);
    assert.match(results[2].output, /broken\.ipynb, cell 2, line 1/);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), [
      "broken.ipynb",
      "good.ipynb",
      "typo.ipynb",
    ], "the generated modules are removed");
  }));
