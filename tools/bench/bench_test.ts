import assert from "node:assert/strict";
import { formatTable, main } from "./bench.ts";

Deno.test("bench: a tiny run of every row prints JSON with the measurements (no timing asserted)", async () => {
  const lines: string[] = [];
  const log = console.log;
  console.log = (s: string) => lines.push(s);
  try {
    const code = await main([
      "--steps",
      "3",
      "--scalar-steps",
      "2",
      "--big-steps",
      "1",
      "--no-cli",
      "--json",
    ]);
    assert.equal(code, 0);
  } finally {
    console.log = log;
  }
  const out = JSON.parse(lines.at(-1)!);
  const names = out.rows.map((r: { name: string }) => r.name);
  assert.deepEqual(names, [
    "scalar engine (training loop)",
    "fast engine, fresh process (training loop)",
    "fast engine, fresh process (whole process)",
    "fast engine, warm (training loop)",
    "fast engine, bigger model (training loop)",
  ]);
  for (const r of out.rows) assert.ok(r.seconds > 0 && r.steps > 0, JSON.stringify(r));
  assert.equal(out.rows[4].steps, 1);
  assert.ok(out.base.scalar > 0);
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
