/**
 * The parameters of the GPT: named matrices (the `state_dict` of microgpt.py), drawn from `gauss(0, 0.08)`
 * in the reference order so that a seeded run reproduces the Python reference.
 *
 * @module
 */
import { GPT_KEYS, type GPTConfig, gptConfig } from "./config.ts";
import type { StateDict } from "./model.ts";
import type { Random } from "./random.ts";

/** One row of `paramTable`: a matrix name, its shape and number of scalars. */
export interface ParamInfo {
  name: string;
  shape: [rows: number, cols: number];
  count: number;
}

/** Standard deviation of the initial weights (microgpt.py's `std=0.08`). */
const INIT_STD = 0.08;

/**
 * The parameter matrices of a config, in the reference order: `wte`, `wpe`, `lm_head`, then per layer
 * `attn_wq`, `attn_wk`, `attn_wv`, `attn_wo`, `mlp_fc1`, `mlp_fc2`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_CONFIG, paramTable } from "./engine_api.ts";
 * const t = paramTable(DEFAULT_CONFIG);
 * assert(t[0].name === "wte" && t[0].shape[0] === 27 && t[0].count === 27 * 16);
 * ```
 */
export function paramTable(config: Partial<GPTConfig>): ParamInfo[] {
  const { vocab_size, n_embd, n_layer, block_size } = gptConfig(config);
  const shapes: [string, number, number][] = [
    ["wte", vocab_size, n_embd], // [vocab_size][n_embd]
    ["wpe", block_size, n_embd], // [block_size][n_embd]
    ["lm_head", vocab_size, n_embd], // [vocab_size][n_embd]
  ];
  for (let i = 0; i < n_layer; i++) {
    shapes.push(
      [`layer${i}.attn_wq`, n_embd, n_embd],
      [`layer${i}.attn_wk`, n_embd, n_embd],
      [`layer${i}.attn_wv`, n_embd, n_embd],
      [`layer${i}.attn_wo`, n_embd, n_embd],
      [`layer${i}.mlp_fc1`, 4 * n_embd, n_embd], // [4·n_embd][n_embd]
      [`layer${i}.mlp_fc2`, n_embd, 4 * n_embd], // [n_embd][4·n_embd]
    );
  }
  return shapes.map(([name, rows, cols]) => ({ name, shape: [rows, cols], count: rows * cols }));
}

/**
 * Total number of scalar parameters (4,192 for the defaults).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { countParams } from "./params.ts";
 * assert(countParams({}) === 4192);
 * ```
 */
export function countParams(config: Partial<GPTConfig>): number {
  return paramTable(config).reduce((sum, p) => sum + p.count, 0);
}

/**
 * How a model shows itself, written once for both engines' classes (they extend it; not in `mod.ts`):
 * `GPT(scalar engine, 4,192 params: vocab_size=27, …)`, as `toString()` and in Jupyter.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gptConfig } from "./config.ts";
 * import { ModelDisplay } from "./params.ts";
 * class Shown extends ModelDisplay {
 *   readonly engine = "scalar";
 *   readonly config = gptConfig({ vocab_size: 27 });
 * }
 * assert.equal(
 *   String(new Shown()),
 *   "GPT(scalar engine, 4,192 params: vocab_size=27, n_embd=16, n_head=4, n_layer=1, block_size=16)",
 * );
 * ```
 */
export abstract class ModelDisplay {
  abstract readonly engine: string;
  abstract readonly config: GPTConfig;

  toString(): string {
    const c = this.config, shape = GPT_KEYS.map((k) => `${k}=${c[k]}`).join(", ");
    return `GPT(${this.engine} engine, ${countParams(c).toLocaleString("en-US")} params: ${shape})`;
  }

  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return { "text/plain": this.toString() };
  }
}

/**
 * Draw a fresh state dict: every matrix row by row, every entry `rng.gauss(0, 0.08)`, in `paramTable` order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initStateDict, Random } from "./engine_api.ts";
 * const sd = initStateDict({ vocab_size: 27 }, new Random(42));
 * assert(sd.wte.length === 27 && sd["layer0.mlp_fc1"].length === 64);
 * ```
 */
export function initStateDict(config: Partial<GPTConfig>, rng: Random): StateDict {
  const sd: StateDict = {};
  for (const { name, shape: [rows, cols] } of paramTable(config)) {
    sd[name] = Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.gauss(0, INIT_STD)));
  }
  return sd;
}

/**
 * `checkMatrices` against the matrices of a config (`paramTable`).
 *
 * @example
 * ```ts
 * import { checkStateDict, initStateDict } from "./params.ts";
 * import { Random } from "./random.ts";
 * checkStateDict({}, initStateDict({}, new Random(1))); // passes
 * ```
 */
export function checkStateDict(config: Partial<GPTConfig>, sd: StateDict): void {
  checkMatrices(paramTable(config), sd);
}

/**
 * A RangeError unless `sd` holds exactly the matrices of `table` (any model's: a GPT's, the ladder's count table
 * and MLPs), each of its shape and every entry a finite number. Not in `mod.ts`: the public functions that load
 * weights (`createModel`, `loadStateDict`, `loadCheckpoint`) document it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkMatrices } from "./params.ts";
 * checkMatrices([{ name: "counts", shape: [2, 2] }], { counts: [[0, 1], [2, 3]] }); // passes
 * assert.throws(() => checkMatrices([{ name: "counts", shape: [2, 2] }], { counts: [[0]] }), /must be 2×2/);
 * ```
 */
export function checkMatrices(
  table: readonly { name: string; shape: readonly [number, number] }[],
  sd: StateDict,
): void {
  const expected = new Set(table.map((p) => p.name));
  const extra = Object.keys(sd).find((name) => !expected.has(name));
  if (extra !== undefined) {
    throw new RangeError(`state dict: unexpected matrix "${extra}"; allowed: ${[...expected].join(", ")}`);
  }
  for (const { name, shape: [rows, cols] } of table) {
    const m = sd[name];
    if (!Array.isArray(m)) throw new RangeError(`state dict: matrix "${name}" is missing`);
    const badRow = m.findIndex((r) => !Array.isArray(r) || r.length !== cols);
    if (m.length !== rows || badRow >= 0) {
      const got = m.length !== rows
        ? `${m.length} rows`
        : `row ${badRow} ${Array.isArray(m[badRow]) ? `has ${m[badRow].length} entries` : "is not an array"}`;
      throw new RangeError(`state dict: "${name}" must be ${rows}×${cols}, got ${got}`);
    }
    for (let r = 0; r < rows; r++) {
      const c = m[r].findIndex((x) => typeof x !== "number" || !Number.isFinite(x));
      if (c < 0) continue;
      const x = m[r][c];
      const shown = typeof x === "number"
        ? String(x)
        : x === null
        ? "null (JSON writes NaN and ±Infinity as null)"
        : `${JSON.stringify(x)} (a ${typeof x})`;
      throw new RangeError(
        `state dict: "${name}" holds ${shown} at [${r}][${c}]; every entry must be a finite number`,
      );
    }
  }
}

/** How a model factory (`createScalarModel`, `createFastModel`, `createModel`) is told its starting point. */
export interface CreateModelOptions {
  /** The architecture (defaults filled in, validated). */
  config?: Partial<GPTConfig>;
  /** Draws the initial weights (`gauss(0, 0.08)` each, reference order). Needed unless `stateDict` is given. */
  rng?: Random;
  /** Start from these weights instead of a random init. */
  stateDict?: StateDict;
}

/**
 * The validated config and starting weights of a factory's `opts`: `opts.stateDict`, else a fresh draw from
 * `opts.rng` in the reference order (so both engines start from the same weights). A TypeError starting with
 * `factory` if neither is given. Not in `mod.ts`: `createModel` documents it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initialWeights } from "./params.ts";
 * import { Random } from "./random.ts";
 * const { config, stateDict } = initialWeights({ config: { vocab_size: 27 }, rng: new Random(42) }, "example");
 * assert.equal(config.n_embd, 16);
 * assert.equal(stateDict.wte.length, 27);
 * assert.throws(() => initialWeights({}, "example"), TypeError);
 * ```
 */
export function initialWeights(
  opts: CreateModelOptions,
  factory: string,
): { config: GPTConfig; stateDict: StateDict } {
  const config = gptConfig(opts.config);
  if (opts.stateDict) return { config, stateDict: opts.stateDict };
  if (!opts.rng) throw new TypeError(`${factory}: give { rng } (a Random) or { stateDict }`);
  return { config, stateDict: initStateDict(config, opts.rng) };
}
