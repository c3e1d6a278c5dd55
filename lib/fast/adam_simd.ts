/**
 * Adam with WebAssembly SIMD: the same float operations as `adamStep` (and `../adam.ts`), two parameters per
 * instruction. Adam is dominated by its divisions and square root, and `f64x2.div` / `f64x2.sqrt` do two
 * at once; each lane is an ordinary IEEE double operation (WebAssembly never fuses a multiply-add), and V8
 * defines `x ** 0.5` as `sqrt(x)`, so the results are bit for bit those of the plain TypeScript version.
 *
 * Like `adamStep`, it leaves out the division `m / c1` once `c1 = 1 − β1^(t+1)` rounds to 1 (a second
 * function in the module, chosen per step), which is exact.
 *
 * The module is tiny and written out below instruction by instruction (no toolchain). The parameters,
 * gradients and moments live in its memory, as four arrays of even length (a zero pad entry stays zero).
 * Where WebAssembly SIMD is missing, `simdAdam` returns `undefined` and the model uses `adamStep`.
 *
 * @module
 */
import type { AdamStep } from "../model.ts";

/** The four arrays Adam works on, in WebAssembly memory, and the update itself. */
export interface SimdAdam {
  readonly data: Float64Array;
  readonly grad: Float64Array;
  readonly m: Float64Array;
  readonly v: Float64Array;
  /** One update of every parameter, then the gradients are zeroed (like `adamStep`). */
  step(opts: AdamStep): void;
}

// --- a few helpers to write WebAssembly bytes -------------------------------------------------------------
const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    const b = n & 0x7f;
    n >>>= 7;
    out.push(n ? b | 0x80 : b);
  } while (n);
  return out;
};
const name = (s: string) => [...uleb(s.length), ...new TextEncoder().encode(s)];
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const I32 = 0x7f, F64 = 0x7c, V128 = 0x7b;
const get = (i: number) => [0x20, ...uleb(i)]; // local.get
const set = (i: number) => [0x21, ...uleb(i)]; // local.set
const simd = (op: number) => [0xfd, ...uleb(op)];
const [SPLAT, ADD, SUB, MUL, DIV, SQRT] = [0x14, 0xf0, 0xf1, 0xf2, 0xf3, 0xef].map(simd); // f64x2.*

// function adam(data, grad, m, v: i32 byte offsets; bytes: i32; lr, beta1, beta2, 1-beta1, 1-beta2, c1, c2, eps: f64)
const [DATA, GRAD, M, V, BYTES] = [0, 1, 2, 3, 4];
const [LR, B1, B2, OB1, OB2, C1, C2, EPS] = [5, 6, 7, 8, 9, 10, 11, 12]; // f64 parameters, splatted to locals +9
const I = 13; // i32 local: byte index
const G = 22, MI = 23, VI = 24; // v128 locals: g, the new m, the new v
const at = (ptr: number) => [...get(ptr), ...get(I), 0x6a]; // ptr + i
const load = (ptr: number) => [...at(ptr), ...simd(0x00), 4, 0]; // v128.load
const store = (ptr: number, value: number[]) => [...at(ptr), ...value, ...simd(0x0b), 4, 0]; // v128.store
const splatted = (param: number) => get(param + 9);

/** The loop body's code; with `divideByC1` false it leaves out `m / c1` (for when `c1` is exactly 1). */
// deno-fmt-ignore
const body = (divideByC1: boolean) => [
  ...[LR, B1, B2, OB1, OB2, C1, C2, EPS].flatMap((p) => [...get(p), ...SPLAT, ...set(p + 9)]),
  0x41, 0, ...set(I),                                         // i = 0
  0x02, 0x40, 0x03, 0x40,                                     // block, loop
  ...get(I), ...get(BYTES), 0x4f, 0x0d, 1,                    // if (i >= bytes) break
  ...load(GRAD), ...set(G),                                   // g
  ...splatted(B1), ...load(M), ...MUL,                        // m = beta1·m
  ...splatted(OB1), ...get(G), ...MUL, ...ADD, ...set(MI),    //     + (1−beta1)·g
  ...splatted(B2), ...load(V), ...MUL,                        // v = beta2·v
  ...splatted(OB2), ...get(G), ...get(G), ...MUL, ...MUL,     //     + (1−beta2)·(g·g)
  ...ADD, ...set(VI),
  ...store(M, get(MI)),
  ...store(V, get(VI)),
  ...store(DATA, [                                            // data −=
    ...load(DATA),
    ...splatted(LR), ...get(MI), ...(divideByC1 ? [...splatted(C1), ...DIV] : []), ...MUL, // lr · (m / c1)
    ...get(VI), ...splatted(C2), ...DIV, ...SQRT, ...splatted(EPS), ...ADD, // / (sqrt(v / c2) + eps)
    ...DIV, ...SUB,
  ]),
  ...store(GRAD, [...simd(0x0c), ...new Array(16).fill(0)]),  // grad = 0 (v128.const 0)
  ...get(I), 0x41, 16, 0x6a, ...set(I), 0x0c, 0,              // i += 16; continue
  0x0b, 0x0b, 0x0b,                                           // end loop, block, function
];
const LOCALS = vec([[1, I32], [11, V128]].map(([count, type]) => [...uleb(count), type]));
const code = (divideByC1: boolean) => {
  const bytes = [...LOCALS, ...body(divideByC1)];
  return [...uleb(bytes.length), ...bytes];
};
const PARAMS = [I32, I32, I32, I32, I32, F64, F64, F64, F64, F64, F64, F64, F64];
// deno-fmt-ignore
const MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,                                  // "\0asm", version 1
  ...section(1, vec([[0x60, ...vec(PARAMS.map((t) => [t])), 0]])),    // type: (params) -> ()
  ...section(2, vec([[...name("m"), ...name("mem"), 0x02, 0x00, 1]])), // import memory m.mem (≥ 1 page)
  ...section(3, vec([[0], [0]])),                                      // two functions, of type 0
  ...section(7, vec([[...name("adam"), 0x00, 0], [...name("adam1"), 0x00, 1]])), // "adam", "adam1" (c1 = 1)
  ...section(10, vec([code(true), code(false)])),                      // their code
]);

/**
 * Adam for `n` parameters on WebAssembly SIMD, or `undefined` where the runtime lacks it.
 *
 * @example
 * ```ts
 * import { simdAdam } from "./adam_simd.ts";
 * const adam = simdAdam(3)!;
 * adam.data.set([1, 2, 3]);
 * adam.grad.set([0.5, 0, -0.5]);
 * adam.step({ lr: 0.01, t: 0, beta1: 0.85, beta2: 0.99, eps: 1e-8 });
 * console.assert(Math.abs(adam.data[0] - 0.99) < 1e-9 && adam.data[1] === 2 && adam.grad[0] === 0);
 * ```
 */
export function simdAdam(n: number): SimdAdam | undefined {
  if (typeof WebAssembly !== "object" || !WebAssembly.validate(MODULE)) return undefined;
  const padded = n + (n % 2); // pairs
  const bytes = padded * 8;
  const mem = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil((4 * bytes) / 65536)) });
  type Kernel = (...args: number[]) => void;
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(MODULE), { m: { mem } });
  const adam = exports.adam as Kernel, adam1 = exports.adam1 as Kernel;
  const view = (k: number) => new Float64Array(mem.buffer, k * bytes, n);
  return {
    data: view(0),
    grad: view(1),
    m: view(2),
    v: view(3),
    step({ lr, t, beta1, beta2, eps }: AdamStep): void {
      const c1 = 1 - beta1 ** (t + 1), c2 = 1 - beta2 ** (t + 1);
      // once 1 − β1^(t+1) rounds to 1 (step ~230 on), m / c1 = m exactly: the kernel without that division
      (c1 === 1 ? adam1 : adam)(
        0,
        bytes,
        2 * bytes,
        3 * bytes,
        bytes,
        lr,
        beta1,
        beta2,
        1 - beta1,
        1 - beta2,
        c1,
        c2,
        eps,
      );
    },
  };
}
