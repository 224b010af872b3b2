/**
 * Epilogues of the GEMM kernels (matmul, conv2d), pooling and reductions: an elementwise program
 * applied to each output element in registers as the kernel stores it, so that output never reaches memory. The program's WGSL
 * is the fused kernel's (kernels/fused.ts: the same step functions from core's per-op forms, the same
 * uniform parameters), wrapped in `fn epilogue_store(i: u32, v0: f32)`, which the kernel calls with the
 * flat output index instead of its own store. Extras (a bias, a residual) are read at their broadcast
 * offsets of `i`, computed as the fused kernel computes them over the merged axes.
 */
import { checkEpilogue, type DType, type EpilogueKernel, type FusedElementwiseProgram, type TensorRef } from '@scratchnet/core';
import { contiguousStrides, mergeAxes, sizeOf, stridesBroadcastTo } from '../layout.js';
import { MATH, inputDecl, outputDecl } from '../wgsl.js';
import { stridedKey, stridedOffsetsConst, type GpuData, type KernelContext, type ShaderPart } from './context.js';
import { paramWord, paramsOf, programKey, stepsWgsl } from './fused.js';

/**
 * What a kernel needs to store through an epilogue instead of into its own output. `decls`: the extras'
 * and outputs' bindings, the math helpers (unless left out), the step functions and `epilogue_store`;
 * `buffers`: the extras', then the outputs', bound from the binding given; `words` read from the word given.
 */
export interface StoreEpilogue extends ShaderPart {
  /** The program's outputs (new data of the product's size). */
  readonly outs: readonly GpuData[];
}

/** Storage buffers a kernel with `operands` inputs binds with this epilogue: its operands, the extras and the outputs. */
export function epilogueBindings(program: FusedElementwiseProgram, operands = 2): number {
  return operands + program.inputs.length - 1 + program.outputs.length;
}

/**
 * The epilogue code of `program` for a kernel output of `productSize` elements: extras bound from
 * `firstBinding` on, uniform words from `firstWord` on; `math`: false where the kernel's shader has
 * the math helpers already. Checks the program and extras first (`op` names the kernel in errors).
 */
export function storeEpilogue(
  ctx: KernelContext, op: EpilogueKernel, program: FusedElementwiseProgram, extras: readonly TensorRef[], productSize: number,
  firstBinding: number, firstWord: number, math = true,
): StoreEpilogue {
  const code = epilogueCode(op, program, extras, productSize, firstBinding, firstWord, math);
  const n = sizeOf(program.outShape);
  const outs = code.outDtypes.map((dtype) => ctx.alloc(n, dtype));
  return { decls: code.decls, buffers: [...extras.map((t) => ctx.buf(t)), ...outs.map((o) => o.buffer)], words: code.words, key: code.key, outs };
}

/** What an epilogue's code depends on only through its program (and where it binds and reads uniforms). */
interface EpilogueCode {
  readonly decls: string;
  readonly words: readonly number[];
  readonly key: string;
  readonly outDtypes: readonly DType[];
}

/** Code per program object (programs are immutable; a compiled step replays the same objects every call), then per placement. */
const codeCache = new WeakMap<FusedElementwiseProgram, Map<string, EpilogueCode>>();

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/** The epilogue's code, made once per program and placement; every call checks its extras and size (fully the first time). */
function epilogueCode(
  op: EpilogueKernel, program: FusedElementwiseProgram, extras: readonly TensorRef[], productSize: number,
  firstBinding: number, firstWord: number, math: boolean,
): EpilogueCode {
  const place = `${firstBinding}|${firstWord}|${math}`;
  const cached = codeCache.get(program)?.get(place);
  const fits = (): boolean => sizeOf(program.outShape) === productSize && extras.length === program.inputs.length - 1 &&
    extras.every((t, k) => t.dtype === program.inputs[k + 1]!.dtype && sameShape(t.shape, program.inputs[k + 1]!.shape));
  if (cached && fits()) return cached;
  const infos = checkEpilogue(op, program, productSize, extras);
  const { outShape } = program;
  const n = sizeOf(outShape);
  const extraShapes = program.inputs.slice(1).map((x) => x.shape);
  const full = extraShapes.every((s) => sizeOf(s) === n);
  const merged = full ? { shape: [], strides: [] } : mergeAxes(outShape, [contiguousStrides(outShape), ...extraShapes.map((s) => stridesBroadcastTo(s, outShape))]);
  // The walk is the program's own (its shapes are fixed), so it is baked into the code.
  const walk = { shape: merged.shape, strides: full ? extras.map(() => []) : merged.strides.slice(1) };
  const params = paramsOf(program, infos, firstWord);
  const words = params.map(paramWord);
  const nExtra = extras.length;
  const decls = [
    ...extras.map((t, k) => inputDecl(`e${k + 1}`, firstBinding + k, t.dtype)),
    ...program.outputs.map((o, j) => outputDecl(`o${j}`, firstBinding + nExtra + j, infos[o]!.dtype)),
  ];
  const steps = stepsWgsl(program, infos, params);
  // stridedOffsets names operand k's offset off<k>: extra k + 1 of the program reads at off<k>.
  const lines = [
    stridedOffsetsConst(walk.shape, walk.strides),
    ...extras.map((_, k) => `  let v${k + 1} = e${k + 1}[off${k}];`),
    ...steps.lines,
    ...program.outputs.map((o, j) => `  o${j}[i] = v${o};`),
  ];
  const fn = `fn epilogue_store(i: u32, v0: f32) {\n${lines.join('\n')}\n}`;
  const code: EpilogueCode = {
    decls: `${decls.join('\n')}\n${math ? MATH : ''}\n${steps.fns.join('\n')}\n${fn}`,
    words,
    key: `epi|${programKey(program)}|${stridedKey(walk.shape, walk.strides)}`,
    outDtypes: program.outputs.map((o) => infos[o]!.dtype),
  };
  let byPlace = codeCache.get(program);
  if (!byPlace) codeCache.set(program, (byPlace = new Map<string, EpilogueCode>()));
  byPlace.set(place, code);
  return code;
}
