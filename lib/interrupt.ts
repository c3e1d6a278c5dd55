/**
 * Stopping a long loop cleanly. In a Jupyter kernel, the notebook's Interrupt button reaches the kernel proxy
 * (tools/jupyter/kernel_interrupt.py), which sends deno SIGINT only if it has a listener (without one SIGINT
 * kills a Deno process); `watchInterrupt()` registers one listener that only raises a flag, and `train` stops
 * after the current step when it sees it (`stepGate`): the loop returns what it has and the model stays usable.
 *
 * @module
 */
import { isJupyter } from "./jupyter.ts";

let flag = false;
let fromButton = false; // the pending Interrupt came as SIGINT (the button), not from requestInterrupt()
let buttonStopAt = -Infinity; // performance.now() when a loop last stopped because of the button
let listening = false;

/**
 * Register the SIGINT listener once (in a Jupyter kernel, or anywhere with `force: true`, where Ctrl-C then stops
 * training instead of the process). It stays registered, so an Interrupt while no training runs does not kill
 * the kernel. Returns whether the listener is active.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { watchInterrupt } from "./interrupt.ts";
 * assert(watchInterrupt() === false); // not in Jupyter: Ctrl-C keeps its usual meaning
 * ```
 */
export function watchInterrupt(opts: { force?: boolean } = {}): boolean {
  if (listening) return true;
  if (!opts.force && !isJupyter()) return false;
  try {
    Deno.addSignalListener("SIGINT", () => {
      flag = fromButton = true;
    });
    listening = true;
  } catch {
    // signals are not supported here (e.g. Windows without SIGINT support, or no permission)
  }
  return listening;
}

/**
 * Whether an Interrupt arrived since the last `clearInterrupt()`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { clearInterrupt, interrupted, requestInterrupt } from "./interrupt.ts";
 * requestInterrupt();
 * assert(interrupted());
 * clearInterrupt();
 * assert(!interrupted());
 * ```
 */
export function interrupted(): boolean {
  return flag;
}

/**
 * Forget an earlier Interrupt (`train()` does this when it starts).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { clearInterrupt, interrupted } from "./interrupt.ts";
 * clearInterrupt();
 * assert(!interrupted());
 * ```
 */
export function clearInterrupt(): void {
  flag = fromButton = false;
}

/**
 * Ask a running `train()` to stop after its current step, as the Interrupt button does (e.g. from an
 * `onStep` callback or a test).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { clearInterrupt, interrupted, requestInterrupt } from "./interrupt.ts";
 * requestInterrupt();
 * assert(interrupted());
 * clearInterrupt();
 * ```
 */
export function requestInterrupt(): void {
  flag = true;
}

const YIELD_MS = 50;
/** A loop that starts this soon after another was stopped by the button is in the same cell (a sweep). */
const SWEEP_MS = 1000;

/**
 * Start a long loop that an Interrupt can stop (`train`'s; not in `mod.ts`): registers the listener, forgets
 * earlier Interrupts and returns `stop(done, total)` to await after each step. It yields to the event loop
 * every ~50 ms and returns true, having logged "stopped at step `done` of `total`", when an Interrupt asks to
 * stop early. A loop that starts within a second after another was stopped by the button stops after its first
 * step too, so a cell that runs several (a sweep) ends as a whole; else the kernel proxy, seeing the cell run
 * on, would halt it and restart the kernel.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { requestInterrupt, stepGate } from "./interrupt.ts";
 * const lines: string[] = [];
 * const stop = stepGate((l) => lines.push(l));
 * let step = 0;
 * while (step < 100) {
 *   step++;
 *   if (step === 3) requestInterrupt(); // as the Interrupt button does
 *   if (await stop(step, 100)) break;
 * }
 * assert.equal(step, 3);
 * assert.deepEqual(lines, ["stopped at step 3 of 100"]);
 * ```
 */
export function stepGate(
  log: (line: string) => void = console.log,
): (done: number, total: number) => Promise<boolean> {
  watchInterrupt();
  const sweep = performance.now() - buttonStopAt < SWEEP_MS;
  clearInterrupt();
  if (sweep) flag = fromButton = true;
  let lastYield = performance.now();
  return async (done, total) => {
    if (performance.now() - lastYield >= YIELD_MS) {
      await new Promise((resolve) => setTimeout(resolve, 0)); // let signals, displays and timers run
      lastYield = performance.now();
    }
    if (!interrupted() || done >= total) return false;
    if (fromButton) buttonStopAt = performance.now();
    clearInterrupt();
    log(`stopped at step ${done} of ${total}`);
    return true;
  };
}
