/**
 * The notebook the browser test writes (under the git-ignored `artifacts/`, inside the project so `deno.json`
 * applies in the kernel): a lib figure with a slider, 20 `console.log` lines and 20 displays (the kernel sends
 * many of them after it reports idle; all must land in their cell), a long training run to interrupt, and a
 * cell after it that proves the kernel and its state survived.
 *
 * @module
 */
import { KERNEL_DISPLAY_NAME, KERNEL_NAME } from "../../jupyter/setup.ts";

/** Marker texts the test looks for. */
export const MARK = {
  logLine: (i: number) => `log line ${i} of 20`,
  displayLine: (i: number) => `display ${i} of 20`,
  stopped: "stopped at step",
  alive: "kernel alive after interrupt",
} as const;

/** Index of each cell in the notebook. */
export const CELL = { figure: 0, logs: 1, displays: 2, train: 3, after: 4 } as const;

/** The cells, in order (see `CELL`). */
export const E2E_CELLS: string[] = [
  // 0 — a lib figure with a slider (clicked by the test to prove it works without the kernel)
  `import { display, frames, liveLoss } from "@lib/plot.ts";
const bornAt = Date.now();
frames({
  title: "browser test: slider",
  control: "slider",
  name: "k",
  steps: [1, 2, 3].map((k) => ({ label: String(k), traces: [{ type: "bar", x: ["a", "b", "c"], y: [k, 2 * k, 3 * k] }] })),
});`,
  // 1 — late stream outputs
  "for (let i = 1; i <= 20; i++) console.log(`log line ${i} of 20`);",
  // 2 — late display outputs (awaited, as the notebooks do; the kernel still sends some after idle)
  "for (let i = 1; i <= 20; i++) await display(`display ${i} of 20`);",
  // 3 — a long training run, interrupted by the test from the toolbar
  `import { createModel, gptConfig, loadDocs, Random, Tokenizer, train } from "@lib/mod.ts";
const docs = loadDocs();
const tokenizer = Tokenizer.fromDocs(docs);
const model = createModel({ config: gptConfig({ vocab_size: tokenizer.vocab_size }), rng: new Random(7) });
const live = liveLoss({ title: "browser test: interrupt me", baseline: Math.log(tokenizer.vocab_size) });
const history = await train(model, { docs, tokenizer, num_steps: 1_000_000, onStep: live.onStep });
live.done();
console.log(history.stoppedAt === undefined ? "ran to the end (not interrupted)" : \`stopped at step \${history.stoppedAt}\`);`,
  // 4 — runs after the interrupt, using state from cells 0 and 3
  "console.log(`kernel alive after interrupt: ${history.losses.length} losses kept, kernel state ${Date.now() - bornAt} ms old`);",
];

/** An .ipynb JSON of code cells (nbformat 4.5, the project's Deno kernelspec). */
export function notebookJson(codeCells: string[]): string {
  const cells = codeCells.map((source, i) => ({
    cell_type: "code",
    execution_count: null,
    id: `cell-${i}`,
    metadata: {},
    outputs: [],
    source,
  }));
  const kernelspec = { name: KERNEL_NAME, display_name: KERNEL_DISPLAY_NAME, language: "typescript" };
  const language_info = { name: "typescript", file_extension: ".ts", mimetype: "text/x.typescript" };
  return JSON.stringify(
    { cells, metadata: { kernelspec, language_info }, nbformat: 4, nbformat_minor: 5 },
    null,
    1,
  );
}
