import assert from "node:assert/strict";
import { activeSet, reluBackward, reluForward } from "./relu.ts";

Deno.test("relu: max(0, x), the list of units that are on, and a gradient only through them", () => {
  const x = Float64Array.of(-2, 0, 3, -0, 5), out = new Float64Array(5), on = activeSet(5);
  reluForward(x, out, on);
  assert.deepEqual(out, Float64Array.of(0, 0, 3, 0, 5));
  assert.deepEqual(Array.from(on.idx.subarray(0, on.n)), [2, 4]);
  const dx = new Float64Array(5);
  reluBackward(x, Float64Array.of(1, 2, 3, 4, 5), dx);
  assert.deepEqual(dx, Float64Array.of(0, 0, 3, 0, 5)); // x = 0 passes nothing (local gradient 0)
});
