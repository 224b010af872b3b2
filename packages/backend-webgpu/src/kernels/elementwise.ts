/** Elementwise kernels: unary, binary with broadcasting, where, cast. One thread per output element. */
import type { BinaryOp, DType, TensorRef, UnaryAttrs, UnaryOp } from '@scratchnet/core';
import { MATH, Uniforms, elementwiseMain, inputDecl, outputDecl, storageType, uniformDecl } from '../wgsl.js';
import { contiguousStrides, mergeAxes, sizeOf, stridesBroadcastTo } from '../layout.js';
import { groupsFor, pushStrided, stridedOffsets, type GpuData, type KernelContext } from './context.js';

/** WGSL converting `expr` of storage type `from` to the storage of dtype `to`. */
export function convert(expr: string, from: 'f32' | 'i32' | 'u32', to: DType): string {
  const t = storageType(to);
  if (from === t) return expr;
  if (to === 'bool') return from === 'f32' ? `f2b(${expr})` : `select(0u, 1u, ${expr} != 0${from === 'i32' ? '' : 'u'})`;
  if (to === 'int32') return from === 'f32' ? `f2i(${expr})` : `i32(${expr})`;
  return `f32(${expr})`;
}

const FLOAT_UNARY: Record<Exclude<UnaryOp, 'logicalNot'>, string> = {
  neg: '-v', abs: 'abs(v)', sign: 'select(select(v, -1.0, v < 0.0), 1.0, v > 0.0)',
  exp: 'exp(v)', expm1: 'expm1_f(v)', log: 'log_f(v)', log1p: 'select(log1p_f(v), nan_f32(), v < -1.0)',
  sqrt: 'sqrt_f(v)', rsqrt: 'div_f(1.0, sqrt_f(v))', square: 'v * v', reciprocal: 'div_f(1.0, v)',
  sin: 'sin_f(v)', cos: 'cos_f(v)', tanh: 'tanh_f(v)', sigmoid: 'sigmoid_f(v)',
  relu: 'select(v, 0.0, v < 0.0)', relu6: 'select(select(v, 6.0, v > 6.0), 0.0, v < 0.0)',
  leakyRelu: 'select(uf(1u) * v, v, v > 0.0)', elu: 'select(uf(1u) * expm1_f(v), v, v > 0.0)',
  gelu: 'gelu_f(v)', erf: 'erf_f(v)',
  softplus: 'select(log1p_f(exp(-abs(v))) + max(v, 0.0), v, is_nan(v))',
  floor: 'floor(v)', ceil: 'ceil(v)', round: 'round(v)',
};

const INT_UNARY: Partial<Record<UnaryOp, string>> = {
  neg: '0 - v', abs: 'abs(v)', sign: 'sign(v)', square: 'v * v', relu: 'max(v, 0)', relu6: 'clamp(v, 0, 6)',
};

function launch(ctx: KernelContext, key: string, body: string, bindings: readonly { dtype: DType; out?: boolean }[], u: Uniforms, buffers: GPUBuffer[], threads: number): void {
  const decls = bindings.map((b, k) => (b.out ? outputDecl(`o${k}`, k, b.dtype) : inputDecl(`x${k}`, k, b.dtype)));
  const rows = u.rows;
  ctx.run({ key: `${key}|u${rows}`, source: () => `${decls.join('\n')}\n${uniformDecl(bindings.length, rows)}\n${MATH}\n${elementwiseMain(body)}` }, buffers, u, groupsFor(threads));
}

/** Elementwise unary op. */
export function unary(ctx: KernelContext, op: UnaryOp, x: TensorRef, outDtype: DType, attrs: UnaryAttrs): GpuData {
  const n = sizeOf(x.shape);
  const out = ctx.alloc(n, outDtype);
  if (n === 0) return out;
  const inT = storageType(x.dtype);
  let expr: string;
  let from: 'f32' | 'i32' | 'u32';
  if (op === 'logicalNot') {
    expr = inT === 'f32' ? 'select(1u, 0u, f2b(v) == 1u)' : `select(0u, 1u, v == 0${inT === 'i32' ? '' : 'u'})`;
    from = 'u32';
  } else if (outDtype === 'int32' && inT !== 'f32' && INT_UNARY[op]) {
    expr = INT_UNARY[op];
    from = 'i32';
  } else {
    expr = FLOAT_UNARY[op];
    from = 'f32';
  }
  const load = op === 'logicalNot' || from === 'f32' ? convert('x0[i]', inT, from === 'f32' ? 'float32' : x.dtype) : convert('x0[i]', inT, 'int32');
  const u = new Uniforms();
  u.push(n);
  const alpha = op === 'leakyRelu' ? (attrs.alpha ?? 0.01) : op === 'elu' ? (attrs.alpha ?? 1) : 0;
  u.pushFloat(alpha);
  const body = `  let v = ${load};\n  o1[i] = ${convert(`(${expr})`, from, outDtype)};`;
  launch(ctx, `unary|${op}|${x.dtype}|${outDtype}`, body, [{ dtype: x.dtype }, { dtype: outDtype, out: true }], u, [ctx.buf(x), out.buffer], n);
  return out;
}

const COMPARE: Partial<Record<BinaryOp, string>> = {
  equal: '==', notEqual: '!=', less: '<', lessEqual: '<=', greater: '>', greaterEqual: '>=',
};

function binaryExpr(op: BinaryOp, t: 'f32' | 'i32' | 'u32'): { expr: string; from: 'f32' | 'i32' | 'u32'; load: 'f32' | 'i32' | 'u32' } {
  if (op === 'logicalAnd' || op === 'logicalOr') {
    const nz = (v: string): string => (t === 'f32' ? `(f2b(${v}) == 1u)` : `(${v} != 0${t === 'i32' ? '' : 'u'})`);
    return { expr: `select(0u, 1u, ${nz('a')} ${op === 'logicalAnd' ? '&&' : '||'} ${nz('b')})`, from: 'u32', load: t };
  }
  const cmp = COMPARE[op];
  if (cmp) {
    if (t !== 'f32') return { expr: `select(0u, 1u, a ${cmp} b)`, from: 'u32', load: t };
    const nanOut = op === 'notEqual' ? '1u' : '0u';
    return { expr: `select(select(0u, 1u, a ${cmp} b), ${nanOut}, is_nan(a) || is_nan(b))`, from: 'u32', load: t };
  }
  if (t === 'f32') {
    const f: Record<string, string> = { add: 'a + b', sub: 'a - b', mul: 'a * b', div: 'div_f(a, b)', pow: 'pow_f(a, b)', maximum: 'max_f(a, b)', minimum: 'min_f(a, b)' };
    return { expr: f[op]!, from: 'f32', load: 'f32' };
  }
  const i: Record<string, string> = { add: 'a + b', sub: 'a - b', mul: 'a * b', div: 'select(a / b, 0, b == 0)', pow: 'pow_i(a, b)', maximum: 'max(a, b)', minimum: 'min(a, b)' };
  return { expr: i[op]!, from: 'i32', load: 'i32' };
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
  const t = storageType(a.dtype);
  const { expr, from, load } = binaryExpr(op, t === 'u32' && !(op in COMPARE) && op !== 'logicalAnd' && op !== 'logicalOr' ? 'i32' : t);
  const L = broadcastLayout([a.shape, b.shape], outShape);
  const u = new Uniforms();
  u.push(n);
  pushStrided(u, L.shape, L.strides.map((s) => ({ base: 0, strides: s })));
  const body = `${stridedOffsets(L.rank, 2, 1)}
  let a = ${convert('x0[off0]', t, load === 'f32' ? 'float32' : load === 'i32' ? 'int32' : 'bool')};
  let b = ${convert('x1[off1]', t, load === 'f32' ? 'float32' : load === 'i32' ? 'int32' : 'bool')};
  o2[i] = ${convert(`(${expr})`, from, outDtype)};`;
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
