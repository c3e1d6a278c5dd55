import assert from "node:assert/strict";
import {
  checkTemperature,
  DEFAULT_CONFIG,
  DEFAULT_TRAIN,
  type GPTConfig,
  gptConfig,
  type TrainConfig,
  trainConfig,
} from "./config.ts";

Deno.test("defaults are the reference run", () => {
  assert.deepEqual(gptConfig(), { vocab_size: 27, n_embd: 16, n_head: 4, n_layer: 1, block_size: 16 });
  const adam = { beta1: 0.85, beta2: 0.99, eps_adam: 1e-8 }; // microgpt.py's Adam
  assert.deepEqual(trainConfig(), { num_steps: 1000, learning_rate: 0.01, ...adam, batch_size: 1 });
  assert.ok(Object.isFrozen(DEFAULT_CONFIG) && Object.isFrozen(DEFAULT_TRAIN));
});

Deno.test("n_embd not divisible by n_head is a RangeError that suggests divisors", () => {
  assert.throws(() => gptConfig({ n_embd: 18, n_head: 4 }), (e) => {
    assert.ok(e instanceof RangeError);
    assert.match(
      e.message,
      /n_embd \(18\) must be divisible by n_head \(4\); try n_head in 1, 2, 3, 6, 9, 18/,
    );
    return true;
  });
});

Deno.test("every size must be a whole number ≥ 1 (block_size < 1 too); the message names it", () => {
  for (const key of ["vocab_size", "n_embd", "n_head", "n_layer", "block_size"] as const) {
    for (const bad of [0, -3, 1.5]) {
      assert.throws(
        () => gptConfig({ [key]: bad }),
        new RegExp(`${key} must be a whole number ≥ 1, got ${bad}`),
      );
    }
    assert.throws(() => gptConfig({ [key]: "4" as unknown as number }), TypeError);
  }
  assert.throws(() => gptConfig({ vocab_size: 1 }), /vocab_size must be ≥ 2/);
});

Deno.test("training values out of range are RangeErrors naming the parameter and value", () => {
  assert.throws(() => trainConfig({ num_steps: 0 }), /num_steps must be a whole number ≥ 1, got 0/);
  assert.throws(() => trainConfig({ batch_size: 0 }), /batch_size must be a whole number ≥ 1, got 0/);
  assert.throws(() => trainConfig({ learning_rate: 0 }), /learning_rate must be > 0, got 0/);
  assert.throws(() => trainConfig({ learning_rate: -0.01 }), /learning_rate must be > 0, got -0.01/);
  assert.throws(() => trainConfig({ learning_rate: NaN }), /learning_rate must be a finite number, got NaN/);
  assert.throws(() => trainConfig({ beta1: 1 }), /beta1 must be in \[0, 1\), got 1/);
  assert.throws(() => trainConfig({ beta2: -0.1 }), /beta2 must be in \[0, 1\), got -0.1/);
  assert.throws(() => trainConfig({ eps_adam: 0 }), /eps_adam must be > 0, got 0/);
  assert.throws(() => trainConfig({ learning_rate: "0.1" as unknown as number }), TypeError);
});

Deno.test("temperature must be a finite number > 0", () => {
  assert.equal(checkTemperature(0.5), 0.5);
  assert.throws(() => checkTemperature(0), /temperature must be > 0 \(e.g. 0.5\), got 0/);
  assert.throws(() => checkTemperature(-1), RangeError);
  assert.throws(() => checkTemperature(Infinity), /temperature must be a finite number, got Infinity/);
  assert.throws(() => checkTemperature(NaN), RangeError);
  assert.throws(() => checkTemperature("hot"), /temperature must be a number, got string/);
});

Deno.test("a misspelt key is a RangeError naming it and the allowed keys (not a silent default)", () => {
  assert.throws(
    () => gptConfig({ n_emb: 8 } as unknown as Partial<GPTConfig>),
    /GPT config: unknown key "n_emb"; allowed: vocab_size, n_embd, n_head, n_layer, block_size/,
  );
  assert.throws(
    () => trainConfig({ num_step: 5 } as unknown as Partial<TrainConfig>),
    /unknown key "num_step"/,
  );
  assert.throws(() => gptConfig(null as unknown as Partial<GPTConfig>), TypeError);
});

Deno.test("sizes beyond 2^53 are rejected (not whole numbers in floating point)", () => {
  assert.throws(() => trainConfig({ num_steps: 1e300 }), /num_steps must be a whole number ≥ 1, got 1e\+300/);
  assert.throws(() => gptConfig({ n_layer: Infinity }), /n_layer must be a whole number ≥ 1, got Infinity/);
});
