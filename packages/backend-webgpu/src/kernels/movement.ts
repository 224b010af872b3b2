/** Data movement kernels: strided copy, pad, concat, gather and its adjoint scatterAdd. */
import type { DType, StridedView, TensorRef } from '@scratchnet/core';
import { MATH, Uniforms, elementwiseMain, inputDecl, outputDecl, uniformDecl } from '../wgsl.js';
import { HALF } from '../half.js';
import { around, contiguousStrides, mergeAxes, sizeOf } from '../layout.js';
import { groupsFor, pushStrided, stridedOffsets, type GpuData, type KernelContext } from './context.js';

function launch(ctx: KernelContext, key: string, decls: string[], body: string, u: Uniforms, buffers: GPUBuffer[], threads: number): void {
  const rows = u.rows;
  const half = decls.some((d) => d.includes('<f16>')) ? HALF : '';
  ctx.run({ key: `${key}|u${rows}`, source: () => `${decls.join('\n')}\n${uniformDecl(decls.length, rows)}\n${MATH}\n${half}\n${elementwiseMain(body)}` }, buffers, u, groupsFor(threads));
}

/** Materialises a strided view (non-empty; strides ≥ 0, 0 broadcasting). */
export function copy(ctx: KernelContext, x: TensorRef, view: StridedView): GpuData {
  const n = sizeOf(view.shape);
  const out = ctx.alloc(n, x.dtype);
  const m = mergeAxes(view.shape, [contiguousStrides(view.shape), view.strides]);
  const rank = m.shape.length;
  const u = new Uniforms();
  u.push(n);
  pushStrided(u, m.shape, [{ base: view.offset, strides: m.strides[1]! }]);
  launch(ctx, `copy|${x.dtype}|r${rank}`, [inputDecl('x0', 0, x.dtype), outputDecl('o1', 1, x.dtype)],
    `${stridedOffsets(rank, 1, 1)}\n  o1[i] = x0[off0];`, u, [ctx.buf(x), out.buffer], n);
  return out;
}

/** The fill value of pad in WGSL, read from uniform word `at`. */
function fillValue(dtype: DType, at: number): string {
  if (dtype === 'float16') return `f2h(uf(${at}u))`;
  return dtype === 'float32' ? `uf(${at}u)` : dtype === 'int32' ? `u(${at}u)` : `select(0u, 1u, uf(${at}u) != 0.0)`;
}

/** Pads each axis by [before, after] ≥ 0 (the output is never empty). */
export function pad(ctx: KernelContext, x: TensorRef, paddings: readonly (readonly [number, number])[], value: number): GpuData {
  const outShape = x.shape.map((d, i) => d + paddings[i]![0] + paddings[i]![1]);
  const n = sizeOf(outShape);
  const out = ctx.alloc(n, x.dtype);
  const r = x.shape.length;
  const u = new Uniforms();
  u.push(n);
  const valueAt = x.dtype === 'int32' ? u.push(value) : u.pushFloat(value);
  const at = u.push(...outShape, ...x.shape, ...contiguousStrides(x.shape), ...paddings.map((p) => p[0]));
  const lines = ['  var rem = i;', '  var off = 0;', '  var inside = true;'];
  for (let d = r - 1; d >= 0; d--) {
    lines.push(`  { let dim = u32(u(${at + d}u)); let s = i32(rem % dim) - u(${at + 3 * r + d}u); rem = rem / dim;`);
    lines.push(`    inside = inside && s >= 0 && s < u(${at + r + d}u); off = off + s * u(${at + 2 * r + d}u); }`);
  }
  lines.push(`  if (inside) { o1[i] = x0[off]; } else { o1[i] = ${fillValue(x.dtype, valueAt)}; }`);
  launch(ctx, `pad|${x.dtype}|r${r}`, [inputDecl('x0', 0, x.dtype), outputDecl('o1', 1, x.dtype)], lines.join('\n'), u, [ctx.buf(x), out.buffer], n);
  return out;
}

/** Joins inputs along `axis`: one dispatch per input writes its block of columns. */
export function concat(ctx: KernelContext, xs: readonly TensorRef[], axis: number, outShape: readonly number[]): GpuData {
  const dtype = xs[0]!.dtype;
  const out = ctx.alloc(sizeOf(outShape), dtype);
  let outer = 1;
  for (let i = 0; i < axis; i++) outer *= outShape[i]!;
  const outInner = sizeOf(outShape.slice(axis));
  let column = 0;
  for (const x of xs) {
    const inner = sizeOf(x.shape.slice(axis));
    const n = outer * inner;
    if (n > 0) {
      const u = new Uniforms();
      u.push(n, inner, outInner, column);
      launch(ctx, `concat|${dtype}`, [inputDecl('x0', 0, dtype), outputDecl('o1', 1, dtype)],
        '  let inner = u32(u(1u));\n  o1[(i / inner) * u32(u(2u)) + u32(u(3u)) + i % inner] = x0[i];', u, [ctx.buf(x), out.buffer], n);
    }
    column += inner;
  }
  return out;
}

/**
 * Slices of x along `axis` at int32 indices. Out-of-range ones are clamped only to stay in bounds: core
 * checks the indices when they arrive and reports an ArgumentError at the next read.
 */
export function gather(ctx: KernelContext, x: TensorRef, indices: TensorRef, axis: number): GpuData {
  const [, d, inner] = around(x.shape, axis);
  const j = sizeOf(indices.shape);
  const n = sizeOf(x.shape.slice(0, axis)) * j * inner;
  const out = ctx.alloc(n, x.dtype);
  if (n === 0) return out;
  const u = new Uniforms();
  u.push(n, j, inner, d);
  const body = `  let J = u32(u(1u)); let inner = u32(u(2u)); let d = u(3u);
  let a = i / (J * inner); let t = (i / inner) % J;
  var k = x1[t]; if (k < 0) { k = k + d; } k = clamp(k, 0, d - 1);
  o2[i] = x0[(a * u32(d) + u32(k)) * inner + i % inner];`;
  launch(ctx, `gather|${x.dtype}|${indices.dtype}`, [inputDecl('x0', 0, x.dtype), inputDecl('x1', 1, indices.dtype), outputDecl('o2', 2, x.dtype)],
    body, u, [ctx.buf(x), ctx.buf(indices), out.buffer], n);
  return out;
}

/**
 * The adjoint of gather, without atomics: each output element sums, in index order, the updates whose
 * index points at it (deterministic, and the same order as a sequential loop).
 */
export function scatterAdd(ctx: KernelContext, updates: TensorRef, indices: TensorRef, axis: number, outShape: readonly number[]): GpuData {
  const [, d, inner] = around(outShape, axis);
  const j = sizeOf(indices.shape);
  const n = sizeOf(outShape);
  const out = ctx.alloc(n, 'float32');
  if (n === 0) return out;
  const u = new Uniforms();
  u.push(n, j, inner, d);
  const body = `  let J = u32(u(1u)); let inner = u32(u(2u)); let d = u(3u);
  let a = i / (u32(d) * inner); let r = i32((i / inner) % u32(d)); let c = i % inner;
  var s = 0.0;
  for (var t = 0u; t < J; t++) {
    var k = x1[t]; if (k < 0) { k = k + d; }
    if (k == r) { s = s + ${updates.dtype === 'float32' ? '' : 'f32'}(x0[(a * J + t) * inner + c]); }
  }
  o2[i] = s;`;
  launch(ctx, `scatterAdd|${updates.dtype}|${indices.dtype}`, [inputDecl('x0', 0, updates.dtype), inputDecl('x1', 1, indices.dtype), outputDecl('o2', 2, 'float32')],
    body, u, [ctx.buf(updates), ctx.buf(indices), out.buffer], n);
  return out;
}

