/**
 * Rung 1 of the ladder: a small neural network (an MLP) that predicts the next token from the current one,
 * trained by stochastic gradient descent with gradients worked out by hand (the chain rule written out, one
 * matrix at a time). Plain numbers only: no autograd yet.
 *
 *   x = wte[token]            // [n_embd]        the token's embedding
 *   h = relu(mlp_fc1 · x)     // [4·n_embd]      expand and bend
 *   y = mlp_fc2 · h           // [n_embd]        contract
 *   logits = lm_head · y      // [vocab_size]    one score per possible next token
 *
 * @module
 */
import type { GPTConfig } from "../config.ts";
import type { Model, StateDict } from "../model.ts";
import type { Random } from "../random.ts";
import { probsFromLogits } from "../sample.ts";
import { MLP_MATRICES, pickInit, positionMean, smallRung } from "./rung.ts";

/** Options of the MLP rungs (1 and 2). */
export interface MlpOptions {
  /** Architecture; only vocab_size, n_embd and block_size matter here (defaults: the reference's). */
  config?: Partial<GPTConfig>;
  /** Draws the initial weights: the same numbers as the GPT's matrices of the same names. */
  rng: Random;
}

/** Rung 1: the MLP with its parameters and hand-computed gradients visible. */
export interface MlpByHand extends Model {
  /** The parameters: wte, mlp_fc1, mlp_fc2, lm_head (plain numbers, updated in place). */
  readonly params: StateDict;
  /** ∂loss/∂parameter, same shapes as `params`, accumulated by `lossAndGrad`. */
  readonly grads: StateDict;
}

/** `w · x`: each row of w dotted with x. */
function matvec(w: number[][], x: number[]): number[] {
  return w.map((row) => row.reduce((s, wi, i) => s + wi * x[i], 0));
}

/**
 * The backward of `out = w · x` by hand: every weight w[o][i] gets dout[o]·x[i] added to its gradient, and the
 * gradient passed on to x is dx[i] = Σ_o w[o][i]·dout[o] (multiplying by the transpose of w).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { matvecBackward } from "./train1.ts";
 * const dw = [[0, 0]];
 * const dx = matvecBackward([[2, 3]], dw, [5, 7], [1]); // out = 2·5 + 3·7
 * assert(dw[0][0] === 5 && dw[0][1] === 7 && dx[0] === 2 && dx[1] === 3);
 * ```
 */
export function matvecBackward(w: number[][], dw: number[][], x: number[], dout: number[]): number[] {
  const dx = new Array<number>(x.length).fill(0);
  for (let o = 0; o < w.length; o++) {
    for (let i = 0; i < x.length; i++) {
      dw[o][i] += dout[o] * x[i];
      dx[i] += w[o][i] * dout[o];
    }
  }
  return dx;
}

/** One position's numbers on the way forward, kept for the backward pass. */
export interface MlpActivations {
  /** The token's row of wte [n_embd]. */
  x: number[];
  /** mlp_fc1 · x, before relu [4·n_embd]. */
  pre: number[];
  /** relu(pre) [4·n_embd]. */
  h: number[];
  /** mlp_fc2 · h [n_embd]. */
  y: number[];
  /** lm_head · y [vocab_size]. */
  logits: number[];
  /** softmax(logits) [vocab_size]. */
  probs: number[];
}

/**
 * Rung 1's forward pass for one token, on plain numbers.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createMlpByHand, mlpForward } from "./train1.ts";
 * import { Random } from "../random.ts";
 * const { params } = createMlpByHand({ rng: new Random(1) });
 * const a = mlpForward(params, 26);
 * assert(a.h.length === 64 && Math.abs(a.probs.reduce((s, p) => s + p) - 1) < 1e-12);
 * ```
 */
export function mlpForward(params: StateDict, token: number): MlpActivations {
  const x = params.wte[token]; // [n_embd]
  const pre = matvec(params.mlp_fc1, x); // [4·n_embd]
  const h = pre.map((v) => Math.max(0, v)); // relu
  const y = matvec(params.mlp_fc2, h); // [n_embd]
  const logits = matvec(params.lm_head, y); // [vocab_size]
  return { x, pre, h, y, logits, probs: probsFromLogits(logits) }; // the engine's softmax on numbers
}

/** What {@link mlpBackward} needs for one position. */
export interface MlpBackwardOptions {
  params: StateDict;
  /** Accumulates ∂loss/∂parameter (same shapes as params). */
  grads: StateDict;
  /** From {@link mlpForward}. */
  acts: MlpActivations;
  token: number;
  target: number;
  /** How many terms the loss is the mean of: the document's positions (times the documents in a batch). */
  n: number;
}

/**
 * Rung 1's backward pass for one position, by hand: the chain rule from the loss back to every matrix.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createMlpByHand, mlpBackward, mlpForward } from "./train1.ts";
 * import { Random } from "../random.ts";
 * const { params, grads } = createMlpByHand({ rng: new Random(1) });
 * mlpBackward({ params, grads, acts: mlpForward(params, 26), token: 26, target: 0, n: 1 });
 * assert(grads.lm_head[0].some((g) => g !== 0));
 * ```
 */
export function mlpBackward(opts: MlpBackwardOptions): void {
  const { params, grads, acts, token, target, n } = opts;
  // softmax + cross-entropy: ∂loss/∂logits = p − onehot(target); the loss is a mean over n positions.
  const dlogits = acts.probs.map((p, i) => (p - (i === target ? 1 : 0)) / n);
  const dy = matvecBackward(params.lm_head, grads.lm_head, acts.y, dlogits);
  const dh = matvecBackward(params.mlp_fc2, grads.mlp_fc2, acts.h, dy);
  const dpre = dh.map((g, i) => (acts.pre[i] > 0 ? g : 0)); // relu lets gradient through only where it was on
  const dx = matvecBackward(params.mlp_fc1, grads.mlp_fc1, acts.x, dpre);
  for (let i = 0; i < dx.length; i++) grads.wte[token][i] += dx[i]; // the looked-up row of wte receives dx
}

/**
 * Create the MLP of rung 1 (2,912 parameters with the defaults). Its `step` is plain SGD.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Random } from "../random.ts";
 * import { createMlpByHand } from "./train1.ts";
 * const m = createMlpByHand({ rng: new Random(42) });
 * const before = m.loss([[26, 0, 26]]);
 * for (let t = 0; t < 20; t++) {
 *   m.lossAndGrad([[26, 0, 26]]);
 *   m.step({ lr: 1, t, beta1: 0, beta2: 0, eps: 0, optimizer: "sgd" });
 * }
 * assert(m.numParams === 2912 && m.loss([[26, 0, 26]]) < before);
 * ```
 */
export function createMlpByHand(opts: MlpOptions): MlpByHand {
  const { config, params } = pickInit(opts, MLP_MATRICES, "createMlpByHand");
  const grads: StateDict = Object.fromEntries(
    Object.entries(params).map(([name, m]) => [name, m.map((row) => row.map(() => 0))]),
  );
  return smallRung(1, {
    engine: "by hand",
    config,
    docLoss: (tokens, n, learn) =>
      positionMean(tokens, n, (token, target) => {
        const acts = mlpForward(params, token);
        if (learn) mlpBackward({ params, grads, acts, token, target, n: n * learn }); // learn: docs in the batch
        return -Math.log(acts.probs[target]);
      }),
    logits: (token) => mlpForward(params, token).logits,
    update(lr) {
      // SGD: step every parameter against its gradient, then forget the gradient.
      for (const name of MLP_MATRICES) {
        const p = params[name], g = grads[name];
        for (let r = 0; r < p.length; r++) {
          for (let c = 0; c < p[r].length; c++) {
            p[r][c] -= lr * g[r][c];
            g[r][c] = 0;
          }
        }
      }
    },
    read: () => Object.fromEntries(MLP_MATRICES.map((name) => [name, params[name].map((r) => [...r])])),
    write(sd) {
      for (const name of MLP_MATRICES) {
        params[name].forEach((row, r) =>
          row.forEach((_, c) => (row[c] = sd[name][r][c], grads[name][r][c] = 0))
        );
      }
    },
  }, { params, grads });
}
