/**
 * `deno task lab [jupyter lab flags…]` — sets up `.venv` (first run only) and starts JupyterLab on
 * `notebooks/` with the Deno kernel. Flags pass through to `jupyter lab`, e.g. `--no-browser --port 8899`.
 * `deno task setup` (`--setup-only`) does the set-up and exits.
 *
 * @module
 */

import { join } from "node:path";
import { ensureLabEnv, isRoot, KERNEL_NAME, ROOT, SetupError } from "./setup.ts";

const args = [...Deno.args];
const setupOnly = args.includes("--setup-only");

let lab;
try {
  lab = await ensureLabEnv();
} catch (e) {
  if (e instanceof SetupError) {
    console.error(`deno task lab: ${e.message}`);
    Deno.exit(1);
  }
  throw e;
}

if (setupOnly) {
  console.log(`setup: ok — .venv ready, kernel '${KERNEL_NAME}' installed in .venv (run: deno task lab)`);
  Deno.exit(0);
}

// Start on notebooks/: kernels run with the notebook's folder as working directory, inside the project, so
// deno.json (the "@lib/" import map) applies.
const flags = args.filter((a) => a !== "--setup-only");
if (isRoot() && !flags.includes("--allow-root")) flags.push("--allow-root"); // Jupyter refuses root otherwise
const child = new Deno.Command(lab.jupyter, {
  args: ["lab", `--ServerApp.root_dir=${join(ROOT, "notebooks")}`, ...flags],
  env: lab.env,
  cwd: join(ROOT, "notebooks"),
  stdin: "inherit",
  stdout: "inherit",
  stderr: "inherit",
}).spawn();

// Ctrl+C reaches JupyterLab too (same process group): it asks to confirm and shuts its kernels down. This
// process just waits for it, so the terminal is not handed back while the server still runs.
const ignore = () => {};
Deno.addSignalListener("SIGINT", ignore);
if (Deno.build.os !== "windows") {
  // Forward a SIGTERM (e.g. from a test harness) so JupyterLab shuts its kernels down cleanly.
  Deno.addSignalListener("SIGTERM", () => child.kill("SIGTERM"));
}
const status = await child.status;
Deno.exit(status.code);
