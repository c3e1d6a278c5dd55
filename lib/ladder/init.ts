/**
 * Shared start for the ladder's rungs: every rung draws the full GPT initialisation from its `Random` (in the
 * reference order) and keeps only the matrices it uses, so matrices with the same name start from the same
 * numbers on every rung. Differences between rungs then come from the idea each adds, not from the dice.
 *
 * @module
 */
import { type GPTConfig, gptConfig } from "../config.ts";
import { initStateDict } from "../params.ts";
import type { Random } from "../random.ts";

/**
 * Validate the config, draw the GPT's initial weights and keep `names` (`layer0.` may be left off; no
 * `names`: keep all).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Random } from "../random.ts";
 * import { pickInit } from "./init.ts";
 * const { config, params } = pickInit({ rng: new Random(1) }, ["wte", "lm_head"]);
 * assert(config.n_embd === 16 && params.wte.length === 27 && !("wpe" in params));
 * ```
 * @throws {RangeError} the config is invalid, or a name is not a matrix of the GPT.
 * @throws {TypeError} no rng.
 */
export function pickInit<N extends string>(
  opts: { config?: Partial<GPTConfig>; rng: Random },
  names?: readonly N[],
): { config: GPTConfig; params: Record<N, number[][]> } {
  const config = gptConfig(opts.config);
  if (typeof opts.rng?.gauss !== "function") {
    throw new TypeError(`rng must be a Random (e.g. new Random(42)), got ${String(opts.rng)}`);
  }
  const sd = initStateDict(config, opts.rng);
  if (!names) return { config, params: sd as Record<N, number[][]> };
  const params = {} as Record<N, number[][]>;
  for (const name of names) {
    const m = sd[name] ?? sd[`layer0.${name}`];
    if (!m) {
      throw new RangeError(`names must be matrices of the GPT (${Object.keys(sd).join(", ")}), got ${name}`);
    }
    params[name] = m;
  }
  return { config, params };
}
