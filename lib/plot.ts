/**
 * Figures for the notebooks. Every figure is a Plotly MIME bundle (`application/vnd.plotly.v1+json`) with a
 * short `text/plain` summary, so it renders in JupyterLab and still says something useful in a terminal.
 *
 * - `line`, `bar`, `histogram`, `heatmap`, `scatter`: the everyday charts.
 * - `frames`: a slider or dropdown over precomputed steps (interactive without a kernel); `partsSlider`:
 *   blocks that switch on stage by stage (a build, walked with a slider).
 * - `figure`: any Plotly figure with the shared look.
 * - `liveLoss`: a loss curve that updates in place during training.
 * - `table`, `graph`: an HTML table; the SVG computation graph of a `Value`.
 * - `display`, `isJupyter`: show anything from inside a cell; detect the kernel.
 *
 * @example
 * ```ts
 * import { line } from "./plot.ts";
 * const fig = line({ title: "loss", series: [{ name: "train", y: [3.3, 2.8, 2.5] }] });
 * fig; // as a cell's last expression, JupyterLab draws it
 * ```
 *
 * @module
 */
export { DISPLAY, display, isJupyter, type MimeBundle, PLOTLY_MIME } from "./plot/display.ts";
export { figure } from "./plot/figure.ts";
export { line, scatter } from "./plot/lines.ts";
export { bar, histogram } from "./plot/bars.ts";
export { heatmap } from "./plot/heatmap.ts";
export { frames, partsSlider } from "./plot/frames.ts";
export { liveLoss } from "./plot/live.ts";
export { table } from "./plot/table.ts";
export { graph } from "./plot/graph.ts";
