/**
 * Scalar autograd, as in micrograd / microgpt.py: every number the model computes is a `Value` node that
 * remembers its inputs (`children`) and the derivative of itself with respect to each input (`localGrads`).
 * `backward()` walks the graph once in reverse topological order and applies the chain rule:
 * `child.grad += localGrad * node.grad`.
 *
 * The float operations and their order are exactly those of `microgpt.py` (division is `a * b ** -1`,
 * subtraction is `a + (-1 * b)`), so a run reproduces the Python reference to ~1e-15 (only `Math.exp/log/pow`
 * may differ from C's libm, in the last bit). A number operand is folded into the node as a constant (one
 * child, its local gradient the number) instead of becoming a leaf: it changes no float operation on real
 * nodes.
 *
 * @module
 */

import { keepForRecycling, reuseNode } from "./recycle.ts";
import { buildTopo, topoInto } from "./topo.ts";
export { buildTopo };

let spareTopo: Value[] | undefined = []; // backward()'s order array, reused (undefined while one is running)

/** Options of `new Value(data, opts)`. */
export interface ValueOptions {
  /** A name for graphs and printing. */
  label?: string;
  /** Inputs of a custom operation (leave out for a leaf). */
  children?: readonly Value[];
  /** d(node)/d(child) for each child. */
  localGrads?: readonly number[];
  /** Name of the operation, e.g. "tanh". */
  op?: string;
}

/**
 * A scalar in the computation graph: its value `data`, the gradient `grad` of the final output with respect
 * to it, and how it was made.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Value } from "./value.ts";
 * const a = new Value(2, { label: "a" });
 * const b = new Value(3, { label: "b" });
 * const L = a.mul(b).pow(2); // L = (a·b)²
 * L.backward();
 * assert(L.data === 36 && a.grad === 36 && b.grad === 24);
 * ```
 */
export class Value {
  /** The number this node holds. */
  data: number;
  /** d(output)/d(this), filled in by `backward()` (accumulates with `+=`). */
  grad = 0;
  /** The inputs of the operation that made this node (empty for a leaf). */
  readonly children: readonly Value[];
  /** d(this)/d(child) for each child, in the same order as `children`. */
  readonly localGrads: readonly number[];
  /** The operation that made this node ("" for a leaf such as a parameter). */
  op: string;
  /** Optional name shown in graphs and `toString()`. */
  label: string | undefined;
  /** @internal `buildTopo`'s visit mark. */
  visitMark = 0;

  /**
   * A leaf (`new Value(2)`, `new Value(2, { label: "a" })`), or the node of an operation given its
   * children and local gradients.
   *
   * @throws {TypeError} data is not a number, or children and localGrads differ in length.
   */
  constructor(data: number, opts: ValueOptions = {}) {
    if (typeof data !== "number") throw new TypeError(`Value data must be a number, got ${typeof data}`);
    const { children = [], localGrads = [], op = "", label } = opts;
    if (children.length !== localGrads.length) {
      throw new TypeError(
        `children (${children.length}) and localGrads (${localGrads.length}) must have the same length`,
      );
    }
    this.data = data;
    this.children = children;
    this.localGrads = localGrads;
    this.op = op;
    this.label = label;
  }

  /**
   * `this + other`; local gradients (1, 1).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Value } from "./value.ts";
   * assert(new Value(2).add(3).data === 5);
   * ```
   */
  add(other: Value | number): Value {
    if (other instanceof Value) {
      return node(this.data + other.data, "+", this, 1, other, 1);
    }
    return node(this.data + num(other), "+", this, 1);
  }

  /**
   * `this · other`; local gradients (other, this).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Value } from "./value.ts";
   * assert(new Value(2).mul(new Value(3)).data === 6);
   * ```
   */
  mul(other: Value | number): Value {
    if (other instanceof Value) {
      return node(this.data * other.data, "*", this, other.data, other, this.data);
    }
    const k = num(other);
    return node(this.data * k, "*", this, k);
  }

  /**
   * `this ** n` for a constant exponent n; local gradient n · this^(n−1).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Value } from "./value.ts";
   * assert(new Value(3).pow(2).data === 9);
   * ```
   * @throws {TypeError} n is not a number (powers of a Value are not part of the lesson).
   */
  pow(n: number): Value {
    if (typeof n !== "number") throw new TypeError(`pow: the exponent must be a number, got ${typeof n}`);
    const a = this.data;
    return node(Math.pow(a, n), "**", this, n * Math.pow(a, n - 1));
  }

  /**
   * `−this`, computed as `this · (−1)`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Value } from "./value.ts";
   * assert(new Value(2).neg().data === -2);
   * ```
   */
  neg(): Value {
    return this.mul(-1);
  }

  /**
   * `this − other`, computed as `this + (−other)`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Value } from "./value.ts";
   * assert(new Value(5).sub(new Value(3)).data === 2);
   * ```
   */
  sub(other: Value | number): Value {
    return other instanceof Value ? this.add(other.neg()) : this.add(-num(other));
  }

  /**
   * `this / other`, computed as `this · other^−1` (as microgpt.py does).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Value } from "./value.ts";
   * assert(new Value(6).div(new Value(4)).data === 1.5);
   * ```
   */
  div(other: Value | number): Value {
    return other instanceof Value ? this.mul(other.pow(-1)) : this.mul(Math.pow(num(other), -1));
  }

  /**
   * Natural logarithm; local gradient 1/this.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Value } from "./value.ts";
   * assert(new Value(1).log().data === 0);
   * ```
   */
  log(): Value {
    const a = this.data;
    return node(Math.log(a), "log", this, 1 / a);
  }

  /**
   * e^this; local gradient e^this.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Value } from "./value.ts";
   * assert(new Value(0).exp().data === 1);
   * ```
   */
  exp(): Value {
    const e = Math.exp(this.data);
    return node(e, "exp", this, e);
  }

  /**
   * max(0, this); local gradient 1 if this > 0, else 0.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Value } from "./value.ts";
   * assert(new Value(-2).relu().data === 0);
   * ```
   */
  relu(): Value {
    const a = this.data;
    return node(a > 0 ? a : 0, "relu", this, a > 0 ? 1 : 0);
  }

  /**
   * Fill in `grad` of every node this one depends on: grad of this = 1, then for each node in reverse
   * topological order, `child.grad += localGrad · node.grad`. Gradients accumulate (call `zeroGrad` on the
   * parameters between steps). Iterative, so graphs of any depth work. `onVisit`, if given, is called with
   * each operation node (leaves have nothing to pass on) right after it has passed its gradient to its
   * children, in the order of the sweep (notebook 03's stepper watches the backward pass with it).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Value } from "./value.ts";
   * const a = new Value(3);
   * const y = a.mul(a); // a used twice: its gradient accumulates
   * const visited: number[] = [];
   * y.backward((node) => visited.push(node.data));
   * assert(a.grad === 6);
   * assert.deepEqual(visited, [9]); // the one operation node; the leaf a has nothing to pass on
   * ```
   */
  backward(onVisit?: (node: Value) => void): void {
    const topo = spareTopo ?? []; // a backward started by onVisit gets an array of its own
    spareTopo = undefined;
    const n = topoInto(this, topo);
    this.grad = 1;
    for (let i = n - 1; i >= 0; i--) {
      const v = topo[i];
      const { children, localGrads, grad } = v;
      if (children.length === 0) continue; // a leaf: nothing to pass on
      for (let j = 0; j < children.length; j++) children[j].grad += localGrads[j] * grad;
      if (onVisit) onVisit(v);
    }
    spareTopo = topo;
  }

  /** `Value(data=…, grad=…)`, like micrograd's repr. */
  toString(): string {
    const name = this.label ? `${this.label}: ` : "";
    return `Value(${name}data=${this.data}, grad=${this.grad}${this.op ? `, op=${this.op}` : ""})`;
  }

  /** Jupyter shows a Value as its `toString()`. */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return { "text/plain": this.toString() };
  }
}

function num(x: unknown): number {
  if (typeof x !== "number") throw new TypeError(`operand must be a Value or a number, got ${typeof x}`);
  return x;
}

/** The node of an operation with one child (b undefined) or two: a recycled one (recycle.ts) or a new one. */
function node(data: number, op: string, a: Value, da: number, b?: Value, db = 0): Value {
  return reuseNode(data, op, a, da, b, db) ??
    keepForRecycling(new Value(data, { children: b ? [a, b] : [a], localGrads: b ? [da, db] : [da], op }));
}

/**
 * Set `grad = 0` on every value (parameters between training steps).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Value, zeroGrad } from "./value.ts";
 * const w = new Value(1);
 * w.mul(5).backward();
 * zeroGrad([w]);
 * assert(w.grad === 0);
 * ```
 */
export function zeroGrad(params: Iterable<Value>): void {
  for (const p of params) p.grad = 0;
}
