/**
 * Lines of code, counted from the source files themselves, so a notebook can say how big the engine is
 * without typing a number that goes stale. Each line is **code** (anything outside a comment), **comment**
 * (only comment text) or **blank** (only whitespace). Strings, template literals and regular expressions
 * are skipped over, so a `//` inside `"https://…"` or `/\/\//` is not taken for a comment.
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

/** After these tokens a `/` starts a regular expression; after anything else (a name, `)`, `]`) it divides. */
const REGEX_AFTER = new Set([
  ..."(,=:[!&|?{};+-*%<>~^",
  ..."return typeof case in of new delete void throw yield await".split(" "),
]);
/** One token of code: a comment, a string, a regex literal (or a lone `/`), whitespace, a word or a character. */
const TOKEN =
  /\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$)|(["'])(?:\\[\s\S]|(?!\1)[^\\\n])*\1?|\/(?:\\.|\[(?:\\.|[^\]\\\n])*\]|[^/\\\n[])+\/|\s+|[\w$]+|[\s\S]/y;
/** The text of a template literal: up to its closing backtick or the next `${`. */
const TEMPLATE = /(?:\\[\s\S]|\$(?!\{)|[^`\\$])*(?:`|\$\{)?/y;

/**
 * Count code, comment and blank lines of TypeScript / JavaScript source.
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
  const kind: number[] = []; // per line: 2 code, 1 comment, nothing = blank
  let line = 0;
  // every line of a code token is code (a blank line inside a template too); a comment marks its non-blank lines
  const mark = (text: string, k: 0 | 1 | 2) => {
    text.split("\n").forEach((part, j) => {
      if (k === 2 || (k === 1 && part.trim() !== "")) kind[line + j] = Math.max(kind[line + j] ?? 0, k);
    });
    line += text.split("\n").length - 1;
  };
  const braces: number[] = []; // one per open template literal: 0 in its text, else the brace depth in `${…}`
  let prev = ";"; // the last code token ("x" after a string or regex); at the start a regex may follow
  let tok = "";
  for (let i = 0; i < source.length; i += tok.length) {
    const inText = braces.at(-1) === 0;
    const re = inText ? TEMPLATE : TOKEN;
    re.lastIndex = i;
    tok = re.exec(source)![0] || source[i];
    if (inText) {
      mark(tok, 2);
      if (tok.endsWith("`")) braces.pop(), prev = "x";
      else braces[braces.length - 1] = 1, prev = "{";
    } else if (/^\/[/*]/.test(tok)) mark(tok, 1);
    else if (/^\s+$/.test(tok)) mark(tok, 0);
    else {
      if (tok[0] === "/" && !REGEX_AFTER.has(prev)) tok = "/"; // a division
      mark(tok, 2);
      if (tok === "`") braces.push(0);
      else if (braces.length > 0 && (tok === "{" || tok === "}")) {
        braces[braces.length - 1] += tok === "{" ? 1 : -1;
      }
      prev = /^["'/]./.test(tok) ? "x" : tok;
    }
  }
  const lines = source.split("\n").length - (source === "" || source.endsWith("\n") ? 1 : 0);
  const count = (k: number) => kind.filter((x, l) => x === k && l < lines).length;
  const code = count(2), comment = count(1);
  return { lines, code, comment, blank: lines - code - comment };
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
