/** Elementwise kernels: unary, binary with broadcasting, where, cast. One thread per output element. */
import {
  binaryDef, unaryDef, unaryGradForms, type BinaryOp, type DType, type TensorRef, type UnaryAttrs, type UnaryGradOp, type UnaryOp,
} from '@scratchnet/core';
import { MATH, Uniforms, elementwiseMain, inputDecl, outputDecl, storageType, uniformDecl } from '../wgsl.js';
import { HALF } from '../half.js';
import { contiguousStrides, mergeAxes, sizeOf, stridesBroadcastTo } from '../layout.js';
import { groupsFor, pushStrided, stridedOffsets, type GpuData, type KernelContext } from './context.js';

/** WGSL converting `expr` of storage type `from` to the storage of dtype `to` (halves go through f32, exactly; f32 → f16 is `f2h`). */
export function convert(expr: string, from: 'f32' | 'f16' | 'i32' | 'u32', to: DType): string {
  const t = storageType(to);
  if (from === t) return expr;
  if (from === 'f16') return convert(`f32(${expr})`, 'f32', to);
  if (to === 'float16') return `f2h(${from === 'f32' ? expr : `f32(${expr})`})`;
  if (to === 'bool') return from === 'f32' ? `f2b(${expr})` : `select(0u, 1u, ${expr} != 0${from === 'i32' ? '' : 'u'})`;
  if (to === 'int32') return from === 'f32' ? `f2i(${expr})` : `i32(${expr})`;
  return `f32(${expr})`;
}

function launch(ctx: KernelContext, key: string, body: string, bindings: readonly { dtype: DType; out?: boolean }[], u: Uniforms, buffers: GPUBuffer[], threads: number): void {
  const decls = bindings.map((b, k) => (b.out ? outputDecl(`o${k}`, k, b.dtype) : inputDecl(`x${k}`, k, b.dtype)));
  const rows = u.rows;
  const half = bindings.some((b) => b.dtype === 'float16') ? HALF : '';
  ctx.run({ key: `${key}|u${rows}`, source: () => `${decls.join('\n')}\n${uniformDecl(bindings.length, rows)}\n${MATH}\n${half}\n${elementwiseMain(body)}` }, buffers, u, groupsFor(threads));
}

/**
 * Elementwise unary op: core's WGSL form of `op` for the kernel dtype (`outDtype`, which x has too):
 * the f32 form with `alpha` from the uniforms, the i32 form for int32, the bool form for bool.
 */
export function unary(ctx: KernelContext, op: UnaryOp, x: TensorRef, outDtype: DType, attrs: UnaryAttrs): GpuData {
  const n = sizeOf(x.shape);
  const out = ctx.alloc(n, outDtype);
  if (n === 0) return out;
  const def = unaryDef(op);
  let value: string;
  if (def.input === 'bool') value = `select(0u, 1u, ${def.wgslBool})`;
  else if (outDtype === 'int32' && def.input === 'numeric') value = def.wgslInt;
  else value = def.wgsl;
  const u = new Uniforms();
  u.push(n);
  u.pushFloat(attrs.alpha ?? ('alpha' in def ? def.alpha : undefined) ?? 0);
  // float16 computes in f32: loaded exactly, rounded once on the store.
  const half = outDtype === 'float16';
  const body = `  let x = ${half ? 'f32(x0[i])' : 'x0[i]'};\n  let alpha = uf(1u);\n  o1[i] = ${half ? `f2h(${value})` : value};`;
  launch(ctx, `unary|${op}|${outDtype}`, body, [{ dtype: x.dtype }, { dtype: outDtype, out: true }], u, [ctx.buf(x), out.buffer], n);
  return out;
}

/** The fused derivative of unary `op`: dx = core's WGSL `grad` form over float32 x, y = op(x) and dy of one shape. */
export function unaryGrad(ctx: KernelContext, op: UnaryGradOp, x: TensorRef, y: TensorRef, dy: TensorRef, attrs: UnaryAttrs): GpuData {
  const n = sizeOf(x.shape);
  const out = ctx.alloc(n, 'float32');
  if (n === 0) return out;
  const def = unaryDef(op);
  const u = new Uniforms();
  u.push(n);
  u.pushFloat(attrs.alpha ?? ('alpha' in def ? def.alpha : undefined) ?? 0);
  const body = `  let x = x0[i];\n  let y = x1[i];\n  let dy = x2[i];\n  let alpha = uf(1u);\n  o3[i] = ${unaryGradForms(op).wgsl};`;
  launch(ctx, `unaryGrad|${op}`, body, [{ dtype: 'float32' }, { dtype: 'float32' }, { dtype: 'float32' }, { dtype: 'float32', out: true }], u,
    [ctx.buf(x), ctx.buf(y), ctx.buf(dy), out.buffer], n);
  return out;
}

/** The WGSL value of binary `op` over loaded operands `a` and `b` of storage type `t`, in the output's storage type. */
function binaryValue(op: BinaryOp, t: 'f32' | 'i32' | 'u32'): string {
  const def = binaryDef(op);
  switch (def.kind) {
    case 'arith':
      return t === 'i32' && def.int ? def.wgslInt : def.wgsl;
    case 'compare':
      return `select(0u, 1u, ${t === 'f32' ? def.wgsl : def.wgslInt})`;
    case 'logical':
      return `select(0u, 1u, ${def.wgslBool})`;
  }
}

/** Broadcast layout of several inputs to `outShape`: merged axes (rank 0 when all are plain contiguous) and per-input strides. */
function broadcastLayout(shapes: readonly (readonly number[])[], outShape: readonly number[]): { rank: number; shape: number[]; strides: number[][] } {
  const n = sizeOf(outShape);
  if (shapes.every((s) => sizeOf(s) === n)) return { rank: 0, shape: [], strides: [] };
  const merged = mergeAxes(outShape, [contiguousStrides(outShape), ...shapes.map((s) => stridesBroadcastTo(s, outShape))]);
  return { rank: merged.shape.length, shape: merged.shape, strides: merged.strides.slice(1) };
}

/** Elementwise binary op with broadcasting. */
export function binary(ctx: KernelContext, op: BinaryOp, a: TensorRef, b: TensorRef, outShape: readonly number[], outDtype: DType): GpuData {
  const n = sizeOf(outShape);
  const out = ctx.alloc(n, outDtype);
  if (n === 0) return out;
  // float16 operands compute in f32 and round once on the store.
  const half = a.dtype === 'float16';
  const raw = binaryValue(op, half ? 'f32' : storageType(a.dtype) as 'f32' | 'i32' | 'u32');
  const value = half && outDtype === 'float16' ? `f2h(${raw})` : raw;
  const L = broadcastLayout([a.shape, b.shape], outShape);
  const u = new Uniforms();
  u.push(n);
  pushStrided(u, L.shape, L.strides.map((s) => ({ base: 0, strides: s })));
  const body = `${stridedOffsets(L.rank, 2, 1)}
  let a = ${half ? 'f32(x0[off0])' : 'x0[off0]'};
  let b = ${half ? 'f32(x1[off1])' : 'x1[off1]'};
  o2[i] = ${value};`;
  launch(ctx, `binary|${op}|${a.dtype}|${outDtype}|r${L.rank}`, body,
    [{ dtype: a.dtype }, { dtype: b.dtype }, { dtype: outDtype, out: true }], u, [ctx.buf(a), ctx.buf(b), out.buffer], n);
  return out;
}

/** Selects a where cond ≠ 0, else b, with broadcasting. */
export function where(ctx: KernelContext, cond: TensorRef, a: TensorRef, b: TensorRef, outShape: readonly number[]): GpuData {
  const n = sizeOf(outShape);
  const out = ctx.alloc(n, a.dtype);
  if (n === 0) return out;
  const L = broadcastLayout([cond.shape, a.shape, b.shape], outShape);
  const u = new Uniforms();
  u.push(n);
  pushStrided(u, L.shape, L.strides.map((s) => ({ base: 0, strides: s })));
  const c = convert('x0[off0]', storageType(cond.dtype), 'bool');
  const body = `${stridedOffsets(L.rank, 3, 1)}
  o3[i] = select(x2[off2], x1[off1], ${c} != 0u);`;
  launch(ctx, `where|${cond.dtype}|${a.dtype}|r${L.rank}`, body,
    [{ dtype: cond.dtype }, { dtype: a.dtype }, { dtype: b.dtype }, { dtype: a.dtype, out: true }], u,
    [ctx.buf(cond), ctx.buf(a), ctx.buf(b), out.buffer], n);
  return out;
}

/** Converts to another dtype (float → int32 truncates and wraps like ToInt32; → bool is x ≠ 0, NaN → true). */
export function cast(ctx: KernelContext, x: TensorRef, dtype: DType): GpuData {
  const n = sizeOf(x.shape);
  const out = ctx.alloc(n, dtype);
  if (n === 0) return out;
  const u = new Uniforms();
  u.push(n);
  launch(ctx, `cast|${x.dtype}|${dtype}`, `  o1[i] = ${convert('x0[i]', storageType(x.dtype), dtype)};`,
    [{ dtype: x.dtype }, { dtype, out: true }], u, [ctx.buf(x), out.buffer], n);
  return out;
}
