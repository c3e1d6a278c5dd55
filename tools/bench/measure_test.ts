import assert from "node:assert/strict";
import { timeTraining } from "./measure.ts";

Deno.test("timeTraining counts the positions it trains on", async () => {
  const t = await timeTraining({ engine: "fast", data: "data/names.txt", steps: 2, batch_size: 3 });
  assert.equal(t.steps, 2);
  assert.ok(t.tokens >= 2 * 3 * 2, `${t.tokens} tokens`); // each document predicts at least 2 positions
});
