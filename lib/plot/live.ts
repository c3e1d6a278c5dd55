/**
 * A live loss curve for a training cell: shown once, then updated in place (same display id) at most every
 * ~250 ms, so the plot costs a tiny fraction of training time. Raw loss and an exponential moving average.
 *
 * While training runs the curve is an SVG image drawn here: JupyterLab's Plotly renderer ignores in-place
 * updates of a figure it has already drawn (it returns early when its graph exists), while the SVG renderer
 * redraws on every `update_display_data`. When the run ends (`done()`, or the last step) the same display
 * becomes an interactive Plotly figure.
 *
 * @module
 */
import { DISPLAY, kernelShow, type MimeBundle, type ShowFn } from "./display.ts";
import { COLORWAY, Figure, titles } from "./figure.ts";
import { type HLine, hlineLayout } from "./lines.ts";
import { escapeHtml } from "./table.ts";
import { check, fmt } from "./validate.ts";
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
/** The two curves, in the SVG and in the Plotly figure: raw loss faint, smoothed loss strong. */
const CURVES = [
  { name: "loss", color: COLORWAY[0], width: 1, opacity: 0.35 },
  { name: "smoothed", color: COLORWAY[1], width: 2.5, opacity: 1 },
];

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
    const n = steps.at(-1)!, lastLoss = raw.findLast((v) => v !== null) ?? NaN;
    return `step ${n}${numSteps ? ` of ${numSteps}` : ""}: loss ${fmt(lastLoss)}, ` +
      `smoothed ${fmt(avg.at(-1) ?? NaN)}` +
      (bad > 0 ? ` (${bad} non-finite loss${bad === 1 ? "" : "es"})` : "") +
      (final ? (numSteps !== undefined && n < numSteps ? " — stopped" : " — done") : "");
  };

  /** While training: a light SVG image of the curves. */
  const svgBundle = (): MimeBundle => {
    const svg = lineSvg({
      title: `${title} — ${status(false)}`,
      x: thin(steps, SVG_POINTS),
      ys: [thin(raw, SVG_POINTS), thin(avg, SVG_POINTS)],
      xRange: numSteps ? [0, numSteps] : undefined,
      hlines: baseline,
    });
    return { "image/svg+xml": svg, "text/plain": `${title}: ${status(false)}` };
  };

  /** The finished run: the same curves as an interactive Plotly figure. */
  const finalBundle = (): MimeBundle => {
    const x = thin(steps, MAX_POINTS);
    const data = [raw, avg].map((ys, i) => {
      const { name, width, opacity } = CURVES[i];
      return { type: "scatter", mode: "lines", name, x, y: thin(ys, MAX_POINTS), line: { width }, opacity };
    });
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

/**
 * SVG text of the curves `ys` (one per `CURVES` entry; `null` leaves a gap) over the steps `x`, with axes,
 * round ticks, grid, the dashed `hlines` and a legend, in the look of the Plotly figures. `xRange` fixes the x
 * axis (default: the data's range).
 */
function lineSvg(opts: {
  title: string;
  x: readonly number[];
  ys: readonly (readonly (number | null)[])[];
  xRange?: [number, number];
  hlines: readonly HLine[];
}): string {
  const W = 760, H = 340;
  const m = { l: 62, r: 24, t: 58, b: 46 };
  const ys = [
    ...opts.ys.flat().filter((v): v is number => v !== null && Number.isFinite(v)),
    ...opts.hlines.map((h) => h.y),
  ];
  const [x0, x1Raw] = opts.xRange ?? minMax(opts.x); // drawn after the first step: x is never empty
  const x1 = x1Raw > x0 ? x1Raw : x0 + 1;
  let [y0, y1] = ys.length ? minMax(ys) : [0, 1];
  // 5% headroom, and never a range thinner than 1% of the values (a flat curve, the very first step)
  const pad = Math.max((y1 - y0) * 0.05, 0.005 * Math.max(1, Math.abs(y0), Math.abs(y1)));
  y0 -= pad;
  y1 += pad;
  const px = (x: number) => m.l + ((x - x0) / (x1 - x0)) * (W - m.l - m.r);
  const py = (y: number) => H - m.b - ((y - y0) / (y1 - y0)) * (H - m.t - m.b);
  const r = (v: number) => v.toFixed(1);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" ` +
    `font-family="Inter, Helvetica Neue, Arial, sans-serif" font-size="12" fill="#222">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${m.l}" y="22" font-size="15">${escapeHtml(opts.title)}</text>`,
  ];
  for (const t of niceTicks(y0, y1, 5)) {
    out.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${r(py(t))}" y2="${r(py(t))}" stroke="#eee"/>`);
    out.push(`<text x="${m.l - 6}" y="${r(py(t) + 4)}" text-anchor="end">${fmt(t)}</text>`);
  }
  for (const t of niceTicks(x0, x1, 6)) {
    out.push(`<line x1="${r(px(t))}" x2="${r(px(t))}" y1="${m.t}" y2="${H - m.b}" stroke="#eee"/>`);
    out.push(`<text x="${r(px(t))}" y="${H - m.b + 16}" text-anchor="middle">${fmt(t)}</text>`);
  }
  out.push(
    `<path d="M${m.l},${m.t}V${H - m.b}H${W - m.r}" fill="none" stroke="#999"/>`,
    `<text x="${(m.l + W - m.r) / 2}" y="${H - 8}" text-anchor="middle">step</text>`,
    `<text transform="translate(16 ${(m.t + H - m.b) / 2}) rotate(-90)" text-anchor="middle">loss</text>`,
  );
  for (const h of opts.hlines) {
    const y = r(py(h.y));
    out.push(
      `<line x1="${m.l}" x2="${W - m.r}" y1="${y}" y2="${y}" stroke="#777" stroke-dasharray="6 4"/>`,
      `<text x="${W - m.r}" y="${r(py(h.y) - 4)}" text-anchor="end" fill="#555">${escapeHtml(h.name)}</text>`,
    );
  }
  let lx = m.l; // the legend's next entry
  opts.ys.forEach((y, i) => {
    const { name, color, width, opacity } = CURVES[i];
    // the path: M(ove) to a point after a gap, L(ine) to the next one
    let d = "", pen = false;
    opts.x.forEach((x, j) => {
      const v = y[j];
      if (v === null || !Number.isFinite(v)) return void (pen = false);
      d += `${pen ? "L" : "M"}${r(px(x))},${r(py(v))}`;
      pen = true;
    });
    out.push(
      `<path d="${d}" fill="none" stroke="${color}" stroke-width="${width}" stroke-opacity="${opacity}" stroke-linejoin="round"/>`,
      `<line x1="${lx}" x2="${lx + 22}" y1="40" y2="40" stroke="${color}" ` +
        `stroke-width="${Math.max(2, width)}" stroke-opacity="${Math.max(0.5, opacity)}"/>`,
      `<text x="${lx + 28}" y="44">${escapeHtml(name)}</text>`,
    );
    lx += 40 + 7 * name.length;
  });
  out.push("</svg>");
  return out.join("\n");
}

/** Up to about `count` round tick values covering [lo, hi] (steps of 1, 2, 2.5 or 5 × 10^k). */
function niceTicks(lo: number, hi: number, count: number): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  const first = Math.ceil(lo / step);
  for (let i = 0; i <= 4 * count && (first + i) * step <= hi + step * 1e-9; i++) {
    ticks.push(Number(((first + i) * step).toPrecision(12)));
  }
  return ticks;
}

/** Smallest and largest value (the live plot passes at most a few thousand points, so spreading is fine). */
function minMax(a: readonly number[]): [number, number] {
  return [Math.min(...a), Math.max(...a)];
}
