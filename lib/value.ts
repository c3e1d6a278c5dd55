/**
 * Scalar autograd, as in micrograd / microgpt.py: every number the model computes is a `Value` node that
 * remembers its inputs (`children`) and the derivative of itself with respect to each input (`localGrads`).
 * `backward()` walks the graph once in reverse topological order and applies the chain rule:
 * `child.grad += localGrad * node.grad`.
 *
 * The float operations and their order are exactly those of `microgpt.py` (division is `a * b ** -1`,
 * subtraction is `a + (-1 * b)`), so a run reproduces the Python reference to ~1e-15 (only `Math.exp/log/pow`
 * may differ from C's libm, in the last bit).
 *
 * For speed (tens of millions of nodes per training run) a node keeps up to two children in fixed fields;
 * `children` and `localGrads` are views built on demand. A number operand is folded into the node as a
 * constant instead of becoming a leaf: it changes no float operation on real nodes.
 *
 * @module
 */

let stamp = 0; // visit mark of the current topological sort (no Set needed)
const stackNodes: Value[] = []; // reusable explicit DFS stack: node ...
const stackNext: number[] = []; // ... and the index of its next child to visit

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
  /** The operation that made this node ("" for a leaf such as a parameter). */
  op: string;
  /** Optional name shown in graphs and `toString()`. */
  label: string | undefined;
  /** @internal number of children (0, 1, 2, or more with `many`) */
  arity = 0;
  /** @internal first child */
  child0: Value | null = null;
  /** @internal second child */
  child1: Value | null = null;
  /** @internal d(this)/d(child0) */
  local0 = 0;
  /** @internal d(this)/d(child1) */
  local1 = 0;
  /** @internal children and local gradients of a node with more than two children */
  many: { children: Value[]; localGrads: number[] } | null = null;
  /** @internal visit mark for the topological sort */
  mark = 0;

  /**
   * A leaf (`new Value(2)`, `new Value(2, { label: "a" })`), or the node of a custom operation given its
   * children and local gradients.
   *
   * @throws {TypeError} data is not a number, or children and localGrads differ in length.
   */
  constructor(data: number, opts?: ValueOptions) {
    if (typeof data !== "number") throw new TypeError(`Value data must be a number, got ${typeof data}`);
    this.data = data;
    this.op = opts?.op ?? "";
    this.label = opts?.label;
    if (opts?.children) {
      const { children, localGrads = [] } = opts;
      if (children.length !== localGrads.length) {
        throw new TypeError(
          `children (${children.length}) and localGrads (${localGrads.length}) must have the same length`,
        );
      }
      const n = children.length;
      this.arity = n;
      if (n > 2) this.many = { children: [...children], localGrads: [...localGrads] };
      else if (n > 0) {
        this.child0 = children[0];
        this.local0 = localGrads[0];
        if (n === 2) {
          this.child1 = children[1];
          this.local1 = localGrads[1];
        }
      }
    }
  }

  /** The inputs of the operation that made this node (empty for a leaf). */
  get children(): Value[] {
    if (this.many) return [...this.many.children];
    if (this.arity === 2) return [this.child0!, this.child1!];
    return this.arity === 1 ? [this.child0!] : [];
  }

  /** d(this)/d(child) for each child, in the same order as `children`. */
  get localGrads(): number[] {
    if (this.many) return [...this.many.localGrads];
    if (this.arity === 2) return [this.local0, this.local1];
    return this.arity === 1 ? [this.local0] : [];
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
    if (other instanceof Value) return node(this.data + other.data, "+", this, 1, other, 1);
    return node(this.data + num(other), "+", this, 1, null, 0);
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
    if (other instanceof Value) return node(this.data * other.data, "*", this, other.data, other, this.data);
    const k = num(other);
    return node(this.data * k, "*", this, k, null, 0);
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
    return node(Math.pow(a, n), "**", this, n * Math.pow(a, n - 1), null, 0);
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
    return node(Math.log(a), "log", this, 1 / a, null, 0);
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
    return node(e, "exp", this, e, null, 0);
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
    return node(a > 0 ? a : 0, "relu", this, a > 0 ? 1 : 0, null, 0);
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
    const topo = topoBuf;
    const n = topoSort(this, topo, false);
    this.grad = 1;
    for (let i = n - 1; i >= 0; i--) {
      const v = topo[i];
      const g = v.grad;
      if (v.many !== null) {
        const { children, localGrads } = v.many;
        for (let j = 0; j < children.length; j++) children[j].grad += localGrads[j] * g;
      } else {
        v.child0!.grad += v.local0 * g;
        if (v.arity === 2) v.child1!.grad += v.local1 * g;
      }
      if (onVisit) onVisit(v);
    }
    if (pool === null) topoBuf = []; // outside a pool, let the graph be collected
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

/** Make an interior node with one or two children (the hot path: no arrays allocated). */
function node(data: number, op: string, c0: Value, l0: number, c1: Value | null, l1: number): Value {
  let v: Value;
  if (pool !== null) {
    if (poolTop < pool.length) {
      v = pool[poolTop++]; // made by node() too: label and many are still unset
      v.data = data;
      v.grad = 0;
    } else {
      v = new Value(data);
      pool.push(v);
      poolTop++;
    }
  } else v = new Value(data);
  v.op = op;
  v.child0 = c0;
  v.local0 = l0;
  v.child1 = c1;
  v.local1 = l1;
  v.arity = c1 === null ? 1 : 2;
  return v;
}

let pool: Value[] | null = null; // recycled interior nodes while `withNodePool` runs
let poolTop = 0;
const POOL: Value[] = [];
const POOL_KEEP = 200_000; // a reference step needs up to ~130,000 nodes (16 positions)

/**
 * Run `fn` with interior nodes taken from a pool that is recycled on every call: a training step builds
 * and drops ~50,000 nodes, and reusing the same objects spares the garbage collector almost all its work.
 * Only for code that keeps no node made inside `fn` after it returns (the models' `lossAndGrad` / `loss`).
 * Leaves (`new Value(x)`) never come from the pool. Nested calls share the outer pool.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Value, withNodePool } from "./value.ts";
 * const w = new Value(3);
 * const grad = withNodePool(() => {
 *   w.mul(w).backward();
 *   return w.grad;
 * });
 * assert(grad === 6);
 * ```
 */
export function withNodePool<T>(fn: () => T): T {
  if (pool !== null) return fn();
  pool = POOL;
  poolTop = 0;
  try {
    return fn();
  } finally {
    pool = null;
    if (POOL.length > POOL_KEEP) POOL.length = POOL_KEEP; // keep ~35 MB at most between calls
  }
}

let topoBuf: Value[] = []; // reused by backward()

/**
 * Depth-first post-order over children in order, with an explicit stack: the same order as microgpt.py's
 * recursive `build_topo`, without its recursion limit. `out === topoBuf` (backward) leaves out nodes
 * without children (they have nothing to propagate), which changes no float operation. Returns the count.
 */
function topoSort(root: Value, out: Value[], withLeaves: boolean): number {
  const s = ++stamp;
  let n = 0;
  root.mark = s;
  if (root.arity === 0) {
    if (withLeaves) out[n++] = root;
    return n;
  }
  let sp = 0;
  stackNodes[sp] = root;
  stackNext[sp++] = 0;
  while (sp > 0) {
    const v = stackNodes[sp - 1];
    const i = stackNext[sp - 1];
    if (i < v.arity) {
      stackNext[sp - 1] = i + 1;
      const c = v.many !== null ? v.many.children[i] : i === 0 ? v.child0! : v.child1!;
      if (c.mark !== s) {
        c.mark = s;
        if (c.arity === 0) {
          if (withLeaves) out[n++] = c;
        } else {
          stackNodes[sp] = c;
          stackNext[sp++] = 0;
        }
      }
    } else {
      out[n++] = v;
      sp--;
    }
  }
  return n;
}

/**
 * All nodes `root` depends on (itself included), children before parents: the order `backward()` uses,
 * reversed. Same order as the recursive depth-first search of microgpt.py; works for any depth.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildTopo, Value } from "./value.ts";
 * const a = new Value(2, { label: "a" });
 * const b = new Value(3, { label: "b" });
 * const p = a.mul(b);
 * assert(buildTopo(p).map((v) => v.label ?? v.op).join(" ") === "a b *");
 * ```
 */
export function buildTopo(root: Value): Value[] {
  const out: Value[] = [];
  topoSort(root, out, true);
  return out;
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
