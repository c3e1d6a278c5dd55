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
export {
  DISPLAY,
  display,
  type Displayable,
  isJupyter,
  type MimeBundle,
  PLOTLY_MIME,
} from "./plot/display.ts";
export { Figure, figure, type FigureSpec, type Layout, type Trace } from "./plot/figure.ts";
export {
  type HLine,
  line,
  type LineOptions,
  scatter,
  type ScatterOptions,
  type Series,
} from "./plot/lines.ts";
export { bar, type BarOptions, histogram, type HistogramOptions } from "./plot/bars.ts";
export { heatmap, type HeatmapOptions } from "./plot/heatmap.ts";
export { frames, type FramesOptions, type FrameStep } from "./plot/frames.ts";
export { type Part, partsSlider, type PartsSliderOptions } from "./plot/parts.ts";
export { type LiveLoss, liveLoss, type LiveLossOptions, type LiveStep } from "./plot/live.ts";
export { Table, table, type TableOptions } from "./plot/table.ts";
export { graph, type GraphNode, type GraphOptions, type GraphView } from "./plot/graph.ts";
