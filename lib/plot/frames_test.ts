import assert from "node:assert/strict";
import { partsSlider } from "./frames.ts";

type Bundle = {
  data: { name: string; text: string[] }[];
  layout: { sliders: { steps: { args: unknown[] }[] }[] };
};

const opts = {
  columns: ["model", "learning"],
  parts: [
    { label: "table", column: 0, on: [0] },
    { label: "MLP", column: 0, on: [1, 2] },
    { label: "count", column: 1, on: [0] },
    { label: "SGD", column: 1, on: [1, 2] },
  ],
  steps: [{ label: "r0" }, { label: "r1", title: "rung one" }, { label: "r2" }],
};

Deno.test("partsSlider: each stage sorts the blocks into off, on and new-in-this-stage", () => {
  const fig = partsSlider(opts);
  const bundle = fig.toJSON() as unknown as Bundle;
  // the first stage is drawn: table and count are new, the rest off
  const byName = Object.fromEntries(bundle.data.map((t) => [t.name, t.text]));
  assert.deepEqual(byName["new in this stage"], ["table", "count"]);
  assert.deepEqual(byName.off, ["MLP", "SGD"]);
  assert.deepEqual(byName.on, []);
  assert.equal(bundle.layout.sliders[0].steps.length, 3);
  // stage 2: MLP and SGD stay on (they were on in stage 1), nothing is new
  const stage2 = JSON.stringify(bundle.layout.sliders[0].steps[2].args);
  assert(stage2.includes('["MLP","SGD"]') && stage2.includes("[]"), stage2);
});

Deno.test("partsSlider: a column or stage out of range is a RangeError naming the part", () => {
  assert.throws(
    () => partsSlider({ ...opts, parts: [{ label: "x", column: 2, on: [0] }] }),
    /parts\[0\]\.column must be a whole number in \[0, 2\), got 2/,
  );
  assert.throws(
    () => partsSlider({ ...opts, parts: [{ label: "x", column: 0, on: [3] }] }),
    /parts\[0\]\.on must hold stages in \[0, 3\), got 3/,
  );
  assert.throws(() => partsSlider({ ...opts, steps: [] }), RangeError);
});
