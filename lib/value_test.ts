import assert from "node:assert/strict";
import { recycleNodes } from "./recycle.ts";
import { buildTopo, Value, zeroGrad } from "./value.ts";

Deno.test("the lesson's worked example: a=2, b=3, L=(a·b)² gives p=6, L=36, dL/dp=12, dL/da=36, dL/db=24", () => {
  const a = new Value(2, { label: "a" });
  const b = new Value(3, { label: "b" });
  const p = a.mul(b);
  const L = p.pow(2);
  L.backward();
  assert.equal(p.data, 6);
  assert.equal(L.data, 36);
  assert.equal(L.grad, 1);
  assert.equal(p.grad, 12);
  assert.equal(a.grad, 36);
  assert.equal(b.grad, 24);
});

Deno.test("a value used twice accumulates its gradient (+=), and backward twice adds up", () => {
  const a = new Value(3);
  const y = a.add(a); // dy/da = 2
  y.backward();
  assert.equal(a.grad, 2);
  const z = a.mul(a).add(a.mul(4)); // dz/da = 2a + 4 = 10, added to the 2 already there
  z.backward();
  assert.equal(a.grad, 12);
  zeroGrad([a]);
  assert.equal(a.grad, 0);
});

/** Central finite difference of f at x. */
function numericGrad(f: (x: number) => number, x: number, h = 1e-6): number {
  return (f(x + h) - f(x - h)) / (2 * h);
}

Deno.test("every op's gradient matches central finite differences (Value and number operands)", () => {
  type Op = [string, (a: Value, b: Value) => Value, (a: number, b: number) => number];
  const ops: Op[] = [
    ["add", (a, b) => a.add(b), (a, b) => a + b],
    ["sub", (a, b) => a.sub(b), (a, b) => a - b],
    ["mul", (a, b) => a.mul(b), (a, b) => a * b],
    ["div", (a, b) => a.div(b), (a, b) => a / b],
    ["pow(3)·b", (a, b) => a.pow(3).mul(b), (a, b) => a ** 3 * b],
    ["pow(-0.5)+b", (a, b) => a.pow(-0.5).add(b), (a, b) => a ** -0.5 + b],
    ["neg·b", (a, b) => a.neg().mul(b), (a, b) => -a * b],
    ["log·b", (a, b) => a.log().mul(b), (a, b) => Math.log(a) * b],
    ["exp·b", (a, b) => a.exp().mul(b), (a, b) => Math.exp(a) * b],
    ["relu·b (+)", (a, b) => a.relu().mul(b), (a, b) => Math.max(0, a) * b],
    ["relu·b (−)", (a, b) => a.neg().relu().mul(b), (a, b) => Math.max(0, -a) * b],
  ];
  for (const [name, f, g] of ops) {
    for (const [x, y] of [[1.7, 0.6], [0.3, -2.2]]) {
      if (name.startsWith("relu·b (−)") && x < 0.5) continue;
      const a = new Value(x);
      const b = new Value(y);
      const out = f(a, b);
      assert.equal(out.data, g(x, y), `${name} forward`);
      out.backward();
      const da = numericGrad((t) => g(t, y), x);
      const db = numericGrad((t) => g(x, t), y);
      assert.ok(Math.abs(a.grad - da) < 1e-6 * Math.max(1, Math.abs(da)), `${name}: d/da ${a.grad} vs ${da}`);
      assert.ok(Math.abs(b.grad - db) < 1e-6 * Math.max(1, Math.abs(db)), `${name}: d/db ${b.grad} vs ${db}`);
    }
  }
  // number operands: the constant gets no node, the Value still gets its gradient
  const a = new Value(1.5);
  const out = a.add(2).sub(0.5).mul(3).div(4); // ((a + 2 − 0.5)·3)/4, d/da = 0.75
  out.backward();
  assert.equal(out.data, 2.25);
  assert.equal(a.grad, 0.75);
  assert.equal(buildTopo(out).length, 5); // a and four ops, no constant leaves
});

Deno.test("ops use microgpt.py's float operations: sub = a + (−1·b), div = a · b^−1", () => {
  const a = new Value(0.1);
  const b = new Value(0.3);
  assert.equal(a.sub(b).data, 0.1 + -1 * 0.3);
  assert.equal(a.div(b).data, 0.1 * Math.pow(0.3, -1));
  assert.equal(a.div(3).data, 0.1 * Math.pow(3, -1));
  assert.deepEqual(a.sub(b).children.map((c) => c.op), ["", "*"]);
  assert.deepEqual(a.div(b).children.map((c) => c.op), ["", "**"]);
  assert.deepEqual(a.mul(b).localGrads, [0.3, 0.1]);
  assert.deepEqual(a.pow(-1).localGrads, [-1 * Math.pow(0.1, -2)]);
});

/** The recursive build_topo of microgpt.py, as the reference for the iterative one. */
function recursiveTopo(root: Value): Value[] {
  const topo: Value[] = [];
  const visited = new Set<Value>();
  const visit = (v: Value) => {
    if (visited.has(v)) return;
    visited.add(v);
    for (const c of v.children) visit(c);
    topo.push(v);
  };
  visit(root);
  return topo;
}

Deno.test("buildTopo gives exactly the order of the recursive depth-first search", () => {
  // a random DAG with shared nodes and repeated children
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const nodes = Array.from({ length: 8 }, (_, i) => new Value(i + 1, { label: `x${i}` }));
  for (let i = 0; i < 300; i++) {
    const a = nodes[Math.floor(rand() * nodes.length)];
    const b = nodes[Math.floor(rand() * nodes.length)];
    const r = rand();
    nodes.push(r < 0.4 ? a.add(b) : r < 0.8 ? a.mul(b) : r < 0.9 ? a.relu() : a.exp().log());
  }
  let root = nodes[nodes.length - 1];
  for (let i = nodes.length - 2; i > nodes.length - 40; i--) root = root.add(nodes[i]);
  assert.deepEqual(buildTopo(root), recursiveTopo(root));
  const leaf = new Value(1);
  assert.deepEqual(buildTopo(leaf), [leaf]);
});

Deno.test("a 100,000-node chain neither overflows the stack in buildTopo nor in backward", () => {
  const x = new Value(1);
  let y = x;
  for (let i = 0; i < 100_000; i++) y = y.mul(1).add(0); // 200,000 nodes deep
  assert.equal(buildTopo(y).length, 200_001);
  y.backward();
  assert.equal(x.grad, 1);
});

Deno.test("a custom op with more than two children backpropagates through its local gradients", () => {
  const xs = [1, 2, 3].map((d) => new Value(d));
  const s = new Value(6, { children: xs, localGrads: [1, 2, 3], op: "custom" });
  s.mul(2).backward();
  assert.deepEqual(xs.map((x) => x.grad), [2, 4, 6]);
  assert.deepEqual(s.children, xs);
  assert.deepEqual(buildTopo(s).map((v) => v.data), [1, 2, 3, 6]);
});

Deno.test("recycleNodes reuses the interior nodes of the previous call and computes the same numbers", () => {
  const w = [0.3, -1.2, 0.8].map((d) => new Value(d));
  const f = () => w[0].mul(w[1]).add(w[2].exp()).pow(2).log();
  const plain = f();
  plain.backward();
  const grads = w.map((v) => v.grad);
  const kept = { data: plain.data, children: [...plain.children], localGrads: [...plain.localGrads] };
  zeroGrad(w);
  const roots: Value[] = [];
  for (let round = 0; round < 3; round++) {
    const data = recycleNodes(() => {
      const out = f();
      roots.push(out);
      out.backward();
      return out.data;
    });
    assert.equal(data, plain.data);
    assert.deepEqual(w.map((v) => v.grad), grads);
    zeroGrad(w);
  }
  assert.equal(roots[0], roots[2], "the third round reused the first round's node objects");
  assert.notEqual(f(), plain, "outside recycleNodes every node is new");
  // a graph made outside is never touched by recycling
  assert.deepEqual({ data: plain.data, children: plain.children, localGrads: plain.localGrads }, kept);
  assert.equal(plain.grad, 1);
});

Deno.test("bad operands are TypeErrors naming what was given", () => {
  assert.throws(() => new Value("2" as unknown as number), /Value data must be a number, got string/);
  assert.throws(() => new Value(1).add("1" as unknown as number), /operand must be a Value or a number/);
  assert.throws(() => new Value(1).pow(new Value(2) as unknown as number), /exponent must be a number/);
  assert.throws(
    () => new Value(1, { children: [new Value(1)], localGrads: [] }),
    /children \(1\) and localGrads \(0\)/,
  );
});

Deno.test("a Value shows its data and grad", () => {
  const a = new Value(2, { label: "a" });
  a.mul(3).backward();
  assert.equal(a.toString(), "Value(a: data=2, grad=3)");
  assert.deepEqual(displayOf(a), { "text/plain": "Value(a: data=2, grad=3)" });
  assert.match(a.mul(3).toString(), /op=\*/);
});

function displayOf(x: unknown): unknown {
  return (x as Record<symbol, () => unknown>)[Symbol.for("Jupyter.display")]();
}

Deno.test("backward(onVisit): each operation node once, from the root down, after it passed its gradient on", () => {
  const a = new Value(2, { label: "a" }), b = new Value(3, { label: "b" });
  const p = a.mul(b);
  const L = p.pow(2);
  const seen: { node: Value; grads: number[] }[] = [];
  L.backward((node) => seen.push({ node, grads: [L.grad, p.grad, a.grad, b.grad] }));
  assert.deepEqual(seen.map((s) => s.node), [L, p]); // a and b are leaves
  assert.deepEqual(seen[0].grads, [1, 12, 0, 0]); // L has sent 2p · 1 = 12 to p
  assert.deepEqual(seen[1].grads, [1, 12, 36, 24]); // p has sent 12·b to a and 12·a to b
});

Deno.test("backward: a backward started inside onVisit keeps the outer one's order intact", () => {
  const a = new Value(2), b = new Value(5);
  const y = a.mul(a).mul(a); // y = a³: two operation nodes
  y.backward(() => b.mul(3).add(1).backward()); // an inner backward (of a new graph) per operation node of y
  assert.equal(a.grad, 12); // 3a²
  assert.equal(b.grad, 6); // 3, twice
});
