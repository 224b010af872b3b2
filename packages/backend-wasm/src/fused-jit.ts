/**
 * Fused elementwise programs compiled to WebAssembly at run time: one SIMD loop per program, every
 * step in registers, for programs of float32 steps whose unfused kernels are single WebAssembly
 * instructions (add, sub, mul, div, maximum, minimum; neg, abs, sqrt, square, reciprocal, relu, floor,
 * ceil, trunc, round) or a scalar form applied lane by lane (rsqrt), over inputs read whole, as one
 * element, repeated along leading axes, or one value per block of trailing axes (a per-channel
 * [1, C, 1, 1] over [N, C, H, W]; see fused-jit-reads.ts for the loops). The loop applies the same
 * instruction per lane (and the same scalar instruction to the last few elements) as the unfused
 * kernels' generated forms do, so results are bit-identical to them; the tile interpreter (fused.ts)
 * takes every other program. The module imports the backend's memory and is compiled once per
 * program; where compiling is refused (no SIMD, a Content Security Policy without 'wasm-unsafe-eval'),
 * the interpreter runs the program instead.
 */
import type { BINARY_OPS, UNARY_OPS, FusedElementwiseProgram, FusedInstruction, FusedValueInfo } from '@scratchnet/core';
import { jitLoop } from './fused-jit-reads.js';
import { sizeOf } from './shapes.js';
import { leb, sleb, wasmName as name, wasmSection as section } from './wasm-bytes.js';

/** SIMD (0xfd-prefixed) and scalar opcodes of the steps a compiled program may hold. */
const BINARY_CODES: Partial<Record<(typeof BINARY_OPS)[number], readonly [simd: number, scalar: number]>> = {
  add: [0xe4, 0x92], sub: [0xe5, 0x93], mul: [0xe6, 0x94], div: [0xe7, 0x95], minimum: [0xe8, 0x96], maximum: [0xe9, 0x97],
};
const UNARY_CODES: Partial<Record<(typeof UNARY_OPS)[number], readonly [simd: number, scalar: number]>> = {
  neg: [0xe1, 0x8c], abs: [0xe0, 0x8b], sqrt: [0xe3, 0x91], ceil: [0x67, 0x8d], floor: [0x68, 0x8e], trunc: [0x69, 0x8f], round: [0x6a, 0x90],
};
/** Unary steps written with other instructions (square: x·x, reciprocal: 1 / x, relu: x ≤ 0 ? 0 : x, as their generated forms). */
const COMPOSED_UNARY = new Set(['square', 'reciprocal', 'relu']);
/**
 * Unary steps the unfused kernel computes with its scalar form only (no vector form): the scalar code
 * given the code that pushes x, run lane by lane in the vector loop. rsqrt: (f32) (1 / √(f64) x).
 */
const PER_LANE_UNARY: Partial<Record<(typeof UNARY_OPS)[number], (x: number[]) => number[]>> = {
  rsqrt: (x) => [0x44, ...f64Bytes(1), ...x, 0xbb, 0x9f, 0xa3, 0xb6],
};

/** Whether the compiler takes a program: float32 throughout, inputs it can read ({@link jitLoop}), steps it knows. */
export function jitTakes(program: FusedElementwiseProgram, infos: readonly FusedValueInfo[]): boolean {
  if (infos.some((v) => v.dtype !== 'float32')) return false;
  if (jitLoop(program) === null) return false;
  return program.instructions.every((ins) => {
    switch (ins.kind) {
      case 'binary': return ins.op in BINARY_CODES;
      case 'unary': return ins.op in UNARY_CODES || COMPOSED_UNARY.has(ins.op) || ins.op in PER_LANE_UNARY;
      case 'const': return true;
      default: return false;
    }
  });
}

function f32Bytes(value: number): number[] {
  return [...new Uint8Array(new Float32Array([value]).buffer)];
}

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;

/** f64.const's bytes. */
function f64Bytes(value: number): number[] {
  return [...new Uint8Array(new Float64Array([value]).buffer)];
}

/**
 * The module's bytes: one exported function `run(p0, …, pk, o0, …, om, n)` taking each input's and each
 * output's byte address and the element count (the program's own). The loop is {@link jitLoop}'s.
 */
export function emitModule(program: FusedElementwiseProgram, shared: boolean): Uint8Array<ArrayBuffer> {
  const { reads, block } = jitLoop(program)!;
  const nIn = program.inputs.length;
  const nOut = program.outputs.length;
  const nValues = nIn + program.instructions.length;
  const sizesOf = (kind: 'period' | 'block'): number[] => [...new Set(reads.flatMap((r) => (r.kind === kind ? [r.size] : [])))];
  const periods = sizesOf('period');
  const blockSizes = sizesOf('block');
  // Locals: params [inputs, outputs, n], then i, end, last (byte offsets), one offset per period and one per
  // block input size (i32), then one v128 and one f32 per value.
  const nParams = nIn + nOut + 1;
  const nLocal = nParams - 1;
  const iLocal = nParams;
  const endLocal = nParams + 1;
  const lastLocal = nParams + 2;
  const periodLocal = (p: number): number => nParams + 3 + periods.indexOf(p);
  const blockLocal = (size: number): number => nParams + 3 + periods.length + blockSizes.indexOf(size);
  const nI32 = 3 + periods.length + blockSizes.length;
  const vec = (v: number): number => nParams + nI32 + v;
  const sca = (v: number): number => nParams + nI32 + nValues + v;
  const get = (l: number): number[] => [0x20, ...leb(l)];
  const set = (l: number): number[] => [0x21, ...leb(l)];
  const i32c = (value: number): number[] => [0x41, ...sleb(value)];
  const simd = (op: number): number[] => [0xfd, ...leb(op)];
  const memarg = (align: number): number[] => [align, 0];
  /** Loads value k's scalar at byte address (base k) + (local at), and its splat. */
  const loadSplat = (k: number, at: number): number[] => [
    ...get(k), ...get(at), 0x6a, 0x2a, ...memarg(2), ...set(sca(k)), ...get(sca(k)), ...simd(0x13), ...set(vec(k)),
  ];
  /** local += step, back to 0 where it reaches `wrap`: select(0, local, local == wrap). */
  const advance = (local: number, step: number, wrap: number): number[] => [
    ...get(local), ...i32c(step), 0x6a, ...set(local), ...i32c(0), ...get(local), ...get(local), ...i32c(wrap), 0x46, 0x1b, ...set(local),
  ];
  const body: number[] = [];
  // One-element inputs and constants, splat once.
  program.inputs.forEach((_, k) => {
    if (reads[k]!.kind === 'one') body.push(...loadSplat(k, iLocal)); // i is 0 until the loop
  });
  program.instructions.forEach((ins, r) => {
    if (ins.kind !== 'const') return;
    const v = nIn + r;
    body.push(0x43, ...f32Bytes(ins.value), ...set(sca(v)), ...get(sca(v)), ...simd(0x13), ...set(vec(v)));
  });
  /** One pass over elements: `lanes` 4 (v128) or 1 (f32), while i < end. */
  const loop = (lanes: 4 | 1): number[] => {
    const code: number[] = [0x02, 0x40, 0x03, 0x40, ...get(iLocal), ...get(endLocal), 0x4f, 0x0d, 1]; // block, loop, br_if i ≥ end
    const local = lanes === 4 ? vec : sca;
    program.inputs.forEach((_, k) => {
      const read = reads[k]!;
      if (read.kind === 'one' || read.kind === 'block') return;
      const at = read.kind === 'whole' ? iLocal : periodLocal(read.size);
      code.push(...get(k), ...get(at), 0x6a, ...(lanes === 4 ? [...simd(0x00), ...memarg(2)] : [0x2a, ...memarg(2)]), ...set(local(k)));
    });
    program.instructions.forEach((ins, r) => {
      if (ins.kind === 'const') return;
      code.push(...step(ins, lanes, local), ...set(local(nIn + r)));
    });
    program.outputs.forEach((v, j) => {
      code.push(...get(nIn + j), ...get(iLocal), 0x6a, ...get(local(v)), ...(lanes === 4 ? [...simd(0x0b), ...memarg(2)] : [0x38, ...memarg(2)]));
    });
    code.push(...get(iLocal), ...i32c(lanes * 4), 0x6a, ...set(iLocal)); // i += 4·lanes
    for (const p of periods) code.push(...advance(periodLocal(p), lanes * 4, 4 * p));
    code.push(0x0c, 0, 0x0b, 0x0b); // br loop, end, end
    return code;
  };
  const step = (ins: FusedInstruction, lanes: 4 | 1, local: (v: number) => number): number[] => {
    const pick = (codes: readonly [number, number]): number[] => (lanes === 4 ? simd(codes[0]) : [codes[1]]);
    const zero = lanes === 4 ? [0x43, 0, 0, 0, 0, ...simd(0x13)] : [0x43, 0, 0, 0, 0];
    if (ins.kind === 'binary') return [...get(local(ins.args[0])), ...get(local(ins.args[1])), ...pick(BINARY_CODES[ins.op]!)];
    if (ins.kind !== 'unary') throw new Error(`wasm backend: internal error: no compiled form of a ${ins.kind} step`);
    const x = get(local(ins.arg));
    const perLane = PER_LANE_UNARY[ins.op];
    if (perLane) {
      if (lanes === 1) return perLane(x);
      // Lane by lane with the scalar form (the unfused kernel has no vector form): x, then each lane replaced.
      const code = [...x];
      for (let lane = 0; lane < 4; lane++) code.push(...perLane([...x, ...simd(0x1f), lane]), ...simd(0x20), lane);
      return code;
    }
    switch (ins.op) {
      case 'square': return [...x, ...x, ...pick([0xe6, 0x94])];
      case 'reciprocal': return [0x43, ...f32Bytes(1), ...(lanes === 4 ? simd(0x13) : []), ...x, ...pick([0xe7, 0x95])];
      case 'relu': // x ≤ 0 ? 0 : x (NaN stays NaN)
        return lanes === 4 ? [...zero, ...x, ...x, ...zero, ...simd(0x45), ...simd(0x52)] : [...zero, ...x, ...x, ...zero, 0x5f, 0x1b];
      default: return [...x, ...pick(UNARY_CODES[ins.op]!)];
    }
  };
  // last = n·4; per block: read the block inputs, restart the periods, vector loop, scalar tail, next block.
  body.push(...get(nLocal), ...i32c(2), 0x74, ...set(lastLocal));
  body.push(0x02, 0x40, 0x03, 0x40, ...get(iLocal), ...get(lastLocal), 0x4f, 0x0d, 1);
  program.inputs.forEach((_, k) => {
    const read = reads[k]!;
    if (read.kind === 'block') body.push(...loadSplat(k, blockLocal(read.size)));
  });
  for (const p of periods) body.push(...i32c(0), ...set(periodLocal(p)));
  if (blockSizes.length === 0 && block === sizeOf(program.outShape)) {
    // One block over the whole output: its size is the call's n, not the program's (a segmented launch,
    // fused-segments.ts, runs the same code over flat segments of other sizes).
    body.push(...get(iLocal), ...get(nLocal), ...i32c(-4), 0x71, ...i32c(2), 0x74, 0x6a, ...set(endLocal), ...loop(4));
    body.push(...get(lastLocal), ...set(endLocal), ...loop(1));
  } else {
    body.push(...get(iLocal), ...i32c(4 * (block & ~3)), 0x6a, ...set(endLocal), ...loop(4));
    body.push(...get(iLocal), ...i32c(4 * (block & 3)), 0x6a, ...set(endLocal), ...loop(1));
  }
  for (const size of blockSizes) body.push(...advance(blockLocal(size), 4, 4 * size));
  body.push(0x0c, 0, 0x0b, 0x0b);
  body.push(0x0b);
  const locals = [3, ...leb(nI32), I32, ...leb(nValues), V128, ...leb(nValues), F32];
  const func = [...locals, ...body];
  const limits = shared ? [0x03, 0, ...leb(65536)] : [0x00, 0];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, ...leb(nParams), ...new Array<number>(nParams).fill(I32), 0]), // type: (i32 × nParams) → ()
    ...section(2, [1, ...name('env'), ...name('memory'), 0x02, ...limits]), // import env.memory
    ...section(3, [1, 0]), // one function of type 0
    ...section(7, [1, ...name('run'), 0x00, 0]), // export it
    ...section(10, [1, ...leb(func.length), ...func]),
  ]);
}

/** A compiled program's entry: `run(...inputAddresses, ...outputAddresses, n)`. */
export type CompiledFused = (...args: number[]) => void;

/** Compiles `program` against `memory`, or returns null where the host refuses (then the interpreter runs it). */
export function compileFused(program: FusedElementwiseProgram, memory: WebAssembly.Memory): CompiledFused | null {
  try {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const module = new WebAssembly.Module(emitModule(program, shared));
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    return instance.exports['run'] as CompiledFused;
  } catch {
    return null;
  }
}
