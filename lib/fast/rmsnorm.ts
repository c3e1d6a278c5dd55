/**
 * RMSNorm without weights, in `microgpt.py`'s float order:
 * `ms = (Σ x_i·x_i) · n^-1`, `scale = (ms + 1e-5)^-0.5`, `y_i = x_i · scale`.
 *
 * Backward follows the scalar graph: `y_i = x_i·scale` hands `scale·dy_i` to `x_i` and `x_i·dy_i` to `scale`
 * (last `i` first); `scale = a^-0.5` hands `-0.5·a^-1.5·dscale` to `a = ms + 1e-5`; `ms = sum·n^-1` hands
 * `n^-1·dms` to every square `x_i·x_i`, which adds `x_i·dsq` to `x_i` twice (`x_i` is both of its operands).
 *
 * @module
 */

let cachedN = 0, cachedInvN = 0; // Math.pow(n, -1) of the last width seen (one width per model)

/** `Math.pow(n, -1)`, remembered for the last `n`. */
function invN(n: number): number {
  if (n !== cachedN) {
    cachedN = n;
    cachedInvN = Math.pow(n, -1);
  }
  return cachedInvN;
}

/**
 * Normalise `x` into `y`; returns `a = mean(x²) + 1e-5` (the backward pass needs it) and, given `scales`,
 * keeps `scale = a^-0.5` in `scales[t]` for the backward pass too (one `Math.pow` less there).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rmsnormForward } from "./rmsnorm.ts";
 * const y = new Float64Array(2);
 * const a = rmsnormForward(Float64Array.of(3, 4), y);
 * assert(Math.abs(a - 12.50001) < 1e-12);
 * assert(Math.abs(y[0] * y[0] + y[1] * y[1] - 2) < 1e-5);
 * ```
 */
export function rmsnormForward(x: Float64Array, y: Float64Array, scales?: Float64Array, t = 0): number {
  const n = x.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += x[i] * x[i];
  const a = sum * invN(n) + 1e-5;
  const scale = Math.pow(a, -0.5);
  for (let i = 0; i < n; i++) y[i] = x[i] * scale;
  if (scales) scales[t] = scale;
  return a;
}

/**
 * Backward of `y = rmsnorm(x)` given `a` (and `scale`, if kept) from the forward pass: adds the gradient to
 * `dx`, which may already hold what came through a residual connection (the scalar engine finishes that path
 * first, so it is summed first).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rmsnormBackward, rmsnormForward } from "./rmsnorm.ts";
 * const x = Float64Array.of(1, 2), y = new Float64Array(2), dx = new Float64Array(2);
 * const a = rmsnormForward(x, y);
 * rmsnormBackward(x, a, Float64Array.of(1, 0), dx); // gradient of y[0]
 * assert(dx[0] > 0 && dx[1] < 0); // y[0] grows with x[0] and shrinks as x[1] grows
 * ```
 */
export function rmsnormBackward(
  x: Float64Array,
  a: number,
  dy: Float64Array,
  dx: Float64Array,
  scale: number = Math.pow(a, -0.5),
): void {
  const n = x.length;
  let dscale = 0;
  for (let i = n - 1; i >= 0; i--) {
    dx[i] += scale * dy[i];
    dscale += x[i] * dy[i];
  }
  const da = (-0.5 * Math.pow(a, -1.5)) * dscale;
  const dsq = invN(n) * da;
  for (let i = 0; i < n; i++) {
    const d = x[i] * dsq;
    dx[i] = dx[i] + d + d;
  }
}
