import assert from "node:assert/strict";
import { loadReferenceRun } from "./reference_run.ts";

// The figures below are read off the fixture's source (../shared/REFERENCE.md quotes them), not computed here.
Deno.test("the committed reference run: 1000 losses from ln 27-ish to 2.51, 20 samples, its set-up", () => {
  const ref = loadReferenceRun();
  assert.deepEqual(
    [ref.num_docs, ref.vocab_size, ref.num_params, ref.seed, ref.num_steps, ref.temperature],
    [32257, 27, 4192, 42, 1000, 0.5],
  );
  assert.equal(ref.losses[0], 3.463906521228835);
  assert.equal(ref.losses[999], 2.5115693082624273);
  assert.deepEqual(ref.samples.slice(0, 3), ["biad", "amadon", "karel"]);
  assert.equal(ref.samples.length, 20);
});

Deno.test("loadReferenceRun: a file that is not a run is a TypeError naming the bad field", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const good = loadReferenceRun();
    const write = (o: unknown) => {
      const p = `${dir}/run.json`;
      Deno.writeTextFileSync(p, JSON.stringify(o));
      return p;
    };
    assert.throws(
      () => loadReferenceRun(write({ ...good, losses: good.losses.slice(1) })),
      /losses is missing/,
    );
    assert.throws(() => loadReferenceRun(write({ ...good, seed: undefined })), /seed is missing or wrong/);
    assert.throws(() => loadReferenceRun(write({ ...good, samples: [1] })), /samples is missing/);
    assert.throws(() => loadReferenceRun(write([])), TypeError);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
