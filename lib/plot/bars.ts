/**
 * Bar charts (a distribution over the vocabulary, parameter counts) and histograms (weights, gradients).
 *
 * @module
 */
import { built, categoryAxis, type Figure, type PlotOptions, titledLayout, type Trace } from "./figure.ts";
import { checkOpts, finiteArray, fmt, labels as checkLabels, nonEmptyArray } from "./validate.ts";
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
  checkOpts("bar", opts);
  if ((opts.values === undefined) === (opts.series === undefined)) {
    throw new TypeError("bar: give exactly one of `values` (one set of bars) or `series` (grouped bars)");
  }
  const series = opts.values !== undefined ? [{ name: "", values: opts.values }] : opts.series!;
  nonEmptyArray("bar: series", series);
  const n = Array.isArray(opts.labels) ? opts.labels.length : 0;
  const names = checkLabels("bar: labels", opts.labels, n, "labels");
  if (n === 0) throw new RangeError("bar: labels must not be empty");
  const { values: x, axis } = categoryAxis(names);
  const data: Trace[] = series.map((s, i) => {
    const where = opts.values !== undefined ? "bar: values" : `bar: series[${i}].values`;
    const y = finiteArray(where, s.values);
    checkLabels("bar: labels", names, y.length, where.replace("bar: ", ""));
    const hovertemplate = `%{customdata}: %{y:.4g}<extra>${escapeHtml(s.name)}</extra>`;
    return {
      type: "bar",
      name: s.name,
      customdata: names.map(String),
      x,
      y,
      orientation: "v",
      hovertemplate,
    };
  });
  const layout = titledLayout(opts, {
    barmode: "group",
    bargap: 0.15,
    showlegend: series.length > 1,
    xaxis: axis,
  });
  const top = series.map((s) => {
    const order = s.values.map((v, i) => [v, i] as const).sort((a, b) => b[0] - a[0]).slice(0, 3);
    const head = series.length > 1 ? `${s.name}: ` : "";
    return head + "largest " + order.map(([v, i]) => `${names[i]} ${fmt(v)}`).join(", ");
  });
  const count = series.length > 1 ? `${series.length} series × ${n} bars` : `${n} bars`;
  return built("bar", opts, data, layout, `${count}; ${top.join("; ")}`);
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
  checkOpts("histogram", opts);
  const values = finiteArray("histogram: values", opts.values);
  const trace: Trace = { type: "histogram", x: values, marker: { line: { width: 1, color: "white" } } };
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
  return built(
    "histogram",
    opts,
    [trace],
    layout,
    `${values.length} values, min ${fmt(lo)}, mean ${fmt(mean)}, std ${fmt(std)}, max ${fmt(hi)}`,
  );
}
