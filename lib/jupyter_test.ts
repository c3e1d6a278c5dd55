import assert from "node:assert/strict";
import { isJupyter, jupyterApi } from "./jupyter.ts";

Deno.test("outside the kernel (here: deno test, where reading Deno.jupyter throws) nothing throws", () => {
  assert.throws(() => (Deno as unknown as { jupyter: unknown }).jupyter, /only available in `deno jupyter`/);
  assert.equal(jupyterApi(), undefined);
  assert.equal(isJupyter(), false);
});
