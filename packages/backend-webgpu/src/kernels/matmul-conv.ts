/**
 * matmul and the convolutions on the tiled GEMM: matmul reads its operands (transposed or broadcast over
 * the batch) directly; the convolutions are implicit GEMMs whose loaders compute im2col addresses on
 * the fly, so no column matrix is ever stored.
 */
import type { Conv2dInfo, DType, MatmulAttrs, TensorRef } from '@scratchnet/core';
import { HALF } from '../half.js';
import { cast } from './elementwise.js';
import { inputDecl, outputDecl } from '../wgsl.js';
import { GEMM_USER_WORD as W } from './gemm.js';
import { gemm } from './gemm.js';
import type { GpuData, KernelContext } from './context.js';
import { reduce } from './reduce.js';

/**
 * The operands' and output's bindings for element types `inDtype` / `outDtype` (float32 or float16),
 * plus `out_cast`, which storeC applies: loaders read through `f32(...)` (exact for halves, a no-op
 * for f32), so the GEMM always accumulates in f32 and a float16 output is rounded once on the store.
 */
const decls = (outBinding: number, inDtype: DType = 'float32', outDtype: DType = inDtype): string =>
  `${inputDecl('x0', 0, inDtype)}\n${inputDecl('x1', 1, inDtype)}\n${outputDecl('y', outBinding, outDtype)}\n` +
  (outDtype === 'float16' ? `${HALF}\nfn out_cast(v: f32) -> f16 { return f2h(v); }` : 'fn out_cast(v: f32) -> f32 { return v; }');

/** Batched matmul of rank-3 float32 (or float16, accumulating in f32) operands (see the Backend contract). */
export function matmul(ctx: KernelContext, a: TensorRef, b: TensorRef, attrs: MatmulAttrs): GpuData {
  const [ba, a1, a2] = a.shape as [number, number, number];
  const [bb, b1, b2] = b.shape as [number, number, number];
  const M = attrs.transposeA ? a2 : a1;
  const K = attrs.transposeA ? a1 : a2;
  const N = attrs.transposeB ? b1 : b2;
  const batch = Math.max(ba, bb);
  const out = ctx.alloc(batch * M * N, a.dtype);
  const aIndex = attrs.transposeA ? 'k * M + r' : 'r * K + k';
  const bIndex = attrs.transposeB ? 'c * K + k' : 'k * N + c';
  const loaders = `
fn loadA(b: u32, r: u32, k: u32) -> f32 { let M = u32(u(1u)); let K = u32(u(3u)); return f32(x0[b * u32(u(${W}u)) + ${aIndex}]); }
fn loadB(b: u32, k: u32, c: u32) -> f32 { let N = u32(u(2u)); let K = u32(u(3u)); return f32(x1[b * u32(u(${W + 1}u)) + ${bIndex}]); }
fn storeC(b: u32, r: u32, c: u32, v: f32) { y[(b * u32(u(1u)) + r) * u32(u(2u)) + c] = out_cast(v); }`;
  gemm(ctx, {
    key: `matmul|${attrs.transposeA ? 'T' : 'N'}${attrs.transposeB ? 'T' : 'N'}|${a.dtype}`,
    decls: decls(2, a.dtype), loaders, buffers: [ctx.buf(a), ctx.buf(b), out.buffer], M, N, K, batch,
    words: [ba === 1 ? 0 : M * K, bb === 1 ? 0 : K * N],
  });
  return out;
}

/** Conv2dInfo as uniform words, in the order the loaders below read them (from word W). */
function geometryWords(i: Conv2dInfo): number[] {
  return [
    i.batch, i.inChannels, i.inHeight, i.inWidth, i.outChannels, i.outHeight, i.outWidth, i.kernelHeight, i.kernelWidth,
    i.strideHeight, i.strideWidth, i.dilationHeight, i.dilationWidth, i.padTop, i.padLeft, i.groups,
  ];
}

/** WGSL `let`s naming every geometry word (signed, since padded coordinates go negative). */
const GEOMETRY = [
  'NB', 'C', 'H', 'Wd', 'O', 'OH', 'OW', 'KH', 'KW', 'SH', 'SW', 'DH', 'DW', 'PT', 'PL', 'G',
].map((name, k) => `let ${name} = u(${W + k}u);`).join(' ') + ' let Cg = C / G; let Og = O / G; let KK = KH * KW;';

/** x [N, C, H, W] · w [O, C/G, kh, kw] → y [N, O, OH, OW]; GEMM per (n, group): M = O/G, K = C/G·kh·kw, N = OH·OW. */
export function conv2d(ctx: KernelContext, x: TensorRef, w: TensorRef, info: Conv2dInfo): GpuData {
  const i = info;
  const out = ctx.alloc(i.batch * i.outChannels * i.outHeight * i.outWidth, x.dtype);
  const Cg = i.inChannels / i.groups;
  const Og = i.outChannels / i.groups;
  const loaders = `
fn loadA(b: u32, m: u32, k: u32) -> f32 {
  ${GEOMETRY}
  let g = i32(b) % G;
  return f32(x1[(g * Og + i32(m)) * Cg * KK + i32(k)]);
}
fn loadB(b: u32, k: u32, p: u32) -> f32 {
  ${GEOMETRY}
  let n = i32(b) / G; let g = i32(b) % G;
  let c = i32(k) / KK; let r = i32(k) % KK; let ki = r / KW; let kj = r % KW;
  let ih = (i32(p) / OW) * SH - PT + ki * DH; let iw = (i32(p) % OW) * SW - PL + kj * DW;
  if (ih < 0 || ih >= H || iw < 0 || iw >= Wd) { return 0.0; }
  return f32(x0[((n * C + g * Cg + c) * H + ih) * Wd + iw]);
}
fn storeC(b: u32, m: u32, p: u32, v: f32) {
  ${GEOMETRY}
  let n = i32(b) / G; let g = i32(b) % G;
  y[(n * O + g * Og + i32(m)) * OH * OW + i32(p)] = out_cast(v);
}`;
  gemm(ctx, {
    key: `conv2d|${x.dtype}`, decls: decls(2, x.dtype), loaders, buffers: [ctx.buf(x), ctx.buf(w), out.buffer],
    M: Og, N: i.outHeight * i.outWidth, K: Cg * i.kernelHeight * i.kernelWidth, batch: i.batch * i.groups, words: geometryWords(i),
  });
  return out;
}

/**
 * dy [N, O, OH, OW], w → dx [N, C, H, W]; GEMM per (n, group): M = C/G, K = O/G·kh·kw, N = H·W. An input
 * pixel receives dy at (oh, ow) only where (ih + padTop − ki·dilation) is a multiple of the stride.
 */
export function conv2dBackInput(ctx: KernelContext, dy: TensorRef, w: TensorRef, info: Conv2dInfo): GpuData {
  const i = info;
  const out = ctx.alloc(i.batch * i.inChannels * i.inHeight * i.inWidth, dy.dtype);
  const Cg = i.inChannels / i.groups;
  const Og = i.outChannels / i.groups;
  const loaders = `
fn loadA(b: u32, m: u32, k: u32) -> f32 {
  ${GEOMETRY}
  let g = i32(b) % G; let o = i32(k) / KK; let r = i32(k) % KK;
  return f32(x1[((g * Og + o) * Cg + i32(m)) * KK + r]);
}
fn loadB(b: u32, k: u32, p: u32) -> f32 {
  ${GEOMETRY}
  let n = i32(b) / G; let g = i32(b) % G;
  let o = i32(k) / KK; let r = i32(k) % KK; let ki = r / KW; let kj = r % KW;
  let th = i32(p) / Wd + PT - ki * DH; let tw = i32(p) % Wd + PL - kj * DW;
  if (th < 0 || tw < 0 || th % SH != 0 || tw % SW != 0) { return 0.0; }
  let oh = th / SH; let ow = tw / SW;
  if (oh >= OH || ow >= OW) { return 0.0; }
  return f32(x0[((n * O + g * Og + o) * OH + oh) * OW + ow]);
}
fn storeC(b: u32, m: u32, p: u32, v: f32) {
  ${GEOMETRY}
  let n = i32(b) / G; let g = i32(b) % G;
  y[(n * C + g * Cg + i32(m)) * H * Wd + i32(p)] = out_cast(v);
}`;
  gemm(ctx, {
    key: `conv2dBackInput|${dy.dtype}`, decls: decls(2, dy.dtype), loaders, buffers: [ctx.buf(dy), ctx.buf(w), out.buffer],
    M: Cg, N: i.inHeight * i.inWidth, K: Og * i.kernelHeight * i.kernelWidth, batch: i.batch * i.groups, words: geometryWords(i),
  });
  return out;
}

/**
 * How many K chunks a GEMM with few output tiles and a long K is split into, so that enough workgroups
 * run at once (each chunk's partial sums are added by a reduction afterwards).
 */
function splitsFor(M: number, N: number, K: number, batch: number): number {
  const tiles = Math.ceil(M / 64) * Math.ceil(N / 64) * batch;
  return Math.max(1, Math.min(Math.floor(K / 512), Math.ceil(128 / tiles), 64));
}

/**
 * x, dy → dw [O, C/G, kh, kw]; GEMM per group: M = O/G, K = N·OH·OW, N = C/G·kh·kw. K is long and the
 * output small, so K is split into chunks whose partial filters are summed by the reduce kernel.
 */
export function conv2dBackFilter(ctx: KernelContext, x: TensorRef, dy: TensorRef, info: Conv2dInfo, release: (d: GpuData) => void): GpuData {
  const i = info;
  const Cg = i.inChannels / i.groups;
  const Og = i.outChannels / i.groups;
  const size = i.outChannels * Cg * i.kernelHeight * i.kernelWidth;
  const K = i.batch * i.outHeight * i.outWidth;
  const splits = splitsFor(Og, Cg * i.kernelHeight * i.kernelWidth, K, i.groups);
  // Split partial sums stay float32; a float16 filter gradient is rounded once, after the sum.
  const partialDtype: DType = splits === 1 ? dy.dtype : 'float32';
  const out = ctx.alloc(size * splits, partialDtype);
  const loaders = `
fn loadA(g: u32, m: u32, k: u32) -> f32 {
  ${GEOMETRY}
  let P = OH * OW; let n = i32(k) / P; let p = i32(k) % P;
  return f32(x1[(n * O + i32(g) * Og + i32(m)) * P + p]);
}
fn loadB(g: u32, k: u32, q: u32) -> f32 {
  ${GEOMETRY}
  let P = OH * OW; let n = i32(k) / P; let p = i32(k) % P;
  let c = i32(q) / KK; let r = i32(q) % KK; let ki = r / KW; let kj = r % KW;
  let ih = (p / OW) * SH - PT + ki * DH; let iw = (p % OW) * SW - PL + kj * DW;
  if (ih < 0 || ih >= H || iw < 0 || iw >= Wd) { return 0.0; }
  return f32(x0[((n * C + i32(g) * Cg + c) * H + ih) * Wd + iw]);
}
fn storeC(g: u32, m: u32, q: u32, v: f32) {
  ${GEOMETRY}
  y[i32(split_s) * O * Cg * KK + (i32(g) * Og + i32(m)) * Cg * KK + i32(q)] = out_cast(v);
}`;
  gemm(ctx, {
    key: `conv2dBackFilter|${dy.dtype}|${partialDtype}`, decls: decls(2, dy.dtype, partialDtype), loaders, buffers: [ctx.buf(x), ctx.buf(dy), out.buffer],
    M: Og, N: Cg * i.kernelHeight * i.kernelWidth, K, batch: i.groups, words: geometryWords(i), splits,
  });
  if (splits === 1) return out;
  const summed = reduce(ctx, 'sum', { id: out, shape: [1, splits, size], dtype: 'float32' }, 'float32');
  release(out);
  if (dy.dtype !== 'float16') return summed;
  const rounded = cast(ctx, { id: summed, shape: [size], dtype: 'float32' }, 'float16');
  release(summed);
  return rounded;
}
