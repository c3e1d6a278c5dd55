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

/** `LineCount` of one file under lib/. */
export interface FileLineCount extends LineCount {
  /** The path relative to lib/, e.g. "value.ts" or "fast/model.ts". */
  file: string;
}

const REGEX_AFTER = new Set("(,=:[!&|?{};+-*%<>~^".split(""));
const REGEX_AFTER_WORD = new Set([
  "return",
  "typeof",
  "case",
  "in",
  "of",
  "new",
  "delete",
  "void",
  "throw",
  "yield",
  "await",
]);

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
  const count: LineCount = { lines: 0, code: 0, comment: 0, blank: 0 };
  type State = "code" | "line" | "block" | "string" | "template" | "regex";
  let state: State = "code";
  let quote = ""; // ' or " while state is "string"
  let inClass = false; // inside [...] of a regex
  const braces: number[] = []; // open `${` of template literals: brace depth of each
  let hasCode = false, hasComment = false;
  let prev = ""; // last significant code character (to tell a regex from a division)
  let word = ""; // the identifier ending at prev, if any

  const endLine = () => {
    count.lines++;
    if (hasCode || state === "string" || state === "template") count.code++;
    else if (hasComment) count.comment++;
    else count.blank++;
    hasCode = hasComment = false;
  };

  for (let i = 0; i < source.length; i++) {
    const ch = source[i], next = source[i + 1];
    if (ch === "\n") {
      if (state === "line") state = "code";
      endLine();
      continue;
    }
    const space = ch === " " || ch === "\t" || ch === "\r";
    switch (state) {
      case "line":
      case "block":
        if (!space) hasComment = true;
        if (state === "block" && ch === "*" && next === "/") {
          state = "code";
          i++;
        }
        break;
      case "string":
        hasCode = true;
        if (ch === "\\") i++;
        else if (ch === quote) state = "code";
        break;
      case "template":
        hasCode = true;
        if (ch === "\\") i++;
        else if (ch === "`") state = "code";
        else if (ch === "$" && next === "{") {
          braces.push(1);
          state = "code";
          i++;
        }
        break;
      case "regex":
        hasCode = true;
        if (ch === "\\") i++;
        else if (ch === "[") inClass = true;
        else if (ch === "]") inClass = false;
        else if (ch === "/" && !inClass) state = "code";
        break;
      case "code": {
        if (space) break;
        if (ch === "/" && next === "/") {
          state = "line";
          hasComment = true;
          i++;
          break;
        }
        if (ch === "/" && next === "*") {
          state = "block";
          hasComment = true;
          i++;
          break;
        }
        hasCode = true;
        if (ch === "'" || ch === '"') {
          state = "string";
          quote = ch;
        } else if (ch === "`") {
          state = "template";
        } else if (ch === "/" && (prev === "" || REGEX_AFTER.has(prev) || REGEX_AFTER_WORD.has(word))) {
          state = "regex";
          inClass = false;
        } else if (ch === "{" && braces.length > 0) {
          braces[braces.length - 1]++;
        } else if (ch === "}" && braces.length > 0 && --braces[braces.length - 1] === 0) {
          braces.pop();
          state = "template";
        }
        word = /[A-Za-z0-9_$]/.test(ch) ? (/[A-Za-z0-9_$]/.test(prev) ? word + ch : ch) : "";
        prev = state === "code" ? ch : "x"; // after a string, template or regex: an operand
        break;
      }
    }
  }
  if (source.length > 0 && !source.endsWith("\n")) endLine();
  return count;
}

const LIB = new URL("./", import.meta.url);

function checkLibPath(file: string): void {
  if (typeof file !== "string") throw new TypeError(`file must be a string, got ${typeof file}`);
  if (!/^[A-Za-z0-9_]+(\/[A-Za-z0-9_]+)*\.ts$/.test(file)) {
    throw new RangeError(
      `file must be a .ts path inside lib/ such as "value.ts" or "fast/model.ts", got ${
        JSON.stringify(file)
      }`,
    );
  }
}

/**
 * The `.ts` files of a folder of lib/ (not the tests), sorted, as paths relative to lib/.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { listLibFiles } from "./loc.ts";
 * const files = listLibFiles("fast");
 * assert(files.includes("fast/model.ts") && !files.some((f) => f.endsWith("_test.ts")));
 * ```
 * @throws {RangeError} `folder` is not a folder name inside lib/ (letters, digits, `_`, `/`).
 */
export function listLibFiles(folder = ""): string[] {
  if (typeof folder !== "string" || !/^([A-Za-z0-9_]+(\/[A-Za-z0-9_]+)*)?$/.test(folder)) {
    throw new RangeError(
      `folder must be a folder inside lib/ such as "fast" or "" (lib/ itself), got ${folder}`,
    );
  }
  const prefix = folder === "" ? "" : `${folder}/`;
  const files: string[] = [];
  for (const entry of Deno.readDirSync(new URL(prefix || "./", LIB))) {
    if (entry.isFile && entry.name.endsWith(".ts") && !entry.name.endsWith("_test.ts")) {
      files.push(prefix + entry.name);
    }
  }
  return files.sort();
}

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
  return files.map((file) => {
    return { file, ...countLines(readLibFile(file)) };
  });
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
  checkLibPath(file);
  try {
    return Deno.readTextFileSync(new URL(file, LIB));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new RangeError(`file ${JSON.stringify(file)} does not exist in lib/`);
    }
    throw e;
  }
}
