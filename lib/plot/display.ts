/**
 * How lesson objects show themselves: the `Symbol.for("Jupyter.display")` protocol of the Deno kernel, a
 * `display()` that works inside and outside Jupyter, and `isJupyter()`.
 *
 * @module
 */

import { jupyterApi } from "../jupyter.ts";
export { isJupyter } from "../jupyter.ts";

/** The symbol the Deno Jupyter kernel looks for: `obj[DISPLAY]()` returns a MIME bundle. */
export const DISPLAY: unique symbol = Symbol.for("Jupyter.display");

/** MIME type rendered by JupyterLab's Plotly extension (shipped inside the Python `plotly` wheel). */
export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/** A MIME bundle: MIME type → content. `text/plain` is the fallback every front-end can show. */
export type MimeBundle = { "text/plain": string } & Record<string, unknown>;

/** The kernel's display function (`Deno.jupyter.display`: raw bundle, in-place updates by display id). */
export type ShowFn = (
  bundle: MimeBundle,
  options: { raw?: boolean; update?: boolean; display_id?: string },
) => unknown;

/**
 * The kernel's `Deno.jupyter.display`, bound, or `undefined` outside a kernel.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { kernelShow } from "./display.ts";
 * assert.equal(kernelShow(), undefined); // not inside a Jupyter kernel
 * ```
 */
export function kernelShow(): ShowFn | undefined {
  const jupyter = jupyterApi();
  return jupyter && ((bundle, options) => jupyter.display(bundle, options));
}

/**
 * Show a value from anywhere inside a cell (not only as its last expression). Inside Jupyter the value's
 * MIME bundle (its own if it implements `DISPLAY`, else a `text/plain` rendering) is sent to the front-end;
 * outside, its `text/plain` is printed with `console.log`.
 * Promises (such as `graph(...)`) are awaited first. Write `await display(x)`: an un-awaited call as a cell's
 * last expression would also show the pending Promise.
 *
 * @example
 * ```ts
 * import { display } from "./display.ts";
 * import { bar } from "./bars.ts";
 * await display(bar({ title: "counts", labels: ["a", "b"], values: [3, 1] }));
 * ```
 */
export async function display(x: unknown): Promise<void> {
  const value = await x;
  const own = (value as { [DISPLAY]?: () => MimeBundle | Promise<MimeBundle> } | null)?.[DISPLAY];
  const bundle: MimeBundle = typeof own === "function" ? await own.call(value) : {
    "text/plain": typeof value === "string" ? value : Deno.inspect(value, { colors: false, depth: 4 }),
  };
  const show = kernelShow();
  if (show === undefined) console.log(bundle["text/plain"]);
  else await show(bundle, { raw: true });
}
