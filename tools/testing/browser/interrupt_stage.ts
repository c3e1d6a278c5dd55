/**
 * The browser test's Interrupt stage, in JupyterLab as a learner meets it: Run All on a notebook whose second
 * cell is the classic slip `while (true) {}`, the toolbar's ■ → that cell says it was halted, Run All stops
 * there, the next cell run by hand sees the variables; a failing cell stops a run of the cells below it
 * (ipykernel's `stop_on_error`, done by tools/jupyter/kernel_interrupt.py); the kernel never dies.
 *
 * @module
 */
import type { Page } from "playwright-core";
import * as lab from "./lab_page.ts";

/** The stage's notebook, cell by cell. */
export const INTERRUPT_CELLS = [
  "let kept = 41;",
  "while (true) {} // a runaway loop: the test presses ■",
  'console.log("after the loop: kept =", kept);',
  'throw new Error("the first failure");',
  'console.log("ran after a failure");',
];

/** Records one check (as browser_test.ts's `check`). */
type Check = (ok: boolean, what: string, detail?: string) => void;

/** Run the stage on the notebook at `path` (relative to the server root, cells = INTERRUPT_CELLS). */
export async function interruptStage(page: Page, path: string, check: Check): Promise<void> {
  await lab.openNotebook(page, path);
  const before = await lab.kernelInfo(page);
  const text = async (i: number) => (await lab.cells(page))[i].outputs.map((o) => o.text).join("\n");
  const cell = (i: number) => page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell").nth(i);

  await lab.menu(page, "Run", "Run All Cells");
  await lab.waitFor(
    "the runaway cell to run",
    async () => (await lab.cells(page))[0].executionCount !== null,
    60_000,
  );
  await page.waitForTimeout(2000);
  const t0 = Date.now();
  await lab.interruptFromToolbar(page);
  await lab.waitUntilDone(page, 30_000);
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  check(
    /halted this cell/.test(await text(1)),
    "■ on `while (true) {}`: the cell ends and says what happened",
    `${seconds} s`,
  );
  const below = (await lab.cells(page)).slice(2);
  check(
    below.every((c) => c.outputs.length === 0),
    "Run All stopped at the interrupted cell (the cells below did not run)",
  );

  await cell(2).click();
  await lab.menu(page, "Run", "Run Selected Cell");
  const kept = await lab.waitFor(
    "the cell after the runaway one",
    async () => (await text(2)).includes("kept"),
    30_000,
  )
    .then(() => text(2), () => "");
  check(kept.includes("kept = 41"), "the next cell runs, the variables kept", kept.trim());

  await cell(3).click();
  await lab.menu(page, "Run", "Run Selected Cell and All Below");
  await lab.waitUntilDone(page, 30_000);
  const failed = await text(3), after = await text(4);
  check(
    failed.includes("the first failure") && !after.includes("ran after a failure"),
    "a failing cell stops the run: the cell below it is not run (stop_on_error)",
    failed.split("\n")[0],
  );
  const now = await lab.kernelInfo(page);
  check(
    now?.id === before?.id && (await lab.kernelDeaths(page)).length === 0,
    "the same kernel throughout, never dead",
  );
  await lab.shutdownKernel(page);
}
