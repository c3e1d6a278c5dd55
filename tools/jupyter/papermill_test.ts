/**
 * papermill on the course's notebooks, through the TypeScript translator of `papermill_typescript/` (installed
 * into `.venv` by `deno task setup`): every lesson run from the command line with other parameters shows the
 * changed result, and the injected cell is plain TypeScript. Needs `.venv`; ignored without it.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ensureLabEnv, ROOT } from "./setup.ts";
import { inTempDir } from "../testing/test_util.ts";

const venv = join(ROOT, ".venv");
const papermill = join(venv, "bin", "papermill");
const ignore = !existsSync(papermill) || Deno.build.os === "windows";

interface Cell {
  cell_type: string;
  source: string | string[];
  metadata: { tags?: string[] };
  outputs?: { text?: string | string[]; data?: Record<string, string | string[]> }[];
}
const text = (s: string | string[] | undefined) => (Array.isArray(s) ? s.join("") : s ?? "");

/** Runs `papermill notebook out -p k v …`; returns the executed notebook's cells. */
async function runPapermill(dir: string, notebook: string, params: Record<string, string>): Promise<Cell[]> {
  const out = join(dir, `${crypto.randomUUID()}.ipynb`);
  const args = [join(ROOT, "notebooks", notebook), out, "--cwd", join(ROOT, "notebooks")];
  for (const [k, v] of Object.entries(params)) args.push("-p", k, v);
  const r = await new Deno.Command(papermill, {
    args,
    env: (await ensureLabEnv()).env,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  assert.equal(
    r.code,
    0,
    `papermill ${notebook} failed:\n${new TextDecoder().decode(r.stderr).slice(-3000)}`,
  );
  return JSON.parse(readFileSync(out, "utf8")).cells;
}

/** Everything the cells printed or displayed as text. */
function printed(cells: Cell[]): string {
  return cells.flatMap((c) => c.outputs ?? []).map((o) => text(o.text) + text(o.data?.["text/plain"])).join(
    "\n",
  );
}

/** Per lesson: parameters given to papermill and lines only those parameters print (defaults: 1000 steps…). */
const CASES: [string, Record<string, string>, string[]][] = [
  ["01-one-file-gpt", { num_steps: "30", engine: "fast", num_samples: "3" }, [
    "trained 30/30 steps",
    "(fast)",
  ]],
  ["02-assembly-line", { num_steps: "40" }, ["bigram counts: 729 parameters, 40 steps in"]],
  ["03-autograd", { toy_steps: "7", chain_depth: "1000" }, ["after 7 steps: loss"]],
  ["04-attention", { num_steps: "50", inspect_name: "emma" }, ["trained 50 steps", `"emma": attention`]],
  ["05-transformer-block", { num_steps: "50" }, ["trained 50/50 steps"]],
  ["06-sampling-temperature", { seed: "7", num_steps: "100", prefix: "ka" }, [
    "trained 100/100 steps",
    `"ka"`,
  ]],
  ["07-micro-vs-frontier", { num_steps: "60", scalar_steps: "10" }, [
    "trained 60/60 steps",
    "scalar engine: 10 steps in",
  ]],
  ["08-recap", { recap_steps: "40", challenge_steps: "50" }, ["40 steps in"]],
];

Deno.test({
  name: "papermill: every lesson run with other parameters shows their result",
  ignore,
  fn: () =>
    inTempDir("papermill-test-", async (dir) => {
      for (const [stem, params, expected] of CASES) {
        const cells = await runPapermill(dir, `${stem}.ipynb`, params);
        const at = cells.findIndex((c) => c.metadata.tags?.includes("injected-parameters"));
        assert(
          at > 0 && cells[at - 1].metadata.tags?.includes("parameters"),
          `${stem}: injected cell position`,
        );
        for (const [k, v] of Object.entries(params)) {
          const literal = /^\d+$/.test(v) ? v : JSON.stringify(v);
          assert(text(cells[at].source).includes(`const ${k} = ${literal};`), `${stem}: ${k} injected`);
        }
        const out = printed(cells);
        for (const line of expected) assert(out.includes(line), `${stem}: "${line}" not in the output`);
      }
    }),
});

Deno.test({
  name: "papermill: seed 7 gives another model than the default seed 42 (same steps)",
  ignore,
  fn: () =>
    inTempDir("papermill-seed-", async (dir) => {
      const lossLine = async (seed: string) => {
        const out = printed(
          await runPapermill(dir, "06-sampling-temperature.ipynb", { seed, num_steps: "100" }),
        );
        return out.split("\n").find((l) => l.includes("trained 100/100 steps"));
      };
      const [a, b] = [await lossLine("42"), await lossLine("7")];
      assert(a && b && a.replace(/in [\d.]+ s/, "") !== b.replace(/in [\d.]+ s/, ""), `${a}\n${b}`);
    }),
});

Deno.test({
  name: "papermill: the translator writes every YAML/JSON type as a TypeScript literal",
  ignore,
  fn: async () => {
    const code = `from papermill.translators import translate_parameters as t
print(t("microgpt-deno", "typescript", {"a": None, "s": 'say "hé"\\n', "xs": [1, 2.5, True], "m": {"k": float("-inf")}}))`;
    const r = await new Deno.Command(join(venv, "bin", "python"), { args: ["-c", code], stdout: "piped" })
      .output();
    assert.equal(
      new TextDecoder().decode(r.stdout),
      `// Parameters\nconst a = null;\nconst s = "say \\"hé\\"\\n";\nconst xs = [1, 2.5, true];\n` +
        `const m = {"k": -Infinity};\n\n`,
    );
  },
});
