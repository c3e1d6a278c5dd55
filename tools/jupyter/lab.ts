/**
 * `deno task lab [jupyter lab flags…]` — sets up `.venv` (first run only) and starts JupyterLab on
 * `notebooks/` with the Deno kernel. Flags pass through to `jupyter lab`, e.g. `--no-browser --port 8899`.
 * `deno task setup` (`--setup-only`) does the set-up and exits.
 *
 * @module
 */

import { join } from "node:path";
import { ensureLabEnv, isRoot, KERNEL_NAME, type LabEnv, ROOT, SetupError } from "./setup.ts";

/**
 * `jupyter lab` serving `root`, started there: kernels run in the notebook's folder, inside the project, so
 * deno.json (the "@lib/" import map) applies. Adds `--allow-root` when running as root (Jupyter refuses otherwise).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { labCommand } from "./lab.ts";
 * const lab = { python: "python", jupyter: "jupyter", env: {} };
 * assert(labCommand(lab, "/p/notebooks", ["--no-browser"], "inherit") instanceof Deno.Command);
 * ```
 */
export function labCommand(
  lab: LabEnv,
  root: string,
  flags: string[],
  stdio: "inherit" | "piped",
): Deno.Command {
  const rootFlag = isRoot() && !flags.includes("--allow-root") ? ["--allow-root"] : [];
  return new Deno.Command(lab.jupyter, {
    args: ["lab", `--ServerApp.root_dir=${root}`, ...flags, ...rootFlag],
    env: lab.env,
    cwd: root,
    stdin: stdio === "inherit" ? "inherit" : "null",
    stdout: stdio,
    stderr: stdio,
  });
}

if (import.meta.main) {
  let lab;
  try {
    lab = await ensureLabEnv();
  } catch (e) {
    if (!(e instanceof SetupError)) throw e;
    console.error(`deno task lab: ${e.message}`);
    Deno.exit(1);
  }
  if (Deno.args.includes("--setup-only")) {
    console.log(`setup: ok — .venv ready, kernel '${KERNEL_NAME}' installed in .venv (run: deno task lab)`);
    Deno.exit(0);
  }
  const child = labCommand(lab, join(ROOT, "notebooks"), [...Deno.args], "inherit").spawn();
  // Ctrl+C reaches JupyterLab too (same process group): it asks to confirm and shuts its kernels down. This
  // process just waits for it, so the terminal is not handed back while the server still runs; a SIGTERM (e.g.
  // from a test harness) is passed on so JupyterLab shuts its kernels down cleanly.
  Deno.addSignalListener("SIGINT", () => {});
  if (Deno.build.os !== "windows") Deno.addSignalListener("SIGTERM", () => child.kill("SIGTERM"));
  Deno.exit((await child.status).code);
}
