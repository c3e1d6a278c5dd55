/**
 * `Figure`: a Plotly figure (`data`, `layout`, `config`) that displays itself in JupyterLab through the
 * `application/vnd.plotly.v1+json` MIME type, with a short `text/plain` summary for everything else
 * (terminals, `deno test`, a notebook viewed without the Plotly extension). One look for every figure.
 *
 * @module
 */
import { DISPLAY, type MimeBundle, PLOTLY_MIME } from "./display.ts";
import { check } from "./validate.ts";

/** One Plotly trace (`{ type: "scatter", x, y, … }`); see plotly.com/javascript/reference. */
export type Trace = Record<string, unknown>;
/** A Plotly layout object. */
export type Layout = Record<string, unknown>;

/** The colours every figure cycles through (colour-blind friendly, Okabe–Ito order). */
export const COLORWAY = "#0072B2 #E69F00 #009E73 #D55E00 #CC79A7 #56B4E9 #F0E442 #000000".split(" ");

/** The shared look: font, margins, white background, light grid, legend on top. */
const BASE_LAYOUT: Readonly<Layout> = Object.freeze({
  font: { family: "Inter, Helvetica Neue, Arial, sans-serif", size: 13, color: "#222" },
  colorway: COLORWAY,
  paper_bgcolor: "white",
  plot_bgcolor: "white",
  margin: { l: 60, r: 30, t: 60, b: 50 },
  height: 380,
  hovermode: "closest",
  hoverlabel: { font: { family: "Menlo, Consolas, monospace", size: 12 } },
  legend: { orientation: "h", x: 0, y: 1.02, yanchor: "bottom", bgcolor: "rgba(255,255,255,0)" },
  xaxis: { gridcolor: "#eee", zerolinecolor: "#ccc", linecolor: "#999", showline: true, automargin: true },
  yaxis: { gridcolor: "#eee", zerolinecolor: "#ccc", linecolor: "#999", showline: true, automargin: true },
});

/** Plotly config: responsive, no logo, no lasso/select tools. */
const BASE_CONFIG = Object.freeze({
  responsive: true,
  displaylogo: false,
  modeBarButtonsToRemove: ["lasso2d", "select2d"],
});

/** What every builder takes besides its data: titles, and extra Plotly layout merged last. */
export interface PlotOptions {
  title?: string;
  xTitle?: string;
  yTitle?: string;
  /** Extra Plotly layout, merged last. */
  layout?: Layout;
}

/**
 * A Plotly figure that renders itself in JupyterLab: what every builder returns.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Figure } from "./figure.ts";
 * const fig = new Figure([{ type: "bar", x: ["a"], y: [1] }], {}, "one bar");
 * assert.ok(fig.toString() === "one bar" && fig.layout.font !== undefined);
 * ```
 */
export class Figure {
  /** The full layout (shared look merged with the figure's own). */
  readonly layout: Layout;

  /** `data`: the traces; `layout`: merged over the shared look; `summary`: the text where Plotly cannot render. */
  constructor(readonly data: Trace[], layout: Layout, readonly summary: string) {
    this.layout = merge(BASE_LAYOUT, layout);
  }

  /** The Plotly JSON (`{ data, layout, config }`; the config is the shared one). */
  toJSON(): Record<string, unknown> {
    return { data: this.data, layout: this.layout, config: BASE_CONFIG };
  }

  /** The text summary. */
  toString(): string {
    return this.summary;
  }

  /** The MIME bundle the Jupyter kernel renders. */
  [DISPLAY](): MimeBundle {
    return { [PLOTLY_MIME]: this.toJSON(), "text/plain": this.summary };
  }
}

/**
 * Escape hatch: any Plotly figure (its traces and its layout, merged over the shared look). Use it for what
 * the other builders do not cover.
 *
 * @example
 * ```ts
 * import { figure } from "./figure.ts";
 * const fig = figure({ data: [{ type: "scatter", x: [1, 2, 3], y: [2, 1, 3] }], layout: { title: { text: "t" } } });
 * console.log(fig.toString()); // figure "t": 1 trace (scatter)
 * ```
 */
export function figure(spec: { data: Trace[]; layout?: Layout }): Figure {
  check("figure: spec", spec, "object");
  check<unknown[]>("figure: data", spec.data, "array").forEach((t, i) =>
    check(`figure: data[${i}]`, t, "object")
  );
  const { data, layout = {} } = spec;
  // the summary: `figure "title": 2 traces (scatter, bar)`
  const types = [...new Set(data.map((t) => String(t.type ?? "scatter")))].join(", ");
  const t = layout.title, text = typeof t === "string" ? t : isPlainObject(t) ? t.text : undefined;
  const title = typeof text === "string" ? ` "${text}"` : "";
  return new Figure(
    data,
    layout,
    `figure${title}: ${data.length} trace${data.length === 1 ? "" : "s"} (${types})`,
  );
}

/**
 * How every builder ends: `titles(opts)`, then `layouts` and last `opts.layout` merged over them, and the
 * summary `kind "title": detail`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { built } from "./figure.ts";
 * const fig = built("bar", { title: "t", layout: { height: 200 } }, [{ type: "bar" }], "1 bar", { height: 300 });
 * assert.equal(String(fig), 'bar "t": 1 bar');
 * assert.equal(fig.layout.height, 200);
 * ```
 */
export function built(
  kind: string,
  opts: PlotOptions,
  data: Trace[],
  detail: string,
  ...layouts: Layout[]
): Figure {
  const layout = [...layouts, opts.layout ?? {}].reduce(merge, titles(opts));
  const title = opts.title === undefined ? "" : ` "${opts.title}"`;
  return new Figure(data, layout, `${kind}${title}: ${detail}`);
}

/** The layout of the figure's title and axis titles; the one place every builder's titles are checked. */
export function titles(opts: Omit<PlotOptions, "layout">): Layout {
  const [title, xTitle, yTitle] = (["title", "xTitle", "yTitle"] as const).map((k) =>
    check<string>(k, opts[k], "string", true)
  );
  const layout: Layout = {};
  if (title !== undefined) layout.title = { text: title, x: 0.01, xanchor: "left", font: { size: 16 } };
  if (xTitle !== undefined) layout.xaxis = { title: { text: xTitle } };
  if (yTitle !== undefined) layout.yaxis = { title: { text: yTitle } };
  return layout;
}

/** Deep merge of plain objects (arrays and other values are replaced, not merged); inputs are not modified. */
function merge(base: Readonly<Layout>, over: Readonly<Layout>): Layout {
  const out: Layout = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isPlainObject(b) && isPlainObject(v) ? merge(b, v) : v;
  }
  return out;
}

function isPlainObject(x: unknown): x is Layout {
  return typeof x === "object" && x !== null && !Array.isArray(x) &&
    Object.getPrototypeOf(x) === Object.prototype;
}

/**
 * Positions and axis settings for categorical labels. Plotly merges repeated categories (the two "n" of
 * "anna" would become one), so repeated labels are placed at 0, 1, 2, … and shown through tick text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { categoryAxis } from "./figure.ts";
 * assert.deepEqual(categoryAxis(["a", "n", "n", "a"]).values, [0, 1, 2, 3]);
 * assert.deepEqual(categoryAxis(["a", "b"]).values, ["a", "b"]);
 * ```
 */
export function categoryAxis(
  labels: readonly (string | number)[],
): { values: (string | number)[]; axis: Layout } {
  const text = labels.map(String);
  if (new Set(text).size === text.length) return { values: text, axis: { type: "category" } };
  return {
    values: text.map((_, i) => i),
    axis: { type: "linear", tickmode: "array", tickvals: text.map((_, i) => i), ticktext: text },
  };
}
