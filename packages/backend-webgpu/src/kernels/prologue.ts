/**
 * Prologues of the reduce kernel: an elementwise program computed for each element as the reduction
 * reads it, so its result never reaches memory. The program's WGSL is the fused kernel's (the same step
 * functions from core's per-op forms, the same uniform parameters), wrapped in
 * `fn prologue_load(i: u32) -> T`, which the reduce calls with the flat index instead of loading x (the
 * reduce's own header brings the math helpers the steps use).
 */
import { validateFusedProgram, checkFusedInputs, type FusedElementwiseProgram, type TensorRef } from '@scratchnet/core';
import { contiguousStrides, mergeAxes, sizeOf, stridesBroadcastTo } from '../layout.js';
import { inputDecl } from '../wgsl.js';
import { stridedKey, stridedOffsetsConst, type KernelContext, type ShaderPart } from './context.js';
import { paramWord, paramsOf, programKey, stepsWgsl } from './fused.js';

/**
 * What the reduce kernel needs to read through a prologue: `decls` are the inputs' bindings (0..n-1),
 * the step functions and `prologue_load`; `words` are read from the word given.
 */
export type ReducePrologue = ShaderPart;

/** Code per program object and first uniform word (a compiled step replays the same program objects). */
const codeCache = new WeakMap<FusedElementwiseProgram, Map<number, Omit<ReducePrologue, 'buffers'>>>();

/** The prologue code of a one-output `program` over `inputs`, its uniform words from `firstWord` on (made once per program). */
export function reducePrologue(ctx: KernelContext, program: FusedElementwiseProgram, inputs: readonly TensorRef[], firstWord: number): ReducePrologue {
  checkFusedInputs(program, inputs);
  const buffers = inputs.map((t) => ctx.buf(t));
  const cached = codeCache.get(program)?.get(firstWord);
  if (cached) return { ...cached, buffers };
  const infos = validateFusedProgram(program);
  const { outShape } = program;
  const n = sizeOf(outShape);
  const shapes = program.inputs.map((x) => x.shape);
  const full = shapes.every((s) => sizeOf(s) === n);
  const merged = full ? { shape: [], strides: [] } : mergeAxes(outShape, [contiguousStrides(outShape), ...shapes.map((s) => stridesBroadcastTo(s, outShape))]);
  // The walk is the program's own (its shapes are fixed), so it is baked into the code.
  const walk = { shape: merged.shape, strides: full ? inputs.map(() => []) : merged.strides.slice(1) };
  const params = paramsOf(program, infos, firstWord);
  const words = params.map(paramWord);
  const steps = stepsWgsl(program, infos, params);
  const out = program.outputs[0]!;
  const type = infos[out]!.dtype === 'float32' ? 'f32' : infos[out]!.dtype === 'int32' ? 'i32' : 'u32';
  const lines = [
    stridedOffsetsConst(walk.shape, walk.strides),
    ...inputs.map((_, k) => `  let v${k} = p${k}[off${k}];`),
    ...steps.lines,
    `  return v${out};`,
  ];
  const decls = inputs.map((t, k) => inputDecl(`p${k}`, k, t.dtype));
  const code = {
    decls: `${decls.join('\n')}\n${steps.fns.join('\n')}\nfn prologue_load(i: u32) -> ${type} {\n${lines.join('\n')}\n}`,
    words,
    key: `pro|${programKey(program)}|${stridedKey(walk.shape, walk.strides)}`,
  };
  let byWord = codeCache.get(program);
  if (!byWord) codeCache.set(program, (byWord = new Map<number, Omit<ReducePrologue, 'buffers'>>()));
  byWord.set(firstWord, code);
  return { ...code, buffers };
}
