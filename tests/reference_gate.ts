/**
 * Tests that need the Python reference (`../shared/reference/`, outside the repository) are ignored, with a
 * loud message, when it is missing — unless `REQUIRE_REFERENCE=1` (set by `.ci/run`): then they run and fail
 * with a message saying what is missing, so CI never passes without checking parity.
 *
 * @module
 */

/**
 * Whether the reference is required (`REQUIRE_REFERENCE` set to anything but "", "0" or "false").
 *
 * @example
 * ```ts
 * import { referenceRequired } from "./reference_gate.ts";
 * import { strictEqual } from "node:assert";
 * strictEqual(typeof referenceRequired(), "boolean");
 * ```
 */
export function referenceRequired(): boolean {
  const v = Deno.env.get("REQUIRE_REFERENCE") ?? "";
  return v !== "" && v !== "0" && v.toLowerCase() !== "false";
}

/** A test that needs the reference files. */
export interface ReferenceTest {
  name: string;
  /** Whether the files it needs exist. */
  present: boolean;
  /** What is missing, for the messages (e.g. "../shared/reference/microgpt-reference.json"). */
  needs: string;
  fn: () => void | Promise<void>;
}

/**
 * A `Deno.test` definition: runs `fn` when the reference is present; otherwise ignored (name marked
 * "SKIPPED"), or, with `REQUIRE_REFERENCE=1`, run and failed with a clear message.
 *
 * @example
 * ```ts
 * import { referenceTest } from "./reference_gate.ts";
 * import { rejects, strictEqual } from "node:assert";
 * const before = Deno.env.get("REQUIRE_REFERENCE");
 * Deno.env.set("REQUIRE_REFERENCE", "1"); // as in CI
 * const def = referenceTest({ name: "parity", present: false, needs: "ref.json", fn: () => {} });
 * if (before === undefined) Deno.env.delete("REQUIRE_REFERENCE");
 * else Deno.env.set("REQUIRE_REFERENCE", before);
 * strictEqual(def.ignore, false);
 * await rejects(async () => await def.fn({} as Deno.TestContext), /REQUIRE_REFERENCE=1 but ref\.json is missing/);
 * ```
 */
export function referenceTest(t: ReferenceTest): Deno.TestDefinition {
  if (t.present) return { name: t.name, fn: t.fn };
  const required = referenceRequired();
  if (!required) {
    console.error(
      `\n!!! SKIPPED: ${t.name} — ${t.needs} is missing (looked next to the project directory). ` +
        "Parity with the Python reference is NOT checked. !!!\n",
    );
  }
  return {
    name: `${t.name}${required ? "" : ` — SKIPPED: ${t.needs} is missing`}`,
    ignore: !required,
    fn: () => {
      throw new Error(
        `REQUIRE_REFERENCE=1 but ${t.needs} is missing: put the reference files in ../shared/reference/ ` +
          "(next to the project directory) or unset REQUIRE_REFERENCE to skip this test",
      );
    },
  };
}
