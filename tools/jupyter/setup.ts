/**
 * The Python side of the course platform, kept inside the project: a virtualenv in `.venv` with the pinned
 * packages of `tools/jupyter/requirements.txt` (JupyterLab, plotly's renderer, nbclient) and a kernelspec for the Deno
 * kernel in `.venv/share/jupyter/kernels/microgpt-deno`. Nothing outside the project is written: Jupyter's
 * runtime, workspace and settings folders point into `.venv/jupyter/` for every process we start.
 *
 * Re-running is fast: a stamp in `.venv` holds a hash of the requirements file and the Python version, and
 * pip runs only when it changes.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Absolute path of the project root (the folder holding `deno.json`), without a trailing slash. */
export const ROOT: string = fileURLToPath(new URL("../..", import.meta.url)).replace(/[\\/]$/, "");

/** Name of the kernelspec every notebook's metadata refers to. */
export const KERNEL_NAME = "microgpt-deno";

/** Display name of the kernel in JupyterLab's launcher and kernel picker. */
export const KERNEL_DISPLAY_NAME = "TypeScript (Deno) — microGPT";

/** Bump when the set-up steps change in a way the requirements hash does not see. */
const SETUP_VERSION = "1";

/** Paths and environment of a ready lab set-up. */
export interface LabEnv {
  /** The virtualenv's python executable. */
  python: string;
  /** The virtualenv's `jupyter` executable. */
  jupyter: string;
  /** Environment for Jupyter processes: venv first on PATH, Jupyter's own folders inside `.venv`. */
  env: Record<string, string>;
}

/** Raised when the machine lacks something set-up cannot install itself (Python 3, venv). */
export class SetupError extends Error {
  override name = "SetupError";
}

const WINDOWS = Deno.build.os === "windows";
const APT = "Debian/Ubuntu: sudo apt-get install python3 python3-venv";

/** True when running as root (CI does): Jupyter then needs `--allow-root`. */
export const isRoot = (): boolean => !WINDOWS && Deno.uid() === 0;

/**
 * The kernelspec for the Deno kernel: `deno jupyter --kernel` (through `tools/jupyter/kernel_proxy.py` when a
 * python is given), `NO_COLOR=1` so errors carry no ANSI escapes. Through the proxy, Interrupt is a message the
 * proxy handles (kernel_interrupt.py); deno alone keeps signal mode (SIGINT, for `lib/interrupt.ts`'s listener).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { kernelSpec } from "./setup.ts";
 * const direct = kernelSpec({ deno: "/usr/local/bin/deno" });
 * assert(direct.argv[0] === "/usr/local/bin/deno" && direct.language === "typescript");
 * const proxied = kernelSpec({ deno: "/usr/local/bin/deno", python: "/p/.venv/bin/python" });
 * assert(proxied.argv[0] === "/p/.venv/bin/python" && proxied.argv[1].endsWith("kernel_proxy.py"));
 * ```
 */
export function kernelSpec({ deno = Deno.execPath(), python }: { deno?: string; python?: string } = {}) {
  const argv = python
    ? [python, join(ROOT, "tools", "jupyter", "kernel_proxy.py"), deno, "{connection_file}"]
    : [deno, "jupyter", "--kernel", "--conn", "{connection_file}"];
  const mode = python ? { interrupt_mode: "message" as const } : {};
  return { argv, display_name: KERNEL_DISPLAY_NAME, language: "typescript", env: { NO_COLOR: "1" }, ...mode };
}

/** Runs a command in the project root: success and output, or null when `cmd` is not found. */
async function run(cmd: string, args: string[]) {
  const io = { cwd: ROOT, stdin: "null", stdout: "piped", stderr: "piped" } as const;
  let out;
  try {
    out = await new Deno.Command(cmd, { args, ...io }).output();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  return { ok: out.success, version: text.split("\n")[0].trim(), text };
}

/** Prints the version ("3.11.2") first, then fails if venv or ensurepip is missing. */
const PROBE =
  "import sys; sys.stdout.write('%d.%d.%d\\n' % sys.version_info[:3]); sys.stdout.flush(); import venv, ensurepip";

/** Finds a Python ≥ 3.9 with venv and ensurepip; `PYTHON` overrides the search. */
async function findPython(): Promise<string> {
  const candidates = Deno.env.get("PYTHON") ? [Deno.env.get("PYTHON")!] : ["python3", "python"];
  let found = "";
  for (const python of candidates) {
    const r = await run(python, ["-c", PROBE]);
    const [major, minor] = (r?.version ?? "").split(".").map(Number);
    if (!r || !(major === 3 && minor >= 9)) {
      if (r && major) found = ` (${python} is Python ${r.version})`;
      continue;
    }
    if (!r.ok) {
      throw new SetupError(
        `${python} (Python ${r.version}) has no working venv/ensurepip module, needed to create .venv.\n` +
          `  Debian/Ubuntu: sudo apt-get install python3-venv   (then run this command again)`,
      );
    }
    console.error(`setup: creating .venv with ${python} (Python ${r.version}) …`);
    return python;
  }
  throw new SetupError(
    `Python 3.9 or newer was not found${found}; JupyterLab needs it.\n` +
      `  Install Python 3 (${APT}; macOS: brew install python),\n` +
      `  or point the PYTHON environment variable at a python3 executable, then run this command again.`,
  );
}

/** Writes `value` as JSON to `path` only when its content differs (keeps re-runs free of writes). */
function writeJson(path: string, value: unknown): void {
  const text = JSON.stringify(value, null, 2) + "\n";
  mkdirSync(dirname(path), { recursive: true });
  if (!existsSync(path) || readFileSync(path, "utf8") !== text) writeFileSync(path, text);
}

/**
 * Makes sure `.venv` holds the pinned packages and the Deno kernelspec, then returns the paths to use.
 * Fast when nothing changed (one Python version probe and a hash). `isolated`: a Jupyter config folder inside
 * `.venv`, so a user's global config cannot change test runs.
 *
 * @example
 * ```ts ignore
 * import { ensureLabEnv } from "./setup.ts";
 * const lab = await ensureLabEnv();
 * await new Deno.Command(lab.jupyter, { args: ["kernelspec", "list"], env: lab.env }).output();
 * ```
 */
export async function ensureLabEnv({ isolated = false } = {}): Promise<LabEnv> {
  const venv = Deno.env.get("MICROGPT_VENV") ?? join(ROOT, ".venv"); // another env: see binder/postBuild
  const bin = join(venv, WINDOWS ? "Scripts" : "bin"), exe = WINDOWS ? ".exe" : "";
  const python = join(bin, `python${exe}`), jupyter = join(bin, `jupyter${exe}`);
  const requirements = join(ROOT, "tools", "jupyter", "requirements.txt");
  const stampPath = join(venv, ".microgpt-setup-stamp");
  const pins = readFileSync(requirements, "utf8");
  const stamp = (version: string) =>
    createHash("sha256").update(`${SETUP_VERSION}\n${version}\n${pins}`).digest("hex");

  // Fast path: the venv's python answers and the stamp matches.
  const current = existsSync(python) ? await run(python, ["-c", PROBE]) : null;
  const upToDate = current?.ok && existsSync(jupyter) && existsSync(stampPath) &&
    readFileSync(stampPath, "utf8").trim() === stamp(current.version);
  if (!upToDate) {
    const started = performance.now();
    if (!current?.ok) {
      const sys = await findPython();
      const made = await run(sys, ["-m", "venv", "--clear", venv]);
      if (!made?.ok) throw new SetupError(`'${sys} -m venv .venv' failed:\n${made?.text}\n  ${APT}`);
    }
    console.error(
      "setup: installing tools/jupyter/requirements.txt into .venv (JupyterLab, plotly, nbclient) …",
    );
    const quiet = ["--disable-pip-version-check", "--no-input", "-q"];
    const pip = await run(python, ["-m", "pip", "install", ...quiet, "-r", requirements]);
    if (!pip?.ok) throw new SetupError(`pip install -r tools/jupyter/requirements.txt failed:\n${pip?.text}`);
    writeFileSync(stampPath, stamp((await run(python, ["-c", PROBE]))!.version) + "\n");
    console.error(`setup: .venv ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }

  // Kernelspec: always checked, because the deno binary may have moved (written only when it differs).
  // Through the proxy except on Windows (it relies on process-group signals) or when asked not to.
  const direct = WINDOWS || Deno.env.get("MICROGPT_DIRECT_KERNEL") === "1";
  writeJson(
    join(venv, "share", "jupyter", "kernels", KERNEL_NAME, "kernel.json"),
    kernelSpec(direct ? {} : { python }),
  );

  // Lab settings for an offline machine: no news or update checks (they would only fail and pop up).
  writeJson(join(venv, "share", "jupyter", "lab", "settings", "overrides.json"), {
    "@jupyterlab/apputils-extension:notification": { checkForUpdates: false, fetchNews: "false" },
  });

  // Server config for the venv only (sys.prefix/etc/jupyter): the Deno kernel is the only and default kernel
  // (JupyterLab pulls in ipykernel, whose Python kernel is no use here), no extension manager or update check.
  // (A file in jupyter_server_config.d/ would be read for extension switches only, so it is the main file.)
  writeJson(join(venv, "etc", "jupyter", "jupyter_server_config.json"), {
    KernelSpecManager: { allowed_kernelspecs: [KERNEL_NAME] },
    MultiKernelManager: { default_kernel_name: KERNEL_NAME },
    LabApp: { extension_manager: "readonly", check_for_updates_class: "jupyterlab.NeverCheckForUpdate" },
  });

  const jdir = join(venv, "jupyter");
  const env: Record<string, string> = {
    PATH: [bin, Deno.env.get("PATH") ?? ""].join(delimiter),
    VIRTUAL_ENV: venv,
    JUPYTER_PREFER_ENV_PATH: "1",
    JUPYTER_RUNTIME_DIR: join(jdir, "runtime"),
    JUPYTERLAB_WORKSPACES_DIR: join(jdir, "lab", "workspaces"),
    JUPYTERLAB_SETTINGS_DIR: join(jdir, "lab", "user-settings"),
    PYTHONDONTWRITEBYTECODE: "1",
    NO_COLOR: "1",
    ...(isolated ? { JUPYTER_CONFIG_DIR: join(jdir, "config") } : {}),
  };
  for (const [key, dir] of Object.entries(env)) if (/_DIR$/.test(key)) mkdirSync(dir, { recursive: true });
  return { python, jupyter, env };
}
