/**
 * `deno task site` — the course as a static site in `site/` (git-ignored): sets up `.venv` if needed, then runs
 * `tools/site/build_site.py` (every lesson executed afresh by nbclient through the project's kernelspec, pages
 * written by nbconvert's HTML exporter with the template in `tools/site/microgpt/`). Open `site/index.html`.
 *
 * Flags are passed on to build_site.py (`--out DIR`, `--jobs N`). Exit status: build_site.py's.
 *
 * @module
 */
import { join } from "node:path";
import { ensureLabEnv, ROOT } from "../jupyter/setup.ts";

/** Default output folder of the site. */
export const SITE_DIR: string = join(ROOT, "site");

/**
 * Builds the site; resolves to build_site.py's exit code (its output goes to this process's stdout/stderr).
 *
 * @example
 * ```ts ignore
 * import { buildSite } from "./site.ts";
 * if ((await buildSite()) !== 0) throw new Error("site build failed");
 * ```
 */
export async function buildSite(args: string[] = []): Promise<number> {
  const lab = await ensureLabEnv();
  const build = new Deno.Command(lab.python, {
    args: [join(ROOT, "tools", "site", "build_site.py"), ...args],
    cwd: ROOT,
    env: lab.env,
    stdin: "null",
    stdout: "inherit",
    stderr: "inherit",
  });
  return (await build.spawn().status).code;
}

if (import.meta.main) Deno.exit(await buildSite(Deno.args));
