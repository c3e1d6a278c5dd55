/**
 * `table()`: rows of records shown as an HTML table in JupyterLab and as aligned text elsewhere.
 *
 * @module
 */
import { DISPLAY, type MimeBundle } from "./display.ts";
import { check, fmt } from "./validate.ts";

/**
 * A table that renders itself (HTML in JupyterLab, aligned text elsewhere); made by `table()`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Table } from "./table.ts";
 * const t = new Table([{ name: "wte", count: 432 }]);
 * assert.ok(t.toHTML().includes("<td style=\"text-align:right\">432</td>"));
 * ```
 */
export class Table {
  readonly title?: string;
  /** Every key of the rows, in order of first appearance. */
  readonly columns: string[];
  /** The cells as text, one array per row. */
  readonly cells: string[][];
  /** Which columns hold only numbers (right-aligned). */
  readonly numeric: boolean[];

  constructor(rows: readonly Record<string, unknown>[], opts: { title?: string } = {}) {
    check<unknown[]>("table: rows", rows, "array").forEach((r, i) => check(`table: rows[${i}]`, r, "object"));
    this.title = check<string>("table: title", opts.title, "string", true);
    this.columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    this.cells = rows.map((r) => this.columns.map((c) => cell(r[c])));
    this.numeric = this.columns.map((c) => rows.every((r) => typeof r[c] === "number" || r[c] === undefined));
  }

  /** Aligned plain text. */
  toString(): string {
    const widths = this.columns.map((c, j) => Math.max(c.length, ...this.cells.map((r) => r[j].length)));
    const pad = (s: string, j: number) => (this.numeric[j] ? s.padStart(widths[j]) : s.padEnd(widths[j]));
    const lines = [
      this.columns.map(pad).join("  ").trimEnd(),
      widths.map((w) => "-".repeat(w)).join("  "),
      ...this.cells.map((r) => r.map(pad).join("  ").trimEnd()),
    ];
    return (this.title === undefined ? "" : this.title + "\n") + lines.join("\n");
  }

  /** An HTML table; every cell is escaped. */
  toHTML(): string {
    const align = (j: number) => ` style="text-align:${this.numeric[j] ? "right" : "left"}"`;
    const head = this.columns.map((c, j) => `<th${align(j)}>${escapeHtml(c)}</th>`).join("");
    const body = this.cells
      .map((r) => `<tr>${r.map((v, j) => `<td${align(j)}>${escapeHtml(v)}</td>`).join("")}</tr>`)
      .join("\n");
    const style = "caption-side:top;text-align:left;font-weight:bold";
    const caption = this.title === undefined
      ? ""
      : `<caption style="${style}">${escapeHtml(this.title)}</caption>`;
    return `<table>${caption}<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table>`;
  }

  /** HTML and text. */
  [DISPLAY](): MimeBundle {
    return { "text/html": this.toHTML(), "text/plain": this.toString() };
  }
}

/**
 * A table from an array of records; numbers are right-aligned and shown with 4 significant digits.
 *
 * @example
 * ```ts
 * import { table } from "./table.ts";
 * import assert from "node:assert/strict";
 * const t = table([{ name: "wte", count: 432 }, { name: "wpe", count: 256 }], { title: "parameters" });
 * assert.ok(t.toHTML().includes('<td style="text-align:right">432</td>'));
 * ```
 */
export function table(rows: readonly Record<string, unknown>[], opts: { title?: string } = {}): Table {
  return new Table(rows, opts);
}

/**
 * Escape the five HTML special characters, quotes as numeric entities: the same text is safe in HTML, in
 * Graphviz labels and in Plotly's text (which renders a subset of HTML and knows `&#34;` but not `&quot;`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { escapeHtml } from "./table.ts";
 * assert.equal(escapeHtml('<a href="x">'), "&lt;a href=&#34;x&#34;&gt;");
 * ```
 */
export function escapeHtml(s: string): string {
  return s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&#34;")
    .replaceAll("'", "&#39;");
}

/** A cell's text: numbers with 4 significant digits, a missing value empty. */
function cell(v: unknown): string {
  return v === undefined || v === null ? "" : typeof v === "number" ? fmt(v) : String(v);
}
