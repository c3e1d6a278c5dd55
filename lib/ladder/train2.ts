/**
 * Rung 2 of the ladder: the same MLP as rung 1, with the same starting weights, but every number is a
 * `Value` that remembers how it was computed, so `loss.backward()` finds all the gradients by itself. The
 * hand-written backward of rung 1 is gone; the numbers it produced must not change (the tests check that the
 * gradients agree to ~1e-15).
 *
 * @module
 */
import type { Model, StateDict } from "../model.ts";
import { linear, mlp } from "../nn.ts";
import { docLoss as gptLoss, toValues } from "../gpt.ts";
import type { Value } from "../value.ts";
import { MLP_MATRICES, pickInit, smallRung } from "./rung.ts";
import type { MlpOptions } from "./train1.ts";

/** Rung 2: the MLP on autograd `Value`s. */
export interface MlpAutograd extends Model {
  /** The parameters as `Value`s (wte, mlp_fc1, mlp_fc2, lm_head). */
  readonly params: Record<string, Value[][]>;
  /** The current gradients as plain numbers, same layout as rung 1's `grads`. */
  grads(): StateDict;
}

/**
 * Create the MLP of rung 2 (same shapes and, for the same seed, the same initial weights as rung 1). Its
 * `step` is plain SGD.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Random } from "../random.ts";
 * import { createMlpAutograd } from "./train2.ts";
 * const m = createMlpAutograd({ rng: new Random(42) });
 * m.lossAndGrad([[26, 0, 26]]); // forward, then loss.backward()
 * assert(m.grads().lm_head[0].some((g) => g !== 0));
 * ```
 */
export function createMlpAutograd(opts: MlpOptions): MlpAutograd {
  const { config, params: init } = pickInit(opts, MLP_MATRICES, "createMlpAutograd");
  const params: Record<string, Value[][]> = toValues(init);
  const flat = Object.values(params).flat(2);
  const { wte, mlp_fc1, mlp_fc2, lm_head } = params;

  // wte[token] [n_embd] → the GPT's MLP block, relu(x · mlp_fc1) · mlp_fc2 [n_embd] → lm_head [vocab_size]
  const forward = (token: number): Value[] => linear(mlp(wte[token], mlp_fc1, mlp_fc2), lm_head);
  /** One number of every parameter (its data or its gradient), as a state dict. */
  const numbers = (f: (p: Value) => number): StateDict =>
    Object.fromEntries(Object.entries(params).map(([name, m]) => [name, m.map((r) => r.map(f))]));

  return smallRung(2, {
    engine: "autograd",
    config,
    docLoss(tokens, _n, learn) {
      const loss = gptLoss(tokens, config, params, { gpt: forward }); // the GPT's loss, with this forward pass
      if (learn) loss.mul(1 / learn).backward(); // the whole hand-written backward of rung 1, in one call
      return loss.data;
    },
    logits: (token) => forward(token).map((v) => v.data),
    update(lr) {
      for (const p of flat) {
        p.data -= lr * p.grad; // SGD, as in rung 1
        p.grad = 0;
      }
    },
    read: () => numbers((p) => p.data),
    write(sd) {
      for (const [name, m] of Object.entries(params)) {
        m.forEach((row, r) => row.forEach((p, c) => (p.data = sd[name][r][c], p.grad = 0)));
      }
    },
  }, { params, grads: () => numbers((p) => p.grad) });
}
