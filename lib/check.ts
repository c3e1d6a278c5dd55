/**
 * `check()`: the self-check after an exercise cell. Prints "✓ name" when the answer passes, or
 * "✗ name — hint" when it does not (the hint points the way; it never gives the answer away).
 *
 * @module
 */

/**
 * Run one self-check and print the verdict. `ok` is a boolean or a function returning one; a function that
 * throws (say, the exercise still has a `TODO` that throws, or a shape is wrong) counts as a fail and the
 * error message is shown after the hint. Anything but `true` fails.
 *
 * @example
 * ```ts
 * import { check } from "./check.ts";
 * const answer = 2 + 2;
 * check("two plus two", answer === 4, "add the two numbers"); // prints "✓ two plus two"
 * check("sum of [1, 2, 3]", () => [1, 2, 3].reduce((a, b) => a + b) === 6, "use reduce"); // ✓
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
