import assert from "node:assert/strict";
import { CHECK_PARTS, checkPart } from "./check_part.ts";
import { gpt, type KVCache, type ValueStateDict } from "./gpt.ts";
import type { AdamStep } from "./model.ts";
import { attentionHead, linear, mlp, softmax } from "./nn.ts";
import { probsFromLogits } from "./sample.ts";
import { Value } from "./value.ts";
import { DISPLAY } from "./plot/display.ts";

// ---- learner-style implementations, written over the engine's own Value operations ----

function myRmsnorm(x: Value[], scaleBy = 1, epsInside = true): Value[] {
  let ss = x[0].mul(x[0]);
  for (let i = 1; i < x.length; i++) ss = ss.add(x[i].mul(x[i]));
  const ms = ss.mul(1 / x.length);
  const scale = epsInside ? ms.add(1e-5).pow(-0.5) : ms.pow(0.5).add(1e-5).pow(-1);
  return x.map((xi) => xi.mul(scale).mul(scaleBy));
}

function mySoftmax(logits: Value[], divideBy = 1, subtractMax = true): Value[] {
  const scaled = divideBy === 1 ? logits : logits.map((l) => l.mul(1 / divideBy));
  const max = subtractMax ? Math.max(...scaled.map((l) => l.data)) : 0;
  const exps = scaled.map((l) => l.sub(max).exp());
  let total = exps[0];
  for (let i = 1; i < exps.length; i++) total = total.add(exps[i]);
  return exps.map((e) => e.div(total));
}

function myHead(
  q: readonly Value[],
  keys: readonly (readonly Value[])[],
  values: readonly (readonly Value[])[],
  opts = { scale: true, dropSelf: false },
) {
  const seen = opts.dropSelf ? keys.length - 1 : keys.length; // dropSelf: the mask off by one
  const scores: Value[] = [];
  for (let t = 0; t < seen; t++) {
    let dot = q[0].mul(keys[t][0]);
    for (let j = 1; j < q.length; j++) dot = dot.add(q[j].mul(keys[t][j]));
    scores.push(opts.scale ? dot.mul(1 / Math.sqrt(q.length)) : dot);
  }
  const w = softmax(scores);
  return q.map((_, j) => {
    let o = w[0].mul(values[0][j]);
    for (let t = 1; t < seen; t++) o = o.add(w[t].mul(values[t][j]));
    return o;
  });
}

function adamWith(opts: { tOffset: number; zero: boolean }) {
  return (params: Value[], m: number[], v: number[], o: AdamStep) => {
    for (let i = 0; i < params.length; i++) {
      const p = params[i];
      m[i] = o.beta1 * m[i] + (1 - o.beta1) * p.grad;
      v[i] = o.beta2 * v[i] + (1 - o.beta2) * p.grad ** 2;
      const mHat = m[i] / (1 - o.beta1 ** (o.t + opts.tOffset));
      const vHat = v[i] / (1 - o.beta2 ** (o.t + opts.tOffset));
      p.data -= o.lr * mHat / (vHat ** 0.5 + o.eps);
      if (opts.zero) p.grad = 0;
    }
  };
}

/** A micrograd-style Value class as a learner writes it; `overwrite` uses `=` instead of `+=` in backward. */
function learnerValue(overwrite: boolean) {
  class V {
    grad = 0;
    constructor(public data: number, public children: V[] = [], public locals: number[] = []) {}
    static of(x: V | number): V {
      return x instanceof V ? x : new V(x);
    }
    add(o: V | number): V {
      const b = V.of(o);
      return new V(this.data + b.data, [this, b], [1, 1]);
    }
    mul(o: V | number): V {
      const b = V.of(o);
      return new V(this.data * b.data, [this, b], [b.data, this.data]);
    }
    pow(n: number): V {
      return new V(this.data ** n, [this], [n * this.data ** (n - 1)]);
    }
    neg(): V {
      return this.mul(-1);
    }
    sub(o: V | number): V {
      return this.add(V.of(o).neg());
    }
    div(o: V | number): V {
      return this.mul(V.of(o).pow(-1));
    }
    exp(): V {
      return new V(Math.exp(this.data), [this], [Math.exp(this.data)]);
    }
    log(): V {
      return new V(Math.log(this.data), [this], [1 / this.data]);
    }
    relu(): V {
      return new V(Math.max(0, this.data), [this], [this.data > 0 ? 1 : 0]);
    }
    backward(): void {
      const topo: V[] = [];
      const seen = new Set<V>();
      const build = (v: V) => {
        if (seen.has(v)) return;
        seen.add(v);
        v.children.forEach(build);
        topo.push(v);
      };
      build(this);
      this.grad = 1;
      for (const v of topo.reverse()) {
        v.children.forEach((c, i) => {
          if (overwrite) c.grad = v.locals[i] * v.grad;
          else c.grad += v.locals[i] * v.grad;
        });
      }
    }
  }
  return V;
}

// ---- the "done when" ----

Deno.test("checkPart: a faithful rmsnorm and softmax pass, bit-identical", () => {
  for (
    const [part, f] of [["rmsnorm", (x: Value[]) => myRmsnorm(x)], ["softmax", (l: Value[]) => mySoftmax(l)]]
  ) {
    const r = checkPart(part as string, f);
    assert.equal(r.ok, true, r.report);
    assert.match(r.report, /^✓ your \w+ matches the reference: 3 training steps.*bit-identical$/);
    assert.doesNotMatch(String(r), /✗/);
  }
});

Deno.test("checkPart: rmsnorm scaled by 1.001 fails, naming the part and the step", () => {
  const r = checkPart("rmsnorm", (x: Value[]) => myRmsnorm(x, 1.001));
  assert.equal(r.ok, false);
  assert.match(
    r.report,
    /^✗ your rmsnorm leaves the reference at step 0, position 0: embedding_normed\[0\] is /,
  );
  assert.equal(r.parting?.quantity, "forward value");
  const { expected, actual } = r.parting!;
  assert.ok(Math.abs((actual as number) / (expected as number) - 1.001) < 1e-12);
  assert.equal(r.hint, undefined); // no usual mistake fits a factor of 1.001
});

Deno.test("checkPart: softmax dividing the logits by 1.01 fails, naming the part and the step", () => {
  const r = checkPart("softmax", (l: Value[]) => mySoftmax(l, 1.01));
  assert.equal(r.ok, false);
  assert.match(r.report, /^✗ your softmax leaves the reference at step 0, layer 0, head \d, position 1/);
  assert.doesNotMatch(r.report, /✓/);
});

Deno.test("checkPart: numbers that differ only in the last bits pass as 'within 1e-12', never silently", () => {
  const softmaxT = (l: number[], T: number) => { // l / T instead of the engine's l · T^−1: last-bit differences
    const scaled = l.map((x) => x / T);
    const max = Math.max(...scaled);
    const e = scaled.map((x) => Math.exp(x - max));
    const total = e.reduce((a, b) => a + b, 0);
    return e.map((x) => x / total);
  };
  const r = checkPart("sample", softmaxT);
  assert.equal(r.ok, true, r.report);
  assert.match(r.report, /within 1e-12 \(largest \|Δ\| \d\.\de-1\d\)$/);
});

// ---- every usual mistake is caught, with its hint ----

Deno.test("checkPart hint: ε outside the square root in rmsnorm", () => {
  const r = checkPart("rmsnorm", (x: Value[]) => myRmsnorm(x, 1, false));
  assert.equal(r.ok, false);
  assert.match(r.report, /hint: is ε inside the square root/);
});

Deno.test("checkPart hint: no max subtraction in softmax (caught on large logits)", () => {
  const r = checkPart("softmax", (l: Value[]) => mySoftmax(l, 1, false));
  assert.equal(r.ok, false);
  assert.equal(r.parting?.quantity, "probe");
  assert.match(r.report, /softmax\(\[1000, 999, 998\]\).*\n {2}hint: subtract the largest logit/);
});

Deno.test("checkPart hint: no √dₖ in the attention head", () => {
  const r = checkPart(
    "head",
    (q: Value[], k: Value[][], v: Value[][]) => myHead(q, k, v, { scale: false, dropSelf: false }),
  );
  assert.equal(r.ok, false);
  assert.match(r.report, /layer 0, head \d, position 1.*\n {2}hint: are the scores divided by √dₖ/);
});

Deno.test("checkPart hint: the causal mask off by one (a position not attending to itself)", () => {
  const r = checkPart(
    "head",
    (q: Value[], k: Value[][], v: Value[][]) => myHead(q, k, v, { scale: true, dropSelf: true }),
  );
  assert.equal(r.ok, false);
  assert.match(r.report, /position 0/);
  assert.match(r.report, /hint: is the mask off by one/);
});

Deno.test("checkPart hint: Adam's bias correction with t instead of t + 1", () => {
  const r = checkPart("adam", adamWith({ tOffset: 0, zero: true }));
  assert.equal(r.ok, false);
  assert.equal(r.parting?.quantity, "updated parameter");
  assert.match(
    r.report,
    /at step 0:.*\n {2}hint: bias correction: with t counted from 0, divide by 1 − β\^\(t\+1\)/,
  );
  const late = checkPart("adam", adamWith({ tOffset: 2, zero: true })); // t + 2: off by one the other way
  assert.match(late.report, /hint: bias correction/);
});

Deno.test("checkPart hint: gradients not zeroed after the Adam update", () => {
  const r = checkPart("adam", adamWith({ tOffset: 1, zero: false }));
  assert.equal(r.ok, false);
  assert.equal(r.parting?.quantity, "gradient");
  assert.match(r.report, /hint: gradients not zeroed/);
  assert.equal(checkPart("adam", adamWith({ tOffset: 1, zero: true })).ok, true);
});

Deno.test("checkPart hint: `=` instead of `+=` in a learner's backward", () => {
  const good = checkPart("value", learnerValue(false));
  assert.equal(good.ok, true, good.report);
  const r = checkPart("value", learnerValue(true));
  assert.equal(r.ok, false);
  assert.equal(r.parting?.quantity, "gradient");
  assert.match(r.report, /hint: `=` instead of `\+=` in backward/);
});

Deno.test("checkPart hint: temperature applied after the softmax in the sampler", () => {
  assert.equal(checkPart("sample", (l: number[], T: number) => probsFromLogits(l, T)).ok, true);
  const r = checkPart("sample", (l: number[], T: number) => probsFromLogits(l, 1).map((p) => p / T));
  assert.equal(r.ok, false);
  assert.match(r.report, /draw 0.*\n {2}hint: is the temperature applied after the softmax/);
});

Deno.test("checkPart hint: a sampler without the max subtraction (caught on large logits)", () => {
  const noMax = (l: number[], T: number) => {
    const e = l.map((x) => Math.exp(x / T));
    return e.map((x) => x / e.reduce((a, b) => a + b));
  };
  const r = checkPart("sample", noMax);
  assert.equal(r.parting?.quantity, "probe");
  assert.match(r.report, /probs\(\[1000, 999, 998\], T = 1\).*\n {2}hint: subtract the largest logit/);
});

Deno.test("checkPart hint: an MLP without its ReLU", () => {
  const r = checkPart("mlp", (x: Value[], fc1: Value[][], fc2: Value[][]) => linear(linear(x, fc1), fc2));
  assert.equal(r.ok, false);
  assert.match(r.report, /layer 0, position 0: mlp_out\[0\].*\n {2}hint: is the ReLU between/);
});

// ---- the other parts pass with the engine's own functions, and a whole gpt is checked ----

Deno.test("checkPart: the engine's own linear, head, mlp and gpt pass", () => {
  const own: [string, unknown][] = [
    ["linear", (x: Value[], w: Value[][]) => linear(x, w)],
    ["head", (q: Value[], k: Value[][], v: Value[][]) => attentionHead(q, k, v)],
    ["mlp", (x: Value[], a: Value[][], b: Value[][]) => mlp(x, a, b)],
    ["gpt", (t: number, p: number, kv: KVCache, sd: ValueStateDict) => gpt(t, p, kv, sd)],
    ["value", Value],
  ];
  for (const [part, f] of own) {
    const r = checkPart(part, f, { steps: 2 });
    assert.equal(r.ok, true, `${part}: ${r.report}`);
  }
});

Deno.test("checkPart: a whole gpt with an unscaled head fails at its logits, with the hint", () => {
  const wrong = (t: number, p: number, kv: KVCache, sd: ValueStateDict) =>
    gpt(t, p, kv, sd, { parts: { head: (q, k, v) => myHead(q, k, v, { scale: false, dropSelf: false }) } });
  const r = checkPart("gpt", wrong);
  assert.equal(r.ok, false);
  assert.match(r.report, /step 0, position 1: logits\[\d+\] is/);
  assert.match(r.report, /hint: are the scores divided by √dₖ/);
});

// ---- bad input ----

Deno.test("checkPart: an unknown part is a RangeError listing the known ones", () => {
  assert.throws(
    () => checkPart("rmsnrom", myRmsnorm),
    (e: Error) => e instanceof RangeError && e.message.includes(Object.keys(CHECK_PARTS).join(", ")),
  );
  assert.throws(() => checkPart("toString", myRmsnorm), RangeError);
});

Deno.test("checkPart: a non-function or a function of the wrong arity is a TypeError naming the signature", () => {
  assert.throws(() => checkPart("rmsnorm", 42), /must be a function: rmsnorm\(x: Value\[\]\)/);
  assert.throws(() => checkPart("linear", (x: Value[]) => x), /takes 1 parameter; the engine's takes 2/);
  assert.throws(() => checkPart("value", class {}), /has no add, mul/);
  assert.throws(() => checkPart("rmsnorm", myRmsnorm, { steps: 0 }), RangeError);
});

Deno.test("checkPart: a wrong shape, a throw or NaN makes a failing report that names the problem", () => {
  const short = checkPart("rmsnorm", (x: Value[]) => x.slice(1));
  assert.equal(short.ok, false);
  assert.match(short.report, /your rmsnorm returned 15 values; its input has 16/);
  const todo = checkPart("rmsnorm", (_x: Value[]): Value[] => {
    throw new Error("TODO");
  });
  assert.match(todo.report, /^✗ .*your rmsnorm threw Error: TODO/);
  const nan = checkPart("softmax", (l: Value[]) => l.map((x) => x.mul(NaN)));
  assert.match(nan.report, /^✗ .* is NaN, expected/);
  assert.equal(nan.hint, undefined); // NaN everywhere is not the missing max subtraction
  const numbers = checkPart("rmsnorm", (x: Value[]) => x.map((v) => v.data) as unknown as Value[]);
  assert.match(numbers.report, /returned number at index 0, not a Value/);
  const nans = checkPart("sample", (l: number[], _T: number) => l.map(() => NaN));
  assert.match(
    nans.report,
    /^✗ your sampler leaves the reference at draw 0: the probability of token 0 is NaN/,
  );
  assert.equal(nans.hint, undefined); // NaN everywhere is not the missing max subtraction
  const sampler = checkPart("sample", (l: number[], _T: number) => l.slice(1));
  assert.match(sampler.report, /^✗ .*it must return 27 numbers/);
});

Deno.test("checkPart: the report displays as text and HTML with the table of steps", () => {
  const r = checkPart("rmsnorm", (x: Value[]) => myRmsnorm(x, 1.001), { steps: 2 });
  const bundle = r[DISPLAY]() as Record<string, string>;
  assert.match(bundle["text/html"], /<table>.*max \|Δ\| forward/s);
  assert.match(bundle["text/plain"], /where the numbers part/);
});
