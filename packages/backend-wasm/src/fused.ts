/**
 * The host side of the fused elementwise kernel: decides whether the AssemblyScript tile interpreter
 * (assembly/fused.ts) takes a program, encodes it into wasm memory, and runs it over the output split
 * across threads. The interpreter applies each step to tiles of {@link fusedTile} elements with the
 * unfused kernels' own loops, so results are bit-identical to them and intermediates never leave L1.
 * It takes float32 and bool values (float32 unary and binary ops, comparisons, where over float32,
 * casts between float32 and bool, constants); in a program with an int32 value or a bool-only op
 * those steps run unfused first (fused-split.ts; int32 and bool kernels run on the host here anyway).
 *
 * Two engines, measured on the MNIST MLP's Adam update (18 steps over 100,352 float32, 1 thread, a
 * shared 2-core machine): the interpreter at first 485 µs; with one-element inputs and constants read
 * at stride 0 and tiles reused by liveness 228 µs (the floor of a pass per step: ~2 cycles per vector
 * per step plus a call per step and tile); the same program emitted as one SIMD loop at run time
 * (fused-jit.ts, every step in registers) 110–170 µs, bounded by the 2.8 MB it reads and writes. So
 * programs the run-time compiler takes run compiled, and the interpreter keeps the rest (bool values,
 * where, casts, transcendental ops, broadcasts with a size-1 axis inside the input's own axes) and
 * every host that refuses run-time compiling.
 */
import {
  BINARY_OPS, UNARY_OPS, binaryDef, fusedScalarForm, runFusedUnfused, unaryDef,
  type Backend, type DataId, type FusedElementwiseProgram, type FusedInstruction, type FusedValueInfo, type TensorRef,
} from '@scratchnet/core';
import { operandsOf, splitFused, type FusedSplit } from './fused-split.js';
import { compileFused, jitTakes, type CompiledFused } from './fused-jit.js';
import { elementBytes, type Entry, type Runtime } from './runtime.js';
import { broadcastStrides, contiguousStrides, mergeAxes, sizeOf } from './shapes.js';

/** Instruction kinds of the interpreter (assembly/fused.ts); HELD: a constant the program holds, nothing to run. */
const KIND = { unary: 0, binary: 1, where4: 2, f32ToBool: 3, boolToF32: 4, constF32: 5, constBool: 6, held: 7 } as const;

/** Where a value lives while the interpreter runs (assembly/fused.ts). */
const PLACE = { tile: 0, stream: 1, fixed: 2, gather: 3 } as const;

/** Bytes of live tiles a program's values share: well inside L1 (measured best on this machine, see the bench). */
const TILE_BUDGET = 8192;

/** A fixed tile length set for the benchmark, or null: sized per program. */
let fixedTile: number | null = null;

/**
 * Elements per tile for a program whose values need `tiles` tiles of scratch: all of them together fill
 * about {@link TILE_BUDGET} bytes, between 128 and 2048 elements (fewer per tile and the per-step call
 * costs show; more and the tiles spill out of L1), a multiple of 16.
 */
export function fusedTile(tiles: number): number {
  if (fixedTile !== null) return fixedTile;
  return Math.max(128, Math.min(2048, Math.floor(TILE_BUDGET / (4 * Math.max(1, tiles))))) & ~15;
}

/** Fixes the tile length (a multiple of 4, at least 16), or restores per-program sizing with null: for the package's benchmark only. */
export function setFusedTile(elements: number | null): void {
  if (elements !== null && (!Number.isInteger(elements) || elements < 16 || elements % 4 !== 0)) {
    throw new RangeError(`wasm backend: tile ${elements} is not a multiple of 4 ≥ 16`);
  }
  fixedTile = elements;
  layouts = new WeakMap();
}

/** Whether the interpreter takes every step of a program (else see {@link runFusedInParts}). */
export function interpreterTakes(program: FusedElementwiseProgram, infos: readonly FusedValueInfo[]): boolean {
  let takes = taken.get(program);
  if (takes === undefined) {
    takes = !infos.some((v) => v.dtype === 'int32') && program.instructions.every((ins, r) => interpreterTakesStep(ins, program.inputs.length + r, infos));
    taken.set(program, takes);
  }
  return takes;
}

/** {@link interpreterTakes}'s answer per program (a compiled step asks about the same program every replay). */
const taken = new WeakMap<FusedElementwiseProgram, boolean>();

/** Whether the interpreter computes step `ins` (making value `v`): no int32 operand or result, and an op it has. */
function interpreterTakesStep(ins: FusedInstruction, v: number, infos: readonly FusedValueInfo[]): boolean {
  if (infos[v]!.dtype === 'int32' || operandsOf(ins).some((u) => infos[u]!.dtype === 'int32')) return false;
  switch (ins.kind) {
    case 'unary': return unaryDef(ins.op).input !== 'bool';
    case 'binary': return binaryDef(ins.op).kind !== 'logical' && infos[ins.args[0]]!.dtype === 'float32';
    case 'where': return infos[ins.args[1]]!.dtype === 'float32';
    case 'cast': case 'const': return true;
  }
}

const splits = new WeakMap<FusedElementwiseProgram, FusedSplit | null>();

/**
 * Runs a program the interpreter does not take whole (outShape not empty): the steps it lacks (and
 * those they read) one unfused kernel each, then the rest fused ({@link splitFused}); or, where no such
 * split leaves a program it takes, every step unfused.
 */
export function runFusedInParts(backend: Backend, rt: Runtime, program: FusedElementwiseProgram, infos: readonly FusedValueInfo[], inputs: readonly TensorRef[]): DataId[] {
  let split = splits.get(program);
  if (split === undefined) {
    const nIn = program.inputs.length;
    split = splitFused(program, infos, (ins, r) => !interpreterTakesStep(ins, nIn + r, infos), interpreterTakes);
    splits.set(program, split);
  }
  if (split === null) return runFusedUnfused(backend, program, inputs);
  const headIds = split.head ? runFusedUnfused(backend, split.head, inputs) : [];
  try {
    const entries = split.restInputs.map(([from, i]) => rt.get(from === 'input' ? inputs[i]!.id : headIds[i]!));
    return runFused(rt, split.rest, split.restInfos, entries);
  } finally {
    for (const id of headIds) backend.dispose(id);
  }
}

const f32Bits = (value: number): number => new Int32Array(new Float32Array([value]).buffer)[0]!;

/**
 * A program's encoding for the interpreter with every address left relative: `words` at offset 0, the
 * indices of words holding byte offsets to shift by the program's address (`relative`), and those that
 * take input k's or output j's data pointer. Made once per program object (programs are immutable data).
 */
interface Layout {
  readonly words: Int32Array;
  readonly relative: readonly number[];
  readonly inputWords: readonly (readonly [word: number, input: number])[];
  readonly outputWords: readonly (readonly [word: number, output: number])[];
  readonly scratchBytes: number;
}

let layouts = new WeakMap<FusedElementwiseProgram, Layout>();

const HEADER = 6;
const VALUE_WORDS = 5;
const INSTR_WORDS = 6;
const COPY_WORDS = 3;

/**
 * Lays a program out for the interpreter. Contiguous inputs and outputs are read and written in place;
 * one-element inputs and constants read only by binary and where steps are read with stride 0; other
 * broadcast inputs are gathered into a tile each; every other value gets a tile, tiles being reused once
 * the value in one is read for the last time, so the program needs as few tiles as values live at once.
 */
function layout(program: FusedElementwiseProgram, infos: readonly FusedValueInfo[]): Layout {
  const { outShape, instructions } = program;
  const n = sizeOf(outShape);
  const nIn = program.inputs.length;
  const nValues = infos.length;
  // Which steps read each value, and the last one.
  const strideZeroOk = new Array<boolean>(nValues).fill(true);
  const lastUse = new Array<number>(nValues).fill(-1);
  instructions.forEach((ins, r) => {
    for (const v of operandsOf(ins)) {
      lastUse[v] = r;
      if (ins.kind === 'unary' || ins.kind === 'cast') strideZeroOk[v] = false;
    }
  });
  const outputAt = new Map<number, number>(); // value → the first output it is written to in place
  program.outputs.forEach((v, j) => {
    if (v >= nIn && !outputAt.has(v)) outputAt.set(v, j);
  });
  const place = new Array<number>(nValues).fill(PLACE.tile);
  const slot = new Array<number>(nValues).fill(0);
  let slots = 0;
  const free: number[] = [];
  const take = (): number => free.pop() ?? slots++;
  const gathers: number[] = [];
  program.inputs.forEach((x, k) => {
    const size = sizeOf(x.shape);
    if (size === n) place[k] = PLACE.stream;
    else if (size === 1 && strideZeroOk[k]) place[k] = PLACE.fixed;
    else {
      place[k] = PLACE.gather;
      slot[k] = take();
      gathers.push(k);
    }
  });
  instructions.forEach((ins, r) => {
    const v = nIn + r;
    if (outputAt.has(v)) place[v] = PLACE.stream;
    else if (ins.kind === 'const' && (strideZeroOk[v] || n === 1)) place[v] = PLACE.fixed;
    else slot[v] = take();
    // Operands read for the last time free their tiles (after the result took one: no step writes over its operand).
    for (const u of new Set(operandsOf(ins))) if (u >= nIn && place[u] === PLACE.tile && lastUse[u] === r) free.push(slot[u]!);
    if (place[v] === PLACE.tile && lastUse[v]! < 0) free.push(slot[v]!);
  });
  const tile = fusedTile(slots);
  const copies = program.outputs.flatMap((v, j) => (outputAt.get(v) === j ? [] : [j]));
  const valuesAt = HEADER;
  const instrAt = valuesAt + VALUE_WORDS * nValues;
  const copyAt = instrAt + INSTR_WORDS * instructions.length;
  let metaAt = copyAt + COPY_WORDS * copies.length;
  const words: number[] = [nValues, nIn, instructions.length, copies.length, tile, slots];
  const relative: number[] = [];
  const inputWords: [number, number][] = [];
  const outputWords: [number, number][] = [];
  const metas: number[] = [];
  const addMeta = (values: readonly number[]): number => {
    const at = metaAt;
    metas.push(...values);
    metaAt += values.length;
    return 4 * at; // a byte offset from the program's address

  };
  for (let v = 0; v < nValues; v++) {
    const w = valuesAt + VALUE_WORDS * v;
    const size = elementBytes(infos[v]!.dtype);
    words.push(place[v]!, 0, size, slot[v]!, 0);
    if (v < nIn) {
      inputWords.push([w + 1, v]);
      if (place[v] === PLACE.gather) {
        const walk = mergeAxes(outShape, [contiguousStrides(outShape), broadcastStrides(program.inputs[v]!.shape, outShape)]);
        words[w + 4] = addMeta([walk.shape.length, ...walk.shape, ...walk.strides[1]!]);
        relative.push(w + 4);
      }
    } else if (place[v] === PLACE.stream) {
      outputWords.push([w + 1, outputAt.get(v)!]);
    } else if (place[v] === PLACE.fixed) {
      words[w + 1] = 4 * (instrAt + INSTR_WORDS * (v - nIn) + 5); // the byte offset of the constant's own param word
      relative.push(w + 1);
    }
  }
  instructions.forEach((ins, r) => {
    const w = instrAt + INSTR_WORDS * r;
    switch (ins.kind) {
      case 'unary':
        words.push(KIND.unary, UNARY_OPS.indexOf(ins.op), ins.arg, 0, 0, f32Bits(fusedScalarForm(ins, 'float32').alpha));
        break;
      case 'binary':
        words.push(KIND.binary, BINARY_OPS.indexOf(ins.op), ins.args[0], ins.args[1], 0, 0);
        break;
      case 'where': {
        // where4 over one axis of `tile` elements, each operand with stride 0 (FIXED) or 1.
        const stride = (u: number): number => (place[u] === PLACE.fixed ? 0 : 1);
        words.push(KIND.where4, 0, ins.args[0], ins.args[1], ins.args[2], addMeta([tile, ...ins.args.map(stride)]));
        relative.push(w + 5);
        break;
      }
      case 'cast':
        words.push(ins.dtype === 'bool' ? KIND.f32ToBool : KIND.boolToF32, 0, ins.arg, 0, 0, 0);
        break;
      case 'const': {
        const bits = ins.dtype === 'bool' ? (ins.value !== 0 ? 1 : 0) : f32Bits(ins.value);
        const kind = place[nIn + r] === PLACE.fixed ? KIND.held : ins.dtype === 'bool' ? KIND.constBool : KIND.constF32;
        words.push(kind, 0, 0, 0, 0, bits);
        break;
      }
    }
  });
  for (const j of copies) {
    const v = program.outputs[j]!;
    outputWords.push([words.length + 1, j]);
    words.push(v, 0, elementBytes(infos[v]!.dtype));
  }
  words.push(...metas);
  const scratchBytes = 16 + 4 * nValues + (4 * tile + 64) * slots; // see assembly/fused.ts
  return { words: Int32Array.from(words), relative, inputWords, outputWords, scratchBytes };
}

/** Programs compiled to WebAssembly, per memory (null: the compiler does not take the program, or the host refused). */
const compiledPrograms = new WeakMap<WebAssembly.Memory, WeakMap<FusedElementwiseProgram, CompiledFused | null>>();

/** The program compiled against the runtime's memory ({@link compileFused}), or null: run it in the interpreter. */
export function compiledProgram(rt: Runtime, program: FusedElementwiseProgram, infos: readonly FusedValueInfo[]): CompiledFused | null {
  if (!jitEnabled) return null;
  let programs = compiledPrograms.get(rt.memory);
  if (!programs) compiledPrograms.set(rt.memory, (programs = new WeakMap()));
  let compiled = programs.get(program);
  if (compiled === undefined) {
    compiled = jitTakes(program, infos) ? compileFused(program, rt.memory) : null;
    programs.set(program, compiled);
  }
  return compiled;
}

/** Whether programs may be compiled (the package's tests and benchmark turn it off to reach the interpreter). */
let jitEnabled = true;
/** Whether programs may be compiled now (fused-segments.ts asks). */ export const fusedJitEnabled = (): boolean => jitEnabled;

/** Turns run-time compilation of fused programs on or off (for the package's tests and benchmark). */
export function setFusedJit(enabled: boolean): void {
  jitEnabled = enabled;
}

/** Elementwise work below this many elements stays on one thread. */
const GRAIN = 1 << 16;

/**
 * Runs a program the interpreter takes ({@link interpreterTakes}) over `inputs` and returns the new
 * output ids (outShape is not empty).
 */
export function runFused(rt: Runtime, program: FusedElementwiseProgram, infos: readonly FusedValueInfo[], inputs: readonly Entry[]): DataId[] {
  const compiled = compiledProgram(rt, program, infos);
  if (compiled) {
    const n = sizeOf(program.outShape);
    const ids = program.outputs.map((v) => rt.create(infos[v]!.dtype, n));
    compiled(...inputs.map((e) => e.ptr), ...ids.map((id) => rt.get(id).ptr), n);
    return ids;
  }
  let plan = layouts.get(program);
  if (!plan) {
    plan = layout(program, infos);
    layouts.set(program, plan);
  }
  const n = sizeOf(program.outShape);
  const ids = program.outputs.map((v) => rt.create(infos[v]!.dtype, n));
  const parts = rt.threads;
  const progBytes = (4 * plan.words.length + 63) & ~63;
  const block = rt.heap.alloc(progBytes + plan.scratchBytes * parts);
  const scratch = block + progBytes;
  try {
    const words = new Int32Array(rt.memory.buffer, block, plan.words.length);
    words.set(plan.words);
    for (const w of plan.relative) words[w] = words[w]! + block;
    for (const [w, k] of plan.inputWords) words[w] = inputs[k]!.ptr;
    for (const [w, j] of plan.outputWords) words[w] = rt.get(ids[j]!).ptr;
    rt.parallel('fused', n, GRAIN, (s, e, part) => [block, scratch + part * plan.scratchBytes, s, e], 4);
  } finally {
    rt.heap.release(block);
  }
  return ids;
}
