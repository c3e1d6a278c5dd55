/**
 * `check()`: the self-check after an exercise cell. Prints "✓ name" when the answer passes, or
 * "✗ name — hint" when it does not (the hint points the way; it never gives the answer away).
 *
 * @module
 */
import { escapeHtml } from "./plot/table.ts";

/**
 * Run one self-check and print the verdict. `ok` is a boolean or a function returning one; a function that
 * throws (say, the exercise still has a `TODO` that throws, or a shape is wrong) counts as a fail and the
 * error message is shown after the hint. Anything but `true` fails.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { check } from "./check.ts";
 * const answer = 2 + 2;
 * assert(check("two plus two", answer === 4, "add the two numbers")); // prints "✓ two plus two"
 * assert(check("sum of [1, 2, 3]", () => [1, 2, 3].reduce((a, b) => a + b) === 6, "use reduce")); // ✓
 * assert(!check("five", () => answer === 5, "count again")); // prints "✗ five — count again"
 * ```
 */
export function check(name: string, ok: boolean | (() => boolean), hint: string): boolean {
  if (typeof name !== "string" || name.length === 0) {
    throw new TypeError(`check: name must be a non-empty string, got ${String(name)}`);
  }
  if (typeof hint !== "string") throw new TypeError(`check: hint must be a string, got ${String(hint)}`);
  if (typeof ok !== "boolean" && typeof ok !== "function") {
    throw new TypeError(`check: ok must be a boolean or a function returning one, got ${typeof ok}`);
  }
  let passed = false;
  let problem = "";
  try {
    const result: unknown = typeof ok === "function" ? ok() : ok;
    if (typeof result === "boolean") passed = result;
    else if (result instanceof Promise) {
      result.catch(() => {});
      problem = "the check returned a Promise; compute the value first (await it) and check that";
    } else problem = `the check returned ${String(result)}, not true or false`;
  } catch (e) {
    problem = `error: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
  }
  if (passed) console.log(`✓ ${name}`);
  else console.log(`✗ ${name} — ${hint}${problem ? ` (${problem})` : ""}`);
  return passed;
}

/** A reference solution, shown folded: JupyterLab displays a closed `<details>` that opens on a click. */
export class Solution {
  constructor(readonly notebook: string, readonly id: string, readonly code: string) {}

  /** The solution's code. */
  toString(): string {
    return this.code;
  }

  /** Folded in JupyterLab (one click opens it); the text fallback only says where it is. */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return {
      "text/html": `<details><summary>Stuck? Click to show a solution (exercise "${this.id}")</summary>` +
        `<pre>${escapeHtml(this.code)}</pre></details>`,
      "text/plain": `a solution of exercise "${this.id}": tests/solutions/${this.notebook}.json ` +
        "(String(solution(…)) prints it)",
    };
  }
}

/**
 * The reference solution of an exercise, from `tests/solutions/<notebook>.json` (the one the tests run), folded
 * away until the learner clicks it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { solution } from "./check.ts";
 * const s = solution("08-recap", "adam-scalar");
 * assert(String(s).includes("function adamScalar"));
 * ```
 * @throws {RangeError} no such notebook or exercise (the message lists the exercises of the notebook).
 */
export function solution(notebook: string, id: string): Solution {
  let all: Record<string, { solution: string }>;
  try {
    all = JSON.parse(Deno.readTextFileSync(new URL(`../tests/solutions/${notebook}.json`, import.meta.url)));
  } catch {
    throw new RangeError(
      `solution: no solutions for notebook "${notebook}" (tests/solutions/${notebook}.json)`,
    );
  }
  if (!Object.hasOwn(all, id)) {
    throw new RangeError(
      `solution: "${notebook}" has no exercise "${id}"; it has ${Object.keys(all).join(", ")}`,
    );
  }
  return new Solution(notebook, id, all[id].solution);
}
