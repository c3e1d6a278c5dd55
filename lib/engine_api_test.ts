import assert from "node:assert/strict";
import { libImports } from "./loc.ts";

/** Every lib file `file` reaches through its relative imports, itself included. */
function reachable(file: string): Set<string> {
  const seen = new Set<string>();
  const todo = [file];
  while (todo.length > 0) {
    const f = todo.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    todo.push(...libImports(f));
  }
  return seen;
}

Deno.test("the engine's API reaches no notebook helper: no plot, check, inspect, quick, ladder, loc, stats", () => {
  const engine = reachable("engine_api.ts");
  for (const f of ["train.ts", "sample.ts", "checkpoint.ts", "value.ts"]) assert.ok(engine.has(f), f);
  assert.ok([...engine].some((f) => f.startsWith("fast/")), "engine_api.ts reaches the fast engine");
  const helpers = [...engine].filter((f) =>
    /^(plot|check|check_part.*|inspect|quick|loc|stats|reference_run|notebook_api)\.ts$|^(plot|ladder)\//
      .test(f)
  );
  assert.deepEqual(helpers, []);
});

Deno.test("mod.ts is the engine's API and the notebook helpers, nothing else", () => {
  assert.deepEqual(libImports("mod.ts"), ["engine_api.ts", "notebook_api.ts"]);
  const helpers = reachable("notebook_api.ts");
  assert.ok(helpers.has("plot/graph.ts") && helpers.has("ladder/mod.ts") && helpers.has("check_part.ts"));
});
