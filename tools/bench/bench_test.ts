import assert from "node:assert/strict";
import { formatTable, main } from "./bench.ts";

Deno.test("bench: a tiny run prints one table row per measurement (no timing asserted)", async () => {
  const lines: string[] = [];
  const [log, err] = [console.log, console.error];
  console.log = (s: string) => lines.push(s);
  console.error = () => {};
  try {
    assert.equal(await main(["--steps", "3"]), 0);
  } finally {
    [console.log, console.error] = [log, err];
  }
  const rows = lines[1].split("\n").slice(2).map((r) => r.split("|").map((c) => c.trim()));
  assert.deepEqual(rows.map((r) => r[1]), [
    "scalar engine (training loop)",
    "fast engine, fresh process (training loop)",
    "fast engine, warm (training loop)",
    "deno task train --engine fast (whole process)",
    "fast engine, bigger model (training loop)",
  ]);
  for (const r of rows) assert.ok(r[2] === "3" && Number(r[3]) > 0, r.join(" | ")); // steps, total s
  assert.match(rows[1][8], /×$/); // vs scalar, measured in the same run
});

Deno.test("bench: bad flags exit with 2", async () => {
  const err = console.error;
  console.error = () => {};
  try {
    assert.equal(await main(["--steps", "0"]), 2);
    assert.equal(await main(["--nope"]), 2);
  } finally {
    console.error = err;
  }
});

Deno.test("bench: the table shows speed-ups over the baselines measured in the same run", () => {
  const text = formatTable([
    { name: "scalar", steps: 1000, seconds: 5 },
    { name: "fast", steps: 1000, seconds: 0.05 },
    { name: "big", steps: 100, seconds: 1.4, tokens: 5600, big: true },
  ], { python: 300, scalar: 5 });
  const rows = text.split("\n");
  assert.match(rows[2], /\| 60\.0× +\| 1\.00× /);
  assert.match(rows[3], /\| 6,000× +\| 100× /);
  assert.match(rows[4], /4,000 /); // tokens/s; no ratios for the bigger model
  assert.doesNotMatch(rows[4], /×/);
});
