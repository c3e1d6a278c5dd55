/**
 * Notebook 04's central figure must show structure: with the parameters it ships with, the trained model's
 * causal attention on the inspected name has a mean largest weight per row ≥ 0.6 (uniform attention over
 * the 2…16 visible keys would give 0.06–0.5). The parameters are read from the notebook's `parameters` cell,
 * and the model is trained the way the notebook trains it (`quickModel`), so editing the notebook is enough to
 * break or fix this test.
 */
import assert from "node:assert/strict";
import { type EngineName, inspectAttention, meanLargestWeight, quickModel } from "../lib/mod.ts";

const NOTEBOOK = new URL("../notebooks/04-attention.ipynb", import.meta.url);

/** `const name[: type] = value;` lines of a notebook's parameters cell, values parsed as JSON. */
function notebookParameters(url: URL): Record<string, unknown> {
  const nb = JSON.parse(Deno.readTextFileSync(url));
  const cell = nb.cells.find((c: { metadata: { tags?: string[] } }) =>
    c.metadata.tags?.includes("parameters")
  );
  assert.ok(cell, `${url.pathname}: no cell tagged "parameters"`);
  const params: Record<string, unknown> = {};
  for (const m of [].concat(cell.source).join("").matchAll(/^const (\w+)(?::[^=]+)? = ([^;]+);/gm)) {
    params[m[1]] = JSON.parse(m[2]);
  }
  return params;
}

Deno.test("notebook 04 as shipped: the trained causal attention is sharp (mean largest weight per row ≥ 0.6)", async () => {
  const { seed, num_steps, engine, inspect_name } = notebookParameters(NOTEBOOK);
  const { model, tokenizer } = await quickModel({
    seed: seed as number,
    num_steps: num_steps as number,
    engine: engine as EngineName,
  });
  const trace = inspectAttention(model, { tokenizer, text: inspect_name as string });
  // every head, every row but BOS's (one key: weight 1 whatever the model learned)
  const sharpness = meanLargestWeight(trace.layers[0].flatMap((head) => head.weights.slice(1)));
  assert.ok(
    sharpness >= 0.6,
    `mean largest weight per row ${sharpness} on "${inspect_name}" (${num_steps} steps)`,
  );
});
