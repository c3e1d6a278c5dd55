/**
 * A live loss curve for a training cell: shown once, then updated in place (same display id) at most every
 * ~250 ms, so the plot costs a tiny fraction of training time. Raw loss and an exponential moving average.
 *
 * While training runs the curve is an SVG image (JupyterLab's Plotly renderer does not redraw a figure on
 * in-place updates; the SVG renderer does). When the run ends (`done()`, or the last step) the same display
 * becomes an interactive Plotly figure.
 *
 * @module
 */
import { DISPLAY, kernelShow, type MimeBundle, type ShowFn } from "./display.ts";
import { COLORWAY, Figure, titles } from "./figure.ts";
import { type HLine, hlineLayout } from "./lines.ts";
import { check, fmt } from "./validate.ts";
import { lineSvg } from "./svg_line.ts";
import type { StepInfo } from "../train.ts";

/** What `liveLoss` reads of `train`'s step record: the step, its loss and, if known, the total steps. */
export type LiveStep = Pick<StepInfo, "step" | "loss"> & Partial<Pick<StepInfo, "num_steps">>;

/** Options of `liveLoss()`. */
export interface LiveLossOptions {
  title?: string;
  /** Total steps: fixes the x axis so the curve grows into it (default: from `info.num_steps`). */
  num_steps?: number;
  /** A dashed reference line, e.g. `Math.log(27)` (the loss of a uniform guess). */
  baseline?: number;
  /** Clock in ms (default `performance.now`); tests pass a fake one. */
  now?: () => number;
  /** Where bundles go (default: the kernel's `Deno.jupyter.display`; outside Jupyter nothing is shown). */
  show?: ShowFn;
}

/** The handle `liveLoss()` returns. `onStep` is a bound function: pass it as `train`'s `onStep`. */
export interface LiveLoss {
  /** Record one step; redraws if at least `INTERVAL_MS` passed since the last redraw (or at the last step). */
  onStep: (info: LiveStep) => void;
  /** Final redraw as an interactive Plotly figure. Returns nothing, so a trailing `live.done()` shows no copy. */
  done: () => void;
}

/** Smoothing factor of the exponential moving average (its window is about 1 / (1 − 0.9) = 10 steps). */
const SMOOTH = 0.9;
/** Least time between two updates of the display, in ms. */
const INTERVAL_MS = 250;
/** Most points drawn per curve; longer runs are thinned so each update stays small. */
const MAX_POINTS = 2000;
/** Most points per curve in the in-progress SVG (about one per pixel of its width). */
const SVG_POINTS = 700;

/**
 * Create a live loss plot for a training cell.
 *
 * @example
 * ```ts
 * import { liveLoss } from "./live.ts";
 * const live = liveLoss({ title: "training loss", num_steps: 3, baseline: Math.log(27) });
 * for (let step = 1; step <= 3; step++) live.onStep({ step, loss: 3.3 - 0.1 * step });
 * live.done(); // outside Jupyter nothing is shown; inside, the curve becomes a Plotly figure
 * ```
 */
export function liveLoss(opts: LiveLossOptions = {}): LiveLoss {
  const title = check<string>("liveLoss: title", opts.title, "string", true) ?? "training loss";
  let numSteps = check<number>("liveLoss: num_steps", opts.num_steps, "number", true);
  const y = check<number>("liveLoss: baseline", opts.baseline, "number", true);
  const baseline: HLine[] = y === undefined ? [] : [{ y, name: `baseline ${fmt(y)}` }];
  const now = opts.now ?? performance.now.bind(performance);
  const show = opts.show ?? kernelShow();
  const displayId = `liveloss-${crypto.randomUUID()}`;

  const steps: number[] = [];
  const raw: (number | null)[] = [];
  const avg: (number | null)[] = [];
  let ema = 0, weight = 0, bad = 0;
  let last = -Infinity, shown = false;
  let finalAt = -1; // how many steps the last final (Plotly) redraw showed

  const status = (final: boolean): string => {
    if (steps.length === 0) return "waiting for the first step";
    const n = steps.at(-1)!;
    return `step ${n}${numSteps ? ` of ${numSteps}` : ""}: loss ${
      fmt(raw.findLast((v) => v !== null) ?? NaN)
    }, ` +
      `smoothed ${fmt(avg.at(-1) ?? NaN)}` +
      (bad > 0 ? ` (${bad} non-finite loss${bad === 1 ? "" : "es"})` : "") +
      (final ? (numSteps !== undefined && n < numSteps ? " — stopped" : " — done") : "");
  };

  /** The two curves, thinned to at most `max` points: raw loss faint, smoothed loss strong. */
  const curves = (max: number) => {
    const x = thin(steps, max);
    return [
      { name: "loss", x, y: thin(raw, max), color: COLORWAY[0], width: 1, opacity: 0.35 },
      { name: "smoothed", x, y: thin(avg, max), color: COLORWAY[1], width: 2.5 },
    ];
  };

  /** While training: a light SVG image of the curve. */
  const svgBundle = (): MimeBundle => {
    const svg = lineSvg({
      title: `${title} — ${status(false)}`,
      series: curves(SVG_POINTS),
      xRange: numSteps ? [0, numSteps] : undefined,
      hlines: baseline,
      xTitle: "step",
      yTitle: "loss",
    });
    return { "image/svg+xml": svg, "text/plain": `${title}: ${status(false)}` };
  };

  /** The finished run: the same curves as an interactive Plotly figure. */
  const finalBundle = (): MimeBundle => {
    const data = curves(MAX_POINTS).map(({ name, x, y, width, opacity }) => ({
      type: "scatter",
      mode: "lines",
      name,
      x,
      y,
      line: { width },
      ...(opacity === undefined ? {} : { opacity }),
    }));
    const axes = titles({ title: `${title} — ${status(true)}`, xTitle: "step", yTitle: "loss" });
    const layout = { ...axes, hovermode: "x unified", ...hlineLayout(baseline) };
    return new Figure(data, layout, `${title}: ${status(true)}`)[DISPLAY]();
  };

  const send = (final: boolean) => {
    if (show === undefined) return;
    const bundle = final ? finalBundle() : svgBundle();
    if (final) finalAt = steps.length;
    const options = { raw: true, display_id: displayId, ...(shown ? { update: true } : {}) };
    shown = true;
    try {
      const r = show(bundle, options);
      if (r instanceof Promise) r.catch(() => {});
    } catch { /* a display failure must never stop training */ }
  };

  const onStep = (info: LiveStep): void => {
    check("liveLoss.onStep: info", info, "object");
    const step = check<number>("liveLoss.onStep: info.step", info.step, "number");
    if (typeof info.loss !== "number") throw new TypeError(`liveLoss.onStep: info.loss must be a number`);
    if (numSteps === undefined && typeof info.num_steps === "number") numSteps = info.num_steps;
    steps.push(step);
    if (Number.isFinite(info.loss)) {
      ema = SMOOTH * ema + (1 - SMOOTH) * info.loss;
      weight = SMOOTH * weight + (1 - SMOOTH);
      raw.push(info.loss);
      avg.push(ema / weight);
    } else {
      bad++;
      raw.push(null);
      avg.push(weight > 0 ? ema / weight : null);
    }
    const t = now(), end = numSteps !== undefined && step >= numSteps;
    if (!shown || t - last >= INTERVAL_MS || end) {
      last = t;
      send(end);
    }
  };

  return {
    onStep,
    done: () => {
      if (finalAt !== steps.length) send(true);
    },
  };
}

/** Every k-th element (and the last) so that at most about `max` remain; a copy. */
function thin<T>(a: readonly T[], max: number): T[] {
  const stride = Math.max(1, Math.ceil(a.length / max));
  return stride === 1 ? a.slice() : a.filter((_, i) => i % stride === 0 || i === a.length - 1);
}
