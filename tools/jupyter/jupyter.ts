/**
 * Starts and stops a JupyterLab server for tests (the browser end-to-end test): set-up via `setup.ts`,
 * 127.0.0.1 only, a token, Jupyter config isolated inside `.venv`, ready when `/api/status` answers.
 *
 * @module
 */

import { join } from "node:path";
import { ensureLabEnv, isRoot, ROOT } from "./setup.ts";

/** Options of {@link startJupyterLab}. */
export interface StartOptions {
  /** Folder served, relative to the project root (default `notebooks`). Kernels start in the notebook's folder. */
  root?: string;
  /** Extra `jupyter lab` flags. */
  args?: string[];
}

/** A running JupyterLab server. */
export interface JupyterServer {
  /** Base URL, e.g. `http://127.0.0.1:8899/` (no token). */
  url: string;
  /** URL that logs in: `${url}lab?token=…`. */
  labUrl: string;
  /** The server's output so far (stdout and stderr, last 400 lines). */
  logs(): string;
  /** Shuts the server and its kernels down (API shutdown, then SIGTERM, then SIGKILL). Safe to call twice. */
  stop(): Promise<void>;
}

/** A port that was free a moment ago on 127.0.0.1. */
function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/**
 * Starts JupyterLab (setting up `.venv` first if needed) and resolves once it answers requests.
 *
 * @example
 * ```ts ignore
 * import { startJupyterLab } from "./jupyter.ts";
 * const server = await startJupyterLab();
 * try {
 *   console.log(server.labUrl); // open in a browser
 * } finally {
 *   await server.stop();
 * }
 * ```
 */
export async function startJupyterLab(options: StartOptions = {}): Promise<JupyterServer> {
  const lab = await ensureLabEnv({ isolated: true });
  const port = freePort();
  const token = crypto.randomUUID().replaceAll("-", "");
  const root = join(ROOT, options.root ?? "notebooks");
  const url = `http://127.0.0.1:${port}/`, headers = { Authorization: `token ${token}` };
  const child = new Deno.Command(lab.jupyter, {
    args: [
      "lab",
      "--no-browser",
      "--ServerApp.ip=127.0.0.1",
      `--ServerApp.port=${port}`,
      "--ServerApp.port_retries=0",
      `--IdentityProvider.token=${token}`,
      `--ServerApp.root_dir=${root}`,
      "--ServerApp.allow_remote_access=False",
      ...(isRoot() ? ["--allow-root"] : []),
      ...(options.args ?? []),
    ],
    env: lab.env,
    cwd: root,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();

  const lines: string[] = [];
  const collect = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
      lines.push(...chunk.split("\n").filter((l) => l.length));
      if (lines.length > 400) lines.splice(0, lines.length - 400);
    }
  };
  const collecting = Promise.all([collect(child.stdout), collect(child.stderr)]);
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });

  // Never leave a server behind when the test process is interrupted.
  const onSignal = () => {
    if (!exited) child.kill("SIGTERM");
    Deno.exit(130);
  };
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  for (const s of signals) Deno.addSignalListener(s, onSignal);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const s of signals) Deno.removeSignalListener(s, onSignal);
    if (!exited) {
      try {
        await fetch(`${url}api/shutdown`, { method: "POST", headers }).then((r) => r.body?.cancel());
      } catch { /* server already gone or not answering: signals below */ }
      const waitExit = (ms: number) =>
        Promise.race([status.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);
      if (!(await waitExit(10_000))) {
        child.kill("SIGTERM");
        if (!(await waitExit(5_000))) child.kill("SIGKILL");
      }
    }
    await status;
    await collecting;
  };

  const timeoutMs = 90_000, deadline = Date.now() + timeoutMs;
  while (true) {
    if (exited) {
      await collecting;
      throw new Error(`JupyterLab exited before it was ready:\n${lines.join("\n")}`);
    }
    try {
      const r = await fetch(`${url}api/status`, { headers });
      await r.body?.cancel();
      if (r.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`JupyterLab did not answer on ${url} within ${timeoutMs} ms:\n${lines.join("\n")}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, labUrl: `${url}lab?token=${token}`, logs: () => lines.join("\n"), stop };
}
