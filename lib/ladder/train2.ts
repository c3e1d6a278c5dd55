/**
 * Rung 2 of the ladder: the same MLP as rung 1, with the same starting weights, but every number is a
 * `Value` that remembers how it was computed, so `loss.backward()` finds all the gradients by itself. The
 * hand-written backward of rung 1 is gone; the numbers it produced must not change (the tests check that the
 * gradients agree to ~1e-15).
 *
 * @module
 */
import type { StateDict } from "../model.ts";
import { linear, softmax } from "../nn.ts";
import { toValues } from "../gpt.ts";
import { Value, withNodePool, zeroGrad } from "../value.ts";
import { checkPos, checkToken } from "../checks.ts";
import { pickInit } from "./init.ts";
import { predictedPositions, type Rung, withDisplay } from "./rung.ts";
import { MLP_MATRICES, type MlpOptions } from "./train1.ts";

/** Rung 2: the MLP on autograd `Value`s. */
export interface MlpAutograd extends Rung {
  /** The parameters as `Value`s (wte, mlp_fc1, mlp_fc2, lm_head). */
  readonly params: Record<string, Value[][]>;
  /** The current gradients as plain numbers, same layout as rung 1's `grads`. */
  grads(): StateDict;
}

/**
 * Create the MLP of rung 2 (same shapes and, for the same seed, the same initial weights as rung 1).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Random } from "../random.ts";
 * import { createMlpAutograd } from "./train2.ts";
 * const m = createMlpAutograd({ rng: new Random(42) });
 * m.lossAndGrad([26, 0, 26]); // forward, then loss.backward()
 * assert(m.grads().lm_head[0].some((g) => g !== 0));
 * ```
 */
export function createMlpAutograd(opts: MlpOptions): MlpAutograd {
  const { config, params: init } = pickInit(opts, MLP_MATRICES);
  const params: Record<string, Value[][]> = toValues(init);
  const flat = Object.values(params).flat(2);
  const { wte, mlp_fc1, mlp_fc2, lm_head } = params;

  const check = (token: number) => checkToken(token, config.vocab_size);
  const forward = (token: number): Value[] => {
    const x = wte[check(token)]; // [n_embd]
    const h = linear(x, mlp_fc1).map((v) => v.relu()); // [4·n_embd]
    const y = linear(h, mlp_fc2); // [n_embd]
    return linear(y, lm_head); // [vocab_size]
  };
  const docLoss = (tokens: readonly number[]): Value => {
    const n = predictedPositions(tokens, config.block_size);
    const losses: Value[] = [];
    for (let pos = 0; pos < n; pos++) {
      const probs = softmax(forward(tokens[pos]));
      losses.push(probs[check(tokens[pos + 1])].log().neg());
    }
    return losses.reduce((a, b) => a.add(b)).mul(1 / n);
  };

  return withDisplay({
    rung: 2,
    name: "MLP, autograd",
    idea: "the same MLP, but Value.backward() computes the gradients",
    numParams: flat.length,
    block_size: config.block_size,
    params,
    grads: () =>
      Object.fromEntries(
        Object.entries(params).map(([name, m]) => [name, m.map((r) => r.map((p) => p.grad))]),
      ),
    // withNodePool: the graph is dropped after each call, so its nodes are recycled (less garbage to collect)
    loss: (tokens) => withNodePool(() => docLoss(tokens).data),
    lossAndGrad: (tokens) =>
      withNodePool(() => {
        const loss = docLoss(tokens);
        loss.backward(); // the whole hand-written backward of rung 1, in one call
        return loss.data;
      }),
    update({ lr }) {
      for (const p of flat) p.data -= lr * p.grad; // SGD, as in rung 1
      zeroGrad(flat);
    },
    begin() {
      let pos = 0;
      return (token) => {
        checkPos(pos++, config.block_size);
        return forward(token).map((v) => v.data);
      };
    },
  });
}
