import assert from "node:assert/strict";
import {
  bar,
  display,
  figure,
  frames,
  heatmap,
  histogram,
  isJupyter,
  line,
  liveLoss,
  PLOTLY_MIME,
  scatter,
  table,
} from "./plot.ts";
import { Figure } from "./plot/figure.ts";
import type { MimeBundle } from "./plot.ts";

const DISPLAY = Symbol.for("Jupyter.display");

/** The bundle exactly as the kernel would get it: through the well-known symbol, then JSON round trip. */
function bundleOf(x: unknown): MimeBundle {
  const fn = (x as Record<symbol, () => MimeBundle>)[DISPLAY];
  assert.deepEqual(typeof fn, "function", "object must implement Symbol.for('Jupyter.display')");
  return JSON.parse(JSON.stringify(fn.call(x)));
}

// deno-lint-ignore no-explicit-any
function plotly(x: unknown): { data: any[]; layout: any; config: any } {
  const b = bundleOf(x);
  assert.deepEqual(typeof b["text/plain"], "string");
  // deno-lint-ignore no-explicit-any
  return b[PLOTLY_MIME] as any;
}

function assertThrowsNaming(fn: () => unknown, type: ErrorConstructor, ...words: string[]) {
  let err: unknown = undefined;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  assert(err !== undefined, "expected a throw");
  assert(
    err instanceof type,
    `expected ${type.name}, got ${(err as Error)?.name}: ${(err as Error)?.message}`,
  );
  for (const w of words) {
    assert((err as Error).message.includes(w), `message "${(err as Error).message}" lacks "${w}"`);
  }
}

Deno.test("isJupyter is false under deno test (the Deno.jupyter getter throws here)", () => {
  assert.deepEqual(isJupyter(), false);
});

Deno.test("line: Plotly bundle with series, x values, reference line and a useful summary", () => {
  const fig = line({
    title: "loss",
    series: [{ name: "train", y: [3.3, 2.9, 2.5] }, { name: "val", x: [1, 3], y: [3.2, 2.7] }],
    xTitle: "step",
    yTitle: "loss",
    hlines: [{ y: 3.2958, name: "ln 27" }],
  });
  const { data, layout, config } = plotly(fig);
  assert.deepEqual(data.length, 2);
  assert.deepEqual(data[0], { type: "scatter", mode: "lines+markers", name: "train", y: [3.3, 2.9, 2.5] });
  assert.deepEqual(data[1].x, [1, 3]);
  assert.deepEqual(layout.title.text, "loss");
  assert.deepEqual(layout.xaxis.title.text, "step");
  assert.deepEqual(layout.shapes[0].y0, 3.2958);
  assert.deepEqual(layout.annotations[0].text, "ln 27");
  assert.deepEqual(layout.font.family.includes("sans-serif"), true, "shared look applied");
  assert.deepEqual(config.displaylogo, false);
  const text = bundleOf(fig)["text/plain"];
  assert.match(text, /^line "loss": train: 3 points, first 3\.3, last 2\.5, min 2\.5; val: 2 points/);
  assert.match(text, /reference ln 27 = 3\.296/);
  const named = line({ series: [{ name: "a", y: [1] }], hlines: [{ y: 2.3746, name: "held-out (2.375)" }] });
  assert.match(
    String(named),
    /reference held-out \(2\.375\)$/,
    "a value already in the name is not repeated",
  );
  assert.deepEqual(String(fig), text);
  assert.deepEqual(JSON.parse(JSON.stringify(fig)).data.length, 2, "toJSON gives the Plotly JSON");
});

Deno.test("line: on a log y axis the reference label sits at log10(y) (Plotly's annotation units)", () => {
  const { layout } = plotly(
    line({ series: [{ name: "a", y: [1, 10] }], logY: true, hlines: [{ y: 100, name: "h" }] }),
  );
  assert.equal(layout.yaxis.type, "log");
  assert.equal(layout.shapes[0].y0, 100, "shapes use data values");
  assert.equal(layout.annotations[0].y, 2);
  assertThrowsNaming(
    () => line({ series: [{ name: "a", y: [1] }], logY: true, hlines: [{ y: 0, name: "z" }] }),
    RangeError,
    "hlines[0].y",
  );
});

Deno.test("line: validation names the argument", () => {
  assertThrowsNaming(() => line({ series: [] }), RangeError, "series");
  assertThrowsNaming(
    () => line({ series: [{ name: "a", y: [1, NaN] }] }),
    RangeError,
    "series[0].y[1]",
    "NaN",
  );
  assertThrowsNaming(
    () => line({ series: [{ name: "a", y: [1, "2" as never] }] }),
    TypeError,
    "series[0].y[1]",
  );
  assertThrowsNaming(
    () => line({ series: [{ name: "a", y: [1, 2], x: [1] }] }),
    RangeError,
    "series[0].x",
    "length",
  );
  assertThrowsNaming(
    () => line({ series: [{ name: "a", y: [1] }], hlines: [{ y: Infinity, name: "x" }] }),
    RangeError,
    "hlines[0].y",
  );
});

Deno.test("bar: one value per label; repeated labels stay separate bars; grouped series", () => {
  const fig = bar({ title: "counts", labels: ["a", "n", "n", "a"], values: [1, 5, 2, 0] });
  const { data, layout } = plotly(fig);
  assert.deepEqual(data[0].type, "bar");
  assert.deepEqual(data[0].x, [0, 1, 2, 3], "duplicates would be merged by Plotly as categories");
  assert.deepEqual(layout.xaxis.ticktext, ["a", "n", "n", "a"]);
  assert.deepEqual(data[0].y, [1, 5, 2, 0]);
  assert.match(String(fig), /4 bars; largest n 5, n 2, a 1/);
  const unique = plotly(bar({ labels: ["1", "2"], values: [1, 2] }));
  assert.deepEqual(unique.data[0].x, ["1", "2"]);
  assert.deepEqual(unique.layout.xaxis.type, "category", "numeric-looking labels stay categories");
  const grouped = bar({
    labels: ["a", "b"],
    series: [{ name: "p", values: [1, 2] }, { name: "q", values: [3, 0] }],
  });
  assert.deepEqual(plotly(grouped).data.map((t) => t.name), ["p", "q"]);
  assert.match(String(grouped), /2 series × 2 bars; p: largest b 2, a 1; q: largest a 3, b 0/);
  assertThrowsNaming(() => bar({ labels: ["a"], values: [1, 2] }), RangeError, "labels", "values");
  assertThrowsNaming(() => bar({ labels: ["a"] }), TypeError, "values", "series");
  assertThrowsNaming(() => bar({ labels: ["a"], values: [-Infinity] }), RangeError, "values[0]");
});

Deno.test("histogram: statistics in the summary, values validated", () => {
  const fig = histogram({ title: "w", values: [1, 2, 3, 4] });
  const { data } = plotly(fig);
  assert.deepEqual(data[0].type, "histogram");
  assert.deepEqual(data[0].x, [1, 2, 3, 4]);
  // mean 2.5, population std sqrt(1.25) = 1.118
  assert.deepEqual(String(fig), 'histogram "w": 4 values, min 1, mean 2.5, std 1.118, max 4');
  assertThrowsNaming(() => histogram({ values: [1, Infinity] }), RangeError, "values[1]");
  assertThrowsNaming(() => histogram({ values: [] }), RangeError, "values");
});

Deno.test("heatmap: rows = queries top-down, columns = keys, hover text with values", () => {
  const z = [[1, 0, 0], [0.25, 0.75, 0], [0.1, 0.2, 0.7]];
  const fig = heatmap({
    title: "attention",
    z,
    x: ["a", "n", "n"],
    y: ["a", "n", "n"],
    xTitle: "key",
    yTitle: "query",
  });
  const { data, layout } = plotly(fig);
  assert.deepEqual(data[0].type, "heatmap");
  assert.deepEqual(data[0].z, z);
  assert.deepEqual(layout.yaxis.autorange, "reversed", "first query on top");
  assert.deepEqual(layout.xaxis.ticktext, ["a", "n", "n"]);
  assert.deepEqual(data[0].text[1][0], "query n (1) → key a (0): 0.25");
  assert.deepEqual(data[0].hovertemplate, "%{text}<extra></extra>");
  assert.deepEqual(data[0].texttemplate, "%{z:.2f}", "small matrices show their values");
  assert.deepEqual(layout.xaxis.title.text, "key");
  assert.match(String(fig), /3×3 \(query × key\), values 0 … 1; largest per query: a→a n→n n→n/);
  assertThrowsNaming(() => heatmap({ z: [[1, 2], [3]] }), RangeError, "rectangular", "z[1]");
  assertThrowsNaming(() => heatmap({ z: [[1, 2]], x: ["a"] }), RangeError, "x", "length");
  assertThrowsNaming(() => heatmap({ z: [[1]], zmin: 1, zmax: 0 }), RangeError, "zmin");
  assertThrowsNaming(() => heatmap({ z: [[NaN]] }), RangeError, "z[0][0]");
});

Deno.test("scatter: text labels at points", () => {
  const fig = scatter({ title: "wte", series: [{ name: "tok", x: [0, 1], y: [1, 0], text: ["a", "<b>"] }] });
  const { data, layout } = plotly(fig);
  assert.deepEqual(data[0].mode, "markers+text");
  assert.deepEqual(data[0].text, ["a", "<b>"]);
  assert.equal(layout.height, 460);
  assert.match(String(fig), /tok: 2 points \(a <b>\)/);
  assertThrowsNaming(
    () => scatter({ series: [{ name: "s", x: [1], y: [1], text: ["a", "b"] }] }),
    RangeError,
    "text",
  );
});

Deno.test("frames: slider steps restyle the traces and relayout the title, no kernel needed", () => {
  const fig = frames({
    title: "T",
    control: "slider",
    name: "temperature",
    active: 1,
    steps: [0.5, 1, 2].map((t) => ({
      label: String(t),
      traces: [{ type: "bar", x: ["a", "b"], y: [t, 1 - t] }],
      layout: { title: { text: `T = ${t}` } },
    })),
  });
  const { data, layout } = plotly(fig);
  assert.deepEqual(data[0].y, [1, 0], "initial data = the active step");
  const slider = layout.sliders[0];
  assert.deepEqual(slider.active, 1);
  assert.deepEqual(slider.currentvalue.prefix, "temperature: ");
  assert.deepEqual(slider.steps.map((s: { label: string }) => s.label), ["0.5", "1", "2"]);
  const [restyle, relayout, traces] = slider.steps[2].args;
  assert.deepEqual(slider.steps[2].method, "update");
  assert.deepEqual(restyle.y, [[2, -1]], "one value per trace");
  assert.deepEqual(relayout, { "title.text": "T = 2" });
  assert.deepEqual(traces, [0]);
  assert.deepEqual(layout.title.text, "T = 1", "active step's layout applied");
  assert.match(String(fig), /slider over 3 steps of temperature \(0\.5, 1, 2\); showing 1/);
});

Deno.test("frames: dropdown; a key missing in one step resets to default (null)", () => {
  const fig = frames({
    control: "dropdown",
    steps: [
      { label: "a", traces: [{ type: "bar", y: [1] }, { type: "scatter", y: [2], name: "s" }] },
      { label: "b", traces: [{ type: "bar", y: [3] }, { type: "scatter", y: [4] }] },
    ],
  });
  const { layout } = plotly(fig);
  const buttons = layout.updatemenus[0].buttons;
  assert.deepEqual(layout.updatemenus[0].type, "dropdown");
  assert.deepEqual(buttons[1].args[0].name, [null, null]);
  assert.deepEqual(buttons[0].args[0].name, [null, "s"]);
  assert.deepEqual(buttons[1].args[2], [0, 1]);
  assertThrowsNaming(
    () =>
      frames({
        control: "dropdown",
        steps: [{ label: "a", traces: [{}] }, { label: "b", traces: [{}, {}] }],
      }),
    RangeError,
    "steps[1]",
  );
  assertThrowsNaming(() => frames({ control: "knob" as never, steps: [] }), RangeError, "control");
  assertThrowsNaming(
    () => frames({ control: "slider", steps: [{ label: "a", traces: [{}] }], active: 1 }),
    RangeError,
  );
});

Deno.test("figure: escape hatch keeps data, merges layout over the shared look", () => {
  const fig = figure({
    data: [{ type: "pie", values: [1, 2] }],
    layout: { title: { text: "p" }, margin: { t: 10 } },
  });
  assert(fig instanceof Figure);
  const { data, layout } = plotly(fig);
  assert.deepEqual(data[0].type, "pie");
  assert.deepEqual(layout.margin, { l: 60, r: 30, t: 10, b: 50 }, "deep merge keeps the other margins");
  assert.deepEqual(String(fig), 'figure "p": 1 trace (pie)');
  assertThrowsNaming(() => figure({ data: [] }), RangeError, "data");
});

Deno.test("table: HTML escapes every cell, text is aligned, numbers right-aligned", () => {
  const t = table([{ name: "<script>&", shape: "27×16", count: 432 }, { name: "wpe", count: 0.123456 }], {
    title: "params <1>",
  });
  const b = bundleOf(t);
  const html = b["text/html"] as string;
  assert(!html.includes("<script>"), "raw HTML must not pass through");
  assert(html.includes("&lt;script&gt;&amp;"));
  assert(html.includes("params &lt;1&gt;"));
  assert(html.includes('<td style="text-align:right">432</td>'));
  assert.deepEqual(
    b["text/plain"],
    [
      "params <1>",
      "name       shape   count",
      "---------  -----  ------",
      "<script>&  27×16     432",
      "wpe               0.1235",
    ].join("\n"),
  );
  assertThrowsNaming(() => table([]), RangeError, "rows");
  assertThrowsNaming(() => table([1 as never]), TypeError, "rows[0]");
});

Deno.test("display outside Jupyter prints the text/plain summary", async () => {
  const printed: unknown[] = [];
  const original = console.log;
  console.log = (...a: unknown[]) => printed.push(a.join(" "));
  try {
    await display(bar({ title: "x", labels: ["a"], values: [1] }));
    await display("plain");
  } finally {
    console.log = original;
  }
  assert.deepEqual(printed, ['bar "x": 1 bars; largest a 1', "plain"]);
});

Deno.test("liveLoss: one display, then in-place updates throttled to the interval (fake clock)", () => {
  let clock = 0;
  const calls: { bundle: MimeBundle; options: Record<string, unknown> }[] = [];
  const live = liveLoss({
    title: "loss",
    num_steps: 1000,
    baseline: Math.log(27),
    now: () => clock,
    show: (bundle, options) => calls.push({ bundle, options: { ...options } }),
  });
  for (let step = 1; step <= 1000; step++) {
    clock += 5; // 5 ms per step → 5 s of training
    live.onStep({ step, loss: 3.3 - step / 1000 });
  }
  // first display at step 1, then one update per 250 ms (19 more in 5 s), plus the final step → ≤ 22 calls
  assert(calls.length >= 20 && calls.length <= 22, `${calls.length} display calls`);
  assert.deepEqual(calls[0].options.update, undefined, "first call creates the display");
  const id = calls[0].options.display_id;
  assert(typeof id === "string" && id.length > 0);
  for (const c of calls.slice(1)) assert.deepEqual(c.options, { raw: true, display_id: id, update: true });
  // while training: an SVG (JupyterLab's Plotly renderer would not redraw on update); at the end: Plotly
  const progress = calls[calls.length - 2].bundle;
  assert.ok(String(progress["image/svg+xml"]).startsWith("<svg"));
  assert.equal(progress[PLOTLY_MIME], undefined);
  assert.match(progress["text/plain"], /^loss: step \d+ of 1000: loss /);
  const last = calls.at(-1)!.bundle;
  assert.equal(last["image/svg+xml"], undefined);
  // deno-lint-ignore no-explicit-any
  const fig = last[PLOTLY_MIME] as any;
  assert.deepEqual(fig.data[0].y.length, 1000);
  assert.deepEqual(fig.data[0].x[999], 1000);
  assert.equal(fig.layout.xaxis.range, undefined, "the finished curve fills the width");
  assert.deepEqual(fig.layout.shapes[0].y0, Math.log(27));
  assert.match(last["text/plain"], /^loss: step 1000 of 1000: loss 2\.3, smoothed 2\.3\d* — done$/);
  const before = calls.length;
  assert.equal(live.done(), undefined, "done() returns nothing (a trailing live.done() shows no copy)");
  assert.deepEqual(calls.length, before, "done() after the final step sends nothing new");
});

Deno.test("liveLoss: smoothing is a bias-corrected moving average; NaN leaves a gap, never throws", () => {
  const sent: MimeBundle[] = [];
  let clock = 0;
  const live = liveLoss({ now: () => (clock += 1000), show: (b) => sent.push(b) });
  live.onStep({ step: 1, loss: 4 });
  live.onStep({ step: 2, loss: 2 });
  live.onStep({ step: 3, loss: NaN });
  live.done();
  // deno-lint-ignore no-explicit-any
  const fig = sent.at(-1)![PLOTLY_MIME] as any;
  const [raw, avg] = fig.data as { y: (number | null)[] }[];
  assert.deepEqual(raw.y, [4, 2, null]);
  // ema: 0.9·0 + 0.1·4 = 0.4, weight 0.1 → 4; then 0.9·0.4 + 0.1·2 = 0.56, weight 0.19 → 2.947
  assert(Math.abs(avg.y[0]! - 4) < 1e-12);
  assert(Math.abs(avg.y[1]! - 0.56 / 0.19) < 1e-12);
  assert.deepEqual(avg.y[2], avg.y[1]);
  assert.match(sent.at(-1)!["text/plain"], /1 non-finite loss/);
  assert.deepEqual(sent.length, 4, "a second between steps: every step and done() redraw");
});

Deno.test("liveLoss: outside Jupyter nothing is displayed; a running curve grows into [0, num_steps]", () => {
  const live = liveLoss({ num_steps: 2 });
  live.onStep({ step: 1, loss: 3 });
  live.onStep({ step: 2, loss: 2.5 });
  live.done(); // no kernel, no sink: nothing to show and nothing thrown
  let final = "", svg = "";
  const running = liveLoss({ num_steps: 1000, show: (b) => void (svg = String(b["image/svg+xml"])) });
  running.onStep({ step: 1, loss: 3 });
  assert.match(svg, />1000<\/text>/, "the x axis already reaches num_steps");
  liveLoss({ num_steps: 1000, show: (b) => void (final = b["text/plain"]) }).done();
  assert.match(final, /waiting for the first step/);
  const interrupted = liveLoss({ num_steps: 1000, show: (b) => void (final = b["text/plain"]) });
  interrupted.onStep({ step: 1, loss: 3 });
  interrupted.done();
  assert.match(final, /step 1 of 1000: loss 3, smoothed 3 — stopped$/, "an interrupted run says so");
  assertThrowsNaming(() => liveLoss({ baseline: NaN }), RangeError, "baseline");
});

Deno.test("liveLoss: overhead under 5% of a simulated 1 ms/step training (real clock, JSON-serialising sink)", () => {
  let serialised = 0;
  const live = liveLoss({ num_steps: 800, show: (b) => (serialised += JSON.stringify(b).length) });
  let inPlot = 0;
  const t0 = performance.now();
  for (let step = 1; step <= 800; step++) {
    const end = performance.now() + 1;
    while (performance.now() < end) { /* the "training step" */ }
    const s = performance.now();
    live.onStep({ step, loss: 3 - step / 800 });
    inPlot += performance.now() - s;
  }
  const total = performance.now() - t0;
  assert(serialised > 0);
  assert(inPlot / total < 0.05, `liveLoss took ${(100 * inPlot / total).toFixed(2)}% of the loop`);
});

Deno.test("liveLoss SVG: axes with round ticks, gaps for a NaN loss, escaped title, flat curves do not hang", () => {
  /** The SVG liveLoss shows after these losses (one step each; a fake clock far apart, so every step redraws). */
  const svgAfter = (losses: number[], opts: { title?: string; num_steps?: number; baseline?: number }) => {
    let svg = "", clock = 0;
    const live = liveLoss({
      ...opts,
      now: () => (clock += 1000),
      show: (b) => void (svg = String(b["image/svg+xml"])),
    });
    losses.forEach((loss, i) => live.onStep({ step: i + 1, loss }));
    return svg;
  };
  const ticks = (svg: string, anchor: string) =>
    [...svg.matchAll(new RegExp(`text-anchor="${anchor}">([^<]*)</text>`, "g"))].map((m) => m[1]);
  // x: the axis already spans [0, num_steps]; y: [2.05, 3.3] (the smoothed curve lies between) padded by 5% of
  // 1.25 to [1.9875, 3.3625], 1.375 / 5 = 0.275 rounds up to steps of 0.5
  const wide = svgAfter([3.3, 2.05], { num_steps: 1000 });
  assert.deepEqual(ticks(wide, "middle"), ["0", "200", "400", "600", "800", "1000", "step", "loss"]);
  assert.deepEqual(ticks(wide, "end"), ["2", "2.5", "3"]);
  const svg = svgAfter([3, NaN, 2.5, 2.4], { title: "a <b> & c", num_steps: 10, baseline: 3.3 });
  assert.ok(svg.startsWith("<svg") && svg.endsWith("</svg>"));
  assert.ok(svg.includes("a &lt;b&gt; &amp; c"), "title escaped");
  const d = svg.match(/<path d="(M[^"]*)" fill="none" stroke="#0072B2"/)![1]; // the raw loss
  assert.equal((d.match(/M/g) ?? []).length, 2, "the NaN splits the raw curve in two pieces");
  assert.ok(svg.includes("baseline 3.3") && svg.includes('stroke-dasharray="6 4"'));
  for (const flat of [svgAfter([3], {}), svgAfter([2.9987499999999994, 2.99875], {})]) {
    assert.ok(flat.includes('<path d="M') && ticks(flat, "end").length <= 21);
  }
});
