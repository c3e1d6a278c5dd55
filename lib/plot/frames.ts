/**
 * Interactive figures without a kernel: a slider or a dropdown that switches between precomputed steps
 * (the temperature knob, "click a token to see its attention"). Every step's data travels inside the figure
 * and Plotly swaps it in the browser, so it keeps working in a saved notebook or a static HTML export.
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
    if (traces.length !== steps[0].traces.length) {
      throw new RangeError(
        `frames: steps[${i}] has ${traces.length} traces but steps[0] has ${
          steps[0].traces.length
        }; every step needs the same number`,
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
