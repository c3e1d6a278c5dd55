/**
 * The classroom image's recipe (binder/, built by repo2docker) installs what `deno task setup` installs, from the
 * same pins: tools/jupyter/requirements.txt included whole and no second version of any of its packages, the
 * Deno that .ci/run and the README use, and postBuild running `deno task setup` itself.
 */
import assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./setup.ts";

const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

/** Requirement lines without comments and blanks. */
const lines = (text: string) => text.split("\n").map((l) => l.replace(/#.*/, "").trim()).filter(Boolean);

/** Package name of a requirement line such as `plotly==7.1.0` (lower case), or undefined for options. */
const packageOf = (line: string) =>
  line.startsWith("-") ? undefined : line.match(/^[\w.-]+/)?.[0].toLowerCase();

Deno.test("binder: the image installs tools/jupyter/requirements.txt, not a second list of versions", () => {
  const binder = lines(read("binder/requirements.txt"));
  assert(binder.includes("-r ../tools/jupyter/requirements.txt"));
  const ours = new Set(lines(read("tools/jupyter/requirements.txt")).map(packageOf).filter(Boolean));
  const twice = binder.map(packageOf).filter((p) => p && ours.has(p));
  assert.deepEqual(twice, [], "pinned in both files");
});

Deno.test("binder: the image's Deno is the version of .ci/run and the README", () => {
  const binder = read("binder/requirements.txt").match(/^deno==([\d.]+)$/m)?.[1];
  const ci = read(".ci/run").match(/^DENO_VERSION=([\d.]+)$/m)?.[1];
  const readme = [...read("README.md").matchAll(/npx -y deno@([\d.]+)/g)].map((m) => m[1]);
  assert(binder && ci && readme.length > 0);
  assert.deepEqual(new Set([ci, ...readme]), new Set([binder]), "Deno versions differ");
});

Deno.test("binder: postBuild is executable and runs deno task setup into the image's environment", () => {
  assert((statSync(join(ROOT, "binder", "postBuild")).mode & 0o111) !== 0, "postBuild is not executable");
  assert.match(read("binder/postBuild"), /^MICROGPT_VENV="\$NB_PYTHON_PREFIX" deno task setup$/m);
});
