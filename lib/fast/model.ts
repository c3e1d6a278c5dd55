/**
 * The fast engine: the same GPT as the scalar engine (`../gpt.ts`) on flat `Float64Array` parameters, with a
 * hand-written backward pass per layer. It performs the scalar engine's float operations in the same order —
 * forward and backward, including the order in which every gradient sum accumulates — so its losses and
 * gradients are the scalar engine's, bit for bit — tens of times faster (`deno task bench` measures it).
 *
 * @module
 */
import { checkBatch, checkPos, checkToken } from "../checks.ts";
import type { GPTConfig } from "../config.ts";
import type { AdamStep, Model, StateDict } from "../model.ts";
import { adamStep } from "./adam.ts";
import { type SimdAdam, simdAdam } from "./adam_simd.ts";
import { countParams, type CreateModelOptions, describeModel, initialWeights } from "../params.ts";
import { attentionBackward, attentionForward } from "./attention.ts";
import { type Activations, createActivations, createGrads, flat, type Grads } from "./buffers.ts";
import { crossEntropyBackward, crossEntropyForward } from "./crossentropy.ts";
import {
  backwardRows,
  linearBackwardActive,
  linearBackwardRowsActive,
  linearForward,
  linearForwardActive,
  type Matrix,
} from "./linear.ts";
import { backwardRangeBatch, type BatchIO, linearForwardBatch } from "./linear_batch.ts";
import { type FlatParams, flatParams, loadFlat, toStateDict } from "./params.ts";
import { reluForward } from "./relu.ts";
import { rmsnormBackward, rmsnormForward } from "./rmsnorm.ts";

/** One block's weight matrices, and where their batched backward reads and writes (every position at once). */
interface LayerParams {
  readonly wq: Matrix;
  readonly wk: Matrix;
  readonly wv: Matrix;
  readonly wo: Matrix;
  readonly fc1: Matrix;
  readonly fc2: Matrix;
  readonly woIO: BatchIO; // x = xa, dy = d(wo·xa), dx = d xa
  readonly qIO: BatchIO; // x = h, dy = d q, dx = d h (k and v add to the same d h)
  readonly kIO: BatchIO;
  readonly vIO: BatchIO;
}

/**
 * A GPT on flat arrays; implements the same `Model` interface as the scalar engine.
 *
 * @example
 * ```ts
 * import { createFastModel } from "./model.ts";
 * import { Random } from "../random.ts";
 * const model = createFastModel({ config: { vocab_size: 5, n_embd: 8, n_head: 2 }, rng: new Random(1) });
 * const before = model.loss([[4, 0, 1, 4]]);
 * for (let t = 0; t < 20; t++) {
 *   model.lossAndGrad([[4, 0, 1, 4]]);
 *   model.step({ lr: 0.01, t, beta1: 0.85, beta2: 0.99, eps: 1e-8 });
 * }
 * console.assert(model.loss([[4, 0, 1, 4]]) < before); // it learns the sequence
 * ```
 */
export class FastModel implements Model {
  readonly engine = "fast" as const;
  readonly config: GPTConfig;
  readonly numParams: number;
  /** Parameters and gradients, one flat array each, with named matrix views. */
  readonly params: FlatParams;
  #m: Float64Array;
  #v: Float64Array;
  #simd: SimdAdam | undefined;
  #wte: Matrix;
  #wpe: Matrix;
  #lm: Matrix;
  #layers: LayerParams[];
  #acts: Activations;
  #grads: Grads;
  #ce = new Float64Array(2);
  #docLosses = new Float64Array(8);
  #inference: Activations | undefined;
  #sequences = 0;
  #owner = 0;
  /**
   * Whether training attends only to earlier positions (true, the GPT) or to the whole name (false: notebook
   * 04's model trained without the causal mask). Generation is causal either way: later tokens do not exist yet.
   */
  readonly causal: boolean;

  /** Prefer `createFastModel`. @throws {RangeError} the state dict does not fit the config. */
  constructor(config: GPTConfig, sd: StateDict, causal = true) {
    this.config = config;
    this.causal = causal;
    const simd = simdAdam(countParams(config)); // the arrays Adam works on live in its memory
    this.#simd = simd;
    this.params = flatParams(config, simd);
    loadFlat(this.params, config, sd);
    this.numParams = this.params.data.length;
    this.#m = simd?.m ?? new Float64Array(this.numParams);
    this.#v = simd?.v ?? new Float64Array(this.numParams);
    const mat = this.params.matrices;
    this.#wte = mat.wte;
    this.#wpe = mat.wpe;
    this.#lm = mat.lm_head;
    this.#acts = createActivations(config);
    this.#grads = createGrads(config);
    const G = this.#grads, acts = this.#acts.layers;
    this.#layers = Array.from({ length: config.n_layer }, (_, l) => ({
      woIO: { x: acts[l].all.xa, dy: flat(G.dxmid), dx: flat(G.dxa) },
      qIO: { x: acts[l].all.h, dy: flat(G.dq), dx: flat(G.dh) },
      kIO: { x: acts[l].all.h, dy: acts[l].cache.dk, dx: flat(G.dh) },
      vIO: { x: acts[l].all.h, dy: acts[l].cache.dv, dx: flat(G.dh) },
      wq: mat[`layer${l}.attn_wq`],
      wk: mat[`layer${l}.attn_wk`],
      wv: mat[`layer${l}.attn_wv`],
      wo: mat[`layer${l}.attn_wo`],
      fc1: mat[`layer${l}.mlp_fc1`],
      fc2: mat[`layer${l}.mlp_fc2`],
    }));
  }

  /** Forward of the token at position `t` (earlier positions already in `acts`): fills `acts.logits[t]`. */
  #forward(acts: Activations, token: number, t: number): void {
    const n = this.config.n_embd;
    const x0 = acts.x0[t], wte = this.#wte.w, wpe = this.#wpe.w; // [n_embd]
    for (let i = 0; i < n; i++) x0[i] = wte[token * n + i] + wpe[t * n + i];
    acts.a0[t] = rmsnormForward(x0, acts.xs[0][t]);
    const tmp = acts.tmp;
    for (let l = 0; l < this.#layers.length; l++) {
      const P = this.#layers[l], L = acts.layers[l], cache = L.cache;
      const x = acts.xs[l][t], h = L.h[t], xmid = L.xmid[t], h2 = L.h2[t];
      // 1) attention: x + wo·attention(q, K, V)
      L.a1[t] = rmsnormForward(x, h);
      linearForward(P.wq, h, L.q[t]);
      linearForward(P.wk, h, cache.kRows[t]);
      linearForward(P.wv, h, cache.vRows[t]);
      attentionForward(cache, t, L.q[t], L.xa[t]);
      linearForward(P.wo, L.xa[t], tmp);
      for (let i = 0; i < n; i++) xmid[i] = tmp[i] + x[i];
      // 2) MLP: xmid + fc2·relu(fc1·rmsnorm(xmid))
      L.a2[t] = rmsnormForward(xmid, h2);
      linearForward(P.fc1, h2, L.f[t]);
      reluForward(L.f[t], L.r[t], L.on[t]);
      linearForwardActive(P.fc2, L.r[t], L.on[t], tmp);
      const out = acts.xs[l + 1][t];
      for (let i = 0; i < n; i++) out[i] = tmp[i] + xmid[i];
    }
    linearForward(this.#lm, acts.xs[this.#layers.length][t], acts.logits[t]);
  }

  /**
   * Forward of one document in the training activations, one layer at a time over all `n` positions (every
   * number is computed exactly as by `#forward`, position by position; the batched linear layers are just
   * faster). Returns the document's mean loss `(Σ l_t) · (1/n)`.
   */
  #docForward(tokens: readonly number[], n: number): number {
    const acts = this.#acts, ce = this.#ce, ne = this.config.n_embd, nl = this.#layers.length;
    const wte = this.#wte.w, wpe = this.#wpe.w;
    for (let t = 0; t < n; t++) {
      const x0 = acts.x0[t], tok = tokens[t] * ne, pos = t * ne; // x0 = wte[token] + wpe[t]
      for (let i = 0; i < ne; i++) x0[i] = wte[tok + i] + wpe[pos + i];
      acts.a0[t] = rmsnormForward(x0, acts.xs[0][t]);
    }
    for (let l = 0; l < nl; l++) {
      const P = this.#layers[l], L = acts.layers[l], cache = L.cache, xs = acts.xs[l];
      // 1) attention: x + wo·attention(q, K, V)
      for (let t = 0; t < n; t++) L.a1[t] = rmsnormForward(xs[t], L.h[t]);
      linearForwardBatch(P.wq, L.all.h, L.all.q, n);
      linearForwardBatch(P.wk, L.all.h, cache.k, n);
      linearForwardBatch(P.wv, L.all.h, cache.v, n);
      for (let t = 0; t < n; t++) attentionForward(cache, t, L.q[t], L.xa[t], this.causal ? t + 1 : n);
      linearForwardBatch(P.wo, L.all.xa, L.all.o, n);
      // 2) MLP: xmid + fc2·relu(fc1·rmsnorm(xmid))
      for (let t = 0; t < n; t++) {
        const o = L.o[t], x = xs[t], xmid = L.xmid[t];
        for (let i = 0; i < ne; i++) xmid[i] = o[i] + x[i];
        L.a2[t] = rmsnormForward(xmid, L.h2[t]);
      }
      linearForwardBatch(P.fc1, L.all.h2, L.all.f, n);
      for (let t = 0; t < n; t++) {
        const tmp = acts.tmp, xmid = L.xmid[t], out = acts.xs[l + 1][t];
        reluForward(L.f[t], L.r[t], L.on[t]);
        linearForwardActive(P.fc2, L.r[t], L.on[t], tmp);
        for (let i = 0; i < ne; i++) out[i] = tmp[i] + xmid[i];
      }
    }
    linearForwardBatch(this.#lm, acts.xsLastAll, acts.logitsAll, n);
    let sum = 0;
    for (let t = 0; t < n; t++) {
      crossEntropyForward(acts.logits[t], tokens[t + 1], acts.e[t], ce);
      acts.total[t] = ce[1];
      sum += ce[0];
    }
    return sum * (1 / n);
  }

  /**
   * Backward of the document last run by `#docForward`; `gdoc` is d(batch loss)/d(its loss). The scalar
   * engine finishes the last position first and accumulates every sum in that order; running a layer over all
   * positions keeps each of those orders (see `backwardRangeBatch`), so the gradients are the same.
   */
  #docBackward(tokens: readonly number[], n: number, gdoc: number): void {
    const acts = this.#acts, G = this.#grads, ne = this.config.n_embd, nl = this.#layers.length;
    const { dlogits, dx, dxmid, dh, dq, dxa, dx0, dh2, dr, order } = G;
    const dl = (1 / n) * gdoc; // every l_t receives d(sum)
    for (let t = n - 1; t >= 0; t--) {
      const target = tokens[t + 1];
      crossEntropyBackward(acts.e[t], acts.total[t], target, dl, dlogits);
      // lm_head: the target's logit was reached first, the others in order, so they finish in reverse
      let k = 0;
      for (let o = this.#lm.rows - 1; o >= 0; o--) if (o !== target) order[k++] = o;
      order[k++] = target;
      dx[t].fill(0);
      backwardRows(this.#lm, order, k, acts.xs[nl][t], dlogits, dx[t]);
    }
    for (let l = nl - 1; l >= 0; l--) {
      const P = this.#layers[l], L = acts.layers[l], cache = L.cache;
      // 2) MLP, per position (the ReLUs that are on differ): dx = d output = d fc2 output = d residual
      for (let t = n - 1; t >= 0; t--) {
        // d r at the units that are on; the ReLU passes it to f there, and f is 0 elsewhere, so the rows of
        // fc1 to go back through are exactly those units
        linearBackwardActive(P.fc2, L.r[t], L.on[t], dx[t], dr);
        linearBackwardRowsActive(P.fc1, L.h2[t], L.on[t], dr, dh2);
        dxmid[t].set(dx[t]);
        rmsnormBackward(L.xmid[t], L.a2[t], dh2, dxmid[t]);
      }
      // 1) attention
      P.woIO.dx.fill(0, 0, n * ne);
      backwardRangeBatch(P.wo, P.woIO, n, P.wo.rows, 0);
      cache.dk.fill(0, 0, n * ne);
      cache.dv.fill(0, 0, n * ne);
      for (let t = n - 1; t >= 0; t--) {
        attentionBackward(cache, t, L.q[t], dxa[t], dq[t], this.causal ? t + 1 : n);
      }
      // q, k, v rows in the order the scalar engine finishes them: heads last to first; within a head the
      // value rows, then the key rows, then the query rows, each last to first (the head's first score reaches
      // all its queries, the last score this position's keys, the weighted sums its values). At position 0
      // the graph interleaves key and query rows, but there d q = 0 exactly (a softmax over one score is
      // constant), so the order cannot matter.
      P.qIO.dx.fill(0, 0, n * ne);
      const hd = ne / this.config.n_head;
      for (let h = this.config.n_head - 1; h >= 0; h--) {
        backwardRangeBatch(P.wv, P.vIO, n, (h + 1) * hd, h * hd);
        backwardRangeBatch(P.wk, P.kIO, n, (h + 1) * hd, h * hd);
        backwardRangeBatch(P.wq, P.qIO, n, (h + 1) * hd, h * hd);
      }
      for (let t = n - 1; t >= 0; t--) {
        dx[t].set(dxmid[t]);
        rmsnormBackward(acts.xs[l][t], L.a1[t], dh[t], dx[t]);
      }
    }
    // the first rmsnorm, then x0 = wte[token] + wpe[t]
    const gte = this.#wte.g, gpe = this.#wpe.g;
    for (let t = n - 1; t >= 0; t--) {
      dx0.fill(0);
      rmsnormBackward(acts.x0[t], acts.a0[t], dx[t], dx0);
      const tok = tokens[t] * ne, pos = t * ne;
      for (let i = 0; i < ne; i++) {
        gte[tok + i] += dx0[i];
        gpe[pos + i] += dx0[i];
      }
    }
  }

  #batchLoss(batch: readonly (readonly number[])[], grad: boolean): number {
    checkBatch(batch, this.config);
    const B = batch.length;
    if (this.#docLosses.length < B) this.#docLosses = new Float64Array(B);
    const losses = this.#docLosses;
    // The scalar engine's backward finishes the last document first: run them in that order.
    for (let b = B - 1; b >= 0; b--) {
      const tokens = batch[b], n = Math.min(this.config.block_size, tokens.length - 1);
      losses[b] = this.#docForward(tokens, n);
      if (grad) this.#docBackward(tokens, n, 1 / B);
    }
    let total = losses[0];
    for (let b = 1; b < B; b++) total += losses[b];
    return B === 1 ? total : total * (1 / B);
  }

  lossAndGrad(batch: readonly (readonly number[])[]): number {
    return this.#batchLoss(batch, true);
  }

  loss(batch: readonly (readonly number[])[]): number {
    return this.#batchLoss(batch, false);
  }

  step(opts: AdamStep): void {
    if (this.#simd) this.#simd.step(opts);
    else adamStep({ data: this.params.data, grad: this.params.grad, m: this.#m, v: this.#v }, opts);
  }

  /**
   * Sequences share one set of inference buffers. A sequence that finds them used by a newer one since its
   * last call first replays its own earlier tokens (the forward pass is deterministic, so the result is the
   * same as with buffers of its own); sampling one name after another never needs that.
   */
  begin(): (token: number) => number[] {
    const acts = this.#inference ??= createActivations(this.config);
    const { vocab_size, block_size } = this.config;
    const id = ++this.#sequences;
    this.#owner = id;
    const tokens: number[] = [];
    return (token: number) => {
      checkToken(token, vocab_size);
      const pos = checkPos(tokens.length, block_size);
      if (this.#owner !== id) {
        this.#owner = id;
        for (let p = 0; p < pos; p++) this.#forward(acts, tokens[p], p);
      }
      tokens.push(token);
      this.#forward(acts, token, pos);
      return Array.from(acts.logits[pos]);
    };
  }

  stateDict(): StateDict {
    return toStateDict(this.params);
  }

  loadStateDict(sd: StateDict): void {
    loadFlat(this.params, this.config, sd);
    this.params.grad.fill(0);
    this.#m.fill(0);
    this.#v.fill(0);
  }

  /** `GPT(fast engine, 4,192 params: …)`. */
  toString(): string {
    return describeModel(this.engine, this.config);
  }

  /** Jupyter shows the model as its `toString()`. */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return { "text/plain": this.toString() };
  }
}

/**
 * A fast-engine GPT with weights drawn from `rng` exactly as the scalar engine draws them (or copied from
 * `stateDict`). `causal: false` trains without the causal mask (every position sees the whole name).
 *
 * @example
 * ```ts
 * import { createFastModel } from "./model.ts";
 * import { Random } from "../random.ts";
 * const model = createFastModel({ config: { vocab_size: 27 }, rng: new Random(42) });
 * console.assert(model.numParams === 4192 && model.begin()(26).length === 27);
 * ```
 * @throws {TypeError} neither rng nor stateDict is given.
 */
export function createFastModel(opts: CreateModelOptions & { causal?: boolean }): FastModel {
  const { config, stateDict } = initialWeights(opts, "createFastModel");
  return new FastModel(config, stateDict, opts.causal ?? true);
}
