/**
 * Heatmaps: attention weights (rows = queries, columns = keys), embedding matrices, confusion tables.
 *
 * @module
 */
import { built, categoryAxis, type Figure, type PlotOptions, titledLayout } from "./figure.ts";
import {
  checkOpts,
  finiteArray,
  fmt,
  labels as checkLabels,
  nonEmptyArray,
  optionalNumber,
  optionalString,
} from "./validate.ts";
import { escapeHtml } from "./table.ts";

/** Low values white, high values dark blue (Plotly's "Blues" runs the other way). */
export const WHITE_TO_BLUE: [number, string][] = [[0, "#ffffff"], [0.5, "#6baed6"], [1, "#08306b"]];

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
  /** A Plotly colour-scale name or `[[0, colour], …, [1, colour]]` (default: white → dark blue). */
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
 * const fig = heatmap({
 *   title: "attention",
 *   z: [[1, 0], [0.3, 0.7]],
 *   x: ["a", "n"],
 *   y: ["a", "n"],
 *   xTitle: "key",
 *   yTitle: "query",
 *   zmin: 0,
 *   zmax: 1,
 * });
 * console.log(fig.toString());
 * ```
 */
export function heatmap(opts: HeatmapOptions): Figure {
  checkOpts("heatmap", opts);
  const rows = nonEmptyArray<readonly number[]>("heatmap: z", opts.z);
  const z = rows.map((r, i) => finiteArray(`heatmap: z[${i}]`, r));
  const cols = z[0].length;
  z.forEach((r, i) => {
    if (r.length !== cols) {
      throw new RangeError(
        `heatmap: z must be rectangular; z[0] has ${cols} columns but z[${i}] has ${r.length}`,
      );
    }
  });
  const xLabels = opts.x === undefined
    ? z[0].map((_, j) => j)
    : checkLabels("heatmap: x", opts.x, cols, "z[0]");
  const yLabels = opts.y === undefined
    ? z.map((_, i) => i)
    : checkLabels("heatmap: y", opts.y, z.length, "z");
  const xName = optionalString("heatmap: xTitle", opts.xTitle) ?? "column";
  const yName = optionalString("heatmap: yTitle", opts.yTitle) ?? "row";
  const zmin = optionalNumber("heatmap: zmin", opts.zmin);
  const zmax = optionalNumber("heatmap: zmax", opts.zmax);
  if (zmin !== undefined && zmax !== undefined && !(zmin < zmax)) {
    throw new RangeError(`heatmap: zmin (${zmin}) must be less than zmax (${zmax})`);
  }
  const xs = categoryAxis(xLabels);
  const ys = categoryAxis(yLabels);
  const hover = z.map((r, i) =>
    r.map((v, j) =>
      `${escapeHtml(yName)} ${escapeHtml(String(yLabels[i]))} (${i}) → ${escapeHtml(xName)} ${
        escapeHtml(String(xLabels[j]))
      } (${j}): ${fmt(v)}`
    )
  );
  const showValues = opts.showValues ?? z.length * cols <= 100;
  const trace: Record<string, unknown> = {
    type: "heatmap",
    z,
    x: xs.values,
    y: ys.values,
    text: hover,
    hovertemplate: "%{text}<extra></extra>",
    colorscale: opts.colorscale ?? WHITE_TO_BLUE,
    xgap: 1,
    ygap: 1,
  };
  if (zmin !== undefined) trace.zmin = zmin;
  if (zmax !== undefined) trace.zmax = zmax;
  if (showValues) Object.assign(trace, { texttemplate: "%{z:.2f}", textfont: { size: 11 } });
  const size = Math.max(260, Math.min(620, 40 + 28 * z.length));
  const layout = titledLayout({ xTitle: xName, yTitle: yName, ...opts }, {
    xaxis: { ...xs.axis, side: "bottom", showgrid: false, showline: false },
    yaxis: { ...ys.axis, autorange: "reversed", showgrid: false, showline: false },
    height: size + 80,
    hovermode: "closest",
  });
  let lo = Infinity, hi = -Infinity;
  for (const r of z) for (const v of r) lo = Math.min(lo, v), hi = Math.max(hi, v);
  let summary = `${z.length}×${cols} (${yName} × ${xName}), values ${fmt(lo)} … ${fmt(hi)}`;
  if (z.length <= 16) {
    const argmax = z.map((r, i) => `${yLabels[i]}→${xLabels[r.indexOf(r.reduce((a, b) => Math.max(a, b)))]}`);
    summary += `; largest per ${yName}: ${argmax.join(" ")}`;
  }
  return built("heatmap", opts, [trace], layout, summary);
}
