/**
 * `deno task site` — the course as a static site in `site/` (git-ignored): sets up `.venv` if needed, then runs
 * `tools/site/build_site.py` (every lesson executed afresh by nbclient through the project's kernelspec, pages
 * written by nbconvert's HTML exporter with the template in `tools/site/microgpt/`). Open `site/index.html`.
 * `NOTEBOOK_JOBS` notebooks run at once (default 2). Exit status: build_site.py's.
 *
 * @module
 */
import { join } from "node:path";
import { ensureLabEnv, ROOT } from "../jupyter/setup.ts";

const lab = await ensureLabEnv();
const build = new Deno.Command(lab.python, {
  args: [join(ROOT, "tools", "site", "build_site.py")],
  cwd: ROOT,
  env: lab.env,
  stdin: "null",
});
Deno.exit((await build.spawn().status).code);
