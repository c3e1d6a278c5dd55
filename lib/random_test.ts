import assert from "node:assert/strict";
import { Random } from "./random.ts";

// Expected values recorded from CPython 3.11.7, e.g.
//   python3 -c 'import random; r = random.Random(42); print([r.random() for _ in range(5)])'

Deno.test("random() matches CPython for seed 42, 0, a big and a negative seed", () => {
  const cases: [number, number[]][] = [
    [42, [
      0.6394267984578837,
      0.025010755222666936,
      0.27502931836911926,
      0.22321073814882275,
      0.7364712141640124,
    ]],
    [0, [0.8444218515250481, 0.7579544029403025, 0.420571580830845]],
    [2 ** 40 + 5, [0.5043802970418443, 0.2686044399723282, 0.9257865475671585]],
    [-7, [0.32383276483316237, 0.15084917392450192, 0.6509344730398537]],
  ];
  for (const [seed, expected] of cases) {
    const rng = new Random(seed);
    assert.deepEqual(expected.map(() => rng.random()), expected, `seed ${seed}`);
  }
});

Deno.test("random() stays in step past the first twist (seed 7, draws 1001-1002)", () => {
  const rng = new Random(7);
  for (let i = 0; i < 1000; i++) rng.random();
  assert.deepEqual([rng.random(), rng.random()], [0.950867979111096, 0.13618571330500007]);
});

Deno.test("gauss(0, 0.08) matches CPython, including the cached second value", () => {
  const rng = new Random(42);
  const got = Array.from({ length: 5 }, () => rng.gauss(0, 0.08));
  assert.deepEqual(got, [
    -0.011527226366234268,
    -0.013832288026521545,
    -0.008905268925412997,
    0.05615869800790905,
    -0.010207062702630967,
  ]);
});

Deno.test("gauss over 2,000 draws: equal to CPython but for a last-bit rounding in glibc's libm (3 draws)", () => {
  // CPython's gauss calls glibc's log/cos/sin, which are accurate to ~0.52 ulp but not correctly rounded; V8's
  // Math.log/cos/sin gave the correctly rounded value at every input we checked against 200-bit arithmetic, so
  // a draw differs by a unit or two in the last place about once in 700 draws. The draws come from Python (see
  // made_by in the file); the three that differ are pinned so a change in either direction is noticed.
  const { gauss: cpython } = JSON.parse(
    Deno.readTextFileSync(new URL("./testdata/gauss_cpython.json", import.meta.url)),
  );
  const rng = new Random(42);
  const differ: number[] = [];
  cpython.forEach((want: number, i: number) => {
    const got = rng.gauss(0, 0.08);
    if (got === want) return;
    differ.push(i);
    const ulp = Number.EPSILON * 2 ** Math.floor(Math.log2(Math.abs(want)));
    // one ulp in cos/sin can become two after `* g2rad * sigma`
    assert.ok(
      Math.abs(got - want) <= 2 * ulp,
      `draw ${i}: ${got} vs CPython's ${want}: more than 2 ulp apart`,
    );
  });
  assert.equal(cpython.length, 2000);
  assert.deepEqual(differ, [547, 1384, 1847]);
});

Deno.test("gauss interleaved with random() uses the cache like CPython", () => {
  // r = random.Random(12345); [r.gauss(1,2), r.random(), r.gauss(1,2), r.gauss(1,2), r.random()]
  const rng = new Random(12345);
  const got = [rng.gauss(1, 2), rng.random(), rng.gauss(1, 2), rng.gauss(1, 2), rng.random()];
  assert.deepEqual(got, [
    0.7523984088222923,
    0.8252065092537432,
    1.1430499269513295,
    0.42311862881085227,
    0.19366134904507426,
  ]);
});

Deno.test("shuffle(range(20)) with seed 42 matches CPython", () => {
  // From CPython 3.11: random.seed(42); x = list(range(20)); random.shuffle(x). (../shared/REFERENCE.md lists a
  // different order for this check; CPython gives this one, and so does the reference training run we match.)
  const xs = Array.from({ length: 20 }, (_, i) => i);
  new Random(42).shuffle(xs);
  assert.deepEqual(xs, [19, 5, 14, 4, 9, 13, 15, 18, 6, 12, 17, 10, 1, 11, 2, 16, 7, 8, 0, 3]);
});

Deno.test("randbelow on small and big n (getrandbits of 1 to 53 bits) matches CPython's _randbelow", () => {
  const rng = new Random(42);
  const ns = [1, 2, 10, 2 ** 32, 2 ** 32 + 1, 1e15, 2 ** 53 - 1];
  assert.deepEqual(
    ns.map((n) => rng.randbelow(n)),
    [0, 0, 4, 1051802512, 2342331444, 475043098952809, 268388347865331],
  );
  assert.throws(() => rng.randbelow(0), /randbelow: n must be/);
  assert.throws(() => rng.randbelow(2.5), RangeError);
});

Deno.test("choices matches CPython's choices(range(4), weights=...)", () => {
  const rng = new Random(42);
  const got = Array.from({ length: 10 }, () => rng.choices([0.1, 0.2, 0.3, 0.4]));
  assert.deepEqual(got, [3, 0, 1, 1, 3, 3, 3, 0, 2, 0]);
});

Deno.test("choices never picks a zero-weight tail and rejects bad weights", () => {
  const rng = new Random(1);
  for (let i = 0; i < 200; i++) assert.notEqual(rng.choices([1, 1, 0]), 2);
  assert.throws(() => rng.choices([]), RangeError);
  assert.throws(() => rng.choices([0, 0]), /total of the weights/);
  assert.throws(() => rng.choices([1, Infinity]), RangeError);
});

Deno.test("a seed that is not a safe integer is a RangeError naming the seed; not a number, a TypeError", () => {
  assert.throws(() => new Random(1.5), {
    name: "RangeError",
    message: /seed must be a whole number .*got 1.5/,
  });
  assert.throws(() => new Random(Number.NaN), { name: "RangeError", message: /got NaN/ });
  assert.throws(() => new Random(2 ** 53), RangeError);
  assert.throws(() => new Random("42" as unknown as number), { name: "TypeError", message: /got string/ });
});
