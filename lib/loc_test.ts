import assert from "node:assert/strict";
import { countLibLines, countLines, libImports } from "./loc.ts";

/** countLines of `lines` joined by "\n" (and ending in `end`), against counts made by hand. */
function assertCounts(lines: string[], expected: ReturnType<typeof countLines>, end = "\n") {
  assert.deepEqual(countLines(lines.join("\n") + end), expected);
}

Deno.test("countLines: code, comment and blank lines, counted by hand", () => {
  assertCounts([
    "/**", // comment
    " * A doc comment.", // comment
    " */", // comment
    "export function f(a: number): number {", // code
    "", // blank
    "  // a line comment", // comment
    "  return a * 2; // trailing comment: still code", // code
    "   ", // blank
    "}", // code
  ], { lines: 9, code: 3, comment: 4, blank: 2 });
});

Deno.test("countLines: comments after code, code after a comment, a block comment over several lines", () => {
  // no final newline: the last line still counts
  assertCounts(
    [
      'const url = "https://example.org"; // code, then a comment: code',
      "/** doc */ export const x = 1;", // code after the comment: code
      "let y = 2; /* a block comment", // code
      "", // blank, inside the comment
      "   still the comment */", // comment
      "/* one */ /* two */", // comment
      "const d = (4 / 2) / 1;", // code: a lone slash divides
    ],
    { lines: 7, code: 4, comment: 2, blank: 1 },
    "",
  );
});

Deno.test("countLines: empty source and CRLF line ends", () => {
  assert.deepEqual(countLines(""), { lines: 0, code: 0, comment: 0, blank: 0 });
  assert.deepEqual(countLines("a;\r\n// b\r\n\r\n"), { lines: 3, code: 1, comment: 1, blank: 1 });
});

Deno.test("countLines: a non-string is a TypeError", () => {
  assert.throws(() => countLines(42 as unknown as string), TypeError);
});

Deno.test("countLibLines: reads lib files; the parts add up to the file's line count", () => {
  const counts = countLibLines(["nn.ts", "fast/model.ts"]);
  assert.deepEqual(counts.map((c) => c.file), ["nn.ts", "fast/model.ts"]);
  for (const c of counts) {
    const text = Deno.readTextFileSync(new URL(c.file, import.meta.url));
    const lines = text.endsWith("\n") ? text.split("\n").length - 1 : text.split("\n").length;
    assert.equal(c.lines, lines);
    assert.equal(c.code + c.comment + c.blank, c.lines);
    assert.ok(c.code > 0 && c.comment > 0, `${c.file} has code and JSDoc`);
  }
});

Deno.test("countLibLines: bad paths are RangeErrors naming the file", () => {
  assert.throws(() => countLibLines(["../deno.json"]), /file must be a \.ts path inside lib/);
  assert.throws(() => countLibLines(["/etc/passwd.ts"]), RangeError);
  assert.throws(() => countLibLines(["no_such_file.ts"]), /"no_such_file\.ts" does not exist in lib/);
});

Deno.test("libImports: relative imports of a lib file, resolved to lib/ paths, comments ignored", () => {
  // lib/gpt.ts and lib/scalar_model.ts import these engine files (checked by reading their import blocks by hand)
  const gpt = libImports("gpt.ts");
  assert.deepEqual(gpt, ["checks.ts", "config.ts", "model.ts", "nn.ts", "value.ts"]);
  const scalar = libImports("scalar_model.ts");
  assert.deepEqual(scalar, [
    "adam.ts",
    "checks.ts",
    "config.ts",
    "gpt.ts",
    "model.ts",
    "params.ts",
    "recycle.ts",
    "value.ts",
  ]);
  // loc.ts imports nothing from lib; its JSDoc examples' `import … from "./loc.ts"` are inside comments
  assert.deepEqual(libImports("loc.ts"), []);
  // a file in a subfolder: "../x.ts" resolves to "x.ts", "./y.ts" to "fast/y.ts"
  const fast = libImports("fast/model.ts");
  assert.ok(fast.includes("config.ts") && fast.includes("fast/gpt.ts"), fast.join(", "));
  assert.ok(fast.every((f) => !f.startsWith(".") && f.endsWith(".ts")));
  assert.throws(() => libImports("nope.ts"), /"nope\.ts" does not exist in lib/);
  assert.throws(() => libImports("../deno.json"), RangeError);
});
