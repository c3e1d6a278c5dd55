/**
 * Stopping a training run cleanly. In a Jupyter kernel, the notebook's "Interrupt" button sends SIGINT,
 * which would kill a Deno kernel; `watchInterrupt()` registers one listener that only raises a flag.
 * `train()` checks the flag between steps, stops, and returns what it has — the model stays usable.
 * Outside Jupyter (the CLI) Ctrl-C keeps its usual meaning unless you ask for the listener with `force`.
 *
 * @module
 */
import { isJupyter } from "./plot/display.ts";

let flag = false;
let listening = false;

/** Options of `watchInterrupt`. */
export interface WatchOptions {
  /** Register the SIGINT listener even outside Jupyter (then Ctrl-C stops training instead of the process). */
  force?: boolean;
}

/**
 * Register the SIGINT listener once (in a Jupyter kernel, or anywhere with `force`). It stays registered, so
 * an Interrupt while no training runs does not kill the kernel. Returns whether the listener is active.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { watchInterrupt } from "./interrupt.ts";
 * assert(watchInterrupt() === false); // not in Jupyter: Ctrl-C keeps its usual meaning
 * ```
 */
export function watchInterrupt(opts: WatchOptions = {}): boolean {
  if (listening) return true;
  if (!opts.force && !isJupyter()) return false;
  try {
    Deno.addSignalListener("SIGINT", () => {
      flag = true;
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
  flag = false;
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
