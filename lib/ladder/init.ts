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
 * Validate the config, draw the GPT's initial weights and keep `names` (written without `layer0.`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Random } from "../random.ts";
 * import { pickInit } from "./init.ts";
 * const { config, params } = pickInit({ rng: new Random(1) }, ["wte", "mlp_fc1"]);
 * assert(config.n_embd === 16 && params.wte.length === 27 && params.mlp_fc1.length === 64 && !("wpe" in params));
 * ```
 * @throws {RangeError} the config is invalid, or a name is not a matrix of the GPT.
 * @throws {TypeError} no rng.
 */
export function pickInit<N extends string>(
  opts: { config?: Partial<GPTConfig>; rng: Random },
  names: readonly N[],
): { config: GPTConfig; params: Record<N, number[][]> } {
  const config = gptConfig(opts.config);
  if (typeof opts.rng?.gauss !== "function") {
    throw new TypeError(`rng must be a Random (e.g. new Random(42)), got ${String(opts.rng)}`);
  }
  const sd = initStateDict(config, opts.rng);
  const params = {} as Record<N, number[][]>;
  for (const { name } of pickTable(config, names)) params[name as N] = sd[name] ?? sd[`layer0.${name}`];
  return { config, params };
}

/**
 * The rows of the GPT's parameter table for `names` (without `layer0.`), in the order of `names`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gptConfig } from "../config.ts";
 * import { pickTable } from "./init.ts";
 * assert.deepEqual(pickTable(gptConfig({}), ["wte", "mlp_fc2"]).map((p) => p.shape), [[27, 16], [16, 64]]);
 * ```
 * @throws {RangeError} a name is not a matrix of the GPT.
 */
export function pickTable(
  config: GPTConfig,
  names: readonly string[],
): { name: string; shape: [number, number] }[] {
  const table = paramTable(config).map((p) => ({ name: p.name.replace(/^layer0\./, ""), shape: p.shape }));
  return names.map((name) => {
    const row = table.find((p) => p.name === name);
    if (!row) {
      throw new RangeError(`names must be matrices of the GPT (${table.map((p) => p.name)}), got ${name}`);
    }
    return row;
  });
}
