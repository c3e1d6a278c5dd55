/**
 * Rung 5 of the ladder, which is microGPT: rung 4's model, trained with Adam instead of plain SGD. Adam keeps
 * two running averages per parameter — of its gradient (m, momentum) and of its squared gradient (v) — and steps
 * by m/√v, so every parameter gets a step size suited to how large and how steady its own gradient is.
 *
 * @module
 */
import { type AdamBuffers, adamUpdate } from "../adam.ts";
import type { MlpOptions } from "./train1.ts";
import { createTransformerRung, type Optimizer, type TransformerRung } from "./train3.ts";
import { multiHeadAttention } from "./train4.ts";

/** Adam's hyper-parameters (defaults: microGPT's). */
export interface AdamOptions {
  beta1?: number;
  beta2?: number;
  eps?: number;
}

/**
 * An Adam optimiser with its own m and v buffers (one number each per parameter).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Value } from "../value.ts";
 * import { adam } from "./train5.ts";
 * const p = new Value(1);
 * p.grad = 0.5;
 * adam()([p], { lr: 0.1, step: 0 }); // first step: m̂/√v̂ = ±1, so p moves by lr against its gradient
 * assert(Math.abs(p.data - 0.9) < 1e-6 && p.grad === 0);
 * ```
 * @throws {RangeError} beta1 or beta2 outside [0, 1), or eps not a finite number > 0.
 */
export function adam(opts: AdamOptions = {}): Optimizer {
  const { beta1 = 0.85, beta2 = 0.99, eps = 1e-8 } = opts;
  for (const [name, b] of [["beta1", beta1], ["beta2", beta2]] as const) {
    // β = 1 makes the bias correction 1 − β^(t+1) zero: every update would be NaN
    if (!(b >= 0 && b < 1)) throw new RangeError(`${name} must be in [0, 1), got ${b}`);
  }
  if (!(eps > 0) || !Number.isFinite(eps)) {
    throw new RangeError(`eps must be a finite number > 0, got ${eps}`);
  }
  let buf: AdamBuffers | undefined;
  return (params, { lr, step }) => {
    if (buf?.m.length !== params.length) {
      const zeros = () => new Float64Array(params.length);
      buf = { data: zeros(), grad: zeros(), m: zeros(), v: zeros() }; // m, v start at 0
    }
    params.forEach((p, i) => {
      buf!.data[i] = p.data;
      buf!.grad[i] = p.grad;
    });
    // m = β1·m + (1−β1)·g;  v = β2·v + (1−β2)·g²;  m̂ = m/(1−β1^(t+1));  v̂ = v/(1−β2^(t+1));
    // p −= lr · m̂ / (√v̂ + eps)   — the engine's adamUpdate, shared with microGPT
    adamUpdate(buf, { lr, t: step, beta1, beta2, eps });
    params.forEach((p, i) => {
      p.data = buf!.data[i];
      p.grad = 0;
    });
  };
}

/**
 * Rung 5 = microGPT: multi-head transformer + Adam (β₁ 0.85, β₂ 0.99 unless given).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Random } from "../random.ts";
 * import { createAdamGPT } from "./train5.ts";
 * assert(createAdamGPT({ rng: new Random(42) }).numParams === 4192);
 * ```
 */
export function createAdamGPT(opts: MlpOptions & { adam?: AdamOptions }): TransformerRung {
  return createTransformerRung({
    rung: 5,
    name: "+ Adam (= microGPT)",
    idea: "Adam: per-parameter step sizes from running averages of the gradient and its square",
    attend: multiHeadAttention,
    optimizer: () => adam(opts.adam),
  }, opts);
}
