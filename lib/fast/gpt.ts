/**
 * The fast engine's GPT: `microgpt.py`'s model on flat `Float64Array`s — the forward pass (one, for training
 * and for generation) and its hand-written backward pass. Every float operation is the scalar engine's
 * (`../gpt.ts`), in the same order, forward and backward (including the order in which every gradient sum
 * accumulates), so losses and gradients are the scalar engine's bit for bit.
 *
 * @module
 */
import type { GPTConfig } from "../config.ts";
import { attentionBackward, attentionForward } from "./attention.ts";
import type { Activations, Grads } from "./buffers.ts";
import { crossEntropyBackward, crossEntropyForward } from "./softmax.ts";
import { backwardRange, backwardRows, linearForward, linearForwardActive } from "./linear.ts";
import type { FlatParams } from "./params.ts";
import { reluForward } from "./relu.ts";
import { rmsnormBackward, rmsnormForward } from "./rmsnorm.ts";

/**
 * The matrices of `params` by role (`microgpt.py`'s names), views into its flat parameters.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gptWeights } from "./gpt.ts";
 * import { flatParams } from "./params.ts";
 * import { gptConfig } from "../config.ts";
 * const config = gptConfig({ n_layer: 2 });
 * const w = gptWeights(flatParams(config), config);
 * assert(w.layers.length === 2 && w.layers[1].mlp_fc1.rows === 64 && w.lm_head.rows === 27);
 * ```
 */
export function gptWeights(params: FlatParams, config: GPTConfig) {
  const m = params.matrices;
  const layers = Array.from({ length: config.n_layer }, (_, l) => ({ // one block's matrices
    attn_wq: m[`layer${l}.attn_wq`],
    attn_wk: m[`layer${l}.attn_wk`],
    attn_wv: m[`layer${l}.attn_wv`],
    attn_wo: m[`layer${l}.attn_wo`],
    mlp_fc1: m[`layer${l}.mlp_fc1`],
    mlp_fc2: m[`layer${l}.mlp_fc2`],
  }));
  return { config, wte: m.wte, wpe: m.wpe, lm_head: m.lm_head, layers };
}

/** The model's matrices by role (`microgpt.py`'s names), views into its flat parameters. */
export type Weights = ReturnType<typeof gptWeights>;

/** Which positions `forward` computes: `from ≤ t < to`; `causal: false` lets each see all `to` positions. */
export interface Span {
  from: number;
  to: number;
  causal: boolean;
}

/**
 * The forward pass of positions `from ≤ t < to` of `tokens` into `acts` (the earlier positions are already
 * there), one layer at a time over those positions: training runs a whole name (`from` = 0), generation one
 * new token. Position `t` attends to the first `t + 1` positions, or to all `to` of them when not `causal`.
 * Fills `acts.logits[from..to)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { forward, gptWeights } from "./gpt.ts";
 * import { createActivations } from "./buffers.ts";
 * import { flatParams, loadFlat } from "./params.ts";
 * import { initStateDict } from "../params.ts";
 * import { gptConfig } from "../config.ts";
 * import { Random } from "../random.ts";
 * const config = gptConfig({});
 * const params = flatParams(config);
 * loadFlat(params, config, initStateDict(config, new Random(42)));
 * const acts = createActivations(config);
 * forward(gptWeights(params, config), acts, [26, 0, 1], { from: 0, to: 3, causal: true });
 * assert.equal(acts.logits[2].length, 27);
 * ```
 */
export function forward(w: Weights, acts: Activations, tokens: readonly number[], span: Span): void {
  const { from, to, causal } = span, ne = w.config.n_embd, wte = w.wte.w, wpe = w.wpe.w;
  for (let t = from; t < to; t++) {
    const x0 = acts.x0[t], tok = tokens[t] * ne, pos = t * ne; // x0 = wte[token] + wpe[t]
    for (let i = 0; i < ne; i++) x0[i] = wte[tok + i] + wpe[pos + i];
    acts.a0[t] = rmsnormForward(x0, acts.xs[0][t], acts.s0, t);
  }
  for (let l = 0; l < w.layers.length; l++) {
    const P = w.layers[l], L = acts.layers[l], cache = L.cache, xs = acts.xs[l];
    // 1) attention: x + wo·attention(q, K, V)
    for (let t = from; t < to; t++) L.a1[t] = rmsnormForward(xs[t], L.h[t], L.s1, t);
    linearForward(P.attn_wq, L.h.all, L.q.all, from, to);
    linearForward(P.attn_wk, L.h.all, cache.k, from, to);
    linearForward(P.attn_wv, L.h.all, cache.v, from, to);
    for (let t = from; t < to; t++) attentionForward(cache, t, L.q[t], L.xa[t], causal ? t + 1 : to);
    linearForward(P.attn_wo, L.xa.all, L.o.all, from, to);
    // 2) MLP: xmid + fc2·relu(fc1·rmsnorm(xmid))
    for (let t = from; t < to; t++) {
      const o = L.o[t], x = xs[t], xmid = L.xmid[t];
      for (let i = 0; i < ne; i++) xmid[i] = o[i] + x[i];
      L.a2[t] = rmsnormForward(xmid, L.h2[t], L.s2, t);
    }
    linearForward(P.mlp_fc1, L.h2.all, L.f.all, from, to);
    for (let t = from; t < to; t++) {
      const tmp = acts.tmp, xmid = L.xmid[t], out = acts.xs[l + 1][t];
      reluForward(L.f[t], L.r[t], L.on[t]);
      linearForwardActive(P.mlp_fc2, L.r[t], L.on[t], tmp);
      for (let i = 0; i < ne; i++) out[i] = tmp[i] + xmid[i];
    }
  }
  linearForward(w.lm_head, acts.xs[w.layers.length].all, acts.logits.all, from, to);
}

const ce = new Float64Array(2); // crossEntropyForward's [loss, total]

/**
 * `forward` over the first `n` positions of a training document, then the loss: the mean
 * `(Σ_t −log p_t(tokens[t + 1])) · (1/n)`. Keeps in `acts` what `backward` needs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { docLoss, gptWeights } from "./gpt.ts";
 * import { createActivations } from "./buffers.ts";
 * import { flatParams } from "./params.ts";
 * import { gptConfig } from "../config.ts";
 * const config = gptConfig({});
 * const acts = createActivations(config);
 * const loss = docLoss(gptWeights(flatParams(config), config), acts, [26, 0, 26], { n: 2, causal: true });
 * assert(Math.abs(loss - Math.log(27)) < 1e-12); // all weights 0: every letter equally likely
 * ```
 */
export function docLoss(
  w: Weights,
  acts: Activations,
  tokens: readonly number[],
  opts: { n: number; causal: boolean },
): number {
  const { n, causal } = opts;
  forward(w, acts, tokens, { from: 0, to: n, causal });
  let sum = 0;
  for (let t = 0; t < n; t++) {
    crossEntropyForward(acts.logits[t], tokens[t + 1], acts.e[t], ce);
    acts.total[t] = ce[1];
    sum += ce[0];
  }
  return sum * (1 / n);
}

/** What `backward` works on: the activations `docLoss` left, the gradient scratch, and the document. */
export interface BackwardPass {
  readonly acts: Activations;
  readonly grads: Grads;
  readonly tokens: readonly number[];
  /** Predicted positions (as given to `docLoss`). */
  readonly n: number;
  /** d(batch loss)/d(this document's loss): `1 / batch size`. */
  readonly gdoc: number;
  readonly causal: boolean;
}

/**
 * Backward of the document `docLoss` last ran: adds every parameter's gradient. The scalar engine finishes
 * the last position first and accumulates every sum in that order; running a layer over all positions keeps
 * each of those orders (see `backwardRange`), so the gradients are the same. (Tested against the scalar
 * engine in `model_test.ts`.)
 */
export function backward(w: Weights, pass: BackwardPass): void {
  const { acts, grads: G, tokens, n, gdoc, causal } = pass, ne = w.config.n_embd, nl = w.layers.length;
  const { dlogits, dx, dxmid, dh, dq, dxa, dx0, dh2, dr, order, embd } = G;
  const dl = (1 / n) * gdoc; // every l_t receives d(sum)
  for (let t = n - 1; t >= 0; t--) {
    const target = tokens[t + 1];
    crossEntropyBackward(acts.e[t], acts.total[t], target, dl, dlogits);
    // lm_head: the target's logit was reached first, the others in order, so they finish in reverse:
    // backwardRows walks the list from its end
    let k = 0;
    order.idx[k++] = target;
    for (let o = 0; o < w.lm_head.rows; o++) if (o !== target) order.idx[k++] = o;
    order.n = k;
    backwardRows(w.lm_head, order, embd, acts.xs[nl][t], dlogits, zero(dx[t]));
  }
  for (let l = nl - 1; l >= 0; l--) {
    const P = w.layers[l], IO = G.layers[l], L = acts.layers[l], cache = L.cache;
    // 2) MLP, per position (the ReLUs that are on differ): dx = d output = d fc2 output = d residual
    for (let t = n - 1; t >= 0; t--) {
      // d r at the units that are on; the ReLU passes it to f there, and f is 0 elsewhere, so the rows of
      // fc1 to go back through are exactly those units
      backwardRows(P.mlp_fc2, embd, L.on[t], L.r[t], dx[t], zero(dr));
      backwardRows(P.mlp_fc1, L.on[t], embd, L.h2[t], dr, zero(dh2));
      rmsnormBackward(L.xmid[t], L.a2[t], dh2, copy(dxmid[t], dx[t]), L.s2[t]);
    }
    // 1) attention
    IO.attn_wo.dx.fill(0, 0, n * ne);
    backwardRange(P.attn_wo, IO.attn_wo, n, P.attn_wo.rows, 0);
    cache.dk.fill(0, 0, n * ne);
    cache.dv.fill(0, 0, n * ne);
    for (let t = n - 1; t >= 0; t--) {
      attentionBackward(cache, t, L.q[t], dxa[t], dq[t], causal ? t + 1 : n);
    }
    // q, k, v rows in the order the scalar engine finishes them: heads last to first; within a head the
    // value rows, then the key rows, then the query rows, each last to first (the head's first score reaches
    // all its queries, the last score this position's keys, the weighted sums its values). At position 0
    // the graph interleaves key and query rows, but there d q = 0 exactly (a softmax over one score is
    // constant), so the order cannot matter.
    IO.attn_wq.dx.fill(0, 0, n * ne);
    const hd = ne / w.config.n_head;
    for (let h = w.config.n_head - 1; h >= 0; h--) {
      backwardRange(P.attn_wv, IO.attn_wv, n, (h + 1) * hd, h * hd);
      backwardRange(P.attn_wk, IO.attn_wk, n, (h + 1) * hd, h * hd);
      backwardRange(P.attn_wq, IO.attn_wq, n, (h + 1) * hd, h * hd);
    }
    for (let t = n - 1; t >= 0; t--) {
      rmsnormBackward(acts.xs[l][t], L.a1[t], dh[t], copy(dx[t], dxmid[t]), L.s1[t]);
    }
  }
  // the first rmsnorm, then x0 = wte[token] + wpe[t]
  const gte = w.wte.g, gpe = w.wpe.g;
  for (let t = n - 1; t >= 0; t--) {
    rmsnormBackward(acts.x0[t], acts.a0[t], dx[t], zero(dx0), acts.s0[t]);
    const tok = tokens[t] * ne, pos = t * ne;
    for (let i = 0; i < ne; i++) {
      gte[tok + i] += dx0[i];
      gpe[pos + i] += dx0[i];
    }
  }
}

// A loop, not `fill`/`set`: on these short rows the built-ins' call costs more than the copying.
/** `a` set to zeros, returned. */
function zero(a: Float64Array): Float64Array {
  for (let i = 0; i < a.length; i++) a[i] = 0;
  return a;
}

/** `dst` set to `src` (same length), returned. */
function copy(dst: Float64Array, src: Float64Array): Float64Array {
  for (let i = 0; i < dst.length; i++) dst[i] = src[i];
  return dst;
}
