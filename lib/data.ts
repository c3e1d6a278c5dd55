/**
 * The dataset: a text file with one document (a name) per line.
 *
 * @module
 */
import type { Random } from "./random.ts";

/**
 * Split a text into documents: lines, stripped of surrounding white space, empty ones dropped
 * (microgpt.py's `[line.strip() for line in f if line.strip()]`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseDocs } from "./data.ts";
 * assert(parseDocs("emma\n  olivia \n\nava\n").join(",") === "emma,olivia,ava");
 * ```
 * @throws {TypeError} text is not a string.
 * @throws {RangeError} the text holds no document.
 */
export function parseDocs(text: string): string[] {
  if (typeof text !== "string") throw new TypeError(`text must be a string, got ${typeof text}`);
  const docs = text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line.length > 0);
  if (docs.length === 0) {
    throw new RangeError(
      "the corpus has no documents: every line is empty; give at least one non-empty line",
    );
  }
  return docs;
}

/**
 * The corpus shipped with the project: `data/names.txt`, next to `lib/`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_DATA_PATH } from "./data.ts";
 * assert(DEFAULT_DATA_PATH.href.endsWith("/data/names.txt"));
 * ```
 */
export const DEFAULT_DATA_PATH: URL = new URL("../data/names.txt", import.meta.url);

/**
 * Read the documents of a text file (default: the project's `data/names.txt`), shuffled in place by `opts.rng`
 * if given (the first use of the generator in the reference).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadDocs, Random } from "./engine_api.ts";
 * const docs = loadDocs(undefined, { rng: new Random(42) });
 * assert(docs.length > 1000);
 * ```
 * @throws {RangeError} the file holds no document.
 */
export function loadDocs(path: string | URL = DEFAULT_DATA_PATH, opts: { rng?: Random } = {}): string[] {
  const docs = parseDocs(Deno.readTextFileSync(path));
  opts.rng?.shuffle(docs);
  return docs;
}

/**
 * Split documents into a training part and a validation part: the last `valFraction` of them (in [0, 1),
 * default 0.1; no reshuffle).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { splitDocs } from "./data.ts";
 * const { train, val } = splitDocs(["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"]);
 * assert(train.length === 9 && val[0] === "j");
 * ```
 * @throws {RangeError} valFraction outside [0, 1), or too few documents to leave one for training.
 */
export function splitDocs(
  docs: readonly string[],
  opts: { valFraction?: number } = {},
): { train: string[]; val: string[] } {
  const { valFraction = 0.1 } = opts;
  if (typeof valFraction !== "number" || !(valFraction >= 0 && valFraction < 1)) {
    throw new RangeError(`valFraction must be a number in [0, 1), got ${valFraction}`);
  }
  if (docs.length === 0) throw new RangeError("splitDocs: docs is empty; give at least one document");
  const nVal = Math.floor(docs.length * valFraction);
  return { train: docs.slice(0, docs.length - nVal), val: docs.slice(docs.length - nVal) };
}
