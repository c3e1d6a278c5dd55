/**
 * Shared start for the ladder's small rungs: every rung draws the full GPT initialisation from its `Random`
 * (in the reference order) and keeps only the matrices it uses, so matrices with the same name start from the
 * same numbers on every rung. Differences between rungs then come from the idea each adds, not from the dice.
 *
 * @module
 */
import { type GPTConfig, gptConfig } from "../config.ts";
import { initStateDict, paramTable } from "../params.ts";
import type { Random } from "../random.ts";

/**
 * Validate the config, draw the GPT's initial weights and keep `names` (written without `layer0.`), with the
 * `table` of their shapes (what `checkMatrices` checks a loaded state dict against).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Random } from "../random.ts";
 * import { pickInit } from "./init.ts";
 * const { config, params, table } = pickInit({ rng: new Random(1) }, ["wte", "mlp_fc1"]);
 * assert(config.n_embd === 16 && params.wte.length === 27 && params.mlp_fc1.length === 64 && !("wpe" in params));
 * assert.deepEqual(table, [{ name: "wte", shape: [27, 16] }, { name: "mlp_fc1", shape: [64, 16] }]);
 * ```
 * @throws {RangeError} the config is invalid, or a name is not a matrix of the GPT.
 * @throws {TypeError} no rng.
 */
export function pickInit<N extends string>(
  opts: { config?: Partial<GPTConfig>; rng: Random },
  names: readonly N[],
): { config: GPTConfig; params: Record<N, number[][]>; table: { name: N; shape: [number, number] }[] } {
  const config = gptConfig(opts.config);
  if (typeof opts.rng?.gauss !== "function") {
    throw new TypeError(`rng must be a Random (e.g. new Random(42)), got ${String(opts.rng)}`);
  }
  const all = paramTable(config).map((p) => ({ name: p.name.replace(/^layer0\./, ""), shape: p.shape }));
  const table = names.map((name) => {
    const row = all.find((p) => p.name === name);
    if (!row) {
      throw new RangeError(`names must be matrices of the GPT (${all.map((p) => p.name)}), got ${name}`);
    }
    return { name, shape: row.shape };
  });
  const sd = initStateDict(config, opts.rng);
  const params = {} as Record<N, number[][]>;
  for (const { name } of table) params[name] = sd[name] ?? sd[`layer0.${name}`];
  return { config, params, table };
}
