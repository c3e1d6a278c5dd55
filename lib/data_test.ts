import assert from "node:assert/strict";
import { DEFAULT_DATA_PATH, loadDocs, parseDocs, splitDocs } from "./data.ts";
import { Random } from "./random.ts";

Deno.test("parseDocs strips lines and drops empty ones (\\n and \\r\\n)", () => {
  assert.deepEqual(parseDocs("emma\r\n  olivia\t\n\n \nava"), ["emma", "olivia", "ava"]);
});

Deno.test("an empty corpus is a RangeError that says so", () => {
  assert.throws(() => parseDocs(""), /no documents/);
  assert.throws(() => parseDocs("\n  \n"), RangeError);
  assert.throws(() => parseDocs(42 as unknown as string), /text must be a string, got number/);
});

Deno.test("loadDocs reads data/names.txt by default and shuffles with the given generator", () => {
  const docs = loadDocs();
  assert.ok(docs.length > 30_000 && docs.every((d) => /^[a-z]+$/.test(d)));
  const shuffled = loadDocs(DEFAULT_DATA_PATH, { rng: new Random(42) });
  const expected = [...docs];
  new Random(42).shuffle(expected);
  assert.deepEqual(shuffled, expected);
});

Deno.test("loadDocs reads any file", () => {
  const path = Deno.makeTempFileSync();
  Deno.writeTextFileSync(path, "b\na\n");
  assert.deepEqual(loadDocs(path), ["b", "a"]);
  Deno.removeSync(path);
});

Deno.test("splitDocs keeps the order and puts the last part in validation", () => {
  const docs = Array.from({ length: 20 }, (_, i) => `d${i}`);
  const { train, val } = splitDocs(docs, { valFraction: 0.25 });
  assert.deepEqual(train, docs.slice(0, 15));
  assert.deepEqual(val, docs.slice(15));
  assert.deepEqual(splitDocs(docs, { valFraction: 0 }).val, []);
  assert.throws(() => splitDocs(docs, { valFraction: 1 }), /valFraction must be a number in \[0, 1\), got 1/);
  assert.throws(() => splitDocs([], {}), RangeError);
});
