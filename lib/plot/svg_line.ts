/**
 * A small static line chart drawn as SVG text. The live loss plot uses it while training runs: JupyterLab's
 * Plotly renderer ignores in-place updates of a figure it has already drawn (it returns early when its graph
 * exists), while the SVG renderer redraws on every `update_display_data`. The finished run is then shown as an
 * interactive Plotly figure.
 *
 * @module
 */
import { escapeHtml } from "./table.ts";
import { fmt } from "./validate.ts";

/** One curve; `null` values leave a gap. */
export interface SvgSeries {
  name: string;
  x: readonly number[];
  y: readonly (number | null)[];
  color: string;
  width: number;
  opacity?: number;
}

/** Options of `lineSvg()`. */
export interface LineSvgOptions {
  title: string;
  series: SvgSeries[];
  /** Fixed x range (e.g. [0, num_steps]); default: the data's range. */
  xRange?: [number, number];
  /** Dashed horizontal reference lines with a label. */
  hlines: { y: number; name: string }[];
  xTitle: string;
  yTitle: string;
}

/** Up to about `count` round tick values covering [lo, hi] (steps of 1, 2, 2.5 or 5 × 10^k). */
function niceTicks(lo: number, hi: number, count = 5): number[] {
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

/**
 * SVG text of a line chart with axes, grid, reference lines and a legend, in the look of the Plotly figures.
 *
 * @example
 * ```ts
 * import { lineSvg } from "./svg_line.ts";
 * const series = [{ name: "loss", x: [1, 2, 3], y: [3.3, 3, 2.8], color: "#0072B2", width: 2 }];
 * const svg = lineSvg({ title: "loss", series, hlines: [], xTitle: "step", yTitle: "loss" });
 * console.log(svg.startsWith("<svg")); // true
 * ```
 */
export function lineSvg(opts: LineSvgOptions): string {
  const W = 760, H = 340;
  const m = { l: 62, r: 24, t: 58, b: 46 };
  const xs = opts.series.flatMap((s) => s.x);
  const ys = opts.series.flatMap((s) => s.y.filter((v): v is number => v !== null && Number.isFinite(v)));
  for (const h of opts.hlines) ys.push(h.y);
  const [x0, x1Raw] = opts.xRange ?? (xs.length ? minMax(xs) : [0, 1]);
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
  for (const t of niceTicks(y0, y1)) {
    out.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${r(py(t))}" y2="${r(py(t))}" stroke="#eee"/>`);
    out.push(`<text x="${m.l - 6}" y="${r(py(t) + 4)}" text-anchor="end">${fmt(t)}</text>`);
  }
  for (const t of niceTicks(x0, x1, 6)) {
    out.push(`<line x1="${r(px(t))}" x2="${r(px(t))}" y1="${m.t}" y2="${H - m.b}" stroke="#eee"/>`);
    out.push(`<text x="${r(px(t))}" y="${H - m.b + 16}" text-anchor="middle">${fmt(t)}</text>`);
  }
  out.push(
    `<path d="M${m.l},${m.t}V${H - m.b}H${W - m.r}" fill="none" stroke="#999"/>`,
    `<text x="${(m.l + W - m.r) / 2}" y="${H - 8}" text-anchor="middle">${escapeHtml(opts.xTitle)}</text>`,
    `<text transform="translate(16 ${(m.t + H - m.b) / 2}) rotate(-90)" text-anchor="middle">${
      escapeHtml(opts.yTitle)
    }</text>`,
  );
  for (const h of opts.hlines) {
    out.push(
      `<line x1="${m.l}" x2="${W - m.r}" y1="${r(py(h.y))}" y2="${
        r(py(h.y))
      }" stroke="#777" stroke-dasharray="6 4"/>`,
      `<text x="${W - m.r}" y="${r(py(h.y) - 4)}" text-anchor="end" fill="#555">${escapeHtml(h.name)}</text>`,
    );
  }
  for (const s of opts.series) {
    let d = "", pen = false;
    s.x.forEach((x, i) => {
      const y = s.y[i];
      if (y === null || !Number.isFinite(y)) return void (pen = false);
      d += `${pen ? "L" : "M"}${r(px(x))},${r(py(y))}`;
      pen = true;
    });
    out.push(
      `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="${s.width}"` +
        `${s.opacity === undefined ? "" : ` stroke-opacity="${s.opacity}"`} stroke-linejoin="round"/>`,
    );
  }
  let lx = m.l;
  for (const s of opts.series) {
    out.push(
      `<line x1="${lx}" x2="${lx + 22}" y1="40" y2="40" stroke="${s.color}" stroke-width="${
        Math.max(2, s.width)
      }"` +
        `${s.opacity === undefined ? "" : ` stroke-opacity="${Math.max(0.5, s.opacity)}"`}/>`,
      `<text x="${lx + 28}" y="44">${escapeHtml(s.name)}</text>`,
    );
    lx += 40 + 7 * s.name.length;
  }
  out.push("</svg>");
  return out.join("\n");
}

/** Smallest and largest value (the live plot passes at most a few thousand points, so spreading is fine). */
function minMax(a: readonly number[]): [number, number] {
  return [Math.min(...a), Math.max(...a)];
}
