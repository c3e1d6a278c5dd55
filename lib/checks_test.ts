import assert from "node:assert/strict";
import { checkBatch, checkPos, checkSequence, checkToken, checkTokenizer } from "./checks.ts";
import { Tokenizer } from "./tokenizer.ts";

const config = { vocab_size: 5, block_size: 3 };

Deno.test("checkToken: whole numbers in [0, vocab_size) pass; anything else names the range and the value", () => {
  assert.equal(checkToken(0, 5), 0);
  assert.equal(checkToken(4, 5), 4);
  for (const bad of [-1, 5, 1.5, NaN, Infinity, "1", null, undefined]) {
    assert.throws(() => checkToken(bad, 5), {
      name: "RangeError",
      message: `token must be a whole number in [0, 5), got ${bad}`,
    });
  }
});

Deno.test("checkPos: the same rule for positions, naming block_size", () => {
  assert.equal(checkPos(2, 3), 2);
  assert.throws(() => checkPos(3, 3), {
    name: "RangeError",
    message: "pos must be a whole number in [0, block_size = 3), got 3",
  });
  assert.throws(() => checkPos(-1, 3), RangeError);
});

Deno.test("checkSequence: at least 2 tokens, every token checked up to the cut at block_size + 1", () => {
  assert.equal(checkSequence([4, 0, 4], config), 2);
  assert.equal(checkSequence([4, 0, 1, 2, 3, 4], config), 3); // cut to block_size predicted positions
  assert.equal(checkSequence([4, 0, 1, 2, 99], config), 3); // token 5 is past the cut: never read
  assert.throws(() => checkSequence([4], config), /needs at least 2 tokens \(\[BOS, …, BOS\]\), got 1/);
  assert.throws(() => checkSequence([4, 7, 4], config), /token must be a whole number in \[0, 5\), got 7/);
  assert.throws(() => checkSequence([9, 0, 4], config), /got 9/); // the first input token too
});

Deno.test("checkBatch: at least one sequence, each checked; the message names the parameter", () => {
  checkBatch([[4, 0, 4], [4, 1, 2, 4]], config);
  assert.throws(() => checkBatch([], config), { message: "batch must hold at least one token sequence" });
  assert.throws(() => checkBatch([], config, "sequences"), /^RangeError: sequences must hold/);
  assert.throws(() => checkBatch([[4, 0, 4], [4]], config), /at least 2 tokens/);
});

Deno.test("checkTokenizer: a Tokenizer of the model's vocabulary size", () => {
  const tokenizer = Tokenizer.fromDocs(["abcd"]); // 4 characters + BOS
  checkTokenizer(tokenizer, 5);
  assert.throws(
    () => checkTokenizer(tokenizer, 27),
    /tokenizer.vocab_size \(5\) must equal the model's vocab_size \(27\); use the tokenizer the model/,
  );
  assert.throws(() => checkTokenizer(undefined as unknown as Tokenizer, 5), {
    name: "TypeError",
    message: /tokenizer must be a Tokenizer/,
  });
});
