import assert from "node:assert/strict";
import { Tokenizer } from "./tokenizer.ts";

Deno.test("fromDocs sorts characters by code point, like Python's sorted(set(...))", () => {
  // python3 -c "print(sorted(set(''.join(['zoë','Émile','a b','ab\U0001F600','ﬀ']))))"
  const tok = Tokenizer.fromDocs(["zoë", "Émile", "a b", "ab\u{1F600}", "ﬀ"]);
  assert.deepEqual(tok.chars, [" ", "a", "b", "e", "i", "l", "m", "o", "z", "É", "ë", "ﬀ", "\u{1F600}"]);
  assert.equal(tok.bos, 13);
  assert.equal(tok.vocab_size, 14);
});

Deno.test("the names corpus gives 26 letters + BOS = 27 tokens; encode wraps in BOS", () => {
  const tok = Tokenizer.fromDocs(["abcdefghijklm", "nopqrstuvwxyz"]);
  assert.equal(tok.vocab_size, 27);
  assert.deepEqual(tok.encode("emma"), [26, 4, 12, 12, 0, 26]);
  assert.deepEqual(tok.encode(""), [26, 26]);
  assert.equal(tok.decode([26, 4, 12, 12, 0, 26]), "emma");
});

Deno.test("an unknown character is a RangeError naming the character and the document", () => {
  const tok = Tokenizer.fromDocs(["abc"]);
  assert.throws(() => tok.encode("cab!"), /unknown character "!" in document "cab!"/);
  assert.throws(() => tok.decode([7]), /token id 7 is not in \[0, 4\)/);
});

Deno.test("bad character lists are rejected", () => {
  assert.throws(() => Tokenizer.fromDocs([]), /no documents/);
  assert.throws(() => Tokenizer.fromDocs(["", ""]), /the 2 documents are all empty/);
  assert.throws(
    () => Tokenizer.fromDocs(["ab", 7 as unknown as string]),
    /docs\[1\] must be a string, got number/,
  );
  assert.throws(() => Tokenizer.fromDocs(["ab"]).encode(7 as unknown as string), TypeError);
  assert.throws(() => new Tokenizer([]), /chars must hold at least one character, got \[\]/);
  assert.throws(() => new Tokenizer("ab" as unknown as string[]), TypeError);
  assert.throws(() => new Tokenizer(["a", "a"]), /appears twice/);
  assert.throws(() => new Tokenizer(["ab"]), /chars\[0\] must be one character/);
});

Deno.test("a tokenizer shows its vocabulary", () => {
  const tok = Tokenizer.fromDocs(["ba"]);
  assert.equal(tok.toString(), 'Tokenizer(vocab_size=3, bos=2, chars="ab")');
  const show = (tok as unknown as Record<symbol, () => unknown>)[Symbol.for("Jupyter.display")];
  assert.deepEqual(show.call(tok), { "text/plain": tok.toString() });
});
