import assert from "node:assert/strict";
import { clearInterrupt, interrupted, requestInterrupt, watchInterrupt } from "./interrupt.ts";

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
