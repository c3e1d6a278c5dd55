/**
 * The notebook helpers: what the lessons use to show, check and compare the engine, never part of it.
 * Plotly figures and computation graphs, exercise self-checks (`check`, `checkPart`), attention inspection,
 * the quick reference run, the train0…train5 ladder of notebook 02, line counts, moving averages, and the
 * Python original's committed run.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { entropy, movingAverage } from "./notebook_api.ts";
 * assert.deepEqual(movingAverage([2, 4, 6], 2), [2, 3, 5]);
 * assert(Math.abs(entropy([0.5, 0.5]) - Math.LN2) < 1e-15);
 * ```
 *
 * @module
 */

// figures: Plotly line, bar, heatmap, slider frames, live loss, tables; plot/graph.ts draws a Value's graph
export * from "./plot.ts";
export * from "./stats.ts";
// exercises: check(name, ok, hint), solution(...), checkPart(part, impl)
export * from "./check.ts";
export * from "./check_part.ts";
// looking inside: attention weights read from the real forward pass
export * from "./inspect.ts";
// shortcuts and comparisons: the reference run in one call, the Python original's run, line counts
export * from "./quick.ts";
export * from "./reference_run.ts";
export * from "./loc.ts";
// the train0…train5 ladder of notebook 02
export * from "./ladder/mod.ts";
