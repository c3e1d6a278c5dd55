import assert from "node:assert/strict";
import { graph, type GraphNode } from "./graph.ts";
import { Value } from "../value.ts";

const DISPLAY = Symbol.for("Jupyter.display");

function leaf(data: number, label: string): GraphNode {
  return { data, grad: 0, children: [], op: "", label };
}

Deno.test("graph: its DOT has value boxes with data and grad, one op node between inputs and result", async () => {
  const a = leaf(2, "a"), b = leaf(-3, "b");
  const c: GraphNode = { data: -6, grad: 0, children: [a, b], op: "*", label: "c" };
  const { dot } = await graph(c, { title: 'c = a "times" b' });
  assert.match(dot, /^digraph G \{/);
  assert.match(dot, /label="c = a \\"times\\" b"/, "title quoted for DOT");
  assert.match(dot, /v0 \[shape=plaintext, label=<.*<B>c<\/B>.*data -6\.0000.*grad 0\.0000.*>\];/);
  assert.match(dot, /v0_op \[shape=ellipse.*label="\*"\];/);
  assert.match(dot, /v0_op -> v0;/);
  const edges = dot.split("\n").filter((l) => l.includes("-> v0_op"));
  assert.equal(edges.length, 2, "both inputs feed the op");
  assert.equal((dot.match(/shape=plaintext/g) ?? []).length, 3, "three values");
});

Deno.test("graph: a shared input appears once; labels are escaped for HTML-like labels", async () => {
  const x = leaf(3, "x<1>&");
  const y: GraphNode = { data: 9, grad: 0, children: [x, x], op: "*", label: "y" };
  const { dot } = await graph(y);
  assert.equal((dot.match(/shape=plaintext/g) ?? []).length, 2);
  assert.match(dot, /x&lt;1&gt;&amp;/);
});

Deno.test("graph: more than 500 values is a RangeError saying so (checked before walking it all)", async () => {
  let v: GraphNode = leaf(0, "x0");
  for (let i = 1; i < 2000; i++) v = { data: i, grad: 0, children: [v, leaf(1, "one")], op: "+" };
  await assert.rejects(
    () => graph(v),
    (e: unknown) => e instanceof RangeError && /more than 500 values/.test(e.message),
  );
});

Deno.test("graph: real Value before and after backward — grads appear in the SVG", async () => {
  const a = new Value(2, { label: "a" });
  const b = new Value(-3, { label: "b" });
  const c = a.mul(b);
  c.label = "c";
  const L = c.add(new Value(10, { label: "d" }));
  L.label = "L";
  const before = await graph(L, { title: "L = a*b + d" });
  const bundle = (before as unknown as Record<symbol, () => Record<string, string>>)[DISPLAY]();
  assert.ok(bundle["image/svg+xml"].startsWith("<svg"), "bare SVG element, no XML prolog");
  assert.ok(bundle["image/svg+xml"].includes("grad 0.0000"));
  assert.ok(!bundle["image/svg+xml"].includes("grad &#45;3.0000"), "no gradient before backward");
  assert.equal(bundle["text/plain"], 'graph "L = a*b + d": 5 values, 2 ops; root L data 4, grad 0');
  // text/html: the same SVG inline, shrinking to the output width but not growing past its natural size
  const natural = Number(bundle["image/svg+xml"].match(/^<svg width="([\d.]+)pt"/)![1]) * 4 / 3;
  const html = bundle["text/html"];
  assert.ok(html.startsWith('<div style="overflow-x:auto"><svg width="100%" style="max-width:'));
  assert.equal(Number(html.match(/max-width:(\d+)px/)![1]), Math.round(natural));
  assert.equal(Number(html.match(/min-width:(\d+)px/)![1]), Math.round(0.6 * natural));
  assert.ok(!/<svg[^>]*\sheight="/.test(html), "no fixed height: the viewBox keeps the aspect ratio");
  assert.ok(html.includes('viewBox="'));
  L.backward();
  const after = await graph(L);
  // dL/da = b = -3 (Graphviz writes the minus sign as &#45;), dL/db = a = 2, dL/dd = 1
  for (const g of ["grad &#45;3.0000", "grad 2.0000", "grad 1.0000"]) {
    assert.ok(after.svg.includes(g), `SVG shows ${g}`);
  }
  assert.match(String(after), /root L data 4, grad 1$/);
});
