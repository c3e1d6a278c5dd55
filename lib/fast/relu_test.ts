import assert from "node:assert/strict";
import { activeSet, reluForward } from "./relu.ts";

Deno.test("relu: max(0, x) and the list of units that are on (0 and -0 are off)", () => {
  const x = Float64Array.of(-2, 0, 3, -0, 5), out = new Float64Array(5), on = activeSet(5);
  reluForward(x, out, on);
  assert.deepEqual(out, Float64Array.of(0, 0, 3, 0, 5));
  assert.deepEqual(Array.from(on.idx.subarray(0, on.n)), [2, 4]);
});
