import assert from "node:assert/strict";
import { entropy, meanLargestWeight, movingAverage } from "./stats.ts";

Deno.test("movingAverage: trailing windows, shorter at the start (values by hand)", () => {
  // windows of 2: [1], [1, 3], [3, 5], [5, 7], [7, 9]
  assert.deepEqual(movingAverage([1, 3, 5, 7, 9], 2), [1, 2, 4, 6, 8]);
  // windows of 3: [10], [10, 20], [10, 20, 60], [20, 60, 10]
  assert.deepEqual(movingAverage([10, 20, 60, 10], 3), [10, 15, 30, 30]);
});

Deno.test("movingAverage: on 0, 1, 2, … the mean of a full window of w is i − (w − 1) / 2", () => {
  const w = 4;
  const xs = Array.from({ length: 20 }, (_, i) => i);
  // a window [0 … i] (i < w − 1) has mean i / 2; a full window [i − 3 … i] has mean i − 1.5
  const expected = xs.map((i) => (i < w - 1 ? i / 2 : i - (w - 1) / 2));
  assert.deepEqual(movingAverage(xs, w), expected);
});

Deno.test("movingAverage: window 1 copies, a window longer than xs gives running means, [] gives []", () => {
  const xs = [3, 1, 4, 1, 5];
  const copy = movingAverage(xs, 1);
  assert.deepEqual(copy, xs);
  assert.notEqual(copy, xs, "a new array");
  assert.deepEqual(movingAverage([4, 8, 6], 10), [4, 6, 6]);
  assert.deepEqual(movingAverage([], 5), []);
  assert.deepEqual(xs, [3, 1, 4, 1, 5], "the input is not changed");
});

Deno.test("movingAverage: a NaN spoils only the windows that contain it", () => {
  const out = movingAverage([1, NaN, 3, 5, 7], 2);
  assert.equal(out[0], 1);
  assert.ok(Number.isNaN(out[1]) && Number.isNaN(out[2]));
  assert.deepEqual(out.slice(3), [4, 6]);
});

Deno.test("movingAverage: bad window or xs are errors naming the parameter", () => {
  for (const w of [0, -1, 2.5, NaN, Infinity]) {
    assert.throws(() => movingAverage([1, 2], w), {
      name: "RangeError",
      message: /window must be (an integer ≥ 1|a finite number)/,
    });
  }
  assert.throws(() => movingAverage([1, 2], "3" as unknown as number), {
    name: "TypeError",
    message: /window/,
  });
  assert.throws(() => movingAverage("12" as unknown as number[], 1), {
    name: "TypeError",
    message: /xs must/,
  });
  assert.throws(() => movingAverage([1, "2"] as unknown as number[], 1), {
    name: "TypeError",
    message: /xs\[1\] must be a number/,
  });
});

Deno.test("entropy: certain outcomes have entropy 0 (not −0)", () => {
  assert.ok(Object.is(entropy([1]), 0));
  assert.ok(Object.is(entropy([0, 1, 0]), 0));
});

Deno.test("entropy: in nats, values by hand", () => {
  const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-14, `${a} vs ${b}`);
  close(entropy([0.5, 0.5]), Math.LN2); // a fair coin: ln 2 nats = 1 bit
  // ½·ln 2 + ¼·ln 4 + ¼·ln 4 = ½·ln 2 + ½·ln 2 + ½·ln 2 = 1.5·ln 2
  close(entropy([0.5, 0.25, 0.25]), 1.5 * Math.LN2);
  close(entropy([0.5, 0.25, 0.25]) / Math.LN2, 1.5); // the same in bits
  // −(0.9·ln 0.9 + 0.1·ln 0.1) = 0.0948244640920434… + 0.2302585092994045… (computed in Python)
  close(entropy([0.9, 0.1]), 0.3250829733914482);
  const uniform = Array.from({ length: 27 }, () => 1 / 27);
  close(entropy(uniform), Math.log(27)); // 27 equal choices: ln 27
});

Deno.test("entropy: zero probabilities change nothing", () => {
  assert.equal(entropy([0.5, 0, 0.5, 0]), entropy([0.5, 0.5]));
  assert.equal(entropy([0, 0.25, 0.25, 0.5]), entropy([0.25, 0.25, 0.5]));
});

Deno.test("entropy: a sum off by rounding passes; anything else that is not a distribution is an error", () => {
  assert.ok(Math.abs(entropy([0.1, 0.2, 0.7 + 1e-12]) - entropy([0.1, 0.2, 0.7])) < 1e-10);
  assert.throws(() => entropy([]), { name: "RangeError", message: /p must not be empty/ });
  assert.throws(() => entropy([0.5, -0.1, 0.6]), { name: "RangeError", message: /p\[1\] must be a finite/ });
  assert.throws(() => entropy([NaN, 1]), { name: "RangeError", message: /p\[0\]/ });
  assert.throws(() => entropy([Infinity]), { name: "RangeError", message: /p\[0\]/ });
  assert.throws(() => entropy([0.5, 0.4]), { name: "RangeError", message: /sum to 1.*0\.9/ });
  assert.throws(() => entropy([2, 3]), { name: "RangeError", message: /sum to 1/ });
  assert.throws(() => entropy("abc" as unknown as number[]), {
    name: "TypeError",
    message: /p must be an array/,
  });
  assert.throws(() => entropy([0.5, "0.5"] as unknown as number[]), {
    name: "TypeError",
    message: /p\[1\] must be a number/,
  });
});

Deno.test("meanLargestWeight: one-hot rows give 1, uniform rows 1/n, a mix the mean of the maxima", () => {
  assert.equal(meanLargestWeight([[0, 1, 0], [1]]), 1);
  assert.equal(meanLargestWeight([[0.2, 0.2, 0.2, 0.2, 0.2]]), 0.2);
  assert.equal(meanLargestWeight([[0.6, 0.4], [0.1, 0.3, 0.6], [0.5, 0.5]]), (0.6 + 0.6 + 0.5) / 3);
});

Deno.test("meanLargestWeight: no rows, an empty row or a non-finite weight is a RangeError naming it", () => {
  assert.throws(() => meanLargestWeight([]), /rows must not be empty/);
  assert.throws(() => meanLargestWeight([[1], []]), /rows\[1\] must not be empty/);
  assert.throws(() => meanLargestWeight([[0.5, NaN]]), /rows\[0\]\[1\] must be a finite number, got NaN/);
});
