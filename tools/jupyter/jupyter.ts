/**
 * Starts and stops a JupyterLab server for tests (the browser end-to-end test): set-up via `setup.ts`,
 * 127.0.0.1 only, a token, Jupyter config isolated inside `.venv`, ready when `/api/status` answers.
 *
 * @module
 */

import { join } from "node:path";
import { labCommand } from "./lab.ts";
import { ensureLabEnv, ROOT } from "./setup.ts";

/** A running JupyterLab server. */
export interface JupyterServer {
  /** URL that logs in: `http://127.0.0.1:PORT/lab?token=…`. */
  labUrl: string;
  /** The server's output so far (stdout and stderr, last 400 lines). */
  logs(): string;
  /** Shuts the server and its kernels down (SIGTERM, then SIGKILL if it is still there). Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts JupyterLab (setting up `.venv` first if needed) on `root` (relative to the project, default
 * `notebooks`) with extra `jupyter lab` flags `args`, and resolves once it answers requests.
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
export async function startJupyterLab(
  { root = "notebooks", args = [] }: { root?: string; args?: string[] } = {},
): Promise<JupyterServer> {
  const lab = await ensureLabEnv({ isolated: true });
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 }); // a port that was free a moment ago
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const token = crypto.randomUUID().replaceAll("-", "");
  const url = `http://127.0.0.1:${port}/`, headers = { Authorization: `token ${token}` };
  const flags = [
    "--no-browser",
    "--ServerApp.ip=127.0.0.1",
    `--ServerApp.port=${port}`,
    "--ServerApp.port_retries=0",
  ];
  flags.push(`--IdentityProvider.token=${token}`, "--ServerApp.allow_remote_access=False", ...args);
  const child = labCommand(lab, join(ROOT, root), flags, "piped").spawn();

  const lines: string[] = [];
  const collect = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
      lines.push(...chunk.split("\n").filter((l) => l.length));
      lines.splice(0, lines.length - 400);
    }
  };
  const collecting = Promise.all([collect(child.stdout), collect(child.stderr)]);
  let exited = false;
  const status = child.status.finally(() => exited = true);
  const exits = (ms: number) =>
    Promise.race([status.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);

  // Never leave a server behind when the test process is interrupted.
  const onSignal = () => {
    if (!exited) child.kill("SIGTERM");
    Deno.exit(130);
  };
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  for (const s of signals) Deno.addSignalListener(s, onSignal);

  const stop = async () => {
    for (const s of signals) Deno.removeSignalListener(s, onSignal);
    if (!exited) child.kill("SIGTERM"); // Jupyter shuts its kernels down, then exits
    if (!(await exits(15_000))) child.kill("SIGKILL");
    await collecting;
  };

  const ready = () =>
    fetch(`${url}api/status`, { headers }).then(async (r) => {
      await r.body?.cancel();
      return r.ok;
    }, () => false);
  const timeoutMs = 90_000, deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (exited || Date.now() > deadline) {
      await stop();
      const why = exited ? "exited before it was ready" : `did not answer on ${url} within ${timeoutMs} ms`;
      throw new Error(`JupyterLab ${why}:\n${lines.join("\n")}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { labUrl: `${url}lab?token=${token}`, logs: () => lines.join("\n"), stop };
}
