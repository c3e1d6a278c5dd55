/**
 * Heatmaps: attention weights (rows = queries, columns = keys), embedding matrices, confusion tables.
 *
 * @module
 */
import { built, categoryAxis, type Figure, type PlotOptions } from "./figure.ts";
import { check, fmt, labels, numbers, sameLength } from "./validate.ts";
import { escapeHtml } from "./table.ts";

/** Options of `heatmap()`. */
export interface HeatmapOptions extends PlotOptions {
  /** The matrix, one inner array per row: `z[row][col]`. For attention: `z[query][key]`. */
  z: readonly (readonly number[])[];
  /** Column labels (keys), one per column. Repeated labels (the two "n" of "anna") stay apart. */
  x?: readonly (string | number)[];
  /** Row labels (queries), one per row. Row 0 is drawn at the top. */
  y?: readonly (string | number)[];
  /** What a column is, for the axis title and hover text (default "column"). */
  xTitle?: string;
  /** What a row is (default "row"). */
  yTitle?: string;
  zmin?: number;
  zmax?: number;
  /** A Plotly colour-scale name or `[[0, colour], …, [1, colour]]` (default "Viridis"). */
  colorscale?: string | [number, string][];
  /** Write each value in its cell (default: when there are at most 100 cells). */
  showValues?: boolean;
}

/**
 * A heatmap of a matrix with labelled rows and columns; hovering a cell shows its row, column and value.
 *
 * @example
 * ```ts
 * import { heatmap } from "./heatmap.ts";
 * const [x, y] = [["a", "n"], ["a", "n"]];
 * const fig = heatmap({ title: "attention", z: [[1, 0], [0.3, 0.7]], x, y, xTitle: "key", yTitle: "query", zmin: 0 });
 * console.log(fig.toString());
 * ```
 */
export function heatmap(opts: HeatmapOptions): Figure {
  check("heatmap: opts", opts, "object");
  const z = check<unknown[]>("heatmap: z", opts.z, "array").map((r, i) => numbers(`heatmap: z[${i}]`, r));
  const cols = z[0].length;
  const bad = z.findIndex((r) => r.length !== cols);
  if (bad >= 0) {
    throw new RangeError(
      `heatmap: z must be rectangular; z[0] has ${cols} columns but z[${bad}] has ${z[bad].length}`,
    );
  }
  // labels default to the column and row numbers
  const xLabels = labels("heatmap: x", opts.x ?? z[0].map((_, j) => j));
  const yLabels = labels("heatmap: y", opts.y ?? z.map((_, i) => i));
  sameLength("heatmap: x", xLabels.length, "z[0]", cols);
  sameLength("heatmap: y", yLabels.length, "z", z.length);
  const xName = check<string>("heatmap: xTitle", opts.xTitle, "string", true) ?? "column";
  const yName = check<string>("heatmap: yTitle", opts.yTitle, "string", true) ?? "row";
  const zmin = check<number>("heatmap: zmin", opts.zmin, "number", true);
  const zmax = check<number>("heatmap: zmax", opts.zmax, "number", true);
  if (zmin !== undefined && zmax !== undefined && !(zmin < zmax)) {
    throw new RangeError(`heatmap: zmin (${zmin}) must be less than zmax (${zmax})`);
  }
  const xs = categoryAxis(xLabels);
  const ys = categoryAxis(yLabels);
  const esc = (s: unknown) => escapeHtml(String(s));
  const hover = z.map((r, i) =>
    r.map((v, j) =>
      `${esc(yName)} ${esc(yLabels[i])} (${i}) → ${esc(xName)} ${esc(xLabels[j])} (${j}): ${fmt(v)}`
    )
  );
  const trace: Record<string, unknown> = {
    type: "heatmap",
    z,
    x: xs.values,
    y: ys.values,
    text: hover,
    hovertemplate: "%{text}<extra></extra>",
    colorscale: opts.colorscale ?? "Viridis",
    xgap: 1,
    ygap: 1,
    ...(zmin === undefined ? {} : { zmin }),
    ...(zmax === undefined ? {} : { zmax }),
  };
  if (opts.showValues ?? z.length * cols <= 100) {
    Object.assign(trace, { texttemplate: "%{z:.2f}", textfont: { size: 11 } });
  }
  const size = Math.max(260, Math.min(620, 40 + 28 * z.length));
  const layout = {
    xaxis: { ...xs.axis, side: "bottom", showgrid: false, showline: false },
    yaxis: { ...ys.axis, autorange: "reversed", showgrid: false, showline: false },
    height: size + 80,
    hovermode: "closest",
  };
  const all = z.flat(), lo = all.reduce((a, b) => Math.min(a, b)), hi = all.reduce((a, b) => Math.max(a, b));
  let summary = `${z.length}×${cols} (${yName} × ${xName}), values ${fmt(lo)} … ${fmt(hi)}`;
  if (z.length <= 16) {
    const argmax = z.map((r, i) => `${yLabels[i]}→${xLabels[r.indexOf(r.reduce((a, b) => Math.max(a, b)))]}`);
    summary += `; largest per ${yName}: ${argmax.join(" ")}`;
  }
  return built("heatmap", { ...opts, xTitle: xName, yTitle: yName }, [trace], summary, layout);
}
