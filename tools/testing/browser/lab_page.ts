/**
 * The tests' Chromium: one launcher for the browser and site stages, a Plotly slider moved as a learner moves
 * it, and driving JupyterLab (Playwright `Page`): open a notebook, make sure the project's Deno kernel runs it,
 * run all cells through the Run menu, interrupt through the toolbar, and read back what each cell shows. Reads
 * use the app object JupyterLab exposes with `--LabApp.expose_app_in_browser=True` (`window.jupyterapp`);
 * callbacks given to `page.evaluate` run in the browser, so each is self-contained.
 *
 * @module
 */
// deno-lint-ignore-file no-explicit-any -- page.evaluate callbacks run in the browser on JupyterLab's objects
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { type Browser, chromium, type Locator, type Page } from "playwright-core";

/**
 * Launches Debian's `chromium` (or `chromium-browser`) from PATH through playwright-core, headless and
 * sandbox-free (a container). When there is none: why, as a skip — or a failure when `REQUIRE_BROWSER=1` (CI).
 */
export async function launchChromium(
  headed = false,
): Promise<Browser | { status: "skipped" | "failed"; message: string }> {
  const executablePath = (Deno.env.get("PATH") ?? "").split(delimiter).filter(Boolean)
    .flatMap((dir) => [join(dir, "chromium"), join(dir, "chromium-browser")]).find((p) => existsSync(p));
  if (executablePath === undefined) {
    const why = "chromium not found on PATH (Debian: apt-get install chromium)";
    return Deno.env.get("REQUIRE_BROWSER") === "1"
      ? { status: "failed", message: `${why}, and REQUIRE_BROWSER=1` }
      : { status: "skipped", message: why };
  }
  // Quiet: no background fetches, updates or sync; no first-run page; no GPU in a container.
  const quiet = ["background-networking", "component-update", "sync", "gpu"].map((f) => `--disable-${f}`);
  const args = ["--no-sandbox", "--no-first-run", ...quiet];
  return await chromium.launch({ executablePath, headless: !headed, args });
}

/**
 * Clicks the far end of the rail of the first slider in `plot` (a `.js-plotly-plot`) from its active step, as a
 * learner would; resolves to the first trace's `y` once the figure's data changed, else null. The kernel plays no
 * part.
 */
export async function moveSlider(page: Page, plot: Locator): Promise<unknown[] | null> {
  await plot.scrollIntoViewIfNeeded();
  const el = await plot.elementHandle();
  const before = await plot.evaluate((p: any) => JSON.stringify(p.data));
  const box = await plot.locator(".slider-rail-touch-rect").first().boundingBox();
  if (!el || !box) return null;
  const atLeft = await plot.evaluate(({ layout }: any) =>
    (layout.sliders[0].active ?? 0) < layout.sliders[0].steps.length / 2
  );
  await page.mouse.click(atLeft ? box.x + box.width - 2 : box.x + 2, box.y + box.height / 2);
  // Plotly animates to the step's frame: up to 5 s on a busy machine.
  const changed = ([p, was]: any) => JSON.stringify(p.data) !== was;
  return await page.waitForFunction(changed, [el, before], { timeout: 5000 })
    .then(() => plot.evaluate((p: any) => Array.from(p.data[0].y)), () => null);
}

/** What one cell holds after a run, read from the notebook model (and the prompt from the page). */
export interface CellInfo {
  index: number;
  type: string;
  executionCount: number | null;
  /** `[*]:` while queued or running. */
  prompt: string;
  /** Each output's type, what it shows as text (`ename: evalue` for an error) and its MIME types. */
  outputs: { output_type: string; text: string; mimes: string[] }[];
}

/** Kernel facts of the current notebook. */
export interface KernelInfo {
  name: string;
  displayName: string;
  status: string;
  connection: string;
  id: string;
}

/** Poll `fn` every 250 ms until it returns a truthy value or `timeoutMs` passes (then throw, naming `what`). */
export async function waitFor<T>(
  what: string,
  fn: () => Promise<T>,
  timeoutMs: number,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const v = await fn().catch((e) => void (last = e));
    if (v) return v as NonNullable<T>;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${last})` : ""}`,
  );
}

/** Open a notebook (path relative to the server root) in the running JupyterLab and wait for its kernel. */
export async function openNotebook(page: Page, path: string): Promise<KernelInfo> {
  await waitFor("the JupyterLab app to be restored", () =>
    page.evaluate(async () => {
      const app = (globalThis as any).jupyterapp;
      if (!app?.restored) return false;
      await app.restored;
      return app.commands.hasCommand("docmanager:open");
    }), 90_000);
  // Resolves to true, not the widget: it cannot cross into this process.
  const open = { path, factory: "Notebook" };
  await page.evaluate(
    (o) => (globalThis as any).jupyterapp.commands.execute("docmanager:open", o).then(() => true),
    open,
  );
  await waitFor(
    `notebook ${path} to be the current widget`,
    () => page.evaluate((p) => (globalThis as any).jupyterapp.shell.currentWidget?.context?.path === p, path),
    30_000,
  );
  // JupyterLab does not ask which kernel to use (the notebook names it): a kernel dialog ends in this timeout.
  const info = await waitFor(`the kernel of ${path} to be idle`, async () => {
    const k = await kernelInfo(page);
    return k?.status === "idle" && k.connection === "connected" ? k : undefined;
  }, 60_000);
  await watchKernelStatus(page);
  return info;
}

/** Name, status and id of the current notebook's kernel (null before it exists). */
export function kernelInfo(page: Page): Promise<KernelInfo | null> {
  return page.evaluate(() => {
    const ctx = (globalThis as any).jupyterapp.shell.currentWidget?.sessionContext;
    const k = ctx?.session?.kernel;
    if (!k) return null;
    return {
      name: k.name,
      displayName: ctx.kernelDisplayName,
      status: k.status,
      connection: k.connectionStatus,
      id: k.id,
    };
  });
}

/** Click a top menu (e.g. "Run"), then its item with exactly this label (e.g. "Run All Cells"). */
export async function menu(page: Page, title: string, item: string): Promise<void> {
  await page.locator(".lm-MenuBar-item", { hasText: new RegExp(`^${title}$`) }).first().click();
  const label = page.locator(".lm-Menu-itemLabel", {
    hasText: new RegExp(`^${item.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`),
  });
  await page.locator(".lm-Menu-item", { has: label }).first().click();
}

/** Press the notebook toolbar's ■ Interrupt button (as a learner does; a missing button fails the click). */
export async function interruptFromToolbar(page: Page): Promise<void> {
  const button = '[data-jp-item-name="interrupt"] :is(jp-button, button)';
  await page.locator(`.jp-NotebookPanel:not(.lm-mod-hidden) ${button}`).first().click();
}

/** Every cell of the current notebook: source, execution count, prompt and outputs (text joined). */
export function cells(page: Page): Promise<CellInfo[]> {
  return page.evaluate(() => {
    const panel = (globalThis as any).jupyterapp.shell.currentWidget;
    const widgets = panel.content.widgets;
    return widgets.map((w: any, index: number) => {
      const m = w.model;
      const prompt = w.node.querySelector(".jp-InputPrompt")?.textContent?.trim() ?? "";
      const outputs = m.type === "code" ? (m.outputs.toJSON() as any[]) : [];
      return {
        index,
        type: m.type,
        executionCount: m.type === "code" ? m.executionCount : null,
        prompt,
        outputs: outputs.map((o) => ({
          output_type: o.output_type,
          text: o.output_type === "stream"
            ? [o.text].flat().join("")
            : o.output_type === "error"
            ? `${o.ename}: ${o.evalue}`
            : [o.data?.["text/plain"] ?? ""].flat().join(""),
          mimes: o.data ? Object.keys(o.data) : [],
        })),
      };
    });
  });
}

/**
 * Wait until no cell shows `[*]` and the kernel is idle, twice in a row `settleMs` apart; throws as soon as the
 * kernel died (out of memory, killed by a signal).
 */
export async function waitUntilDone(page: Page, timeoutMs: number, settleMs = 1000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let idle = 0;; await page.waitForTimeout(idle ? settleMs : 500)) {
    const died = await kernelDeaths(page);
    if (died.length > 0) throw new Error(`the kernel died and was restarted (status: ${died.join(", ")})`);
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for the cells to finish`);
    }
    const running = (await cells(page)).some((c) => c.prompt.includes("*"));
    idle = running || (await kernelInfo(page))?.status !== "idle" ? 0 : idle + 1;
    if (idle === 2) return;
  }
}

/** Record every status change of the current notebook's kernel in the page (so a quick restart is not missed). */
async function watchKernelStatus(page: Page): Promise<void> {
  await page.evaluate(() => {
    const g = globalThis as any;
    const panel = g.jupyterapp.shell.currentWidget;
    const path = panel.context.path;
    g.__kernelStatus ??= {};
    if (g.__kernelStatus[path]) return;
    g.__kernelStatus[path] = [];
    panel.sessionContext.statusChanged.connect((_: unknown, s: string) => g.__kernelStatus[path].push(s));
  });
}

/** Statuses of the current notebook's kernel that mean it died ("autorestarting", "restarting", "dead"). */
export function kernelDeaths(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const g = globalThis as any;
    const path = g.jupyterapp.shell.currentWidget?.context?.path;
    const seen: string[] = g.__kernelStatus?.[path] ?? [];
    return seen.filter((s) => s === "autorestarting" || s === "restarting" || s === "dead");
  });
}

/** Shut down the current notebook's kernel (frees its memory; the tab stays open). */
export async function shutdownKernel(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await (globalThis as any).jupyterapp.shell.currentWidget?.sessionContext?.shutdown();
    return true;
  });
}
