/**
 * Bar charts (a distribution over the vocabulary, parameter counts) and histograms (weights, gradients).
 *
 * @module
 */
import { categoryAxis, Figure, type Layout, merge, titledLayout, type Trace } from "./figure.ts";
import { finiteArray, fmt, labels as checkLabels, nonEmptyArray } from "./validate.ts";
import { escapeText } from "./lines.ts";

/** Options of `bar()`: give `values` for one set of bars or `series` for grouped bars. */
export interface BarOptions {
  title?: string;
  /** One label per bar (e.g. the vocabulary). Repeated labels are kept apart. */
  labels: readonly (string | number)[];
  /** One value per label. */
  values?: readonly number[];
  /** Several named sets of values, drawn as grouped bars. */
  series?: { name: string; values: readonly number[] }[];
  xTitle?: string;
  yTitle?: string;
  /** Bars go left to right (default) or bottom to top. */
  horizontal?: boolean;
  layout?: Layout;
}

/**
 * A bar chart: one value per label, or grouped bars for several series.
 *
 * @example
 * ```ts
 * import { bar } from "./bars.ts";
 * const fig = bar({ title: "next letter", labels: ["a", "b", "c"], values: [0.5, 0.2, 0.3] });
 * console.log(fig.toString()); // bar "next letter": 3 bars; largest a 0.5, c 0.3, b 0.2
 * ```
 */
export function bar(opts: BarOptions): Figure {
  if (typeof opts !== "object" || opts === null) throw new TypeError("bar(opts): opts must be an object");
  if ((opts.values === undefined) === (opts.series === undefined)) {
    throw new TypeError("bar: give exactly one of `values` (one set of bars) or `series` (grouped bars)");
  }
  const series = opts.values !== undefined ? [{ name: "", values: opts.values }] : opts.series!;
  nonEmptyArray("bar: series", series);
  const n = Array.isArray(opts.labels) ? opts.labels.length : 0;
  const names = checkLabels("bar: labels", opts.labels, n, "labels");
  if (n === 0) throw new RangeError("bar: labels must not be empty");
  const { values: positions, axis } = categoryAxis(names);
  const horizontal = opts.horizontal ?? false;
  const data: Trace[] = series.map((s, i) => {
    const where = opts.values !== undefined ? "bar: values" : `bar: series[${i}].values`;
    const v = finiteArray(where, s.values);
    checkLabels("bar: labels", names, v.length, where.replace("bar: ", ""));
    const trace: Trace = { type: "bar", name: s.name, customdata: names.map(String) };
    trace[horizontal ? "y" : "x"] = positions;
    trace[horizontal ? "x" : "y"] = v;
    trace.orientation = horizontal ? "h" : "v";
    trace.hovertemplate = `%{customdata}: %{${horizontal ? "x" : "y"}:.4g}<extra>${
      escapeText(s.name)
    }</extra>`;
    return trace;
  });
  const layout = titledLayout(opts, {
    barmode: "group",
    bargap: 0.15,
    showlegend: series.length > 1,
    [horizontal ? "yaxis" : "xaxis"]: { ...axis, ...(horizontal ? { autorange: "reversed" } : {}) },
  });
  const top = series.map((s) => {
    const order = s.values.map((v, i) => [v, i] as const).sort((a, b) => b[0] - a[0]).slice(0, 3);
    const head = series.length > 1 ? `${s.name}: ` : "";
    return head + "largest " + order.map(([v, i]) => `${names[i]} ${fmt(v)}`).join(", ");
  });
  const title = opts.title === undefined ? "" : ` "${opts.title}"`;
  const count = series.length > 1 ? `${series.length} series × ${n} bars` : `${n} bars`;
  return new Figure({
    data,
    layout: merge(layout, opts.layout ?? {}),
    summary: `bar${title}: ${count}; ${top.join("; ")}`,
  });
}

/** Options of `histogram()`. */
export interface HistogramOptions {
  title?: string;
  values: readonly number[];
  /** Maximum number of bins (Plotly picks nice bin edges up to this many). */
  nbins?: number;
  xTitle?: string;
  yTitle?: string;
  layout?: Layout;
}

/**
 * A histogram of many numbers (initial weights, gradients, logits).
 *
 * @example
 * ```ts
 * import { histogram } from "./bars.ts";
 * const fig = histogram({ title: "weights", values: [0.1, -0.05, 0.02, 0.08], nbins: 10 });
 * console.log(fig.toString());
 * ```
 */
export function histogram(opts: HistogramOptions): Figure {
  if (typeof opts !== "object" || opts === null) {
    throw new TypeError("histogram(opts): opts must be an object");
  }
  const values = finiteArray("histogram: values", opts.values);
  const trace: Trace = { type: "histogram", x: values, marker: { line: { width: 1, color: "white" } } };
  if (opts.nbins !== undefined) {
    if (typeof opts.nbins !== "number") {
      throw new TypeError(`histogram: nbins must be a number, got ${opts.nbins}`);
    }
    if (!Number.isInteger(opts.nbins) || opts.nbins < 1) {
      throw new RangeError(`histogram: nbins must be a whole number ≥ 1, got ${opts.nbins}`);
    }
    trace.nbinsx = opts.nbins;
  }
  const layout = titledLayout({ yTitle: "count", ...opts }, { bargap: 0.02, showlegend: false });
  let lo = Infinity, hi = -Infinity, sum = 0, sq = 0;
  for (const v of values) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
    sum += v;
  }
  const mean = sum / values.length;
  for (const v of values) sq += (v - mean) ** 2;
  const std = Math.sqrt(sq / values.length);
  const title = opts.title === undefined ? "" : ` "${opts.title}"`;
  return new Figure({
    data: [trace],
    layout: merge(layout, opts.layout ?? {}),
    summary:
      `histogram${title}: ${values.length} values, min ${fmt(lo)}, mean ${fmt(mean)}, std ${fmt(std)}, ` +
      `max ${fmt(hi)}`,
  });
}
