import assert from "node:assert/strict";
import { join } from "node:path";
import { KERNEL_DISPLAY_NAME, kernelSpec, ROOT } from "./setup.ts";

Deno.test("kernelSpec: deno directly, or through tools/jupyter/kernel_proxy.py with the venv's python", () => {
  const direct = kernelSpec({ deno: "/opt/deno/bin/deno" });
  assert.deepEqual(direct.argv, ["/opt/deno/bin/deno", "jupyter", "--kernel", "--conn", "{connection_file}"]);
  const proxied = kernelSpec({ deno: "/opt/deno/bin/deno", python: "/p/.venv/bin/python" });
  assert.deepEqual(proxied.argv, [
    "/p/.venv/bin/python",
    join(ROOT, "tools", "jupyter", "kernel_proxy.py"),
    "/opt/deno/bin/deno",
    "{connection_file}",
  ]);
  for (const spec of [direct, proxied]) {
    assert.equal(spec.display_name, "TypeScript (Deno) — microGPT");
    assert.equal(spec.display_name, KERNEL_DISPLAY_NAME);
    assert.equal(spec.language, "typescript");
    assert.deepEqual(spec.env, { NO_COLOR: "1" });
  }
  assert.equal("interrupt_mode" in direct, false); // signal: SIGINT reaches lib/interrupt.ts's listener
  assert.equal(proxied.interrupt_mode, "message"); // the proxy receives Interrupt and decides how to stop the cell
});
