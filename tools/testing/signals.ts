/**
 * Passing termination on to a child process, so that stopping a runner (Ctrl-C, `timeout`, CI's kill) stops
 * what it started — kernels included — instead of leaving orphans behind.
 *
 * @module
 */

/** The signals a runner passes on. */
export const FORWARDED: readonly Deno.Signal[] = ["SIGTERM", "SIGINT"];

/** The first signal that came while a child ran, once one did (then a runner starts nothing more). */
export let stoppedBy: Deno.Signal | undefined;

/**
 * While `child` runs, send it every SIGTERM / SIGINT this process gets (the first is kept in `stoppedBy`).
 * Returns the function that stops forwarding (call it once the child has exited).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { forwardSignals, stoppedBy } from "./signals.ts";
 * const child = new Deno.Command(Deno.execPath(), { args: ["eval", "0"], stdout: "null" }).spawn();
 * const stop = forwardSignals(child);
 * assert((await child.status).success);
 * stop();
 * assert.equal(stoppedBy, undefined);
 * ```
 */
export function forwardSignals(child: Deno.ChildProcess): () => void {
  const removers = FORWARDED.map((sig) => {
    const forward = () => {
      stoppedBy ??= sig;
      try {
        child.kill(sig);
      } catch { /* already exited */ }
    };
    Deno.addSignalListener(sig, forward);
    return () => Deno.removeSignalListener(sig, forward);
  });
  return () => removers.forEach((remove) => remove());
}

/** The exit status a shell expects of a process stopped by `sig` (128 + its number). */
export const exitStatus = (sig: Deno.Signal): number => (sig === "SIGINT" ? 130 : 143);

/** Once a signal stopped the runner `tool`: says so, and gives its exit status. */
export function stoppedStatus(tool: string): number | undefined {
  if (stoppedBy) console.error(`${tool}: stopped by ${stoppedBy}`);
  return stoppedBy && exitStatus(stoppedBy);
}
