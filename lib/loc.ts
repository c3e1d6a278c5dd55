/**
 * Lines of code, counted from the source files themselves, so a notebook can say how big the engine is
 * without typing a number that goes stale. Each line is **code** (anything outside a comment), **comment**
 * (only comment text) or **blank** (only whitespace).
 *
 * @module
 */

/** How the lines of one source divide up. `lines = code + comment + blank`. */
export interface LineCount {
  /** Every line (a final newline does not start another one). */
  lines: number;
  /** Lines with at least one character of code (a line with code and a trailing comment is code). */
  code: number;
  /** Lines holding only comment text. */
  comment: number;
  /** Lines holding only whitespace (inside a comment too). */
  blank: number;
}

/** `LineCount` of one file under lib/; `file` is the path relative to lib/, e.g. "value.ts" or "fast/model.ts". */
export type FileLineCount = LineCount & { file: string };

/**
 * Count code, comment and blank lines of TypeScript source written as lib/'s files are: a `//` or `/*` is
 * taken for the start of a comment wherever it stands, so it must not open a line inside a string or a
 * template literal (a `//` after code, as in `const url = "https://x";`, leaves the line code anyway).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { countLines } from "./loc.ts";
 * const c = countLines('/** doc *\/\nconst url = "https://x"; // note\n\nlet a = 1 / 2;\n');
 * assert(c.lines === 4 && c.code === 2 && c.comment === 1 && c.blank === 1);
 * ```
 * @throws {TypeError} `source` is not a string.
 */
export function countLines(source: string): LineCount {
  if (typeof source !== "string") {
    throw new TypeError(`countLines: source must be a string, got ${typeof source}`);
  }
  const lines = source.split("\n");
  if (source === "" || source.endsWith("\n")) lines.pop();
  let inComment = false, code = 0, comment = 0;
  for (const line of lines) {
    // the line without its comments: `/* … */` (which may span lines) and `// …` to the end of the line
    let rest = line, codeText = "";
    while (rest !== "") {
      if (inComment) {
        const end = rest.indexOf("*/");
        inComment = end < 0;
        rest = end < 0 ? "" : rest.slice(end + 2);
      } else {
        const m = /\/\/|(\/\*)/.exec(rest); // group 1: a block comment opens
        codeText += m ? rest.slice(0, m.index) : rest;
        inComment = m?.[1] !== undefined;
        rest = m && inComment ? rest.slice(m.index + 2) : "";
      }
    }
    if (codeText.trim() !== "") code++;
    else if (line.trim() !== "") comment++;
  }
  return { lines: lines.length, code, comment, blank: lines.length - code - comment };
}

const LIB = new URL("./", import.meta.url);

/**
 * Count the lines of files under lib/, read from disk (wherever the notebook or script runs from).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { countLibLines } from "./loc.ts";
 * const [value] = countLibLines(["value.ts"]);
 * assert(value.file === "value.ts" && value.code > 0 && value.code < value.lines);
 * ```
 * @throws {RangeError} a path that is not a .ts file inside lib/, or a file that does not exist.
 */
export function countLibLines(files: readonly string[]): FileLineCount[] {
  if (!Array.isArray(files)) throw new TypeError(`files must be an array of paths, got ${typeof files}`);
  return files.map((file) => ({ file, ...countLines(readLibFile(file)) }));
}

/**
 * The lib files that one lib file imports (static `import … from "./…"` and `export … from "./…"`),
 * as sorted paths relative to lib/. Package and built-in imports (`npm:`, `node:`) are left out; so are
 * imports inside comments, such as the ones of JSDoc examples. Not seen: side-effect imports without
 * `from` (`import "./x.ts"`) and dynamic `import()`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { libImports } from "./loc.ts";
 * assert(libImports("gpt.ts").includes("value.ts"));
 * assert(libImports("fast/model.ts").every((f) => !f.startsWith(".")));
 * ```
 * @throws {RangeError} a path that is not a .ts file inside lib/, or a file that does not exist.
 */
export function libImports(file: string): string[] {
  const text = readLibFile(file);
  const found = new Set<string>();
  // A statement starts a line; "[^;]*?" spans a multi-line `import { a,\n b }`. JSDoc lines start with " * ".
  for (const m of text.matchAll(/^[ \t]*(?:import|export)\b[^;]*?\bfrom\s*["'](\.{1,2}\/[^"']+)["']/gm)) {
    const url = new URL(m[1], new URL(file, LIB)).href;
    found.add(url.startsWith(LIB.href) ? url.slice(LIB.href.length) : m[1]);
  }
  return [...found].sort();
}

/** The text of a lib file, after checking its path; a missing file is a RangeError naming it. */
function readLibFile(file: string): string {
  if (typeof file !== "string") throw new TypeError(`file must be a string, got ${typeof file}`);
  const name = JSON.stringify(file);
  if (!/^[A-Za-z0-9_]+(\/[A-Za-z0-9_]+)*\.ts$/.test(file)) {
    throw new RangeError(
      `file must be a .ts path inside lib/ such as "value.ts" or "fast/model.ts", got ${name}`,
    );
  }
  try {
    return Deno.readTextFileSync(new URL(file, LIB));
  } catch (e) {
    throw e instanceof Deno.errors.NotFound ? new RangeError(`file ${name} does not exist in lib/`) : e;
  }
}
