/**
 * Interactive figures without a kernel: a slider or a dropdown that switches between precomputed steps
 * (the temperature knob, "click a token to see its attention"). Every step's data travels inside the figure
 * and Plotly swaps it in the browser, so it keeps working in a saved notebook or a static HTML export.
 * `partsSlider` is one of them: blocks in columns, grey when off, blue when on, orange in the stage that adds
 * them (notebook 02 walks the train0…train5 ladder with it).
 *
 * @module
 */
import { built, type Figure, type Layout, type PlotOptions, type Trace } from "./figure.ts";
import { check } from "./validate.ts";

/** One position of the slider/dropdown. */
export interface FrameStep {
  /** Shown on the slider tick or in the dropdown. */
  label: string;
  /** The traces for this step; every step has the same number of traces. */
  traces: Trace[];
  /** Layout changes for this step (e.g. `{ title: { text: "T = 0.5" } }`). */
  layout?: Layout;
}

/** Options of `frames()`. */
export interface FramesOptions extends PlotOptions {
  control: "slider" | "dropdown";
  steps: FrameStep[];
  /** What the control changes, shown before the current value (e.g. "temperature"). */
  name?: string;
  /** The step shown first (default 0). */
  active?: number;
}

/**
 * A figure with a slider or dropdown over precomputed steps (Plotly `update` = restyle + relayout).
 *
 * @example
 * ```ts
 * import { frames } from "./frames.ts";
 * const temps = [0.5, 1, 2];
 * const fig = frames({
 *   title: "next-letter distribution",
 *   control: "slider",
 *   name: "temperature",
 *   steps: temps.map((t) => ({
 *     label: String(t),
 *     traces: [{ type: "bar", x: ["a", "b"], y: [1 / (1 + Math.exp(-1 / t)), 1 - 1 / (1 + Math.exp(-1 / t))] }],
 *   })),
 * });
 * console.log(fig.toString());
 * ```
 */
export function frames(opts: FramesOptions): Figure {
  check("frames: opts", opts, "object");
  if (opts.control !== "slider" && opts.control !== "dropdown") {
    throw new RangeError(
      `frames: control must be "slider" or "dropdown", got ${JSON.stringify(opts.control)}`,
    );
  }
  const steps = check<FrameStep[]>("frames: steps", opts.steps, "array");
  steps.forEach((s, i) => {
    check(`frames: steps[${i}].label`, s?.label, "string");
    const traces = check<Trace[]>(`frames: steps[${i}].traces`, s.traces, "array");
    traces.forEach((t, j) => check(`frames: steps[${i}].traces[${j}]`, t, "object"));
    const [n, first] = [traces.length, steps[0].traces.length];
    if (n !== first) {
      throw new RangeError(
        `frames: steps[${i}] has ${n} traces but steps[0] has ${first}; every step needs the same number`,
      );
    }
  });
  const active = opts.active ?? 0;
  if (!Number.isInteger(active) || active < 0 || active >= steps.length) {
    throw new RangeError(`frames: active must be a whole number in [0, ${steps.length - 1}], got ${active}`);
  }
  const name = check<string>("frames: name", opts.name, "string", true);
  const traceIndices = steps[0].traces.map((_, j) => j);
  const keys = [...new Set(steps.flatMap((s) => s.traces.flatMap((t) => Object.keys(t))))];
  const buttons = steps.map((s) => ({
    label: s.label,
    method: "update",
    args: [restyleUpdate(s.traces, keys), flatten(s.layout ?? {}), traceIndices],
  }));
  const prefix = name === undefined ? "" : `${name}: `;
  const control: Layout = opts.control === "slider"
    ? {
      sliders: [{
        active,
        steps: buttons,
        currentvalue: { prefix, font: { size: 14 } },
        pad: { t: 50, b: 10 },
        len: 1,
        x: 0,
      }],
      margin: { b: 110 },
      height: 460,
    }
    : {
      updatemenus: [{
        type: "dropdown",
        active,
        buttons,
        x: 0,
        xanchor: "left",
        y: 1.0,
        yanchor: "bottom",
        pad: { b: 8 },
      }],
      margin: { t: 100 },
    };
  const labels = steps.map((s) => s.label);
  const shown = labels.length > 12 ? [...labels.slice(0, 5), "…", ...labels.slice(-5)] : labels;
  const of = name ? ` of ${name}` : "";
  const detail = `${opts.control} over ${steps.length} steps${of} (${shown.join(", ")}); showing ${
    steps[active].label
  }`;
  return built("frames", opts, steps[active].traces, detail, control, steps[active].layout ?? {});
}

/**
 * The restyle object for one step: for every attribute, one value per trace (Plotly's per-trace form).
 * An attribute a trace does not set becomes `null`, which restores Plotly's default for that trace.
 */
function restyleUpdate(traces: Trace[], keys: string[]): Record<string, unknown[]> {
  const update: Record<string, unknown[]> = {};
  for (const k of keys) update[k] = traces.map((t) => (k in t ? t[k] : null));
  return update;
}

/** `{ title: { text: "x" } }` → `{ "title.text": "x" }` (relayout's attribute strings); arrays stay whole. */
function flatten(obj: Layout, prefix = ""): Layout {
  const out: Layout = {};
  for (const [k, v] of Object.entries(obj)) {
    if (typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length > 0) {
      Object.assign(out, flatten(v as Layout, `${prefix}${k}.`));
    } else out[`${prefix}${k}`] = v;
  }
  return out;
}

/** One block of a `partsSlider`. */
export interface Part {
  label: string;
  /** Index into `columns`; within a column, blocks are drawn bottom to top in the order given. */
  column: number;
  /** The stages (indices into `steps`) where this block is on. */
  on: readonly number[];
}

/** Options of `partsSlider`. */
export interface PartsSliderOptions {
  title?: string;
  /** Column headings, left to right. */
  columns: readonly string[];
  parts: readonly Part[];
  /** One per slider position: its tick label and the figure's title there. */
  steps: readonly { label: string; title?: string }[];
  /** What the slider changes, shown before the current value (default "stage"). */
  name?: string;
}

const STYLE = {
  off: { color: "#d9d9d9", text: "#aaaaaa", name: "off" },
  on: { color: "#4c78a8", text: "#222222", name: "on" },
  new: { color: "#f58518", text: "#222222", name: "new in this stage" },
} as const;

/**
 * Blocks that switch on stage by stage, with a slider to walk the stages.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { partsSlider } from "./frames.ts";
 * const fig = partsSlider({
 *   columns: ["model", "learning"],
 *   parts: [{ label: "table", column: 0, on: [0] }, { label: "MLP", column: 0, on: [1] }, { label: "SGD", column: 1, on: [1] }],
 *   steps: [{ label: "rung 0" }, { label: "rung 1" }],
 * });
 * assert(String(fig).includes("slider over 2 steps"));
 * ```
 * @throws {RangeError} no columns, parts or steps; a part's column or stage out of range.
 */
export function partsSlider(opts: PartsSliderOptions): Figure {
  const columns = check<string[]>("partsSlider: columns", opts.columns, "array");
  const parts = check<Part[]>("partsSlider: parts", opts.parts, "array");
  const steps = check<{ label: string; title?: string }[]>("partsSlider: steps", opts.steps, "array");
  parts.forEach((p, i) => {
    if (!Number.isInteger(p.column) || p.column < 0 || p.column >= columns.length) {
      throw new RangeError(
        `partsSlider: parts[${i}].column must be a whole number in [0, ${columns.length}), got ${p.column}`,
      );
    }
    const bad = p.on.find((s) => !Number.isInteger(s) || s < 0 || s >= steps.length);
    if (bad !== undefined) {
      throw new RangeError(
        `partsSlider: parts[${i}].on must hold stages in [0, ${steps.length}), got ${bad}`,
      );
    }
  });
  // every column spreads its blocks over the height of the tallest one
  const counts = columns.map((_, c) => parts.filter((p) => p.column === c).length);
  const tallest = Math.max(...counts);
  const seen = columns.map(() => 0);
  const pos = parts.map((p) => {
    const j = seen[p.column]++, n = counts[p.column];
    return { x: p.column * 1.6, y: n === 1 ? 0 : (j * (tallest - 1)) / (n - 1) };
  });
  const kindOf = (p: Part, s: number) => !p.on.includes(s) ? "off" : p.on.includes(s - 1) ? "on" : "new";
  // fixed axes in every step: a slider step restyles the traces, which would otherwise re-autorange them
  const axes = {
    xaxis: { visible: false, range: [-0.2, 1.6 * columns.length], autorange: false, fixedrange: true },
    yaxis: { visible: false, range: [-1, tallest + 0.5], autorange: false, fixedrange: true },
  };
  return frames({
    title: opts.title,
    control: "slider",
    name: opts.name ?? "stage",
    steps: steps.map((step, s) => ({
      label: step.label,
      traces: (["off", "on", "new"] as const).map((kind): Trace => {
        const idx = parts.map((_, i) => i).filter((i) => kindOf(parts[i], s) === kind);
        return {
          type: "scatter",
          mode: "markers+text",
          name: STYLE[kind].name,
          x: idx.map((i) => pos[i].x),
          y: idx.map((i) => pos[i].y),
          text: idx.map((i) => parts[i].label),
          textposition: "middle right",
          marker: { symbol: "square", size: 18, color: STYLE[kind].color },
          textfont: { color: STYLE[kind].text },
        };
      }),
      layout: { ...(step.title ? { title: { text: step.title } } : {}), ...axes },
    })),
    layout: {
      ...axes,
      annotations: columns.map((text, c) => ({
        x: c * 1.6,
        y: tallest - 0.2,
        text: `<b>${text}</b>`,
        showarrow: false,
        xanchor: "left",
      })),
      legend: { orientation: "h", y: -0.05 },
      height: Math.max(360, 50 * tallest + 60),
    },
  });
}
