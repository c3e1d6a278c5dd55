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

/** Anything the kernel can render richly. */
export interface Displayable {
  [DISPLAY](): MimeBundle | Promise<MimeBundle>;
}

/** Options of `Deno.jupyter.display` (raw bundle, in-place updates by display id). */
export interface DisplayOptions {
  raw?: boolean;
  update?: boolean;
  display_id?: string;
}

/** The kernel's display function, or `undefined` outside a Jupyter kernel. */
export type ShowFn = (bundle: MimeBundle, options: DisplayOptions) => unknown;

/**
 * True if `x` implements the Jupyter display protocol.
 *
 * @example
 * ```ts
 * import { isDisplayable } from "./display.ts";
 * console.assert(isDisplayable({ [Symbol.for("Jupyter.display")]: () => ({ "text/plain": "hi" }) }));
 * console.assert(!isDisplayable(42));
 * ```
 */
export function isDisplayable(x: unknown): x is Displayable {
  return typeof x === "object" && x !== null &&
    typeof (x as Record<symbol, unknown>)[DISPLAY] === "function";
}

/**
 * The kernel's `Deno.jupyter.display`, bound, or `undefined` outside a kernel.
 *
 * @example
 * ```ts
 * import { kernelShow } from "./display.ts";
 * console.assert(kernelShow() === undefined); // not inside a Jupyter kernel
 * ```
 */
export function kernelShow(): ShowFn | undefined {
  const jupyter = jupyterApi();
  return jupyter && ((bundle, options) => jupyter.display(bundle, options));
}

/**
 * The MIME bundle of any value: its own bundle if displayable, otherwise a `text/plain` rendering.
 *
 * @example
 * ```ts
 * import { toBundle } from "./display.ts";
 * const bundle = await toBundle("hello");
 * console.assert(bundle["text/plain"] === "hello");
 * ```
 */
export async function toBundle(x: unknown): Promise<MimeBundle> {
  if (isDisplayable(x)) return await x[DISPLAY]();
  const text = typeof x === "string" ? x : Deno.inspect(x, { colors: false, depth: 4 });
  return { "text/plain": text };
}

/**
 * Show a value from anywhere inside a cell (not only as its last expression). Inside Jupyter the value's
 * MIME bundle is sent to the front-end; outside, its `text/plain` is printed with `console.log`.
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
  const bundle = await toBundle(await x);
  const show = kernelShow();
  if (show === undefined) console.log(bundle["text/plain"]);
  else await show(bundle, { raw: true });
}
