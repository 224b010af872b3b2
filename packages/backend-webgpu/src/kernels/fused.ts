/**
 * The fused elementwise kernel: one WGSL compute shader per program, one thread per output element.
 * Each thread loads its (broadcast) input elements once, evaluates every step in registers — each a
 * function wrapping core's WGSL form of its op (fusedStepWgsl), the same form the unfused kernels
 * splice in — and stores every output. Pipelines are cached by the program's text and the broadcast
 * rank; several outputs share the dispatch.
 */
import {
  BackendError,
  fusedScalarForm, fusedStepWgsl, validateFusedProgram,
  type DType, type FusedElementwiseProgram, type FusedInstruction, type FusedValueInfo, type TensorRef,
} from '@scratchnet/core';
import { MATH, Uniforms, elementwiseMain, inputDecl, outputDecl, storageType, uniformDecl } from '../wgsl.js';
import { contiguousStrides, mergeAxes, sizeOf, stridesBroadcastTo } from '../layout.js';
import { groupsFor, stridedKey, stridedOffsetsConst, type GpuData, type KernelContext } from './context.js';
import { convert } from './elementwise.js';

/**
 * Where each step's run-time number lives: a unary step's alpha and a constant's value travel in the
 * uniforms (as the unfused kernels receive them), never as WGSL literals, because WGSL rejects a
 * constant expression whose value is infinite or NaN and would fold a chain of literal steps.
 */
export interface Param {
  /** The instruction's value index. */
  readonly r: number;
  /** The word's index in the uniforms. */
  readonly at: number;
  readonly value: number;
  readonly dtype: DType;
}

/*
 * A binary step's second operand is XORed with a uniform word that holds 0 (one word per step): the
 * shader compiler cannot then prove both operands equal and fold x − x to 0 or x / x to 1, which is
 * wrong for NaN and ±Infinity (the unfused kernel reads them from two bindings, where it cannot).
 */

/** The parameters of a program's steps, in instruction order, from uniform word `first` on. */
export function paramsOf(program: FusedElementwiseProgram, infos: readonly FusedValueInfo[], first: number): Param[] {
  const nIn = program.inputs.length;
  const params: Param[] = [];
  program.instructions.forEach((ins, k) => {
    if (ins.kind === 'unary') {
      params.push({ r: nIn + k, at: first + params.length, value: fusedScalarForm(ins, infos[ins.arg]!.dtype).alpha, dtype: 'float32' });
    } else if (ins.kind === 'const') {
      params.push({ r: nIn + k, at: first + params.length, value: ins.value, dtype: ins.dtype });
    } else if (ins.kind === 'binary') {
      params.push({ r: nIn + k, at: first + params.length, value: 0, dtype: 'int32' });
    }
  });
  return params;
}

/** A parameter as the int32 word the uniforms hold (a float32 by its bit pattern). */
export function paramWord(p: Param): number {
  if (p.dtype === 'float32') return new Int32Array(Float32Array.of(p.value).buffer)[0]!;
  return p.dtype === 'int32' ? p.value | 0 : p.value !== 0 ? 1 : 0;
}

/** WGSL reading a parameter in its dtype's storage type. */
function paramWgsl(p: Param): string {
  if (p.dtype === 'float32') return `uf(${p.at}u)`;
  return p.dtype === 'int32' ? `u(${p.at}u)` : `select(0u, 1u, u(${p.at}u) != 0)`;
}

/** `x` XORed with the zero word of `p`: the same value, opaque to the compiler. */
function opaque(x: string, t: 'f32' | 'i32' | 'u32', p: Param): string {
  if (t === 'f32') return `bitcast<f32>(bitcast<u32>(${x}) ^ u32(u(${p.at}u)))`;
  return t === 'i32' ? `(${x} ^ u(${p.at}u))` : `(${x} ^ u32(u(${p.at}u)))`;
}

/** The WGSL type of a fused value (fused programs never hold float16: FusedDType). */
function fusedType(dtype: string): 'f32' | 'i32' | 'u32' {
  const t = storageType(dtype as Parameters<typeof storageType>[0]);
  if (t === 'f16') throw new BackendError('fusedElementwise: float16 values run unfused');
  return t;
}

/** The WGSL value of one instruction (a call of its step function `s<r>` for table ops). */
function valueWgsl(ins: FusedInstruction, r: number, infos: readonly FusedValueInfo[], param: Param | undefined): string {
  const v = (i: number): string => `v${i}`;
  switch (ins.kind) {
    case 'unary': return `s${r}(${v(ins.arg)}, ${paramWgsl(param!)})`;
    case 'binary': return `s${r}(${v(ins.args[0])}, ${opaque(v(ins.args[1]), fusedType(infos[ins.args[1]]!.dtype), param!)})`;
    case 'where': return `select(${v(ins.args[2])}, ${v(ins.args[1])}, ${v(ins.args[0])} != 0u)`;
    case 'cast': return convert(v(ins.arg), fusedType(infos[ins.arg]!.dtype), ins.dtype);
    case 'const': return paramWgsl(param!);
  }
}

/** The shader of a program over a broadcast walk of merged axes `shape` (empty: every input has the output's size), baked in. */
function shaderOf(program: FusedElementwiseProgram, infos: readonly FusedValueInfo[], walk: { shape: readonly number[]; strides: readonly (readonly number[])[] }, params: readonly Param[], rows: number): string {
  const nIn = program.inputs.length;
  const decls = [
    ...program.inputs.map((x, k) => inputDecl(`x${k}`, k, x.dtype)),
    ...program.outputs.map((o, j) => outputDecl(`o${j}`, nIn + j, infos[o]!.dtype)),
  ];
  const steps = stepsWgsl(program, infos, params);
  const lines = [...program.inputs.map((_, k) => `  let v${k} = x${k}[off${k}];`), ...steps.lines];
  program.outputs.forEach((o, j) => lines.push(`  o${j}[i] = v${o};`));
  const body = `${stridedOffsetsConst(walk.shape, walk.strides)}\n${lines.join('\n')}`;
  return `${decls.join('\n')}\n${uniformDecl(nIn + program.outputs.length, rows)}\n${MATH}\n${steps.fns.join('\n')}\n${elementwiseMain(body)}`;
}

/**
 * The WGSL of a program's instructions, given `v<k>` for each input k: the step functions (module scope)
 * and one `let v<r> = ...;` line per instruction.
 */
export function stepsWgsl(program: FusedElementwiseProgram, infos: readonly FusedValueInfo[], params: readonly Param[]): { fns: string[]; lines: string[] } {
  const nIn = program.inputs.length;
  const fns: string[] = [];
  const lines: string[] = [];
  program.instructions.forEach((ins, k) => {
    const r = nIn + k;
    if (ins.kind === 'unary') fns.push(fusedStepWgsl(ins, infos[ins.arg]!.dtype, `s${r}`));
    if (ins.kind === 'binary') fns.push(fusedStepWgsl(ins, infos[ins.args[0]]!.dtype, `s${r}`));
    lines.push(`  let v${r} = ${valueWgsl(ins, r, infos, params.find((p) => p.r === r))};`);
  });
  return { fns, lines };
}

const keys = new WeakMap<FusedElementwiseProgram, string>();

/** The cache key of a program's code (shapes and strides travel in the uniforms), made once per program object. */
export function programKey(program: FusedElementwiseProgram): string {
  let key = keys.get(program);
  if (key === undefined) {
    key = JSON.stringify([program.inputs.map((x) => x.dtype), program.instructions, program.outputs]);
    keys.set(program, key);
  }
  return key;
}

/** Storage buffers a program binds: one per input and per output. */
export function fusedBindings(program: FusedElementwiseProgram): number {
  return program.inputs.length + program.outputs.length;
}

/**
 * Records one dispatch running `program` over `inputs` and returns its outputs (new data of `outShape`,
 * each of its output value's dtype). The caller checks that the program fits the device's storage
 * buffer limit ({@link fusedBindings}).
 */
export function fused(ctx: KernelContext, program: FusedElementwiseProgram, inputs: readonly TensorRef[]): GpuData[] {
  const infos = validateFusedProgram(program);
  const { outShape } = program;
  const n = sizeOf(outShape);
  const outs = program.outputs.map((o) => ctx.alloc(n, infos[o]!.dtype));
  if (n === 0) return outs;
  const shapes = program.inputs.map((x) => x.shape);
  const contiguous = shapes.every((s) => sizeOf(s) === n);
  const merged = contiguous ? { shape: [], strides: [] } : mergeAxes(outShape, [contiguousStrides(outShape), ...shapes.map((s) => stridesBroadcastTo(s, outShape))]);
  const walk = { shape: merged.shape, strides: contiguous ? program.inputs.map(() => []) : merged.strides.slice(1) };
  const u = new Uniforms();
  u.push(n);
  const params = paramsOf(program, infos, u.push()); // push() of nothing: the index of the next word
  for (const p of params) {
    if (p.dtype === 'float32') u.pushFloat(p.value);
    else u.push(p.dtype === 'int32' ? p.value | 0 : p.value !== 0 ? 1 : 0);
  }
  const rows = u.rows;
  ctx.run(
    { key: `fused|${programKey(program)}|${stridedKey(walk.shape, walk.strides)}|u${rows}`, source: () => shaderOf(program, infos, walk, params, rows) },
    [...inputs.map((t) => ctx.buf(t)), ...outs.map((o) => o.buffer)], u, groupsFor(n),
  );
  return outs;
}
