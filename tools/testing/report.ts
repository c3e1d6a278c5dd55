/**
 * How the project's own test tools (notebook type-check, notebooks, browser) hand their counts to
 * `deno task test`: the closing line `N passed, N failed[, N skipped]` for people, and the same counts as JSON in
 * the file named by `$TEST_REPORT` when the driver sets it. The driver reads that file, never the output.
 *
 * @module
 */

/** Counts of one tool's checks. */
export interface Counts {
  passed: number;
  failed: number;
  skipped?: number;
}

/**
 * Prints the closing line (through `print`, default `console.log`) and, when `$TEST_REPORT` names a file,
 * writes the counts there as JSON.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { report } from "./report.ts";
 * const file = Deno.makeTempFileSync();
 * Deno.env.set("TEST_REPORT", file);
 * const lines: string[] = [];
 * report({ passed: 3, failed: 1 }, (line) => lines.push(line));
 * Deno.env.delete("TEST_REPORT");
 * assert.deepEqual(lines, ["3 passed, 1 failed"]);
 * assert.deepEqual(JSON.parse(Deno.readTextFileSync(file)), { passed: 3, failed: 1, skipped: 0 });
 * Deno.removeSync(file);
 * ```
 */
export function report({ passed, failed, skipped = 0 }: Counts, print = console.log): void {
  print(`${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
  const path = Deno.env.get("TEST_REPORT");
  if (path) Deno.writeTextFileSync(path, JSON.stringify({ passed, failed, skipped }));
}
