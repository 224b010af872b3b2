/**
 * The host side of the fused elementwise kernel: decides whether the AssemblyScript tile interpreter
 * (assembly/fused.ts) takes a program, encodes it into wasm memory, and runs it over the output split
 * across threads. The interpreter applies each step to tiles of {@link fusedTile} elements with the
 * unfused kernels' own loops, so results are bit-identical to them and intermediates never leave L1.
 * It takes float32 and bool values (float32 unary and binary ops, comparisons, where over float32,
 * casts between float32 and bool, constants); a program with an int32 value or a bool-only op runs
 * unfused (int32 and bool kernels run on the host here anyway).
 */
import {
  BINARY_OPS, UNARY_OPS, binaryDef, fusedScalarForm, unaryDef,
  type DataId, type FusedElementwiseProgram, type FusedValueInfo,
} from '@scratchnet/core';
import { elementBytes, type Entry, type Runtime } from './runtime.js';
import { broadcastStrides, contiguousStrides, mergeAxes, sizeOf } from './shapes.js';

/** Instruction kinds of the interpreter (assembly/fused.ts). */
const KIND = { unary: 0, binary: 1, where4: 2, f32ToBool: 3, boolToF32: 4, constF32: 5, constBool: 6 } as const;

/** Bytes of live tiles a program's values share: well inside L1 (measured best on this machine, see the bench). */
const TILE_BUDGET = 8192;

/** A fixed tile length set for the benchmark, or null: sized per program. */
let fixedTile: number | null = null;

/**
 * Elements per tile for a program of `values` values: all of their tiles together fill about
 * {@link TILE_BUDGET} bytes, between 128 and 2048 elements (fewer per tile and the per-step call costs
 * show; more and the tiles spill out of L1), a multiple of 16.
 */
export function fusedTile(values: number): number {
  if (fixedTile !== null) return fixedTile;
  return Math.max(128, Math.min(2048, Math.floor(TILE_BUDGET / (4 * values)))) & ~15;
}

/** Fixes the tile length (a multiple of 4, at least 16), or restores per-program sizing with null: for the package's benchmark only. */
export function setFusedTile(elements: number | null): void {
  if (elements !== null && (!Number.isInteger(elements) || elements < 16 || elements % 4 !== 0)) {
    throw new RangeError(`wasm backend: tile ${elements} is not a multiple of 4 ≥ 16`);
  }
  fixedTile = elements;
}

/** Whether the interpreter takes every step of a program (else it runs unfused). */
export function interpreterTakes(program: FusedElementwiseProgram, infos: readonly FusedValueInfo[]): boolean {
  if (infos.some((v) => v.dtype === 'int32')) return false;
  return program.instructions.every((ins) => {
    switch (ins.kind) {
      case 'unary': return unaryDef(ins.op).input !== 'bool';
      case 'binary': return binaryDef(ins.op).kind !== 'logical' && infos[ins.args[0]]!.dtype === 'float32';
      case 'where': return infos[ins.args[1]]!.dtype === 'float32';
      case 'cast': case 'const': return true;
    }
  });
}

const f32Bits = (value: number): number => new Int32Array(new Float32Array([value]).buffer)[0]!;

/** The program's words for the interpreter (pointers are filled in by the caller's layout). */
function encode(
  program: FusedElementwiseProgram, infos: readonly FusedValueInfo[], inputs: readonly Entry[], outputs: readonly Entry[], tile: number, base: number,
): number[] {
  const { outShape } = program;
  const n = sizeOf(outShape);
  const nIn = inputs.length;
  const head = [infos.length, nIn, program.instructions.length, outputs.length, tile, 0];
  const inputWords: number[] = [];
  const metas: number[] = [];
  const metaAt = base + 4 * (head.length + 4 * nIn + 6 * program.instructions.length + 3 * outputs.length);
  const whereMeta = metaAt;
  metas.push(tile, 1, 1, 1);
  head[5] = whereMeta;
  program.inputs.forEach((x, k) => {
    const contiguous = sizeOf(x.shape) === n;
    let meta = 0;
    if (!contiguous) {
      const walk = mergeAxes(outShape, [contiguousStrides(outShape), broadcastStrides(x.shape, outShape)]);
      meta = metaAt + 4 * metas.length;
      metas.push(walk.shape.length, ...walk.shape, ...walk.strides[1]!);
    }
    inputWords.push(inputs[k]!.ptr, elementBytes(x.dtype), contiguous ? 1 : 0, meta);
  });
  const instrWords: number[] = [];
  for (const ins of program.instructions) {
    switch (ins.kind) {
      case 'unary':
        instrWords.push(KIND.unary, UNARY_OPS.indexOf(ins.op), ins.arg, 0, 0, f32Bits(fusedScalarForm(ins, 'float32').alpha));
        break;
      case 'binary':
        instrWords.push(KIND.binary, BINARY_OPS.indexOf(ins.op), ins.args[0], ins.args[1], 0, 0);
        break;
      case 'where':
        instrWords.push(KIND.where4, 0, ins.args[0], ins.args[1], ins.args[2], 0);
        break;
      case 'cast':
        instrWords.push(ins.dtype === 'bool' ? KIND.f32ToBool : KIND.boolToF32, 0, ins.arg, 0, 0, 0);
        break;
      case 'const':
        instrWords.push(ins.dtype === 'bool' ? KIND.constBool : KIND.constF32, 0, 0, 0, 0,
          ins.dtype === 'bool' ? (ins.value !== 0 ? 1 : 0) : f32Bits(ins.value));
        break;
    }
  }
  const outWords = program.outputs.flatMap((v, j) => [v, outputs[j]!.ptr, elementBytes(infos[v]!.dtype)]);
  return [...head, ...inputWords, ...instrWords, ...outWords, ...metas];
}

/** Elementwise work below this many elements stays on one thread. */
const GRAIN = 1 << 16;

/**
 * Runs a program the interpreter takes ({@link interpreterTakes}) over `inputs` and returns the new
 * output ids (outShape is not empty).
 */
export function runFused(rt: Runtime, program: FusedElementwiseProgram, infos: readonly FusedValueInfo[], inputs: readonly Entry[]): DataId[] {
  const n = sizeOf(program.outShape);
  const ids = program.outputs.map((v) => rt.create(infos[v]!.dtype, n));
  const outputs = ids.map((id) => rt.get(id));
  const tile = fusedTile(infos.length);
  const scratchBytes = 16 + 4 * infos.length + (4 * tile + 64) * infos.length; // see assembly/fused.ts
  const parts = rt.threads;
  const scratch = rt.heap.alloc(scratchBytes * parts);
  // The program's size is known before its pointers are: encode once to measure, then at its address.
  const words = encode(program, infos, inputs, outputs, tile, 0).length;
  const prog = rt.heap.alloc(4 * words);
  try {
    const encoded = encode(program, infos, inputs, outputs, tile, prog);
    new Int32Array(rt.memory.buffer, prog, encoded.length).set(encoded);
    rt.parallel('fused', n, GRAIN, (s, e, part) => [prog, scratch + part * scratchBytes, s, e], 4);
  } finally {
    rt.heap.release(prog);
    rt.heap.release(scratch);
  }
  return ids;
}
