/**
 * `checkPart(part, implementation)`: check a learner's own version of one part of the GPT by running the real
 * model with it swapped in, beside the reference, for a few training steps. The report says which number
 * parted first (a forward value, a gradient or an updated parameter), at which step, layer, position and
 * index, expected against actual, and names the usual mistake when the numbers fit it.
 *
 * @module
 */
import { DEFAULT_TRAIN, type GPTConfig, gptConfig } from "./config.ts";
import { loadDocs } from "./data.ts";
import { learningRate } from "./adam.ts";
import { initStateDict } from "./params.ts";
import { DISPLAY, type MimeBundle } from "./plot/display.ts";
import { Table, table } from "./plot/table.ts";
import { Random } from "./random.ts";
import { ScalarModel } from "./scalar_model.ts";
import { Tokenizer } from "./tokenizer.ts";
import { probes } from "./check_part_probes.ts";
import { agrees, fmt, type Parting, type RunResult, what, where } from "./check_part_compare.ts";
import { runModel, type RunSetup } from "./check_part_run.ts";
import { runSampler } from "./check_part_sample.ts";

/**
 * The parts `checkPart` can swap in, each with the signature the learner's function must have.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CHECK_PARTS } from "./check_part.ts";
 * assert.equal(CHECK_PARTS.rmsnorm.arity, 1);
 * ```
 */
export const CHECK_PARTS: Readonly<Record<string, { arity: number; signature: string }>> = Object.freeze({
  value: {
    arity: 1,
    signature: "class Value { constructor(data); add, mul, pow, neg, sub, div, exp, log, relu, backward }",
  },
  linear: { arity: 2, signature: "linear(x: Value[], w: Value[][]): Value[]" },
  softmax: { arity: 1, signature: "softmax(logits: Value[]): Value[]" },
  rmsnorm: { arity: 1, signature: "rmsnorm(x: Value[]): Value[]" },
  head: {
    arity: 3,
    signature:
      "head(q: Value[], keys: Value[][], values: Value[][], ctx?): Value[] (one head; keys/values: the cache so far)",
  },
  mlp: { arity: 3, signature: "mlp(x: Value[], fc1: Value[][], fc2: Value[][], ctx?): Value[]" },
  gpt: { arity: 4, signature: "gpt(token: number, pos: number, kv: KVCache, sd: ValueStateDict): Value[]" },
  adam: {
    arity: 4,
    signature: "adam(params: Value[], m: number[], v: number[], opts: AdamStep): void (sets p.grad = 0)",
  },
  sample: { arity: 2, signature: "probs(logits: number[], temperature: number): number[]" },
});

/** Options of `checkPart`. */
export interface CheckPartOptions {
  /** Training steps to compare (one name each). Default 3. */
  steps?: number;
  /** Seeds the shuffle, the weights and the sampler, as in training. Default 42. */
  seed?: number;
  /** Architecture changes (vocab_size comes from the names). */
  config?: Partial<GPTConfig>;
  /** The names (default: the project's data/names.txt). */
  docs?: readonly string[];
}

/** The verdict of `checkPart`: `ok`, the report text, and where the numbers parted (shown as a table). */
export class PartCheck {
  constructor(
    readonly part: string,
    readonly ok: boolean,
    readonly report: string,
    readonly parting: Parting | undefined,
    readonly hint: string | undefined,
    readonly table: Table | undefined,
  ) {}

  /** The report, then the table of steps. */
  toString(): string {
    return this.table ? `${this.report}\n\n${this.table}` : this.report;
  }

  /** JupyterLab shows the report and the table. */
  [DISPLAY](): MimeBundle {
    const esc = (s: string) => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
    const html = `<pre style="white-space:pre-wrap">${esc(this.report)}</pre>${this.table?.toHTML() ?? ""}`;
    return { "text/plain": this.toString(), "text/html": html };
  }
}

let defaultDocs: string[] | undefined; // data/names.txt, read once

/**
 * Run the model with `implementation` in place of `part` beside the reference and compare every number.
 * Parts: `value` (a learner's Value class), `linear`, `softmax`, `rmsnorm`, `head`, `mlp`, `gpt`, `adam`,
 * `sample`; see `CHECK_PARTS` for each signature. Never throws for a learner's mistake (a throw, NaN, a wrong
 * shape): those make a failing report that names the problem.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkPart } from "./check_part.ts";
 * import { Value } from "./value.ts";
 * const mine = (x: Value[]) => {
 *   const ms = x.map((xi) => xi.mul(xi)).reduce((a, b) => a.add(b)).mul(1 / x.length);
 *   const scale = ms.add(1e-5).pow(-0.5);
 *   return x.map((xi) => xi.mul(scale));
 * };
 * const result = checkPart("rmsnorm", mine, { steps: 1 });
 * assert(result.ok, result.report);
 * ```
 * @throws {RangeError} an unknown part (the message lists the known ones), or bad options.
 * @throws {TypeError} implementation is not a function (a class for `value`) or takes the wrong number of
 *   parameters.
 */
export function checkPart(part: string, implementation: unknown, options: CheckPartOptions = {}): PartCheck {
  const spec = CHECK_PARTS[part];
  if (typeof part !== "string" || spec === undefined || !Object.hasOwn(CHECK_PARTS, part)) {
    throw new RangeError(
      `checkPart: unknown part ${JSON.stringify(part)}; known parts: ${Object.keys(CHECK_PARTS).join(", ")}`,
    );
  }
  checkImplementation(part, implementation);
  const { steps = 3, seed = 42 } = options;
  if (!Number.isInteger(steps) || steps < 1 || steps > 50) {
    throw new RangeError(`checkPart: steps must be a whole number in [1, 50], got ${steps}`);
  }
  if (!Number.isInteger(seed)) throw new RangeError(`checkPart: seed must be a whole number, got ${seed}`);
  const { docs } = options;
  if (
    docs !== undefined &&
    (!Array.isArray(docs) || docs.length === 0 || docs.some((d) => typeof d !== "string"))
  ) {
    throw new TypeError("checkPart: docs must be a non-empty array of names (strings)");
  }
  const make = () => setUp(options, seed, steps);
  const s = make();
  const result = part === "sample"
    ? runSampler(implementation, {
      model: new ScalarModel(s.config, s.stateDict),
      tokenizer: s.tokenizer,
      rng: () => make().rng,
      temperature: 0.5,
      count: 5,
    })
    : runModel(part, implementation, s);
  return verdict(part, implementation, result, steps);
}

function checkImplementation(part: string, f: unknown): void {
  const { arity, signature } = CHECK_PARTS[part];
  if (typeof f !== "function") {
    throw new TypeError(
      `checkPart: the ${part} to check must be a ${
        part === "value" ? "class" : "function"
      }: ${signature}; got ${f === null ? "null" : typeof f}`,
    );
  }
  if (part === "value") {
    const missing = ["add", "mul", "pow", "neg", "sub", "div", "exp", "log", "relu", "backward"]
      .filter((m) => typeof f.prototype?.[m] !== "function");
    if (missing.length > 0) {
      throw new TypeError(`checkPart: your Value class has no ${missing.join(", ")} (needed: ${signature})`);
    }
  } else if (f.length !== arity && !(f.length === arity + 1 && (part === "head" || part === "mlp"))) {
    throw new TypeError(
      `checkPart: your ${part} takes ${f.length} parameter${
        f.length === 1 ? "" : "s"
      }; the engine's takes ${arity}: ${signature}`,
    );
  }
}

function setUp(
  options: CheckPartOptions,
  seed: number,
  steps: number,
): RunSetup & { tokenizer: Tokenizer; rng: Random } {
  const docs = [...(options.docs ?? (defaultDocs ??= loadDocs()))];
  const rng = new Random(seed);
  rng.shuffle(docs); // the reference order: shuffle, then every weight, then sampling
  const tokenizer = Tokenizer.fromDocs(docs);
  const config = gptConfig({ ...options.config, vocab_size: tokenizer.vocab_size });
  const stateDict = initStateDict(config, rng);
  const { learning_rate, beta1, beta2, eps_adam, num_steps } = DEFAULT_TRAIN;
  return {
    config,
    stateDict,
    batches: Array.from({ length: steps }, (_, i) => tokenizer.encode(docs[i % docs.length])),
    adam: (t) => ({ lr: learningRate(learning_rate, t, num_steps), t, beta1, beta2, eps: eps_adam }),
    tokenizer,
    rng,
  };
}

function verdict(part: string, impl: unknown, r: RunResult, steps: number): PartCheck {
  const rows = r.rows.length > 0
    ? table(r.rows, {
      title: part === "sample"
        ? "names from the untrained model, drawn with your sampler (the same as the reference's)"
        : "where the numbers part (Δ = yours − reference)",
    })
    : undefined;
  let p = r.parting;
  let hint = r.hint || undefined;
  let probed = 0;
  let alone: string | undefined; // the first probe that fails, when the model run already parted
  for (const probe of probes(part)) {
    probed++;
    let actual: number[];
    let problem: string | undefined;
    const expected = probe.expected();
    try {
      actual = probe.actual(impl);
      if (!Array.isArray(actual) || actual.length !== expected.length) {
        problem = `returned ${actual?.length} numbers, expected ${expected.length}`;
      }
    } catch (e) {
      actual = [];
      problem = `threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
    }
    const i = problem ? -1 : expected.findIndex((e, j) => !agrees(actual[j], e));
    if (problem === undefined && i < 0) continue;
    if (p !== undefined && alone === undefined && p.quantity !== "probe") {
      alone = `on its own, ${probe.label}: ` +
        (problem ? `it ${problem}` : `number ${i} is ${fmt(actual[i])}, expected ${fmt(expected[i])}`);
    }
    if (p === undefined) {
      p = problem ? { quantity: "probe", step: 0, name: probe.label, problem } : {
        quantity: "probe",
        step: 0,
        name: probe.label,
        index: i,
        expected: expected[i],
        actual: actual[i],
      };
    }
    // A probe's hint only when the model's own numbers agreed: a function that is NaN everywhere is not "no max".
    const agreed = r.parting === undefined || !probe.onlyAfterAgreement;
    if (probe.hint && agreed && (probe.fits?.(actual) ?? true)) hint ??= probe.hint;
  }
  const name = part === "value" ? "Value class" : part === "sample" ? "sampler" : part;
  if (p === undefined) {
    const how = r.maxDelta === 0
      ? "bit-identical"
      : `within 1e-12 (largest |Δ| ${r.maxDelta.toExponential(1)})`;
    const what = part === "sample"
      ? `${r.rows.length} names sampled with the same seeded rng`
      : `${steps} training step${steps === 1 ? "" : "s"} (forward values, gradients, updated parameters)`;
    const extra = probed > 0 ? ` and ${probed} edge case${probed === 1 ? "" : "s"}` : "";
    return new PartCheck(
      part,
      true,
      `✓ your ${name} matches the reference: ${what}${extra}, ${how}`,
      undefined,
      undefined,
      rows,
    );
  }
  let text: string;
  if (p.quantity === "probe") {
    text = `your ${name} leaves the reference on an edge case, ${p.name}` +
      (p.problem
        ? `: it ${p.problem}`
        : ` at index ${p.index}: expected ${fmt(p.expected)}, got ${fmt(p.actual)}`);
  } else if (p.problem) {
    text = `your ${name} fails at ${where(p)}${p.name !== part ? ` (${p.name})` : ""}: ${p.problem}`;
  } else {
    const finite = typeof p.actual !== "number" || Number.isFinite(p.actual);
    const delta = typeof p.expected === "number" && typeof p.actual === "number" && finite
      ? ` (Δ ${(p.actual - p.expected).toExponential(1)})`
      : "";
    text = `your ${name} leaves the reference at ${where(p)}: ${what(p)} is ${fmt(p.actual)}, expected ` +
      `${fmt(p.expected)}${delta}`;
  }
  const report = `✗ ${text}${alone ? `\n  ${alone}` : ""}${hint ? `\n  hint: ${hint}` : ""}`;
  return new PartCheck(part, false, report, p, hint, rows);
}
