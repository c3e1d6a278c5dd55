/**
 * How the project's runners (the test driver, notebooks, nbcheck, the site and browser stages) talk to whoever
 * started them. Counts: the closing line `N passed, N failed[, N skipped]` for people, and the same counts as JSON
 * in the file named by `$TEST_REPORT` when the driver sets it (the driver reads that file, never the output).
 * Stopping: SIGTERM/SIGINT passed on to a child process, so that stopping a runner (Ctrl-C, `timeout`, CI's kill)
 * stops what it started — kernels included — instead of leaving orphans behind.
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

/** The signals a runner passes on. */
export const FORWARDED: readonly Deno.Signal[] = ["SIGTERM", "SIGINT"];

/** The first signal that came while a child ran, once one did (then a runner starts nothing more). */
export let stoppedBy: Deno.Signal | undefined;

/**
 * Starts `command` (as `new Deno.Command(command, options).spawn()`) and, while it runs, sends it every SIGTERM /
 * SIGINT this process gets; the first is kept in `stoppedBy`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { spawn, stoppedBy } from "./report.ts";
 * const child = spawn(Deno.execPath(), { args: ["eval", "0"], stdout: "null" });
 * assert((await child.status).success);
 * assert.equal(stoppedBy, undefined);
 * ```
 */
export function spawn(command: string, options: Deno.CommandOptions): Deno.ChildProcess {
  const child = new Deno.Command(command, options).spawn();
  const forwarders = FORWARDED.map((sig) => {
    const forward = () => {
      stoppedBy ??= sig;
      try {
        child.kill(sig);
      } catch { /* already exited */ }
    };
    Deno.addSignalListener(sig, forward);
    return () => Deno.removeSignalListener(sig, forward);
  });
  child.status.finally(() => forwarders.forEach((remove) => remove()));
  return child;
}

/** The exit status a shell expects of a process stopped by `sig` (128 + its number). */
export const exitStatus = (sig: Deno.Signal): number => (sig === "SIGINT" ? 130 : 143);

/** Once a signal stopped the runner `tool`: says so, and gives its exit status. */
export function stoppedStatus(tool: string): number | undefined {
  if (stoppedBy) console.error(`${tool}: stopped by ${stoppedBy}`);
  return stoppedBy && exitStatus(stoppedBy);
}
