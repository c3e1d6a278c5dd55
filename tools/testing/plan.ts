/**
 * What `deno task notebooks` runs for each notebook, decided from the files alone: where its exercise answers
 * are, whether it is committed clean, and the list of runs (see notebooks.ts).
 *
 * @module
 */

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { KERNEL_NAME, ROOT } from "../jupyter/setup.ts";

/** One run of nbrun.py. */
export interface NotebookJob {
  notebook: string;
  mode: "plain" | "rerun" | "solution" | "wrong";
  solutions?: string;
  /** Fail on any output to stderr (lessons; not with wrong answers). */
  noStderr?: boolean;
  /** Parameters injected as papermill does (`nbrun.py --parameters`): the lesson with a learner's edits. */
  parameters?: Record<string, number>;
}

/** A notebook's cell, as much as the checks need. */
interface Cell {
  cell_type: string;
  source: string | string[];
  outputs?: unknown[];
  execution_count?: number | null;
}

/**
 * Where a notebook's exercise answers live: `tests/solutions/<stem>.json` for lesson notebooks, or
 * `<stem>.solutions.json` beside a notebook elsewhere (the platform fixtures). Paths are relative to the root.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { solutionsFor } from "./plan.ts";
 * assert.equal(solutionsFor("notebooks/no-such-notebook.ipynb"), undefined);
 * ```
 */
export function solutionsFor(notebook: string): string | undefined {
  const stem = basename(notebook, ".ipynb");
  const candidates = [
    join("tests", "solutions", `${stem}.json`),
    join(dirname(notebook), `${stem}.solutions.json`),
  ];
  return candidates.find((candidate) => existsSync(resolve(ROOT, candidate)));
}

/**
 * Problems with how a notebook is committed: outputs or execution counts left in, or another kernelspec.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { commitProblems } from "./plan.ts";
 * const nb = { metadata: { kernelspec: { name: "microgpt-deno" } }, cells: [
 *   { cell_type: "code", source: "1", outputs: [{}], execution_count: 3 },
 * ] };
 * assert.equal(commitProblems(nb).length, 1);
 * ```
 */
export function commitProblems(
  nb: { metadata?: { kernelspec?: { name?: string } }; cells?: Cell[] },
): string[] {
  const problems: string[] = [];
  const kernel = nb.metadata?.kernelspec?.name;
  if (kernel !== KERNEL_NAME) {
    problems.push(`metadata.kernelspec.name is ${JSON.stringify(kernel)}, expected "${KERNEL_NAME}"`);
  }
  const dirty = (nb.cells ?? []).flatMap((c, i) =>
    c.cell_type === "code" && (c.outputs?.length || c.execution_count != null) ? [i + 1] : []
  );
  if (dirty.length > 0) {
    problems.push(
      `committed with outputs or execution counts in cell(s) ${dirty.join(", ")} ` +
        `(clear them: Edit → Clear Outputs of All Cells, then save)`,
    );
  }
  return problems;
}

/**
 * The edits a learner is likely to make first, each of which a lesson must survive (no error, no warning): every
 * steps-like parameter (a name ending in `steps`) set to 60; and `n_embd` set to 32, with the steps at 60 too
 * (a wider model is what is tested, not a long run). From the source of the notebook's `parameters` cell; only
 * the edits it has parameters for.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parameterEdits } from "./plan.ts";
 * const cell = "const num_steps = 1000; // …\nconst toy_steps = 30;\nconst n_embd = 16;\nconst seed = 42;";
 * assert.deepEqual(parameterEdits(cell), [{ num_steps: 60, toy_steps: 60 }, { num_steps: 60, toy_steps: 60, n_embd: 32 }]);
 * assert.deepEqual(parameterEdits("const seed = 42;"), []);
 * ```
 */
export function parameterEdits(parametersCell: string): Record<string, number>[] {
  const declared = [...parametersCell.matchAll(/^(?:const|let)\s+(\w+)/gm)].map((m) => m[1]);
  const steps: Record<string, number> = Object.fromEntries(
    declared.filter((name) => /steps$/.test(name)).map((name) => [name, 60]),
  );
  return [
    ...(Object.keys(steps).length ? [steps] : []),
    ...(declared.includes("n_embd") ? [{ ...steps, n_embd: 32 }] : []),
  ];
}

/** The source of a notebook's cell tagged `parameters` ("" if none). */
function parametersCell(notebook: string): string {
  const nb = JSON.parse(readFileSync(resolve(ROOT, notebook), "utf8"));
  const cell = (nb.cells ?? []).find((c: { metadata?: { tags?: string[] } }) =>
    c.metadata?.tags?.includes("parameters")
  );
  return cell ? [cell.source].flat().join("") : "";
}

/** The `.ipynb` files of a folder (relative to the root), sorted. */
export function listNotebooks(dir: string): string[] {
  const abs = resolve(ROOT, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs).filter((f) => f.endsWith(".ipynb")).sort().map((f) => join(dir, f));
}

/** Every notebook the tests cover: the lessons in notebooks/, then the platform fixtures in tests/fixtures/. */
export function allNotebooks(): string[] {
  return [...listNotebooks("notebooks"), ...listNotebooks(join("tests", "fixtures"))];
}

/**
 * The runs for the given notebooks (paths relative to the project root): a plain Run All; for a lesson (under
 * notebooks/) also a re-run out of order (Run All, then every cell again, last first, in one kernel), a Run All
 * per `parameterEdits` (injected as papermill does), and no stderr allowed; with exercise answers, a run with
 * every solution substituted (each self-check prints ✓, no ✗) and one with every wrong answer (✗, no ✓).
 */
export function planFor(notebooks: string[]): NotebookJob[] {
  return notebooks.flatMap((notebook) => {
    const lesson = !relative(join(ROOT, "notebooks"), resolve(ROOT, notebook)).startsWith("..");
    const solutions = solutionsFor(notebook);
    const jobs: NotebookJob[] = [{ notebook, mode: "plain", noStderr: lesson }];
    if (lesson) {
      jobs.push({ notebook, mode: "rerun", noStderr: true });
      for (const parameters of parameterEdits(parametersCell(notebook))) {
        jobs.push({ notebook, mode: "plain", noStderr: true, parameters });
      }
    }
    if (solutions) {
      jobs.push({ notebook, mode: "solution", solutions, noStderr: lesson }, {
        notebook,
        mode: "wrong",
        solutions,
      });
    }
    return jobs;
  });
}
