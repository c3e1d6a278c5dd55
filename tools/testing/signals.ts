/**
 * Passing termination on to a child process, so that stopping a runner (Ctrl-C, `timeout`, CI's kill) stops
 * what it started — kernels included — instead of leaving orphans behind.
 *
 * @module
 */

/** The signals a runner passes on. */
export const FORWARDED: readonly Deno.Signal[] = ["SIGTERM", "SIGINT"];

/**
 * While `child` runs, send it every SIGTERM / SIGINT this process gets, and tell `onSignal` which one came.
 * Returns the function that stops forwarding (call it once the child has exited).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { forwardSignals } from "./signals.ts";
 * const child = new Deno.Command(Deno.execPath(), { args: ["eval", "0"], stdout: "null" }).spawn();
 * const stop = forwardSignals(child, () => {});
 * assert((await child.status).success);
 * stop();
 * ```
 */
export function forwardSignals(child: Deno.ChildProcess, onSignal: (sig: Deno.Signal) => void): () => void {
  const removers = FORWARDED.map((sig) => {
    const forward = () => {
      onSignal(sig);
      try {
        child.kill(sig);
      } catch { /* already exited */ }
    };
    Deno.addSignalListener(sig, forward);
    return () => Deno.removeSignalListener(sig, forward);
  });
  return () => removers.forEach((remove) => remove());
}
