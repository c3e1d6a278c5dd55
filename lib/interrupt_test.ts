import assert from "node:assert/strict";
import { clearInterrupt, interrupted, requestInterrupt, stepGate, watchInterrupt } from "./interrupt.ts";

Deno.test("outside Jupyter no listener is registered by default (Ctrl-C keeps its meaning)", () => {
  assert.equal(watchInterrupt(), false);
});

Deno.test("requestInterrupt raises the flag and clearInterrupt lowers it", () => {
  clearInterrupt();
  assert.equal(interrupted(), false);
  requestInterrupt();
  assert.equal(interrupted(), true);
  clearInterrupt();
  assert.equal(interrupted(), false);
});

Deno.test("with the listener, SIGINT sets the flag and does not kill the process, twice", async () => {
  const script = `
    import { interrupted, clearInterrupt, watchInterrupt } from ${
    JSON.stringify(new URL("./interrupt.ts", import.meta.url).href)
  };
    console.log("watching", watchInterrupt({ force: true }), watchInterrupt({ force: true }));
    for (let round = 1; round <= 2; round++) {
      Deno.kill(Deno.pid, "SIGINT");
      const t0 = Date.now();
      while (!interrupted() && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 10));
      console.log("round", round, interrupted());
      clearInterrupt();
    }
    console.log("alive");
  `;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", script],
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  const text = new TextDecoder().decode(out.stdout);
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  assert.equal(text, "watching true true\nround 1 true\nround 2 true\nalive\n");
});

Deno.test("stepGate: a busy loop gives timers a turn every ~50 ms, so a signal listener can run", async () => {
  const gate = stepGate();
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  const t0 = performance.now();
  let step = 0;
  while (performance.now() - t0 < 300) {
    const s0 = performance.now();
    while (performance.now() - s0 < 1) { /* one busy 1 ms step */ }
    await gate(++step, 1e9);
  }
  clearInterval(timer);
  assert.ok(ticks >= 3 && ticks <= 12, `the timer ran ${ticks} times in 300 ms (about every 50 ms: ~6)`);
});

Deno.test("stepGate: stops after the step an Interrupt came in, once; not on the last step; a new gate forgets", async () => {
  const lines: string[] = [];
  const gate = stepGate((l) => lines.push(l));
  assert.equal(await gate(1, 5), false);
  requestInterrupt();
  assert.equal(await gate(2, 5), true);
  assert.equal(await gate(3, 5), false, "the Interrupt was used up");
  requestInterrupt();
  assert.equal(await gate(5, 5), false, "nothing left to stop after the last step");
  assert.deepEqual(lines, ["stopped at step 2 of 5"]);
  const next = stepGate((l) => lines.push(l));
  assert.equal(await next(1, 5), false, "an Interrupt from before the loop does not stop it");
});

Deno.test("stepGate: after the button (SIGINT) stops a loop, loops started right after in the same cell stop too", async () => {
  const script = `
    import { stepGate } from ${JSON.stringify(new URL("./interrupt.ts", import.meta.url).href)};
    import { watchInterrupt } from ${JSON.stringify(new URL("./interrupt.ts", import.meta.url).href)};
    watchInterrupt({ force: true });
    const run = async (n) => { // a loop of n steps of ~1 ms; returns the steps done
      const gate = stepGate();
      for (let step = 1; step <= n; step++) {
        const t0 = performance.now();
        while (performance.now() - t0 < 1) { /* work */ }
        if (step === 20 && n === 1000 && !globalThis.sent) { globalThis.sent = true; Deno.kill(Deno.pid, "SIGINT"); }
        if (await gate(step, n)) return step;
      }
      return n;
    };
    const sweep = [await run(1000), await run(1000), await run(1000)];
    await new Promise((r) => setTimeout(r, 1100));
    console.log(JSON.stringify({ sweep, later: await run(100) }));
  `;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", script],
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const lines = new TextDecoder().decode(out.stdout).trim().split("\n");
  const { sweep, later } = JSON.parse(lines.at(-1)!);
  assert.ok(
    sweep[0] >= 20 && sweep[0] < 200,
    `the first loop stops soon after the Interrupt (step ${sweep[0]})`,
  );
  assert.deepEqual(sweep.slice(1), [1, 1], "the loops after it in the same cell stop after their first step");
  assert.equal(later, 100, "a loop started later (another cell) runs in full");
  assert.deepEqual(
    lines.slice(0, 3).map((l) => l.replace(/\d+ of/, "N of")),
    Array(3).fill("stopped at step N of 1000"),
  );
});
