/**
 * All parameters in one `Float64Array` (state-dict order, row by row, exactly the order `initStateDict` draws
 * them), with a gradient array of the same layout and a named `Matrix` view per state-dict entry.
 *
 * @module
 */
import type { GPTConfig } from "../config.ts";
import type { StateDict } from "../model.ts";
import { checkStateDict, paramTable } from "../params.ts";

/** A parameter matrix `[rows][cols]` (row-major) with its gradient, both views into the model's flat arrays. */
export interface Matrix {
  /** Name in the state dict (`wte`, `layer0.attn_wq`, …). */
  readonly name: string;
  readonly rows: number;
  readonly cols: number;
  /** Weights, `rows·cols` long. */
  readonly w: Float64Array;
  /** Accumulated gradient, same layout as `w`. */
  readonly g: Float64Array;
}

/** The flat parameters of a model. */
export interface FlatParams {
  /** Every weight, `wte` first, in `paramTable` order. */
  readonly data: Float64Array;
  /** Gradients, same layout. */
  readonly grad: Float64Array;
  /** One view per matrix, by state-dict name. */
  readonly matrices: Readonly<Record<string, Matrix>>;
}

/**
 * Zero parameters laid out for `config`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { flatParams } from "./params.ts";
 * import { DEFAULT_CONFIG } from "../config.ts";
 * const p = flatParams(DEFAULT_CONFIG);
 * assert(p.data.length === 4192 && p.matrices["layer0.mlp_fc1"].rows === 64);
 * ```
 */
export function flatParams(config: GPTConfig): FlatParams {
  const table = paramTable(config);
  const size = table.reduce((s, p) => s + p.count, 0);
  const data = new Float64Array(size), grad = new Float64Array(size);
  const matrices: Record<string, Matrix> = {};
  let off = 0;
  for (const { name, shape: [rows, cols], count } of table) {
    matrices[name] = {
      name,
      rows,
      cols,
      w: data.subarray(off, off + count),
      g: grad.subarray(off, off + count),
    };
    off += count;
  }
  return { data, grad, matrices };
}

/**
 * Copy a state dict into flat parameters (checked against `config` first).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { flatParams, loadFlat, toStateDict } from "./params.ts";
 * import { initStateDict } from "../params.ts";
 * import { gptConfig } from "../config.ts";
 * import { Random } from "../random.ts";
 * const config = gptConfig({});
 * const sd = initStateDict(config, new Random(42));
 * const p = flatParams(config);
 * loadFlat(p, config, sd);
 * assert(p.data[0] === sd.wte[0][0] && toStateDict(p).lm_head[3][5] === sd.lm_head[3][5]);
 * ```
 * @throws {RangeError} a matrix is missing, extra or of the wrong shape.
 */
export function loadFlat(p: FlatParams, config: GPTConfig, sd: StateDict): void {
  checkStateDict(config, sd);
  for (const m of Object.values(p.matrices)) {
    const rows = sd[m.name];
    for (let r = 0; r < m.rows; r++) m.w.set(rows[r], r * m.cols);
  }
}

/**
 * The parameters as a state dict of plain numbers (a deep copy).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { flatParams, toStateDict } from "./params.ts";
 * import { gptConfig } from "../config.ts";
 * const sd = toStateDict(flatParams(gptConfig({})));
 * assert(sd.wpe.length === 16 && sd.wpe[0].length === 16);
 * ```
 */
export function toStateDict(p: FlatParams): StateDict {
  const sd: StateDict = {};
  for (const m of Object.values(p.matrices)) {
    sd[m.name] = Array.from(
      { length: m.rows },
      (_, r) => Array.from(m.w.subarray(r * m.cols, (r + 1) * m.cols)),
    );
  }
  return sd;
}
