/**
 * A slider over the stages of a build: labelled blocks in columns, grey when off, blue when on, orange in the
 * stage that adds them (notebook 02 walks the train0…train5 ladder with it).
 *
 * @module
 */
import type { Figure, Trace } from "./figure.ts";
import { frames } from "./frames.ts";
import { check } from "./validate.ts";

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
 * import { partsSlider } from "./parts.ts";
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
    const j = seen[p.column]++;
    return {
      x: p.column * 1.6,
      y: counts[p.column] === 1 ? 0 : (j * (tallest - 1)) / (counts[p.column] - 1),
    };
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
