/**
 * Line charts (loss curves, with reference lines such as ln 27 ≈ 3.30) and scatter plots (embeddings).
 *
 * @module
 */
import { built, type Figure, type Layout, type PlotOptions, titledLayout, type Trace } from "./figure.ts";
import { escapeHtml } from "./table.ts";
import { finiteArray, finiteNumber, fmt, nonEmptyArray, sameLength } from "./validate.ts";

/** One curve of a line chart. */
export interface Series {
  /** Legend name. */
  name: string;
  /** The values. */
  y: readonly number[];
  /** Positions (default 0, 1, 2, …); same length as `y`. */
  x?: readonly number[];
}

/** A horizontal reference line, e.g. `{ y: Math.log(27), name: "uniform guess: ln 27" }`. */
export interface HLine {
  y: number;
  name: string;
}

/** Options of `line()`. */
export interface LineOptions extends PlotOptions {
  series: Series[];
  /** Dashed horizontal reference lines with a label at the right. */
  hlines?: HLine[];
  /** Logarithmic y axis. */
  logY?: boolean;
}

/** The checked `{ name, x?, y }` of every series given to `fn` (a scatter needs `x`). */
function checkSeries<S extends Series>(fn: string, list: unknown, needX: boolean): S[] {
  return nonEmptyArray<S>(`${fn}: series`, list).map((s, i) => {
    const where = `${fn}: series[${i}]`;
    if (typeof s?.name !== "string") throw new TypeError(`${where}.name must be a string`);
    const y = finiteArray(`${where}.y`, s.y);
    if (s.x === undefined && !needX) return { ...s, y };
    const x = finiteArray(`${where}.x`, s.x);
    sameLength(`${where}.x`, x.length, `series[${i}].y`, y.length);
    return { ...s, x, y };
  });
}

/**
 * A line chart of one or more series, with optional horizontal reference lines.
 *
 * @example
 * ```ts
 * import { line } from "./lines.ts";
 * const fig = line({
 *   title: "loss",
 *   series: [{ name: "train", y: [3.3, 2.9, 2.6] }],
 *   hlines: [{ y: Math.log(27), name: "ln 27" }],
 * });
 * console.log(fig.toString());
 * ```
 */
export function line(opts: LineOptions): Figure {
  const series = checkSeries("line", opts?.series, false);
  const data: Trace[] = series.map(({ name, x, y }) => ({
    type: "scatter",
    mode: y.length <= 30 ? "lines+markers" : "lines",
    name,
    y,
    ...(x === undefined ? {} : { x }),
  }));
  const hlines = (opts.hlines ?? []).map((h, i) => {
    if (typeof h?.name !== "string") throw new TypeError(`line: hlines[${i}].name must be a string`);
    const y = finiteNumber(`line: hlines[${i}].y`, h.y);
    if (opts.logY && y <= 0) throw new RangeError(`line: hlines[${i}].y must be > 0 on a log axis, got ${y}`);
    return { y, name: h.name };
  });
  const layout = titledLayout(opts, {
    hovermode: "x unified",
    showlegend: series.length > 1,
    ...(opts.logY ? { yaxis: { type: "log" } } : {}),
    ...hlineLayout(hlines, { logY: opts.logY ?? false }),
  });
  const parts = series.map(({ name, y }) =>
    `${name}: ${y.length} points, first ${fmt(y[0])}, last ${fmt(y.at(-1)!)}, min ${
      fmt(y.reduce((a, b) => Math.min(a, b)))
    }`
  );
  for (const h of hlines) parts.push(`reference ${h.name} = ${fmt(h.y)}`);
  return built("line", opts, data, layout, parts.join("; "));
}

/**
 * Layout shapes and labels for horizontal reference lines. On a log y axis Plotly places shapes by data value
 * but annotations in log10 units, so the label's y is converted there.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hlineLayout } from "./lines.ts";
 * const layout = hlineLayout([{ y: Math.log(27), name: "ln 27" }]);
 * assert.equal((layout.shapes as unknown[]).length, 1);
 * ```
 */
export function hlineLayout(hlines: HLine[], { logY = false } = {}): Layout {
  if (hlines.length === 0) return {};
  return {
    shapes: hlines.map((h) => ({
      type: "line",
      xref: "paper",
      x0: 0,
      x1: 1,
      yref: "y",
      y0: h.y,
      y1: h.y,
      line: { dash: "dash", color: "#777", width: 1.5 },
    })),
    annotations: hlines.map((h) => ({
      xref: "paper",
      x: 1,
      xanchor: "right",
      yref: "y",
      y: logY ? Math.log10(h.y) : h.y,
      yanchor: "bottom",
      text: escapeHtml(h.name),
      showarrow: false,
      font: { color: "#555", size: 12 },
    })),
  };
}

/** One group of points of a scatter plot. */
export interface ScatterSeries extends Series {
  x: readonly number[];
  /** A label drawn next to each point (e.g. the character of a token embedding). */
  text?: readonly string[];
}

/** Options of `scatter()`. */
export interface ScatterOptions extends PlotOptions {
  series: ScatterSeries[];
  /** Same scale on both axes (distances in the plot are true distances). Default true. */
  equalAxes?: boolean;
}

/**
 * A scatter plot with optional text labels at each point (embeddings: one point per token).
 *
 * @example
 * ```ts
 * import { scatter } from "./lines.ts";
 * const fig = scatter({ title: "wte", series: [{ name: "tokens", x: [0.1, -0.2], y: [0.3, 0], text: ["a", "b"] }] });
 * console.log(fig.toString());
 * ```
 */
export function scatter(opts: ScatterOptions): Figure {
  const series = checkSeries<ScatterSeries>("scatter", opts?.series, true);
  const data: Trace[] = series.map((s, i) => {
    const trace: Trace = { type: "scatter", mode: "markers", name: s.name, x: s.x, y: s.y };
    trace.marker = { size: 9, opacity: 0.85 };
    if (s.text === undefined) return trace;
    if (!Array.isArray(s.text) || s.text.some((t) => typeof t !== "string")) {
      throw new TypeError(`scatter: series[${i}].text must be an array of strings`);
    }
    sameLength(`scatter: series[${i}].text`, s.text.length, `series[${i}].x`, s.x.length);
    return Object.assign(trace, {
      mode: "markers+text",
      text: s.text,
      textposition: "top center",
      hovertemplate: `%{text}: (%{x:.3f}, %{y:.3f})<extra>${escapeHtml(s.name)}</extra>`,
    });
  });
  const layout = titledLayout(opts, {
    showlegend: series.length > 1,
    ...((opts.equalAxes ?? true) ? { yaxis: { scaleanchor: "x", scaleratio: 1 } } : {}),
    height: 460,
  });
  const parts = series.map((s) => {
    const sample = s.text === undefined
      ? ""
      : ` (${s.text.slice(0, 8).join(" ")}${s.text.length > 8 ? " …" : ""})`;
    return `${s.name}: ${s.x.length} points${sample}`;
  });
  return built("scatter", opts, data, layout, parts.join("; "));
}
