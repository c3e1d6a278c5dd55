/**
 * Interactive figures without a kernel: a slider or a dropdown that switches between precomputed steps
 * (the temperature knob, "click a token to see its attention"). Every step's data travels inside the figure
 * and Plotly swaps it in the browser, so it keeps working in a saved notebook or a static HTML export.
 *
 * @module
 */
import {
  built,
  type Figure,
  type Layout,
  merge,
  type PlotOptions,
  titledLayout,
  type Trace,
} from "./figure.ts";
import { checkOpts, nonEmptyArray, optionalString, traces as checkTraces } from "./validate.ts";

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
  checkOpts("frames", opts);
  if (opts.control !== "slider" && opts.control !== "dropdown") {
    throw new RangeError(
      `frames: control must be "slider" or "dropdown", got ${JSON.stringify(opts.control)}`,
    );
  }
  const steps = nonEmptyArray<FrameStep>("frames: steps", opts.steps);
  const nTraces = Array.isArray(steps[0]?.traces) ? steps[0].traces.length : 0;
  steps.forEach((s, i) => {
    if (typeof s?.label !== "string") throw new TypeError(`frames: steps[${i}].label must be a string`);
    const traces = checkTraces(`frames: steps[${i}].traces`, s.traces);
    if (traces.length !== nTraces) {
      throw new RangeError(
        `frames: steps[${i}] has ${traces.length} traces but steps[0] has ${nTraces}; every step needs the same number`,
      );
    }
  });
  const active = opts.active ?? 0;
  if (!Number.isInteger(active) || active < 0 || active >= steps.length) {
    throw new RangeError(`frames: active must be a whole number in [0, ${steps.length - 1}], got ${active}`);
  }
  const name = optionalString("frames: name", opts.name);
  const traceIndices = steps[0].traces.map((_, j) => j);
  const keys = [...new Set(steps.flatMap((s) => s.traces.flatMap((t) => Object.keys(t))))];
  const buttons = steps.map((s) => ({
    label: s.label,
    method: "update",
    args: [restyleUpdate(s.traces, keys), flatten(s.layout ?? {}), traceIndices],
  }));
  const control: Layout = opts.control === "slider"
    ? {
      sliders: [{
        active,
        steps: buttons,
        currentvalue: { prefix: name === undefined ? "" : `${name}: `, font: { size: 14 } },
        pad: { t: 50, b: 10 },
        len: 1,
        x: 0,
      }],
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
        showactive: true,
      }],
    };
  const extra: Layout = { ...control, margin: opts.control === "slider" ? { b: 110 } : { t: 100 } };
  if (opts.control === "slider") extra.height = 460;
  const layout = merge(titledLayout(opts, extra), steps[active].layout ?? {});
  const labels = steps.map((s) => s.label);
  const shown = labels.length > 12 ? [...labels.slice(0, 5), "…", ...labels.slice(-5)] : labels;
  const of = name ? ` of ${name}` : "";
  return built(
    "frames",
    opts,
    steps[active].traces,
    layout,
    `${opts.control} over ${steps.length} steps${of} (${shown.join(", ")}); showing ${steps[active].label}`,
  );
}

/**
 * The restyle object for one step: for every attribute, one value per trace (Plotly's per-trace form).
 * An attribute a trace does not set becomes `null`, which restores Plotly's default for that trace.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { restyleUpdate } from "./frames.ts";
 * const u = restyleUpdate([{ y: [1, 2] }, { y: [3], name: "b" }], ["y", "name"]);
 * assert.deepEqual(u, { y: [[1, 2], [3]], name: [null, "b"] });
 * ```
 */
export function restyleUpdate(traces: Trace[], keys: string[]): Record<string, unknown[]> {
  const update: Record<string, unknown[]> = {};
  for (const k of keys) update[k] = traces.map((t) => (k in t ? t[k] : null));
  return update;
}

/**
 * `{ title: { text: "x" } }` → `{ "title.text": "x" }` (relayout's attribute strings); arrays stay whole.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { flatten } from "./frames.ts";
 * assert.deepEqual(flatten({ title: { text: "T = 1" } }), { "title.text": "T = 1" });
 * ```
 */
export function flatten(obj: Layout, prefix = ""): Layout {
  const out: Layout = {};
  for (const [k, v] of Object.entries(obj)) {
    if (typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length > 0) {
      Object.assign(out, flatten(v as Layout, `${prefix}${k}.`));
    } else out[`${prefix}${k}`] = v;
  }
  return out;
}
