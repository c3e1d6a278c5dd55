import assert from "node:assert/strict";
import { createModel } from "./engines.ts";
import { Random } from "./random.ts";

Deno.test("both engines start from the same draw and compute the same loss and logits", () => {
  const config = { vocab_size: 6, n_embd: 8, n_head: 2, n_layer: 2, block_size: 6 };
  const scalar = createModel({ config, rng: new Random(5) });
  const fast = createModel({ config, rng: new Random(5), engine: "fast" });
  assert.equal(scalar.engine, "scalar");
  assert.equal(fast.engine, "fast");
  assert.deepEqual(fast.stateDict(), scalar.stateDict());
  const batch = [[5, 0, 1, 2, 5], [5, 3, 4, 5]];
  assert.equal(fast.lossAndGrad(batch), scalar.lossAndGrad(batch));
  assert.deepEqual(fast.begin()(5), scalar.begin()(5));
});

Deno.test("an unknown engine is a RangeError listing the known ones", () => {
  assert.throws(
    () => createModel({ rng: new Random(1), engine: "gpu" as never }),
    /engine must be one of "scalar", "fast", got "gpu"/,
  );
});

Deno.test("causal: false is the fast engine's option; the scalar engine refuses it instead of ignoring it", () => {
  assert.throws(
    () => createModel({ rng: new Random(1), causal: false }),
    /causal: false needs engine "fast" \(the scalar engine always masks\), got false/,
  );
  const open = createModel({ config: { vocab_size: 5 }, rng: new Random(1), engine: "fast", causal: false });
  const masked = createModel({ config: { vocab_size: 5 }, rng: new Random(1), engine: "fast" });
  assert.notEqual(open.loss([[4, 0, 1, 4]]), masked.loss([[4, 0, 1, 4]]));
});
