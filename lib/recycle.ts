/**
 * The scalar engine's node recycling, private to its training step (`ScalarModel.lossAndGrad` and `loss`;
 * not exported from `mod.ts`). A step builds and drops ~70,000 `Value` nodes; reusing the same objects from
 * step to step spares the garbage collector most of its work (the 1000 reference steps take about half the
 * time). Nothing else ever gets a recycled node: see `recycleNodes`.
 *
 * @module
 */
import type { Value } from "./value.ts";

/** Nodes kept for recycling, by number of children; `used` counts the ones handed out in this call. */
const pool = { 1: { nodes: [] as Value[], used: 0 }, 2: { nodes: [] as Value[], used: 0 } };
const KEEP = 150_000; // nodes kept per arity between calls (a 16-position document needs ~130,000 in all)
let active = false; // true while `recycleNodes` runs

/**
 * Run `fn` with the interior nodes of its graph recycled from the previous call. Safe because `fn` returns
 * a number: no node made inside can reach the caller (and the engine's step runs no caller code). A nested
 * call just runs `fn` (the outer one recycles). Tested in value_test.ts (the same numbers from recycled nodes).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { recycleNodes } from "./recycle.ts";
 * import { Value } from "./value.ts";
 * const w = new Value(3);
 * const step = () => recycleNodes(() => {
 *   const loss = w.mul(w).add(1);
 *   loss.backward();
 *   return loss.data;
 * });
 * assert.deepEqual([step(), w.grad], [10, 6]);
 * assert.deepEqual([step(), w.grad], [10, 12]); // the same numbers from recycled nodes (grads accumulate)
 * ```
 */
export function recycleNodes(fn: () => number): number {
  if (active) return fn();
  active = true;
  pool[1].used = pool[2].used = 0;
  try {
    return fn();
  } finally {
    active = false;
    for (const p of [pool[1], pool[2]]) if (p.nodes.length > KEEP) p.nodes.length = KEEP;
  }
}

/**
 * @internal (value.ts) Inside `recycleNodes`, the next kept node with as many children, overwritten with
 * this operation; else undefined (make a new node).
 */
export function reuseNode(
  data: number,
  op: string,
  a: Value,
  da: number,
  b?: Value,
  db = 0,
): Value | undefined {
  if (!active) return undefined;
  const p = pool[b ? 2 : 1];
  const v = p.nodes[p.used];
  if (v === undefined) return undefined;
  p.used++;
  v.data = data;
  v.grad = 0;
  v.op = op;
  const children = v.children as Value[], localGrads = v.localGrads as number[]; // same length: overwrite
  children[0] = a;
  localGrads[0] = da;
  if (b) {
    children[1] = b;
    localGrads[1] = db;
  }
  return v;
}

/** @internal (value.ts) Record a newly made node for recycling in later calls; returns it. */
export function keepForRecycling(v: Value): Value {
  if (active) {
    const p = pool[v.children.length as 1 | 2];
    p.nodes[p.used++] = v;
  }
  return v;
}
