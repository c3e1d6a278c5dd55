/**
 * Rung 4 of the ladder: multi-head attention. The query, keys and values are cut into `n_head` slices of
 * `head_dim = n_embd / n_head` numbers; each slice attends on its own (so different heads can look at
 * different earlier positions), and the heads' outputs are laid side by side again. Same parameters as rung 3.
 *
 * @module
 */
import type { GPTConfig } from "../config.ts";
import type { Value } from "../value.ts";
import type { MlpOptions } from "./train1.ts";
import { attention, createTransformerRung, sgd, type TransformerRung } from "./train3.ts";

/**
 * Multi-head attention: rung 3's `attention` run once per head on that head's slice, outputs concatenated.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gptConfig } from "../config.ts";
 * import { Value } from "../value.ts";
 * import { multiHeadAttention } from "./train4.ts";
 * const v = (xs: number[]) => xs.map((x) => new Value(x));
 * const out = multiHeadAttention(v([1, 0]), [v([1, 0])], [v([3, 4])], gptConfig({ n_embd: 2, n_head: 2 }));
 * assert(out.length === 2 && out[1].data === 4);
 * ```
 */
export function multiHeadAttention(
  q: Value[],
  keys: Value[][],
  values: Value[][],
  config: GPTConfig,
): Value[] {
  const head_dim = config.n_embd / config.n_head;
  const out: Value[] = [];
  for (let h = 0; h < config.n_head; h++) {
    const slice = (x: Value[]) => x.slice(h * head_dim, (h + 1) * head_dim); // this head's head_dim numbers
    out.push(...attention(slice(q), keys.map(slice), values.map(slice)));
  }
  return out; // [n_embd]
}

/**
 * Rung 4: rung 3 with `config.n_head` heads (4 by default); still SGD.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Random } from "../random.ts";
 * import { createMultiHeadGPT } from "./train4.ts";
 * assert(createMultiHeadGPT({ rng: new Random(42) }).numParams === 4192);
 * ```
 */
export function createMultiHeadGPT(opts: MlpOptions): TransformerRung {
  return createTransformerRung({
    rung: 4,
    name: "+ multi-head",
    idea: "split attention into n_head independent heads of head_dim numbers each",
    attend: multiHeadAttention,
    optimizer: () => sgd,
  }, opts);
}
