import assert from "node:assert/strict";
import { inspectAttention, type InspectOptions } from "./inspect.ts";
import { type GPTConfig, gptConfig } from "./config.ts";
import type { Model, StateDict } from "./model.ts";
import { Random } from "./random.ts";
import { createScalarModel } from "./scalar_model.ts";
import { createModel } from "./engines.ts";
import { Tokenizer } from "./tokenizer.ts";

// A 5-letter alphabet "abcde" + BOS (id 5).
const tokenizer: InspectOptions["tokenizer"] = {
  bos: 5,
  chars: ["a", "b", "c", "d", "e"],
  encode(doc: string) {
    return [
      5,
      ...[...doc].map((c) => {
        const id = "abcde".indexOf(c);
        if (id < 0) throw new RangeError(`unknown character ${JSON.stringify(c)} in ${JSON.stringify(doc)}`);
        return id;
      }),
      5,
    ];
  },
};

function randomStateDict(config: GPTConfig, seed: number, std = 0.5): StateDict {
  const rng = new Random(seed);
  const m = (r: number, c: number) =>
    Array.from({ length: r }, () => Array.from({ length: c }, () => rng.gauss(0, std)));
  const { vocab_size: V, n_embd: E, block_size: B } = config;
  const sd: StateDict = { wte: m(V, E), wpe: m(B, E), lm_head: m(V, E) };
  for (let i = 0; i < config.n_layer; i++) {
    for (const w of ["attn_wq", "attn_wk", "attn_wv", "attn_wo"]) sd[`layer${i}.${w}`] = m(E, E);
    sd[`layer${i}.mlp_fc1`] = m(4 * E, E);
    sd[`layer${i}.mlp_fc2`] = m(E, 4 * E);
  }
  return sd;
}

const config = gptConfig({ vocab_size: 6, n_embd: 16, n_head: 4, n_layer: 2, block_size: 8 });
const model = (sd: StateDict, c = config) => ({ config: c, stateDict: () => sd });
const entropy = (p: number[]) => -p.reduce((acc, x) => acc + (x > 0 ? x * Math.log(x) : 0), 0);

Deno.test("shapes: T positions [BOS, …letters], head_dim = n_embd / n_head, one trace per layer and head", () => {
  const trace = inspectAttention(model(randomStateDict(config, 1)), { tokenizer, text: "abca" });
  assert.deepEqual(trace.tokens, [5, 0, 1, 2, 0]);
  assert.deepEqual(trace.labels, ["BOS", "a", "b", "c", "a"]);
  assert.equal(trace.head_dim, 4);
  assert.equal(trace.layers.length, 2);
  for (const heads of trace.layers) {
    assert.equal(heads.length, 4);
    for (const h of heads) {
      for (const m of [h.q, h.k, h.v]) assert.deepEqual(m.map((r) => r.length), [4, 4, 4, 4, 4]);
      for (const m of [h.scaled, h.weights]) {
        assert.deepEqual(m.map((r) => r.length), [5, 5, 5, 5, 5]);
      }
    }
  }
  assert.deepEqual(trace.logits.map((r) => r.length), [6, 6, 6, 6, 6]);
});

Deno.test("causal mask: future keys get weight exactly 0, rows sum to 1, BOS attends only to itself", () => {
  const trace = inspectAttention(model(randomStateDict(config, 2)), { tokenizer, text: "edcba" });
  for (const heads of trace.layers) {
    for (const { weights } of heads) {
      assert.deepEqual(weights[0], [1, 0, 0, 0, 0, 0]);
      weights.forEach((row, t) => {
        row.forEach((w, s) => (s > t ? assert.equal(w, 0) : assert.ok(w > 0)));
        assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-12);
      });
    }
  }
});

Deno.test("queries of zero give uniform attention: 1/(t+1) with the mask, 1/T without", () => {
  const sd = randomStateDict(config, 3);
  for (const name of ["layer0.attn_wq", "layer1.attn_wq"]) sd[name] = sd[name].map((r) => r.map(() => 0));
  const masked = inspectAttention(model(sd), { tokenizer, text: "abc" });
  const open = inspectAttention(model(sd), { tokenizer, text: "abc", mask: false });
  for (const l of [0, 1]) {
    for (const h of [0, 1, 2, 3]) {
      assert.deepEqual(masked.layers[l][h].weights, [
        [1, 0, 0, 0],
        [1 / 2, 1 / 2, 0, 0],
        [1 / 3, 1 / 3, 1 / 3, 0],
        [1 / 4, 1 / 4, 1 / 4, 1 / 4],
      ]);
      for (const row of open.layers[l][h].weights) for (const w of row) assert.equal(w, 1 / 4);
    }
  }
});

Deno.test("scaling divides the raw scores by √head_dim = 2; scale: false keeps them and sharpens every row", () => {
  const sd = randomStateDict(config, 4);
  const scaled = inspectAttention(model(sd), { tokenizer, text: "bead" });
  const raw = inspectAttention(model(sd), { tokenizer, text: "bead", scale: false });
  const h0 = raw.layers[0][2];
  const dot = (a: number[], b: number[]) => a.reduce((sum, x, j) => sum + x * b[j], 0);
  h0.scaled.forEach((row, t) =>
    row.forEach((s, u) => assert.ok(Math.abs(dot(h0.q[t], h0.k[u]) - s) < 1e-12))
  );
  // Layer 0 sees the same inputs either way, so the raw scores agree; only the softmax input differs.
  for (let h = 0; h < 4; h++) {
    const a = scaled.layers[0][h], b = raw.layers[0][h];
    b.scaled.forEach((row, t) => row.forEach((s, u) => assert.ok(Math.abs(a.scaled[t][u] * 2 - s) < 1e-12)));
    // softmax(β·s) has non-increasing entropy in β: unscaled (β = 1) is at least as sharp as β = 1/2.
    a.weights.forEach((row, t) => assert.ok(entropy(b.weights[t]) <= entropy(row) + 1e-12));
  }
});

Deno.test("without the mask later positions receive weight; position 0 no longer sees only itself", () => {
  const trace = inspectAttention(model(randomStateDict(config, 5)), {
    tokenizer,
    text: "abcde",
    mask: false,
  });
  for (const heads of trace.layers) {
    for (const { weights } of heads) {
      assert.ok(weights[0][0] < 1);
      for (const row of weights) for (const w of row) assert.ok(w > 0);
    }
  }
});

Deno.test("the masked forward equals a token-by-token forward with a KV cache (an independent loop)", () => {
  const c = gptConfig({ vocab_size: 6, n_embd: 8, n_head: 2, n_layer: 1, block_size: 8 });
  const sd = randomStateDict(c, 6);
  const trace = inspectAttention(model(sd, c), { tokenizer, text: "cab" });
  // The reference recipe written out plainly, one token at a time.
  const dot = (a: number[], b: number[]) => a.reduce((s, ai, i) => s + ai * b[i], 0);
  const lin = (x: number[], w: number[][]) => w.map((r) => dot(r, x));
  const norm = (x: number[]) => {
    const ms = x.reduce((s, xi) => s + xi * xi, 0) / x.length;
    return x.map((xi) => xi / Math.sqrt(ms + 1e-5));
  };
  const keys: number[][] = [], values: number[][] = [];
  trace.tokens.forEach((tok, pos) => {
    let x = norm(sd.wte[tok].map((e, i) => e + sd.wpe[pos][i]));
    const res = x;
    const xn = norm(x);
    const q = lin(xn, sd["layer0.attn_wq"]);
    keys.push(lin(xn, sd["layer0.attn_wk"]));
    values.push(lin(xn, sd["layer0.attn_wv"]));
    const cat: number[] = [];
    for (let h = 0; h < 2; h++) {
      const sl = (v: number[]) => v.slice(h * 4, h * 4 + 4);
      const logits = keys.map((k) => dot(sl(q), sl(k)) / 2);
      const mx = Math.max(...logits);
      const e = logits.map((l) => Math.exp(l - mx));
      const w = e.map((ei) => ei / e.reduce((a, b) => a + b, 0));
      for (let s = 0; s <= pos; s++) assert.ok(Math.abs(w[s] - trace.layers[0][h].weights[pos][s]) < 1e-12);
      for (let j = 0; j < 4; j++) cat.push(w.reduce((acc, ws, s) => acc + ws * sl(values[s])[j], 0));
    }
    x = lin(cat, sd["layer0.attn_wo"]).map((a, i) => a + res[i]);
    const hidden = lin(norm(x), sd["layer0.mlp_fc1"]).map((u) => Math.max(0, u));
    x = lin(hidden, sd["layer0.mlp_fc2"]).map((a, i) => a + x[i]);
    const logits = lin(x, sd.lm_head);
    logits.forEach((l, i) => assert.ok(Math.abs(l - trace.logits[pos][i]) < 1e-9, `pos ${pos} logit ${i}`));
  });
});

Deno.test("a name longer than block_size is cut to block_size positions", () => {
  const trace = inspectAttention(model(randomStateDict(config, 7)), { tokenizer, text: "abcdeabcdeab" });
  assert.equal(trace.tokens.length, 8);
  assert.equal(trace.labels.join(""), "BOSabcdeab");
});

Deno.test("bad input: non-string text → TypeError, wrong shapes → RangeError naming the matrix, unknown char", () => {
  const sd = randomStateDict(config, 8);
  assert.throws(
    () => inspectAttention(model(sd), { tokenizer, text: 42 as unknown as string }),
    (e) => e instanceof TypeError && /text/.test(e.message),
  );
  const bad = { ...sd, "layer1.attn_wk": sd["layer1.attn_wk"].slice(1) };
  assert.throws(
    () => inspectAttention(model(bad), { tokenizer, text: "ab" }),
    (e) => e instanceof RangeError && /layer1\.attn_wk/.test(e.message),
  );
  assert.throws(() => inspectAttention(model(sd), { tokenizer, text: "abz" }), RangeError);
});

/** The trace's logits equal the model's own forward (`begin()`, one token at a time) to 1e-12 at every position. */
function assertSameAsBegin(m: Model, trace: ReturnType<typeof inspectAttention>) {
  const next = m.begin();
  trace.tokens.forEach((t, pos) => {
    const logits = next(t);
    logits.forEach((l, i) => assert.ok(Math.abs(l - trace.logits[pos][i]) < 1e-12, `pos ${pos} logit ${i}`));
  });
}

Deno.test("with scaling and mask on, the logits equal the scalar engine's own forward (to 1e-12)", () => {
  const tok = Tokenizer.fromDocs(["abcdefghijklmnopqrstuvwxyz"]);
  const scalar = createScalarModel({
    config: { vocab_size: tok.vocab_size, n_layer: 2 },
    rng: new Random(42),
  });
  // Perturb the init so attention is not near-uniform.
  const sd = scalar.stateDict();
  for (const m of Object.values(sd)) for (const row of m) row.forEach((x, i) => (row[i] = x * 8));
  scalar.loadStateDict(sd);
  assertSameAsBegin(scalar, inspectAttention(scalar, { tokenizer: tok, text: "olivia" }));
});

Deno.test("works on the fast engine too: same logits as its begin() forward", () => {
  const tok = Tokenizer.fromDocs(["abcdefghijklmnopqrstuvwxyz"]);
  const fast = createModel({ config: { vocab_size: tok.vocab_size }, rng: new Random(7), engine: "fast" });
  assertSameAsBegin(fast, inspectAttention(fast, { tokenizer: tok, text: "sophia" }));
});

Deno.test("without the mask, 2 layers: the logits equal an all-positions-at-once forward (an independent loop)", () => {
  const c = gptConfig({ vocab_size: 6, n_embd: 8, n_head: 2, n_layer: 2, block_size: 8 });
  const sd = randomStateDict(c, 9);
  const trace = inspectAttention(model(sd, c), { tokenizer, text: "cabd", mask: false });
  const dot = (a: number[], b: number[]) => a.reduce((s, ai, i) => s + ai * b[i], 0);
  const lin = (x: number[], w: number[][]) => w.map((r) => dot(r, x));
  const norm = (x: number[]) => {
    const ms = x.reduce((s, xi) => s + xi * xi, 0) / x.length;
    return x.map((xi) => xi / Math.sqrt(ms + 1e-5));
  };
  let x = trace.tokens.map((tok, pos) => norm(sd.wte[tok].map((e, i) => e + sd.wpe[pos][i]))); // [T][8]
  for (let l = 0; l < 2; l++) {
    const w = (name: string) => sd[`layer${l}.${name}`];
    const xn = x.map(norm);
    const [q, k, v] = ["attn_wq", "attn_wk", "attn_wv"].map((name) => xn.map((r) => lin(r, w(name))));
    const cat = q.map((qt) => {
      const out: number[] = [];
      for (let h = 0; h < 2; h++) {
        const sl = (vec: number[]) => vec.slice(h * 4, h * 4 + 4);
        const logits = k.map((ks) => dot(sl(qt), sl(ks)) / 2); // every position: no mask
        const mx = Math.max(...logits);
        const e = logits.map((z) => Math.exp(z - mx));
        const wts = e.map((ei) => ei / e.reduce((a, b) => a + b, 0));
        for (let j = 0; j < 4; j++) out.push(wts.reduce((acc, ws, s) => acc + ws * sl(v[s])[j], 0));
      }
      return out;
    });
    x = cat.map((cv, t) => lin(cv, w("attn_wo")).map((a, i) => a + x[t][i]));
    x = x.map((r) =>
      lin(lin(norm(r), w("mlp_fc1")).map((u) => Math.max(0, u)), w("mlp_fc2")).map((a, i) => a + r[i])
    );
  }
  x.forEach((r, t) =>
    lin(r, sd.lm_head).forEach((z, i) =>
      assert.ok(Math.abs(z - trace.logits[t][i]) < 1e-9, `pos ${t} logit ${i}`)
    )
  );
});
