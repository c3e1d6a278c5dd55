/**
 * A character-level tokenizer: one token per distinct character of the corpus, plus BOS, a special token
 * that marks both the beginning and the end of a document.
 *
 * @module
 */

/**
 * Characters ↔ token ids. Ids are indices in the sorted list of characters; `bos` comes after them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Tokenizer } from "./tokenizer.ts";
 * const tok = Tokenizer.fromDocs(["emma", "ava"]);
 * assert(tok.vocab_size === 5); // a, e, m, v + BOS
 * assert(tok.encode("ma").join(",") === "4,2,0,4");
 * assert(tok.decode(tok.encode("emma")) === "emma");
 * ```
 */
export class Tokenizer {
  /** The distinct characters, sorted by code point. */
  readonly chars: readonly string[];
  /** The BOS token id (= number of characters). */
  readonly bos: number;
  /** Number of tokens: characters + BOS. */
  readonly vocab_size: number;
  #ids: Map<string, number>;

  /**
   * @param chars distinct characters, in id order.
   * @throws {RangeError} chars is empty, holds a duplicate or an entry that is not one character.
   * @throws {TypeError} chars is not an array.
   */
  constructor(chars: readonly string[]) {
    if (!Array.isArray(chars)) {
      throw new TypeError(`Tokenizer: chars must be an array of characters, got ${typeof chars}`);
    }
    if (chars.length === 0) throw new RangeError("Tokenizer: chars must hold at least one character, got []");
    this.#ids = new Map();
    chars.forEach((ch, i) => {
      if (typeof ch !== "string" || [...ch].length !== 1) {
        throw new RangeError(`Tokenizer: chars[${i}] must be one character, got ${JSON.stringify(ch)}`);
      }
      if (this.#ids.has(ch)) throw new RangeError(`Tokenizer: character ${JSON.stringify(ch)} appears twice`);
      this.#ids.set(ch, i);
    });
    this.chars = Object.freeze([...chars]);
    this.bos = chars.length;
    this.vocab_size = chars.length + 1;
  }

  /**
   * The tokenizer of a corpus: its distinct characters sorted by code point (Python's `sorted(set(...))`).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tokenizer } from "./tokenizer.ts";
   * assert(Tokenizer.fromDocs(["ba", "c"]).chars.join("") === "abc");
   * ```
   * @throws {RangeError} no documents, or only empty ones.
   * @throws {TypeError} a document is not a string.
   */
  static fromDocs(docs: readonly string[]): Tokenizer {
    if (!Array.isArray(docs) || docs.length === 0) {
      throw new RangeError("Tokenizer.fromDocs: the corpus has no documents; give at least one");
    }
    const set = new Set<string>();
    docs.forEach((doc, i) => {
      if (typeof doc !== "string") throw new TypeError(`docs[${i}] must be a string, got ${typeof doc}`);
      for (const ch of doc) set.add(ch);
    });
    if (set.size === 0) {
      throw new RangeError(`Tokenizer.fromDocs: the ${docs.length} documents are all empty; give some text`);
    }
    const chars = [...set].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
    return new Tokenizer(chars);
  }

  /**
   * `[BOS, ...ids, BOS]` for a document.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tokenizer } from "./tokenizer.ts";
   * const tok = Tokenizer.fromDocs(["ab"]);
   * assert(tok.encode("ba").join(",") === "2,1,0,2");
   * ```
   * @throws {RangeError} the document has a character the tokenizer does not know.
   * @throws {TypeError} doc is not a string.
   */
  encode(doc: string): number[] {
    if (typeof doc !== "string") throw new TypeError(`encode: doc must be a string, got ${typeof doc}`);
    const out = [this.bos];
    for (const ch of doc) {
      const id = this.#ids.get(ch);
      if (id === undefined) {
        throw new RangeError(
          `unknown character ${JSON.stringify(ch)} in document ${JSON.stringify(doc)}; known characters: ${
            JSON.stringify(this.chars.join(""))
          }`,
        );
      }
      out.push(id);
    }
    out.push(this.bos);
    return out;
  }

  /**
   * The text of token ids; BOS tokens are dropped.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tokenizer } from "./tokenizer.ts";
   * assert(Tokenizer.fromDocs(["ab"]).decode([2, 1, 0, 2]) === "ba");
   * ```
   * @throws {RangeError} an id is not a token of this tokenizer.
   */
  decode(ids: readonly number[]): string {
    let s = "";
    for (const id of ids) {
      if (id === this.bos) continue;
      const ch = Number.isInteger(id) ? this.chars[id] : undefined;
      if (ch === undefined) throw new RangeError(`decode: token id ${id} is not in [0, ${this.vocab_size})`);
      s += ch;
    }
    return s;
  }

  /** A short description: vocabulary size and characters. */
  toString(): string {
    const chars = JSON.stringify(this.chars.join(""));
    return `Tokenizer(vocab_size=${this.vocab_size}, bos=${this.bos}, chars=${chars})`;
  }

  /** Jupyter shows a tokenizer as its `toString()`. */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return { "text/plain": this.toString() };
  }
}
