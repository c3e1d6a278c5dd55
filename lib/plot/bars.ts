/**
 * Bar charts (a distribution over the vocabulary, parameter counts) and histograms (weights, gradients).
 *
 * @module
 */
import { built, categoryAxis, type Figure, type PlotOptions, type Trace } from "./figure.ts";
import { check, fmt, labels, numbers, sameLength } from "./validate.ts";
import { escapeHtml } from "./table.ts";

/** Options of `bar()`: give `values` for one set of bars or `series` for grouped bars. */
export interface BarOptions extends PlotOptions {
  /** One label per bar (e.g. the vocabulary). Repeated labels are kept apart. */
  labels: readonly (string | number)[];
  /** One value per label. */
  values?: readonly number[];
  /** Several named sets of values, drawn as grouped bars. */
  series?: { name: string; values: readonly number[] }[];
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
  check("bar: opts", opts, "object");
  if ((opts.values === undefined) === (opts.series === undefined)) {
    throw new TypeError("bar: give exactly one of `values` (one set of bars) or `series` (grouped bars)");
  }
  const names = labels("bar: labels", opts.labels);
  const grouped = opts.series !== undefined;
  const series = check<{ name: string; values: readonly number[] }[]>(
    "bar: series",
    grouped ? opts.series : [{ name: "", values: opts.values! }],
    "array",
  ).map((s, i) => {
    const where = grouped ? `series[${i}].values` : "values";
    const values = numbers(`bar: ${where}`, s.values);
    sameLength("bar: labels", names.length, where, values.length);
    return { name: s.name, values };
  });
  const { values: x, axis } = categoryAxis(names);
  const data: Trace[] = series.map((s) => ({
    type: "bar",
    name: s.name,
    customdata: names.map(String),
    x,
    y: s.values,
    hovertemplate: `%{customdata}: %{y:.4g}<extra>${escapeHtml(s.name)}</extra>`,
  }));
  const top = series.map((s) => {
    const order = s.values.map((v, i) => [v, i] as const).sort((a, b) => b[0] - a[0]).slice(0, 3);
    const head = grouped ? `${s.name}: ` : "";
    return head + "largest " + order.map(([v, i]) => `${names[i]} ${fmt(v)}`).join(", ");
  });
  const count = grouped ? `${series.length} series × ${names.length} bars` : `${names.length} bars`;
  const layout = { barmode: "group", bargap: 0.15, showlegend: series.length > 1, xaxis: axis };
  return built("bar", opts, data, `${count}; ${top.join("; ")}`, layout);
}

/** Options of `histogram()`. */
export interface HistogramOptions extends PlotOptions {
  values: readonly number[];
}

/**
 * A histogram of many numbers (initial weights, gradients, logits); Plotly picks the bins.
 *
 * @example
 * ```ts
 * import { histogram } from "./bars.ts";
 * const fig = histogram({ title: "weights", values: [0.1, -0.05, 0.02, 0.08] });
 * console.log(fig.toString());
 * ```
 */
export function histogram(opts: HistogramOptions): Figure {
  check("histogram: opts", opts, "object");
  const values = numbers("histogram: values", opts.values);
  const trace: Trace = { type: "histogram", x: values, marker: { line: { width: 1, color: "white" } } };
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
  const [lo, hi] = [values.reduce((a, b) => Math.min(a, b)), values.reduce((a, b) => Math.max(a, b))];
  const detail = `${values.length} values, min ${fmt(lo)}, mean ${fmt(mean)}, std ${fmt(std)}`;
  const layout = { bargap: 0.02, showlegend: false };
  return built("histogram", { yTitle: "count", ...opts }, [trace], `${detail}, max ${fmt(hi)}`, layout);
}
