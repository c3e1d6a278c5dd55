/**
 * Browser end-to-end test: JupyterLab on 127.0.0.1 (random port and token), driven by Debian's `chromium`
 * through npm `playwright-core`. It
 *
 * 1. opens the first lesson notebook (`notebooks/01-*.ipynb`, else the smoke fixture), checks that the
 *    "TypeScript (Deno) — microGPT" kernel runs it, runs all cells from the Run menu, asserts that Plotly figures
 *    rendered (`.js-plotly-plot .main-svg`) and that no cell has an error output;
 * 2. opens a generated notebook and runs all of it: 20 `console.log` lines and 20 displays must land in their own
 *    cell (the bare Deno kernel sends many after `idle`, and on Run All they used to land in the next cell;
 *    tools/jupyter/kernel_proxy.py fixes that); a long `train` run shows its live loss plot redrawing in place, is stopped
 *    with the toolbar's Interrupt (which also stops Run All there), then shows the interactive Plotly figure; the
 *    next cell, run by hand, runs with the kernel's state intact, also after a second Interrupt while idle; a
 *    figure's slider switches data without the kernel;
 * 3. interrupts a runaway `while (true) {}` with the toolbar's ■ and runs the next cell; a failing cell stops a
 *    run of the cells below it (interrupt_stage.ts);
 * 4. saves screenshots to `artifacts/` (git-ignored), leaves the notebooks on disk as they were (no autosave,
 *    checkpoint folders removed) and always stops the server and its kernels.
 *
 * No chromium on PATH → SKIPPED (loudly), unless `REQUIRE_BROWSER=1` (CI), then FAILED.
 * Exit status: 0 passed, 1 failed, 3 skipped. Every check prints one `  ✓ …` / `  ✗ …` line; the output ends
 * with `browser test: PASSED|FAILED|SKIPPED — …` and then `N passed, N failed[, 1 skipped]` (the same counts go
 * to `$TEST_REPORT` for `deno task test`, see ../report.ts).
 *
 * Usage: `deno run -A tools/testing/browser/browser_test.ts [--notebook notebooks/01-x.ipynb …] [--all] [--headed]`
 * (`--all`: every notebook in notebooks/ instead of only the first).
 *
 * @module
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { parseArgs } from "node:util";
import type { Browser, Page } from "playwright-core";
import { startJupyterLab } from "../../jupyter/jupyter.ts";
import type { JupyterServer } from "../../jupyter/jupyter.ts";
import { KERNEL_DISPLAY_NAME, KERNEL_NAME, ROOT } from "../../jupyter/setup.ts";
import {
  type CellInfo,
  cells,
  interruptFromToolbar,
  kernelDeaths,
  kernelInfo,
  launchChromium,
  menu,
  moveSlider,
  openNotebook,
  shutdownKernel,
  waitFor,
  waitUntilDone,
} from "./lab_page.ts";
import { CELL, E2E_CELLS, MARK, notebookJson } from "./e2e_notebook.ts";
import { INTERRUPT_CELLS, interruptStage } from "./interrupt_stage.ts";
import { allNotebooks } from "../notebooks.ts";
import { report } from "../report.ts";

const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/** Outcome of one browser test run. */
export interface BrowserTestResult {
  status: "passed" | "failed" | "skipped";
  /** One line: why it failed or was skipped, or what passed. */
  message: string;
  /** Every check made, in order, with ✓ or ✗. */
  checks: string[];
  /** Screenshot paths relative to the project root. */
  screenshots: string[];
  seconds: number;
}

/** Options of {@link browserTest}. */
export interface BrowserTestOptions {
  /** Lesson notebooks to run, relative to the project root (default: notebooks/01-*.ipynb, else the smoke fixture). */
  notebooks?: string[];
  /** Show the browser window (needs a display). */
  headed?: boolean;
  /** Where progress lines go (default: console.log). */
  log?: (line: string) => void;
}

/** The default notebook: the first lesson notebook, else the platform's smoke fixture. */
export function defaultNotebook(): string {
  const dir = join(ROOT, "notebooks");
  const first = existsSync(dir)
    ? readdirSync(dir).filter((f) => /^01-.*\.ipynb$/.test(f)).sort()[0]
    : undefined;
  return first ? `notebooks/${first}` : "tests/fixtures/smoke.ipynb";
}

/** Run the whole browser test. Never throws: problems become a "failed" result. */
export async function browserTest(opts: BrowserTestOptions = {}): Promise<BrowserTestResult> {
  const started = performance.now();
  const log = opts.log ?? ((l: string) => console.log(l));
  const checks: string[] = [];
  const screenshots: string[] = [];
  const result = (status: BrowserTestResult["status"], message: string): BrowserTestResult => ({
    status,
    message,
    checks,
    screenshots,
    seconds: (performance.now() - started) / 1000,
  });
  const notebooks = opts.notebooks?.length ? opts.notebooks : [defaultNotebook()];
  const missing = notebooks.filter((n) => !existsSync(join(ROOT, n)));
  if (missing.length > 0) return result("failed", `no such notebook: ${missing.join(", ")}`);
  const artifacts = join(ROOT, "artifacts");
  const work = join(artifacts, "browser");
  // A fresh workspace (no tabs restored from an earlier run) and our own settings: no autosave (running the
  // lesson notebook must not write outputs into the committed file), and every cell rendered (JupyterLab
  // otherwise renders only the cells near the viewport, and a figure further down would not be in the page).
  rmSync(join(work, "workspaces"), { recursive: true, force: true });
  mkdirSync(join(work, "workspaces"), { recursive: true });
  const settings = {
    "docmanager-extension/plugin": { autosave: false },
    "notebook-extension/tracker": { windowingMode: "none" },
  };
  for (const [plugin, value] of Object.entries(settings)) {
    const [dir, file] = plugin.split("/");
    mkdirSync(join(work, "settings", "@jupyterlab", dir), { recursive: true });
    writeFileSync(
      join(work, "settings", "@jupyterlab", dir, `${file}.jupyterlab-settings`),
      JSON.stringify(value),
    );
  }
  const e2ePath = join(work, "e2e.ipynb");
  writeFileSync(e2ePath, notebookJson(E2E_CELLS));
  const interruptPath = join(work, "interrupt.ipynb");
  writeFileSync(interruptPath, notebookJson(INTERRUPT_CELLS));
  const notebookBytes = new Map(notebooks.map((n) => [n, readFileSync(join(ROOT, n))]));
  // JupyterLab writes .ipynb_checkpoints/ beside every notebook it opens: remove the ones this run creates.
  const checkpointDirs = [...new Set(notebooks.map((n) => join(ROOT, dirname(n), ".ipynb_checkpoints")))]
    .filter((d) => !existsSync(d));

  const failures: string[] = [];
  /** Record a check; a failed one is reported at the end (the run goes on), unless `fatal`. */
  const check = (ok: boolean, what: string, detail = "", fatal = false) => {
    const line = `${ok ? "✓" : "✗"} ${what}${detail ? ` — ${detail}` : ""}`;
    checks.push(line);
    log(`  ${line}`);
    if (!ok) failures.push(line);
    if (!ok && fatal) throw new CheckFailed(line);
  };

  let server: JupyterServer | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  try {
    const launched = await launchChromium(opts.headed);
    if (!("newPage" in launched)) return result(launched.status, launched.message);
    browser = launched;
    log(
      `browser test: starting JupyterLab (chromium ${browser.version()}, notebooks: ${notebooks.join(", ")})`,
    );
    server = await startJupyterLab({
      root: ".",
      args: [
        "--LabApp.expose_app_in_browser=True",
        `--LabApp.user_settings_dir=${join(work, "settings")}`,
        `--LabApp.workspaces_dir=${join(work, "workspaces")}`,
      ],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const pageErrors: string[] = [];
    page.on("pageerror", (e) => pageErrors.push(e.message));
    await page.goto(server.labUrl, { waitUntil: "domcontentloaded" });

    // 1 — the lesson notebook(s)
    const runTimes: string[] = [];
    for (const notebook of notebooks) {
      const stem = basename(notebook, ".ipynb");
      const kernel = await openNotebook(page, notebook);
      check(
        kernel.name === KERNEL_NAME && kernel.displayName === KERNEL_DISPLAY_NAME,
        `kernel "${KERNEL_DISPLAY_NAME}" picked for ${notebook}`,
        `${kernel.name} / ${kernel.displayName}`,
        true,
      );
      const t0 = performance.now();
      await menu(page, "Run", "Run All Cells");
      await waitUntilDone(page, 180_000);
      const runSeconds = (performance.now() - t0) / 1000;
      runTimes.push(`${stem} ${runSeconds.toFixed(1)} s`);
      const lesson = await cells(page);
      const code = lesson.filter((c) => c.type === "code");
      check(
        code.every((c) => c.executionCount !== null),
        `${stem}: all ${code.length} code cells ran (Run ▸ Run All Cells)`,
        `${runSeconds.toFixed(1)} s`,
      );
      check(errorsOf(lesson).length === 0, `${stem}: no error output`, errorsOf(lesson).join("; "));
      const panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)");
      const plots = await panel.locator(".js-plotly-plot").count();
      const layers = await panel.locator(".js-plotly-plot .main-svg").count();
      const outputs = lesson.flatMap((c) => c.outputs);
      const expected = outputs.filter((o) => o.mimes.includes(PLOTLY_MIME)).length;
      check(
        plots >= expected && layers >= expected,
        `${stem}: every Plotly figure rendered (.js-plotly-plot .main-svg)`,
        `${plots} of ${expected} figures drawn`,
      );
      const svgs = outputs.filter((o) =>
        o.mimes.includes("image/svg+xml") && !o.mimes.includes(PLOTLY_MIME)
      ).length;
      if (svgs > 0) {
        const drawn = await panel.locator(".jp-RenderedSVG img, .jp-RenderedHTMLCommon svg[viewBox]").count();
        check(drawn >= svgs, `${stem}: every SVG (computation graphs) rendered`, `${drawn} of ${svgs}`);
      }
      if (plots > 0) {
        await shot(
          page,
          panel.locator(".js-plotly-plot").first(),
          join(artifacts, `browser-${stem}-figure.png`),
          screenshots,
        );
      }
      await shot(page, undefined, join(artifacts, `browser-${stem}.png`), screenshots);
      // Free the kernel's memory before the next notebook (the tab stays open, unsaved).
      await shutdownKernel(page);
    }

    // 2 — the generated notebook
    const e2eRel = relative(ROOT, e2ePath);
    await openNotebook(page, e2eRel);
    const before = await kernelInfo(page);
    await menu(page, "Run", "Run All Cells");
    // The training cell shows its live loss plot; let it train a moment, then interrupt from the toolbar.
    await waitFor("the live loss plot of the training cell", async () => {
      const c = await cells(page!);
      const train = c[CELL.train];
      return train.outputs.some((o) => o.mimes.includes("image/svg+xml")) && train.prompt.includes("*");
    }, 120_000);
    // The live plot must redraw in place while training runs (same output, new picture).
    const liveImage = () =>
      page!.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell").nth(CELL.train)
        .locator(".jp-RenderedSVG img, .jp-RenderedSVG svg").first();
    const picture = async () => {
      const el = liveImage();
      return (await el.getAttribute("src")) ?? (await el.innerHTML());
    };
    const first = await waitFor("the live loss SVG", picture, 60_000);
    const firstText = (await cells(page))[CELL.train].outputs.map((o) => o.text).join(" ");
    await page.waitForTimeout(1500);
    const second = await picture();
    const secondText = (await cells(page))[CELL.train].outputs.map((o) => o.text).join(" ");
    check(
      first !== second && firstText !== secondText,
      "live loss plot redraws in place during training",
      `${lastLine(firstText)} → ${lastLine(secondText)}`,
    );
    await interruptFromToolbar(page);
    await waitUntilDone(page, 60_000);
    const e2e = await cells(page);
    check(errorsOf(e2e).length === 0, "generated notebook: no error output", errorsOf(e2e).join("; "));
    const logs = textOf(e2e[CELL.logs]);
    const missingLogs = range(20).filter((i) => !logs.includes(MARK.logLine(i)));
    check(
      missingLogs.length === 0,
      "20 console.log lines all landed in their cell",
      missingLogs.length ? `missing ${missingLogs}${whereElse(e2e, missingLogs.map(MARK.logLine))}` : "",
    );
    const displays = e2e[CELL.displays].outputs.filter((o) => o.output_type === "display_data").map((o) =>
      o.text
    );
    const missingDisplays = range(20).filter((i) => !displays.includes(MARK.displayLine(i)));
    check(
      missingDisplays.length === 0,
      "20 displays all landed in their cell",
      missingDisplays.length
        ? `missing ${missingDisplays}${whereElse(e2e, missingDisplays.map(MARK.displayLine))}`
        : "",
    );
    const stopped = textOf(e2e[CELL.train]);
    check(
      stopped.includes(MARK.stopped),
      "training cell stopped cleanly on the toolbar's ■ Interrupt",
      lastLine(stopped),
    );
    const trainPlots = await page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell").nth(CELL.train)
      .locator(".js-plotly-plot .main-svg").count();
    check(trainPlots > 0, "after the run, live.done() swaps in the interactive Plotly figure");
    const after = await kernelInfo(page);
    check(after?.id === before?.id && after?.status === "idle", "same kernel, idle after the interrupt");
    check(
      !textOf(e2e[CELL.after]).includes(MARK.alive),
      "■ also stopped Run All: the cell below was not run (as with ipykernel)",
      lastLine(textOf(e2e[CELL.after])),
    );
    // Run that cell by hand: the kernel takes new work after an interrupt, with its state.
    const count = e2e[CELL.after].executionCount ?? 0;
    await page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell").nth(CELL.after).click();
    await menu(page, "Run", "Run Selected Cell");
    await waitFor("the re-run of the cell after the interrupt", async () => {
      const c = (await cells(page!))[CELL.after];
      return (c.executionCount ?? 0) > count && textOf(c).includes(MARK.alive);
    }, 30_000);
    check(
      true,
      "running that cell by hand works, with the training's state",
      `execution count ${count} → ${count + 1}+`,
    );
    // An Interrupt while nothing runs must not kill the kernel either (the kernel proxy ignores it).
    await interruptFromToolbar(page);
    await page.waitForTimeout(1500);
    await page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell").nth(CELL.after).click();
    await menu(page, "Run", "Run Selected Cell");
    const idleOk = await waitFor("a run after an Interrupt while idle", async () => {
      const c = (await cells(page!))[CELL.after];
      return (c.executionCount ?? 0) > count + 1 && textOf(c).includes(MARK.alive);
    }, 30_000).catch(() => false);
    const afterIdle = await kernelInfo(page);
    check(
      idleOk === true && afterIdle?.id === before?.id && (await kernelDeaths(page)).length === 0,
      "an Interrupt while idle leaves the kernel and its state alone",
    );
    // The slider: drag to the last step; Plotly swaps the data in the browser, no kernel involved.
    const moved = await moveSlider(
      page,
      page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .js-plotly-plot").first(),
    );
    check(
      moved?.join(",") === "3,6,9",
      "slider switches the figure's data without the kernel",
      `y = ${moved}`,
    );
    const trainCell = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell").nth(CELL.train);
    await shot(
      page,
      trainCell.locator(".jp-OutputArea"),
      join(artifacts, "browser-live-loss.png"),
      screenshots,
    );
    await shot(page, undefined, join(artifacts, "browser-e2e.png"), screenshots);
    // 3 — Interrupt on a runaway cell, and Run All stopping at the first error (interrupt_stage.ts)
    await interruptStage(page, relative(ROOT, interruptPath), check);
    check(pageErrors.length === 0, "no uncaught errors in the page", pageErrors.slice(0, 3).join("; "));
    if (failures.length > 0) return result("failed", failures.join("\n"));
    return result(
      "passed",
      `${checks.length} checks passed; Run All took ${runTimes.join(", ")}`,
    );
  } catch (e) {
    if (page) {
      await shot(page, undefined, join(artifacts, "browser-failure.png"), screenshots).catch(() => {});
    }
    const message = [
      ...failures.filter((f) => !(e instanceof CheckFailed && f === e.message)),
      e instanceof CheckFailed ? e.message : `${e instanceof Error ? e.stack ?? e.message : e}`,
    ].join("\n");
    if (!(e instanceof CheckFailed) && server) {
      log(`--- JupyterLab log (tail) ---\n${server.logs().split("\n").slice(-40).join("\n")}`);
    }
    return result("failed", message);
  } finally {
    await browser?.close().catch(() => {});
    await server?.stop();
    for (const d of checkpointDirs) rmSync(d, { recursive: true, force: true });
    // Belt and braces: the lesson notebooks on disk must be exactly as before.
    for (const [path, bytes] of notebookBytes) {
      if (!readFileSync(join(ROOT, path)).equals(bytes)) writeFileSync(join(ROOT, path), bytes);
    }
  }
}

class CheckFailed extends Error {}

function errorsOf(cs: CellInfo[]): string[] {
  return cs.flatMap((c) =>
    c.outputs.filter((o) => o.output_type === "error").map((o) => `cell ${c.index}: ${o.text}`)
  );
}

/** Where outputs that missed their cell went instead (for the failure message). */
function whereElse(cs: CellInfo[], texts: string[]): string {
  const found = cs.filter((c) => texts.some((t) => textOf(c).includes(t))).map((c) => c.index);
  return found.length ? `; found in cell(s) ${found.join(", ")} instead` : "; not in any cell";
}

function textOf(c: CellInfo): string {
  return c.outputs.map((o) => o.text).join("\n");
}

function lastLine(s: string): string {
  return s.trim().split("\n").at(-1) ?? "";
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}

async function shot(page: Page, el: ReturnType<Page["locator"]> | undefined, path: string, list: string[]) {
  if (el) {
    await el.scrollIntoViewIfNeeded();
    await el.screenshot({ path });
  } else await page.screenshot({ path });
  list.push(relative(ROOT, path));
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      notebook: { type: "string", multiple: true },
      all: { type: "boolean", default: false },
      headed: { type: "boolean", default: false },
    },
  });
  const all = values.all ? allNotebooks().filter((n) => n.startsWith("notebooks/")) : [];
  const r = await browserTest({ notebooks: [...(values.notebook ?? []), ...all], headed: values.headed });
  if (r.status === "skipped") {
    console.log("!".repeat(78));
    console.log(`!! browser test SKIPPED: ${r.message}`);
    console.log("!! (set REQUIRE_BROWSER=1 to make this a failure, as CI does)");
    console.log("!".repeat(78));
  }
  if (r.screenshots.length) console.log(`screenshots: ${r.screenshots.join(", ")}`);
  console.log(
    `browser test: ${r.status.toUpperCase()} — ${r.message.split("\n")[0]} (${r.seconds.toFixed(1)} s)`,
  );
  if (r.status === "failed" && r.message.includes("\n")) console.error(r.message);
  const passed = r.checks.filter((c) => c.startsWith("✓")).length;
  const failed = r.status === "failed" ? Math.max(1, r.checks.filter((c) => c.startsWith("✗")).length) : 0;
  report({ passed, failed, skipped: r.status === "skipped" ? 1 : 0 });
  Deno.exit(r.status === "passed" ? 0 : r.status === "skipped" ? 3 : 1);
}
