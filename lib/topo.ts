/**
 * The topological order of a `Value` graph, the order `backward()` walks (reversed).
 *
 * @module
 */
import type { Value } from "./value.ts";

// Sorts so far: each sort marks the nodes it visits with its own number. A small integer is stored in the
// node itself; an object mark (a new one per sort) made every store pass through the garbage collector's
// write barrier, as the recycled nodes are old and the mark young.
let sorts = 0;

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
  const topo: Value[] = [];
  topoInto(root, topo);
  return topo;
}

/**
 * @internal (value.ts) `buildTopo`'s order written into `topo` from index 0, over what it held before (entries
 * past the count are left as they were); returns the count. `backward()` reuses one array this way: growing
 * a new array to a step's ~65,000 nodes made the sort about a fifth slower.
 */
export function topoInto(root: Value, topo: Value[]): number {
  let n = 0; // nodes written
  const mark = ++sorts; // this sort's visit mark: a node is visited when its visitMark is this number
  root.visitMark = mark;
  // build_topo(v) visits each child in order, then appends v. The recursion becomes an explicit stack of the
  // nodes being visited, their children and the index of the next child, so that a graph of any depth fits.
  const stack: Value[] = [root];
  const kids: (readonly Value[])[] = [root.children];
  const next: number[] = [0];
  let sp = 1; // stack size
  while (sp > 0) {
    const children = kids[sp - 1];
    const i = next[sp - 1]++;
    if (i < children.length) {
      const c = children[i];
      if (c.visitMark !== mark) {
        c.visitMark = mark;
        const cc = c.children;
        if (cc.length === 0) topo[n++] = c; // a leaf: visited and done
        else {
          stack[sp] = c;
          kids[sp] = cc;
          next[sp++] = 0;
        }
      }
    } else topo[n++] = stack[--sp];
  }
  return n;
}
