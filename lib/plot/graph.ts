/**
 * `graph()`: draw the computation graph behind a `Value` (like micrograd's `draw_dot`). Each value is a box
 * with its label, data and grad; each operation is a small oval between its inputs and its result. Drawing
 * before and after `backward()` shows the gradients appear. Rendered to SVG by Graphviz compiled to
 * WebAssembly (npm `@viz-js/viz`), loaded on first use.
 *
 * @module
 */
import { DISPLAY, type MimeBundle } from "./display.ts";
import { escapeHtml } from "./table.ts";
import { check, fmt } from "./validate.ts";

/** The shape of a `Value` that `graph()` needs (structural, so any autograd node fits). */
export interface GraphNode {
  data: number;
  grad: number;
  children: readonly GraphNode[];
  /** The operation that produced this node ("" or undefined for a leaf). */
  op?: string;
  label?: string;
}

/** Graphs with more values than this are refused: bigger ones are unreadable and slow to lay out. */
const MAX_NODES = 500;

/**
 * A rendered computation graph, what `graph()` returns: its SVG, its Graphviz source and a one-line summary.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { GraphView } from "./graph.ts";
 * const view = new GraphView("<svg width=\"10pt\" height=\"10pt\" viewBox=\"0 0 10 10\"></svg>", "digraph G {}", "empty");
 * assert.equal(view.toString(), "empty");
 * ```
 */
export class GraphView {
  constructor(readonly svg: string, readonly dot: string, readonly summary: string) {}

  toString(): string {
    return this.summary;
  }

  /**
   * The bundle: an inline SVG in `text/html` that shrinks to the output's width (JupyterLab draws an
   * `image/svg+xml` output at its natural size and clips a wide graph), the plain SVG for other front-ends,
   * and the summary.
   */
  [DISPLAY](): MimeBundle {
    return { "text/html": responsiveSvg(this.svg), "image/svg+xml": this.svg, "text/plain": this.summary };
  }
}

/**
 * The SVG with its fixed size replaced by `width="100%"` between 60% and 100% of its natural width (viewBox
 * kept): it shrinks to fit a narrow output area, never grows, and scrolls sideways rather than becoming
 * unreadably small.
 */
function responsiveSvg(svg: string): string {
  // Graphviz gives the size in points: <svg width="75pt" height="30pt" viewBox="0 0 75 30" …>
  const open = svg.match(/^<svg\b[^>]*>/)![0];
  const px = Number(open.match(/\swidth="([\d.]+)pt"/)![1]) * 4 / 3;
  const style = `max-width:${Math.round(px)}px;min-width:${Math.round(0.6 * px)}px;height:auto`;
  const tag = open.replace(/\s(width|height)="[^"]*"/g, "").replace(
    /^<svg/,
    `<svg width="100%" style="${style}"`,
  );
  return `<div style="overflow-x:auto">${tag}${svg.slice(open.length)}</div>`;
}

/** The nodes reachable from `root` (iteratively; a RangeError past `MAX_NODES`). */
function collectNodes(root: GraphNode): GraphNode[] {
  const seen = new Set<GraphNode>([root]);
  const stack = [root];
  const order: GraphNode[] = [];
  while (stack.length > 0) {
    const v = stack.pop()!;
    if (typeof v !== "object" || v === null) throw new TypeError(`graph: expected a Value, got ${String(v)}`);
    if (typeof v.data !== "number" || typeof v.grad !== "number" || !Array.isArray(v.children)) {
      throw new TypeError(
        "graph: every node needs numeric `data` and `grad` and a `children` array (a Value)",
      );
    }
    order.push(v);
    for (const c of v.children) {
      if (seen.has(c)) continue;
      seen.add(c);
      if (seen.size > MAX_NODES) {
        throw new RangeError(
          `graph: root has more than ${MAX_NODES} values; draw a smaller expression ` +
            `(a single neuron or one attention score)`,
        );
      }
      stack.push(c);
    }
  }
  return order;
}

/** The Graphviz DOT source of the graph of `nodes` (from `collectNodes`). */
function toDot(nodes: GraphNode[], title?: string): string {
  const id = new Map(nodes.map((v, i) => [v, `v${i}`]));
  const lines = [
    "digraph G {",
    `  rankdir=LR; bgcolor="white"; nodesep=0.25; ranksep=0.35;`,
    `  node [fontname="Helvetica", fontsize=11];`,
    `  edge [color="#777", arrowsize=0.6];`,
  ];
  if (title !== undefined) {
    lines.push(`  labelloc="t"; fontname="Helvetica"; fontsize=14; label=${JSON.stringify(title)};`);
  }
  for (const v of nodes) {
    const grad = `grad ${fixed(v.grad)}`;
    const gradCell = v.grad === 0 ? `<TD>${grad}</TD>` : `<TD BGCOLOR="#FCE3C4"><B>${grad}</B></TD>`;
    const name = v.label ? `<TD><B>${escapeHtml(v.label)}</B></TD>` : "";
    const html = `<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4">` +
      `<TR>${name}<TD>data ${fixed(v.data)}</TD>${gradCell}</TR></TABLE>`;
    lines.push(`  ${id.get(v)} [shape=plaintext, label=<${html}>];`);
    // an operation is an oval between its inputs and its result (a node without one links them directly)
    const into = v.op && v.children.length > 0 ? `${id.get(v)}_op` : id.get(v);
    if (into !== id.get(v)) {
      const oval = `shape=ellipse, style=filled, fillcolor="#E8F0FA", label=${JSON.stringify(v.op)}`;
      lines.push(`  ${into} [${oval}];`, `  ${into} -> ${id.get(v)};`);
    }
    for (const c of v.children) lines.push(`  ${id.get(c)} -> ${into};`);
  }
  lines.push("}");
  return lines.join("\n");
}

type Viz = { renderString(dot: string, opts: { format: string }): string };
let vizPromise: Promise<Viz> | undefined;

/**
 * Render the computation graph of `root` as SVG (value boxes show label, data and grad; ovals are ops).
 * Draw it before and after `backward()` to watch the gradients appear.
 *
 * @example
 * ```ts
 * import { graph } from "./graph.ts";
 * const a = { data: 2, grad: 0, children: [], label: "a" };
 * const b = { data: -3, grad: 0, children: [], label: "b" };
 * const c = { data: -6, grad: 1, children: [a, b], op: "*", label: "c" };
 * const view = await graph(c, { title: "c = a * b" });
 * console.log(view.toString()); // graph "c = a * b": 3 values, 1 op; root c data -6, grad 1
 * ```
 */
export async function graph(root: GraphNode, opts: { title?: string } = {}): Promise<GraphView> {
  const nodes = collectNodes(root);
  const dot = toDot(nodes, check<string>("graph: title", opts.title, "string", true));
  vizPromise ??= import("@viz-js/viz").then((m) => m.instance());
  const svg = (await vizPromise).renderString(dot, { format: "svg" });
  const start = svg.indexOf("<svg");
  const ops = nodes.filter((v) => v.op && v.children.length > 0).length;
  const title = opts.title === undefined ? "" : ` "${opts.title}"`;
  const summary = `graph${title}: ${nodes.length} value${nodes.length === 1 ? "" : "s"}, ${ops} op${
    ops === 1 ? "" : "s"
  }; root ${root.label ? root.label + " " : ""}data ${fmt(root.data)}, grad ${fmt(root.grad)}`;
  return new GraphView(start >= 0 ? svg.slice(start) : svg, dot, summary);
}

/** Four decimals like micrograd's draw_dot (2.0000), scientific notation for very large or tiny numbers. */
function fixed(x: number): string {
  const a = Math.abs(x);
  return a === 0 || (a >= 1e-4 && a < 1e6) ? x.toFixed(4) : x.toExponential(3);
}
