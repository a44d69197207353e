// Adam as one WebAssembly SIMD loop over flat float32 buffers in a WebAssembly.Memory: one pass reads the
// gradient, the moments and the parameters 4 lanes at a time and writes the three back. It replaces the dozen
// element-wise onnxruntime nodes of the engine's graph (each a full pass over 0.5M floats and a hand-off to the
// thread pool) with the same float32 arithmetic in the same order, so the results are bit for bit those of the
// graph: every wasm f32x4 operation is IEEE-rounded to float32, like onnxruntime's Mul, Add, Sqrt and Div.
// The module is encoded here (it is small), not loaded from a file.

/** Floats per SIMD vector: the buffers are padded to whole vectors. */
const LANES = 4;

// The opcodes used below (WebAssembly core and SIMD proposals, as shipped in V8).
const OP = {
  block: 0x02, loop: 0x03, br: 0x0c, brIf: 0x0d, end: 0x0b, localGet: 0x20, localSet: 0x21, i32Const: 0x41,
  i32Add: 0x6a, i32GeU: 0x4f, simd: 0xfd,
};
// SIMD opcodes (after the 0xfd prefix), LEB128-encoded.
const SIMD = {
  load: [0x00], store: [0x0b], f32x4Splat: [0x13], f32x4Sqrt: [0xe3, 0x01], f32x4Add: [0xe4, 0x01],
  f32x4Sub: [0xe5, 0x01], f32x4Mul: [0xe6, 0x01], f32x4Div: [0xe7, 0x01],
};
const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function section(id: number, body: number[]): number[] {
  return [id, ...leb(body.length), ...body];
}

function vec(items: number[][]): number[] {
  return [...leb(items.length), ...items.flat()];
}

/**
 * The module: imports `env.memory`, exports `adam(p, m, v, g, bytes, lr, b1, c1, b2, c2, eps)`, which updates
 * p, m and v (byte offsets into the memory) over `bytes` bytes (a multiple of 16) from the gradient g:
 * m = m b1 + g c1; v = v b2 + (g g) c2; p = p - (m / (sqrt(v) + eps)) lr, each operation rounded to float32.
 */
function adamModule(): Uint8Array {
  // Parameters 0-4: p, m, v, g, bytes (i32); 5-10: lr, b1, c1, b2, c2, eps (f32). Locals: 11 i (i32);
  // 12-17 the six constants splatted (v128); 18 g, 19 m, 20 v (v128).
  const [p, m, v, g, bytes, lr, b1, c1, b2, c2, eps] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const i = 11;
  const splat = (f: number) => 12 + (f - lr);
  const [G, M, V] = [18, 19, 20];
  const get = (x: number) => [OP.localGet, ...leb(x)];
  const set = (x: number) => [OP.localSet, ...leb(x)];
  const simd = (op: number[]) => [OP.simd, ...op];
  // memarg: alignment 2^4, offset 0.
  const load = (base: number) => [...get(base), ...get(i), OP.i32Add, ...simd(SIMD.load), 4, 0];
  const address = (base: number) => [...get(base), ...get(i), OP.i32Add];
  const store = [...simd(SIMD.store), 4, 0];
  const body = [
    ...[lr, b1, c1, b2, c2, eps].flatMap((f) => [...get(f), ...simd(SIMD.f32x4Splat), ...set(splat(f))]),
    OP.block, 0x40, OP.loop, 0x40,
    ...get(i), ...get(bytes), OP.i32GeU, OP.brIf, 1,
    ...load(g), ...set(G),
    // m = m b1 + g c1
    ...address(m),
    ...load(m), ...get(splat(b1)), ...simd(SIMD.f32x4Mul), ...get(G), ...get(splat(c1)), ...simd(SIMD.f32x4Mul), ...simd(SIMD.f32x4Add),
    ...set(M), ...get(M), ...store,
    // v = v b2 + (g g) c2
    ...address(v),
    ...load(v), ...get(splat(b2)), ...simd(SIMD.f32x4Mul), ...get(G), ...get(G), ...simd(SIMD.f32x4Mul), ...get(splat(c2)), ...simd(SIMD.f32x4Mul),
    ...simd(SIMD.f32x4Add), ...set(V), ...get(V), ...store,
    // p = p - (m / (sqrt(v) + eps)) lr
    ...address(p),
    ...load(p), ...get(M), ...get(V), ...simd(SIMD.f32x4Sqrt), ...get(splat(eps)), ...simd(SIMD.f32x4Add), ...simd(SIMD.f32x4Div),
    ...get(splat(lr)), ...simd(SIMD.f32x4Mul), ...simd(SIMD.f32x4Sub), ...store,
    ...get(i), OP.i32Const, 16, OP.i32Add, ...set(i),
    OP.br, 0, OP.end, OP.end, OP.end,
  ];
  const locals = vec([[1, I32], [9, V128]]);
  const code = [...locals, ...body];
  const type = [0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [F32], [F32], [F32], [F32], [F32], [F32]]), 0];
  const name = (s: string) => [...leb(s.length), ...Buffer.from(s)];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([type])),
    ...section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x00, 0x01]])),
    ...section(3, vec([[0]])),
    ...section(7, vec([[...name('adam'), 0x00, 0]])),
    ...section(10, vec([[...leb(code.length), ...code]])),
  ]);
}

// The slice of the WebAssembly API used here (the project's TypeScript libraries leave out the DOM's, which
// declare it; Node provides it).
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmApi {
  Memory: new (d: { initial: number }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (m: object, imports: object) => { exports: Record<string, unknown> };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

type AdamFn = (p: number, m: number, v: number, g: number, bytes: number, lr: number, b1: number, c1: number, b2: number, c2: number, eps: number) => void;

let compiled: object | undefined;

/**
 * Four flat float32 buffers (parameters, both moments, gradient) of `n` values in one WebAssembly memory, and
 * Adam over them. The buffers are padded to whole vectors with zeros (a zero gradient leaves a zero parameter
 * and zero moments as they are).
 */
export class SimdAdam {
  readonly params: Float32Array;
  readonly m: Float32Array;
  readonly v: Float32Array;
  readonly grad: Float32Array;
  private readonly fn: AdamFn;
  private readonly stride: number;

  constructor(readonly n: number) {
    const padded = Math.ceil(n / LANES) * LANES;
    this.stride = padded * 4;
    const memory = new wasm.Memory({ initial: Math.max(1, Math.ceil((4 * this.stride) / 65536)) });
    compiled ??= new wasm.Module(adamModule());
    this.fn = new wasm.Instance(compiled, { env: { memory } }).exports.adam as AdamFn;
    const at = (k: number) => new Float32Array(memory.buffer, k * this.stride, n);
    [this.params, this.m, this.v, this.grad] = [at(0), at(1), at(2), at(3)];
  }

  /**
   * One step over values [lo, hi) with the float32 constants `lr`, beta1, 1 - beta1, beta2, 1 - beta2 and eps
   * (each rounded to float32, as a graph constant is). The whole vectors inside the range go through the SIMD
   * loop, the few values at its unaligned ends through the same arithmetic in JS (Math.fround after each
   * operation: a float64 result of float32 operands rounded once to float32 is the float32 operation's result).
   */
  step(lr: number, beta1: number, beta2: number, eps: number, lo = 0, hi = this.n): void {
    const f = Math.fround;
    const k = [f(lr), f(beta1), f(1 - beta1), f(beta2), f(1 - beta2), f(eps)] as const;
    const a = Math.min(hi, Math.ceil(lo / LANES) * LANES);
    const b = Math.max(a, Math.floor(hi / LANES) * LANES);
    const offset = (buf: number) => buf * this.stride + a * 4;
    if (b > a) this.fn(offset(0), offset(1), offset(2), offset(3), (b - a) * 4, ...k);
    for (let i = lo; i < a; i++) this.scalar(i, k);
    for (let i = b; i < hi; i++) this.scalar(i, k);
  }

  private scalar(i: number, [lr, b1, c1, b2, c2, eps]: readonly number[]): void {
    const f = Math.fround;
    const g = this.grad[i];
    const m = f(f(this.m[i] * b1) + f(g * c1));
    const v = f(f(this.v[i] * b2) + f(f(g * g) * c2));
    this.m[i] = m;
    this.v[i] = v;
    this.params[i] = f(this.params[i] - f(f(m / f(f(Math.sqrt(v)) + eps)) * lr));
  }
}
