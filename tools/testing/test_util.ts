/**
 * Helpers shared by the tools' tests.
 *
 * @module
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Runs `fn` in a fresh temporary folder (named after `prefix`) and removes the folder afterwards.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { existsSync, writeFileSync } from "node:fs";
 * import { join } from "node:path";
 * import { inTempDir } from "./test_util.ts";
 * let kept = "";
 * await inTempDir("example-", (dir) => {
 *   writeFileSync(join(dir, "a.txt"), "a");
 *   kept = dir;
 *   return Promise.resolve();
 * });
 * assert(kept !== "" && !existsSync(kept));
 * ```
 */
export async function inTempDir(prefix: string, fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try {
    await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
