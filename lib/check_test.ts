import assert from "node:assert/strict";
import { check } from "./check.ts";

/** Run `fn` with console.log captured; returns the printed lines. */
function capture(fn: () => void): string[] {
  const lines: string[] = [];
  const original = console.log;
  console.log = (...a: unknown[]) => lines.push(a.map(String).join(" "));
  try {
    fn();
  } finally {
    console.log = original;
  }
  return lines;
}

Deno.test("check: a true boolean prints ✓ and the name only (no hint)", () => {
  let result: boolean | undefined;
  const out = capture(() => (result = check("embedding shape", true, "rows are tokens")));
  assert.equal(result, true);
  assert.deepEqual(out, ["✓ embedding shape"]);
});

Deno.test("check: false prints ✗ with the hint", () => {
  let result: boolean | undefined;
  const out = capture(() => (result = check("loss at init", false, "compare with ln(vocab_size)")));
  assert.equal(result, false);
  assert.deepEqual(out, ["✗ loss at init — compare with ln(vocab_size)"]);
});

Deno.test("check: a function is called; its boolean decides", () => {
  let calls = 0;
  const out = capture(() => {
    check("a", () => (calls++, 1 + 1 === 2), "h");
    check("b", () => (calls++, false), "h2");
  });
  assert.equal(calls, 2);
  assert.deepEqual(out, ["✓ a", "✗ b — h2"]);
});

Deno.test("check: a throw inside the function is a fail that shows the error message", () => {
  let result: boolean | undefined;
  const out = capture(() => {
    result = check("softmax sums to 1", () => {
      throw new RangeError("logits must not be empty");
    }, "exponentiate, then divide by the sum");
  });
  assert.equal(result, false);
  assert.deepEqual(out, [
    "✗ softmax sums to 1 — exponentiate, then divide by the sum (error: RangeError: logits must not be empty)",
  ]);
});

Deno.test("check: only `true` passes — undefined (an unanswered exercise) or a Promise fail with a reason", () => {
  const out = capture(() => {
    assert.equal(check("unanswered", (() => undefined) as unknown as () => boolean, "fill in answer"), false);
    assert.equal(check("async", (() => Promise.resolve(true)) as unknown as () => boolean, "h"), false);
    assert.equal(check("truthy", (() => 1) as unknown as () => boolean, "h"), false);
  });
  assert.deepEqual(out, [
    "✗ unanswered — fill in answer (the check returned undefined, not true or false)",
    "✗ async — h (the check returned a Promise; compute the value first (await it) and check that)",
    "✗ truthy — h (the check returned 1, not true or false)",
  ]);
});

Deno.test("check: bad arguments are the caller's bug and throw", () => {
  assert.throws(() => check("", true, "h"), TypeError);
  assert.throws(() => check("n", "yes" as unknown as boolean, "h"), TypeError);
  assert.throws(() => check("n", true, undefined as unknown as string), TypeError);
});

Deno.test("solution: the tests' reference solution, folded in a <details> for JupyterLab", async () => {
  const { solution } = await import("./check.ts");
  const s = solution("08-recap", "adam-scalar");
  const file = JSON.parse(
    Deno.readTextFileSync(new URL("../tests/solutions/08-recap.json", import.meta.url)),
  );
  assert.equal(String(s), file["adam-scalar"].solution);
  const display =
    (s as unknown as Record<symbol, () => Record<string, string>>)[Symbol.for("Jupyter.display")];
  const html = display.call(s)["text/html"];
  assert.match(html, /^<details><summary>Stuck\? Click to show a solution/);
  assert.ok(!html.includes("<details open"));
  assert.throws(() => solution("08-recap", "nope"), /has no exercise "nope"; it has adam-scalar/);
  assert.throws(() => solution("../etc", "x"), RangeError);
  assert.throws(() => solution("99-none", "x"), /no solutions for notebook "99-none"/);
});
