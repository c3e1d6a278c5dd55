/**
 * Where this code runs: inside the Deno Jupyter kernel, or elsewhere (deno run, deno test). Shared by
 * `plot/display.ts` (how to show things) and `interrupt.ts` (whether the Interrupt button may be listened to).
 *
 * @module
 */

/** The part of `Deno.jupyter` the lessons use. */
export interface JupyterApi {
  display(bundle: unknown, options?: unknown): unknown;
}

/**
 * The kernel's `Deno.jupyter`, or `undefined` outside a kernel (where its getter throws). Used by plot/display.ts.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { jupyterApi } from "./jupyter.ts";
 * assert.equal(jupyterApi(), undefined); // deno test is not a kernel
 * ```
 */
export function jupyterApi(): JupyterApi | undefined {
  try {
    const jupyter = (globalThis as { Deno?: { jupyter?: { display?: unknown } } }).Deno?.jupyter;
    return typeof jupyter?.display === "function" ? jupyter as JupyterApi : undefined;
  } catch {
    return undefined;
  }
}

/**
 * True when running inside a Deno Jupyter kernel; never throws.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isJupyter } from "./jupyter.ts";
 * assert.equal(isJupyter(), false); // deno test is not a kernel
 * ```
 */
export function isJupyter(): boolean {
  return jupyterApi() !== undefined;
}
