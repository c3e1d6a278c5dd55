/**
 * Line charts (loss curves, with reference lines such as ln 27 ≈ 3.30) and scatter plots (labelled points).
 *
 * @module
 */
import { built, type Figure, type Layout, type PlotOptions, type Trace } from "./figure.ts";
import { escapeHtml } from "./table.ts";
import { check, fmt, labels, numbers, sameLength } from "./validate.ts";

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
  return check<S[]>(`${fn}: series`, list, "array").map((s, i) => {
    const where = `${fn}: series[${i}]`;
    check(`${where}.name`, s?.name, "string");
    const y = numbers(`${where}.y`, s.y);
    if (s.x === undefined && !needX) return { ...s, y };
    const x = numbers(`${where}.x`, s.x);
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
  check("line: opts", opts, "object");
  const series = checkSeries("line", opts.series, false);
  const data: Trace[] = series.map(({ name, x, y }) => ({
    type: "scatter",
    mode: y.length <= 30 ? "lines+markers" : "lines",
    name,
    y,
    ...(x === undefined ? {} : { x }),
  }));
  const hlines = (opts.hlines ?? []).map((h, i) => {
    const name = check<string>(`line: hlines[${i}].name`, h?.name, "string");
    const y = check<number>(`line: hlines[${i}].y`, h.y, "number");
    if (opts.logY && y <= 0) throw new RangeError(`line: hlines[${i}].y must be > 0 on a log axis, got ${y}`);
    return { y, name };
  });
  const layout = {
    hovermode: "x unified",
    showlegend: series.length > 1,
    ...(opts.logY ? { yaxis: { type: "log" } } : {}),
    ...hlineLayout(hlines, opts.logY ?? false),
  };
  const parts = series.map(({ name, y }) => {
    const min = y.reduce((a, b) => Math.min(a, b));
    return `${name}: ${y.length} points, first ${fmt(y[0])}, last ${fmt(y.at(-1)!)}, min ${fmt(min)}`;
  });
  for (const h of hlines) {
    parts.push(`reference ${h.name}${h.name.includes(fmt(h.y)) ? "" : ` = ${fmt(h.y)}`}`);
  }
  return built("line", opts, data, parts.join("; "), layout);
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
export function hlineLayout(hlines: HLine[], logY = false): Layout {
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
  /** A label drawn next to each point (e.g. the size of the model it stands for). */
  text?: readonly string[];
}

/** Options of `scatter()`. */
export interface ScatterOptions extends PlotOptions {
  series: ScatterSeries[];
}

/**
 * A scatter plot with optional text labels at each point (one point per model of a sweep).
 *
 * @example
 * ```ts
 * import { scatter } from "./lines.ts";
 * const fig = scatter({ title: "sweep", series: [{ name: "models", x: [432, 4192], y: [2.6, 2.4], text: ["small", "big"] }] });
 * console.log(fig.toString()); // scatter "sweep": models: 2 points (small big)
 * ```
 */
export function scatter(opts: ScatterOptions): Figure {
  check("scatter: opts", opts, "object");
  const series = checkSeries<ScatterSeries>("scatter", opts.series, true);
  const data: Trace[] = series.map((s, i) => {
    const trace: Trace = { type: "scatter", mode: "markers", name: s.name, x: s.x, y: s.y };
    trace.marker = { size: 9, opacity: 0.85 };
    if (s.text === undefined) return trace;
    sameLength(
      `scatter: series[${i}].text`,
      labels(`scatter: series[${i}].text`, s.text).length,
      "x",
      s.x.length,
    );
    return Object.assign(trace, {
      mode: "markers+text",
      text: s.text,
      textposition: "top center",
      hovertemplate: `%{text}: (%{x:.3f}, %{y:.3f})<extra>${escapeHtml(s.name)}</extra>`,
    });
  });
  const parts = series.map((s) => {
    const sample = s.text === undefined
      ? ""
      : ` (${s.text.slice(0, 8).join(" ")}${s.text.length > 8 ? " …" : ""})`;
    return `${s.name}: ${s.x.length} points${sample}`;
  });
  return built("scatter", opts, data, parts.join("; "), { showlegend: series.length > 1, height: 460 });
}
