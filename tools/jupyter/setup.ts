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
import { delimiter, join } from "node:path";
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

/** Options of {@link ensureLabEnv}. */
export interface SetupOptions {
  /** Use a Jupyter config folder inside `.venv` so a user's global config cannot change test runs. */
  isolated?: boolean;
}

/** Raised when the machine lacks something set-up cannot install itself (Python 3, venv). */
export class SetupError extends Error {
  override name = "SetupError";
}

function binDir(venv: string): string {
  return join(venv, Deno.build.os === "windows" ? "Scripts" : "bin");
}

function exe(name: string): string {
  return Deno.build.os === "windows" ? `${name}.exe` : name;
}

/** Options of {@link kernelSpec}. */
export interface KernelSpecOptions {
  /** The deno binary the kernel runs (default: the one running now). */
  deno?: string;
  /** The virtualenv's python: the kernel starts through `tools/jupyter/kernel_proxy.py`, else deno directly. */
  python?: string;
}

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
export function kernelSpec(options: KernelSpecOptions = {}): {
  argv: string[];
  display_name: string;
  language: string;
  env: Record<string, string>;
  interrupt_mode?: "message";
} {
  const deno = options.deno ?? Deno.execPath();
  const argv = options.python
    ? [options.python, join(ROOT, "tools", "jupyter", "kernel_proxy.py"), deno, "{connection_file}"]
    : [deno, "jupyter", "--kernel", "--conn", "{connection_file}"];
  const mode = options.python ? { interrupt_mode: "message" as const } : {};
  return { argv, display_name: KERNEL_DISPLAY_NAME, language: "typescript", env: { NO_COLOR: "1" }, ...mode };
}

/** Runs a command in the project root: its output, or null when `cmd` is not found. */
async function run(cmd: string, args: string[]) {
  try {
    const io = { stdout: "piped", stderr: "piped", stdin: "null" } as const;
    const out = await new Deno.Command(cmd, { args, cwd: ROOT, ...io }).output();
    const dec = new TextDecoder();
    return { ok: out.success, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

/** The version ("3.11.2") of a python, or undefined when it does not run. */
async function pythonVersion(python: string): Promise<string | undefined> {
  const r = await run(python, ["-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"]);
  return r?.ok ? r.stdout.trim() : undefined;
}

/** Finds a Python ≥ 3.9 with venv and ensurepip; `PYTHON` overrides the search. */
async function findPython(): Promise<{ python: string; version: string }> {
  const candidates = Deno.env.get("PYTHON") ? [Deno.env.get("PYTHON")!] : ["python3", "python"];
  let found: string | undefined;
  for (const python of candidates) {
    const version = await pythonVersion(python);
    if (version === undefined) continue;
    const [major, minor] = version.split(".").map(Number);
    if (major !== 3 || minor < 9) {
      found = `${python} is Python ${version}`;
      continue;
    }
    if (!(await run(python, ["-c", "import venv, ensurepip"]))?.ok) {
      throw new SetupError(
        `${python} (Python ${version}) has no working venv/ensurepip module, needed to create .venv.\n` +
          `  Debian/Ubuntu: sudo apt-get install python3-venv   (then run this command again)`,
      );
    }
    return { python, version };
  }
  throw new SetupError(
    `Python 3.9 or newer was not found${found ? ` (${found})` : ""}; JupyterLab needs it.\n` +
      `  Install Python 3 (Debian/Ubuntu: sudo apt-get install python3 python3-venv; macOS: brew install python),\n` +
      `  or point the PYTHON environment variable at a python3 executable, then run this command again.`,
  );
}

function stampFor(requirements: string, pythonVersion: string): string {
  return createHash("sha256").update(`${SETUP_VERSION}\n${pythonVersion}\n${requirements}`).digest("hex");
}

/** Writes `value` as JSON to `dir/file` only when its content differs (keeps re-runs free of writes). */
function writeJson(dir: string, file: string, value: unknown): void {
  const path = join(dir, file), text = JSON.stringify(value, null, 2) + "\n";
  mkdirSync(dir, { recursive: true });
  if (!existsSync(path) || readFileSync(path, "utf8") !== text) writeFileSync(path, text);
}

/** True when running as root (CI does): Jupyter then needs `--allow-root`. */
export function isRoot(): boolean {
  return Deno.build.os !== "windows" && Deno.uid() === 0;
}

/** Jupyter environment for processes started from the project (PATH, Jupyter folders inside `.venv`). */
export function jupyterEnv(venv: string, isolated = false): Record<string, string> {
  const jdir = join(venv, "jupyter");
  const env: Record<string, string> = {
    PATH: [binDir(venv), Deno.env.get("PATH") ?? ""].join(delimiter),
    VIRTUAL_ENV: venv,
    JUPYTER_PREFER_ENV_PATH: "1",
    JUPYTER_RUNTIME_DIR: join(jdir, "runtime"),
    JUPYTERLAB_WORKSPACES_DIR: join(jdir, "lab", "workspaces"),
    JUPYTERLAB_SETTINGS_DIR: join(jdir, "lab", "user-settings"),
    PYTHONDONTWRITEBYTECODE: "1",
    NO_COLOR: "1",
  };
  if (isolated) env.JUPYTER_CONFIG_DIR = join(jdir, "config");
  return env;
}

/**
 * Makes sure `.venv` holds the pinned packages and the Deno kernelspec, then returns the paths to use.
 * Fast when nothing changed (one Python version probe and a hash).
 *
 * @example
 * ```ts ignore
 * import { ensureLabEnv } from "./setup.ts";
 * const lab = await ensureLabEnv();
 * await new Deno.Command(lab.jupyter, { args: ["kernelspec", "list"], env: lab.env }).output();
 * ```
 */
export async function ensureLabEnv(options: SetupOptions = {}): Promise<LabEnv> {
  const log = (line: string) => console.error(line);
  const venv = Deno.env.get("MICROGPT_VENV") ?? join(ROOT, ".venv"); // another env: see binder/postBuild
  const python = join(binDir(venv), exe("python"));
  const jupyter = join(binDir(venv), exe("jupyter"));
  const requirementsPath = join(ROOT, "tools", "jupyter", "requirements.txt");
  const requirements = readFileSync(requirementsPath, "utf8");
  const stampPath = join(venv, ".microgpt-setup-stamp");

  // Fast path: the venv's python answers and the stamp matches.
  const current = existsSync(python) ? await pythonVersion(python) : undefined;
  const upToDate = current !== undefined && existsSync(jupyter) && existsSync(stampPath) &&
    readFileSync(stampPath, "utf8").trim() === stampFor(requirements, current);

  if (!upToDate) {
    const started = performance.now();
    if (current === undefined) {
      const sys = await findPython();
      log(`setup: creating .venv with ${sys.python} (Python ${sys.version}) …`);
      const made = await run(sys.python, ["-m", "venv", "--clear", venv]);
      if (!made?.ok) {
        throw new SetupError(
          `'${sys.python} -m venv .venv' failed:\n${made?.stderr ?? ""}\n` +
            `  Debian/Ubuntu: sudo apt-get install python3-venv`,
        );
      }
    }
    log("setup: installing tools/jupyter/requirements.txt into .venv (JupyterLab, plotly, nbclient) …");
    const quiet = ["--disable-pip-version-check", "--no-input", "-q"];
    const pip = await run(python, ["-m", "pip", "install", ...quiet, "-r", requirementsPath]);
    if (!pip?.ok) {
      throw new SetupError(
        `pip install -r tools/jupyter/requirements.txt failed:\n${pip?.stdout}\n${pip?.stderr}`,
      );
    }
    writeFileSync(stampPath, stampFor(requirements, (await pythonVersion(python))!) + "\n");
    log(`setup: .venv ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }

  // Kernelspec: always checked, because the deno binary may have moved (written only when it differs).
  // Through the proxy except on Windows (it relies on process-group signals) or when asked not to.
  const direct = Deno.build.os === "windows" || Deno.env.get("MICROGPT_DIRECT_KERNEL") === "1";
  writeJson(
    join(venv, "share", "jupyter", "kernels", KERNEL_NAME),
    "kernel.json",
    kernelSpec(direct ? {} : { python }),
  );

  // Lab settings for an offline machine: no news or update checks (they would only fail and pop up).
  writeJson(join(venv, "share", "jupyter", "lab", "settings"), "overrides.json", {
    "@jupyterlab/apputils-extension:notification": { checkForUpdates: false, fetchNews: "false" },
  });

  // Server config for the venv only (sys.prefix/etc/jupyter): the Deno kernel is the only and default kernel
  // (JupyterLab pulls in ipykernel, whose Python kernel is no use here), no extension manager or update check.
  // (A file in jupyter_server_config.d/ would be read for extension switches only, so it is the main file.)
  writeJson(join(venv, "etc", "jupyter"), "jupyter_server_config.json", {
    KernelSpecManager: { allowed_kernelspecs: [KERNEL_NAME] },
    MultiKernelManager: { default_kernel_name: KERNEL_NAME },
    LabApp: { extension_manager: "readonly", check_for_updates_class: "jupyterlab.NeverCheckForUpdate" },
  });

  const env = jupyterEnv(venv, options.isolated);
  for (const key of ["JUPYTER_RUNTIME_DIR", "JUPYTERLAB_WORKSPACES_DIR", "JUPYTERLAB_SETTINGS_DIR"]) {
    mkdirSync(env[key], { recursive: true });
  }
  if (env.JUPYTER_CONFIG_DIR) mkdirSync(env.JUPYTER_CONFIG_DIR, { recursive: true });
  return { python, jupyter, env };
}
