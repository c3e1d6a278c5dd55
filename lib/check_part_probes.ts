/**
 * Edge cases `checkPart` runs on the learner's function beside the reference, after the model run: they catch
 * what the model's own numbers cannot show (a softmax without the max subtraction agrees with the reference to
 * ~1e-16 until a logit is large) and name the first operation of a learner's Value class that is wrong.
 *
 * @module
 */
import { datas, fits, forwardMistakes } from "./check_part_hints.ts";
import { rmsnorm, softmax } from "./nn.ts";
import { probsFromLogits } from "./sample.ts";
import { Value } from "./value.ts";

type Vals = Value[];
const TINY = [1e-3, -2e-3, 5e-4, 0]; // a vector so small that ε matters

/** An edge case run on the learner's function beside the reference. */
export interface Probe {
  /** What the probe feeds in, for the report. */
  label: string;
  expected: () => number[];
  actual: (impl: unknown) => number[];
  hint?: string;
  /** Do the learner's numbers fit the hint's mistake? (Default: any failure of this probe fits.) */
  fits?: (actual: readonly number[]) => boolean;
  /** Give the hint only if the model run agreed (a function that is NaN everywhere has another problem). */
  onlyAfterAgreement?: boolean;
}

const nonFinite = (xs: readonly number[]) => xs.some((x) => !Number.isFinite(x));

const OVERWRITE =
  "`=` instead of `+=` in backward: a node used twice must add up the gradients of both uses (child.grad += …)";

const NO_MAX = "subtract the largest logit before exp: exp(1000) overflows to Infinity, and ∞/∞ is NaN";

const softmaxProbe = (logits: number[]): Probe => ({
  label: `softmax([${logits.join(", ")}])`,
  expected: () => datas(softmax(logits.map((l) => new Value(l)))),
  actual: (f) => datas((f as (l: Vals) => Vals)(logits.map((l) => new Value(l)))),
  hint: NO_MAX,
  fits: nonFinite,
  onlyAfterAgreement: true,
});

const sampleProbe = (logits: number[]): Probe => ({
  label: `probs([${logits.join(", ")}], T = 1)`,
  expected: () => probsFromLogits(logits, 1),
  actual: (f) => (f as (l: number[], T: number) => number[])(logits, 1),
  hint: NO_MAX,
  fits: nonFinite,
  onlyAfterAgreement: true,
});

/** `a·a`, `x²`, … on a learner's Value class: data and gradients of the inputs. */
function valueProbe(
  label: string,
  inputs: number[],
  f: (xs: Vals) => Vals[number],
  hint?: { text: string; fits: (actual: readonly number[]) => boolean },
): Probe {
  const run = (V: unknown) => {
    const C = V as new (x: number) => Value;
    const xs = inputs.map((x) => new C(x));
    const y = f(xs);
    y.backward();
    return [y.data, ...xs.map((x) => x.grad)];
  };
  return {
    label: `${label} (output, then the gradient of each input)`,
    expected: () => run(Value),
    actual: run,
    hint: hint?.text,
    fits: hint?.fits,
  };
}

/**
 * The probes of a part (none for most parts), each with its expected and actual numbers.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { probes } from "./check_part_probes.ts";
 * import { softmax } from "./nn.ts";
 * const [big] = probes("softmax");
 * assert.deepEqual(big.actual(softmax), big.expected());
 * ```
 */
export function probes(part: string): Probe[] {
  switch (part) {
    case "softmax":
      return [softmaxProbe([1000, 999, 998]), softmaxProbe([-1000, -1001])];
    case "rmsnorm":
      return [{
        label: "rmsnorm([1e-3, -2e-3, 5e-4, 0]) (a tiny vector, where ε matters)",
        expected: () => datas(rmsnorm(TINY.map((x) => new Value(x)))),
        actual: (f) => datas((f as (x: Vals) => Vals)(TINY.map((x) => new Value(x)))),
        hint: forwardMistakes("rmsnorm")[0].hint,
        fits: (got) => fits(got, forwardMistakes("rmsnorm")[0].wrong([TINY.map((x) => new Value(x))])!),
      }];
    case "sample":
      return [sampleProbe([1000, 999, 998]), sampleProbe([-1000, -1001])];
    case "value":
      return [
        valueProbe(
          "y = a·a at a = 3",
          [3],
          ([a]) => a.mul(a),
          { text: OVERWRITE, fits: (got) => got[1] === 3 }, // dy/da = 6; with `=` one use overwrites the other
        ),
        valueProbe("y = a·b + a at a = 2, b = 3", [2, 3], ([a, b]) => a.mul(b).add(a), {
          text: OVERWRITE,
          fits: (got) => got[1] === 3 || got[1] === 1, // dy/da = b + 1 = 4: only one path kept
        }),
        valueProbe("y = a + b at 2, 3", [2, 3], ([a, b]) => a.add(b)),
        valueProbe("y = a − b at 2, 3", [2, 3], ([a, b]) => a.sub(b)),
        valueProbe("y = a / b at 2, 3", [2, 3], ([a, b]) => a.div(b)),
        valueProbe("y = −a at 2", [2], ([a]) => a.neg()),
        valueProbe("y = a³ at 1.5", [1.5], ([a]) => a.pow(3)),
        valueProbe("y = a^−0.5 at 2", [2], ([a]) => a.pow(-0.5)),
        valueProbe("y = exp(a) at 0.7", [0.7], ([a]) => a.exp()),
        valueProbe("y = log(a) at 0.7", [0.7], ([a]) => a.log()),
        valueProbe("y = relu(a) at 0.7", [0.7], ([a]) => a.relu()),
        valueProbe("y = relu(a) at −0.7", [-0.7], ([a]) => a.relu()),
        valueProbe("y = a·2 + 1 at 0.5 (numbers as operands)", [0.5], ([a]) => a.mul(2).add(1)),
      ];
    default:
      return [];
  }
}
