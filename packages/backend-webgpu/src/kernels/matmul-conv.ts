/**
 * matmul and the convolutions on the register-tiled GEMM: matmul reads its operands (transposed or
 * broadcast over the batch) directly; the convolutions are implicit GEMMs that walk K as nested loops
 * over (channel, kernel row, kernel column) or (image, output row, output column), so the im2col
 * addresses come from additions, no column matrix is ever stored and no division runs inside the walk.
 */
import { matmulSizes, type Conv2dInfo, type DType, type EpilogueKernel, type FusedElementwiseProgram, type MatmulAttrs, type TensorRef } from '@scratchnet/core';
import { HALF } from '../half.js';
import { cast } from './elementwise.js';
import { storeEpilogue } from './epilogue.js';
import { inputDecl, outputDecl } from '../wgsl.js';
import { GEMM_USER_WORD as W } from './gemm.js';
import { gemm } from './gemm.js';
import type { GpuData, KernelContext, ShaderPart } from './context.js';
import { reduce } from './reduce.js';

/**
 * The operands' and output's bindings for element types `inDtype` / `outDtype` (float32 or float16),
 * plus `out_cast`, which every store applies: loads go through `f32(...)` (exact for halves, a no-op
 * for f32), so the GEMM always accumulates in f32 and a float16 output is rounded once, on the store.
 */
const decls = (outBinding: number, inDtype: DType = 'float32', outDtype: DType = inDtype): string =>
  `${inputDecl('x0', 0, inDtype)}\n${inputDecl('x1', 1, inDtype)}\n${outputDecl('y', outBinding, outDtype)}\n` +
  (outDtype === 'float16' ? `${HALF}\nfn out_cast(v: f32) -> f16 { return f2h(v); }` : 'fn out_cast(v: f32) -> f32 { return v; }');

/**
 * Where a GEMM kernel's values go: into its own output (`plainSink`), or through an epilogue program
 * (`epilogueSink`). `decls` declare the bindings from 2 on (the operands are x0 and x1), `words` come
 * after the kernel's own; `store` is a WGSL statement storing f32 `v` at the flat output index `flat` (u32).
 */
interface Sink extends ShaderPart {
  readonly store: (flat: string, v: string) => string;
}

/** A sink storing into `out` (of the operands' dtype). */
function plainSink(out: GpuData, dtype: DType): Sink {
  return { key: '', decls: decls(2, dtype), buffers: [out.buffer], words: [], store: (flat, v) => `y[${flat}] = out_cast(${v});` };
}

/** A sink applying `program` to each float32 product element; `words` is the number of the kernel's own uniform words. */
function epilogueSink(
  ctx: KernelContext, op: EpilogueKernel, program: FusedElementwiseProgram, extras: readonly TensorRef[], size: number, words: number,
): { sink: Sink; outs: readonly GpuData[] } {
  const e = storeEpilogue(ctx, op, program, extras, size, 2, W + words);
  const sink: Sink = {
    key: e.key, decls: `${inputDecl('x0', 0, 'float32')}\n${inputDecl('x1', 1, 'float32')}\n${e.decls}`, buffers: e.buffers, words: e.words,
    store: (flat, v) => `epilogue_store(${flat}, ${v});`,
  };
  return { sink, outs: e.outs };
}

/** Batched matmul of rank-3 float32 (or float16, accumulating in f32) operands (see the Backend contract). */
export function matmul(ctx: KernelContext, a: TensorRef, b: TensorRef, attrs: MatmulAttrs): GpuData {
  const { batch, m, n } = matmulSizes(a, b, attrs);
  const out = ctx.alloc(batch * m * n, a.dtype);
  matmulInto(ctx, a, b, attrs, plainSink(out, a.dtype));
  return out;
}

/** matmul with `program` applied to its product as it is stored (Backend.matmulEpilogue); returns the program's outputs. */
export function matmulEpilogue(
  ctx: KernelContext, a: TensorRef, b: TensorRef, attrs: MatmulAttrs, program: FusedElementwiseProgram, extras: readonly TensorRef[],
): readonly GpuData[] {
  const { batch, m, n } = matmulSizes(a, b, attrs);
  const { sink, outs } = epilogueSink(ctx, 'matmulEpilogue', program, extras, batch * m * n, 2);
  matmulInto(ctx, a, b, attrs, sink);
  return outs;
}

function matmulInto(ctx: KernelContext, a: TensorRef, b: TensorRef, attrs: MatmulAttrs, sink: Sink): void {
  const { ba, bb, batch, m: M, k: K, n: N } = matmulSizes(a, b, attrs);
  gemm(ctx, {
    key: `matmul|${attrs.transposeA ? 'T' : 'N'}${attrs.transposeB ? 'T' : 'N'}|${a.dtype}${sink.key}`,
    decls: sink.decls, buffers: [ctx.buf(a), ctx.buf(b), ...sink.buffers], M, N, K, batch,
    words: [ba === 1 ? 0 : M * K, bb === 1 ? 0 : K * N, ...sink.words],
    prologue: `  let aOff = b * u32(u(${W}u)); let bOff = b * u32(u(${W + 1}u)); let yOff = b * M * N;`,
    column: (c) => attrs.transposeB ? `  let bc${c} = bOff + cc${c} * K;` : `  let bc${c} = bOff + cc${c};`,
    walkOpen: '  for (var k = 0u; k < K; k++) {',
    walkClose: '  }',
    loadA: (row) => attrs.transposeA ? `f32(x0[aOff + k * M + ${row}])` : `f32(x0[aOff + ${row} * K + k])`,
    loadB: (c) => attrs.transposeB ? `    let b${c} = f32(x1[bc${c} + k]);` : `    let b${c} = f32(x1[bc${c} + k * N]);`,
    store: (row, col, v) => sink.store(`yOff + ${row} * N + ${col}`, v),
  });
}

/** Conv2dInfo as uniform words, in the order the code below reads them (from word W). */
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

/** The in-bounds test of input pixel (ih, iw). */
const inImage = (ih: string, iw: string): string => `${ih} >= 0 && ${ih} < H && ${iw} >= 0 && ${iw} < Wd`;

/** x [N, C, H, W] · w [O, C/G, kh, kw] → y [N, O, OH, OW]; GEMM per (n, group): M = O/G, K = C/G·kh·kw, N = OH·OW. */
export function conv2d(ctx: KernelContext, x: TensorRef, w: TensorRef, info: Conv2dInfo): GpuData {
  const out = ctx.alloc(convOutSize(info), x.dtype);
  conv2dInto(ctx, x, w, info, plainSink(out, x.dtype));
  return out;
}

const convOutSize = (i: Conv2dInfo): number => i.batch * i.outChannels * i.outHeight * i.outWidth;

/** conv2d with `program` applied to its output as it is stored (Backend.conv2dEpilogue); returns the program's outputs. */
export function conv2dEpilogue(
  ctx: KernelContext, x: TensorRef, w: TensorRef, info: Conv2dInfo, program: FusedElementwiseProgram, extras: readonly TensorRef[],
): readonly GpuData[] {
  const { sink, outs } = epilogueSink(ctx, 'conv2dEpilogue', program, extras, convOutSize(info), geometryWords(info).length);
  conv2dInto(ctx, x, w, info, sink);
  return outs;
}

function conv2dInto(ctx: KernelContext, x: TensorRef, w: TensorRef, info: Conv2dInfo, sink: Sink): void {
  const i = info;
  gemm(ctx, {
    key: `conv2d|${x.dtype}${sink.key}`, decls: sink.decls, buffers: [ctx.buf(x), ctx.buf(w), ...sink.buffers],
    M: i.outChannels / i.groups, N: i.outHeight * i.outWidth, K: (i.inChannels / i.groups) * i.kernelHeight * i.kernelWidth,
    batch: i.batch * i.groups, words: [...geometryWords(i), ...sink.words],
    prologue: `  ${GEOMETRY}
  let n = i32(b) / G; let g = i32(b) % G; let xb = (n * C + g * Cg) * H * Wd; let wb = g * Og * Cg * KK;`,
    column: (c) => `  let oh${c} = i32(cc${c}) / OW; let ihb${c} = oh${c} * SH - PT; let iwb${c} = (i32(cc${c}) - oh${c} * OW) * SW - PL;`,
    walkOpen: `  var k = 0;
  for (var ch = 0; ch < Cg; ch++) { let xc = xb + ch * H * Wd;
  for (var ki = 0; ki < KH; ki++) {
  for (var kj = 0; kj < KW; kj++) {`,
    walkClose: '  k++; } } }',
    loadA: (row) => `f32(x1[wb + i32(${row}) * Cg * KK + k])`,
    loadB: (c) => `    var b${c} = 0.0; { let ih = ihb${c} + ki * DH; let iw = iwb${c} + kj * DW; if (${inImage('ih', 'iw')}) { b${c} = f32(x0[xc + ih * Wd + iw]); } }`,
    store: (row, col, v) => sink.store(`u32((n * O + g * Og + i32(${row})) * OH * OW + i32(${col}))`, v),
  });
}

/**
 * dy [N, O, OH, OW], w → dx [N, C, H, W]; GEMM per (n, group): M = C/G, K = O/G·kh·kw, N = H·W. An input
 * pixel receives dy at (oh, ow) only where (ih + padTop − ki·dilation) is a multiple of the stride
 * (stride 1 gets code without that test).
 */
export function conv2dBackInput(ctx: KernelContext, dy: TensorRef, w: TensorRef, info: Conv2dInfo): GpuData {
  const i = info;
  const out = ctx.alloc(i.batch * i.inChannels * i.inHeight * i.inWidth, dy.dtype);
  const unit = i.strideHeight === 1 && i.strideWidth === 1;
  const source = unit
    ? 'let oh = th; let ow = tw; if (th >= 0 && tw >= 0 && oh < OH && ow < OW)'
    : 'let oh = th / SH; let ow = tw / SW; if (th >= 0 && tw >= 0 && th % SH == 0 && tw % SW == 0 && oh < OH && ow < OW)';
  gemm(ctx, {
    key: `conv2dBackInput|${unit ? 's1' : 's'}|${dy.dtype}`, decls: decls(2, dy.dtype), buffers: [ctx.buf(dy), ctx.buf(w), out.buffer],
    M: i.inChannels / i.groups, N: i.inHeight * i.inWidth, K: (i.outChannels / i.groups) * i.kernelHeight * i.kernelWidth,
    batch: i.batch * i.groups, words: geometryWords(i),
    prologue: `  ${GEOMETRY}
  let n = i32(b) / G; let g = i32(b) % G; let dyb = (n * O + g * Og) * OH * OW;`,
    column: (c) => `  let ih${c} = i32(cc${c}) / Wd; let iw${c} = i32(cc${c}) - ih${c} * Wd;`,
    walkOpen: `  for (var o = 0; o < Og; o++) { let dyo = dyb + o * OH * OW; let wo = (g * Og + o) * Cg * KK;
  for (var ki = 0; ki < KH; ki++) {
  for (var kj = 0; kj < KW; kj++) {`,
    walkClose: '  } } }',
    loadA: (row) => `f32(x1[wo + i32(${row}) * KK + ki * KW + kj])`,
    loadB: (c) => `    var b${c} = 0.0; { let th = ih${c} + PT - ki * DH; let tw = iw${c} + PL - kj * DW; ${source} { b${c} = f32(x0[dyo + oh * OW + ow]); } }`,
    store: (row, col, v) => `y[(n * C + g * Cg + i32(${row})) * H * Wd + i32(${col})] = out_cast(${v});`,
  });
  return out;
}

/** How many chunks of images the filter gradient's K walk is split into, so that enough workgroups run. */
function splitsFor(images: number, groups: number): number {
  return Math.max(1, Math.min(images, Math.ceil(64 / groups)));
}

/**
 * x, dy → dw [O, C/G, kh, kw]; GEMM per group: M = O/G, K = N·OH·OW, N = C/G·kh·kw. K is long and the
 * output small, so the images are split into chunks whose partial filters are summed by the reduce kernel.
 */
export function conv2dBackFilter(ctx: KernelContext, x: TensorRef, dy: TensorRef, info: Conv2dInfo, release: (d: GpuData) => void): GpuData {
  const i = info;
  const Cg = i.inChannels / i.groups;
  const size = i.outChannels * Cg * i.kernelHeight * i.kernelWidth;
  const splits = splitsFor(i.batch, i.groups);
  // Split partial sums stay float32; a float16 filter gradient is rounded once, after the sum.
  const partialDtype: DType = splits === 1 ? dy.dtype : 'float32';
  const out = ctx.alloc(size * splits, partialDtype);
  gemm(ctx, {
    key: `conv2dBackFilter|${dy.dtype}|${partialDtype}`, decls: decls(2, dy.dtype, partialDtype), buffers: [ctx.buf(x), ctx.buf(dy), out.buffer],
    M: i.outChannels / i.groups, N: Cg * i.kernelHeight * i.kernelWidth, K: i.batch * i.outHeight * i.outWidth,
    batch: i.groups, words: geometryWords(i), splits,
    prologue: `  ${GEOMETRY}
  let g = i32(b); let chunk = (NB + ${splits - 1}) / ${splits}; let n0 = i32(split) * chunk; let n1 = min(NB, n0 + chunk);`,
    column: (c) => `  let q${c} = i32(cc${c}); let cq${c} = q${c} / KK; let rq${c} = q${c} - cq${c} * KK; let kiq${c} = rq${c} / KW;
  let xo${c} = (g * Cg + cq${c}) * H * Wd; let dh${c} = kiq${c} * DH - PT; let dw${c} = (rq${c} - kiq${c} * KW) * DW - PL;`,
    walkOpen: `  for (var n = n0; n < n1; n++) { let xn = n * C * H * Wd; let dyn = (n * O + g * Og) * OH * OW;
  for (var oh = 0; oh < OH; oh++) {
  for (var ow = 0; ow < OW; ow++) { let p = dyn + oh * OW + ow;`,
    walkClose: '  } } }',
    loadA: (row) => `f32(x1[p + i32(${row}) * OH * OW])`,
    loadB: (c) => `    var b${c} = 0.0; { let ih = oh * SH + dh${c}; let iw = ow * SW + dw${c}; if (${inImage('ih', 'iw')}) { b${c} = f32(x0[xn + xo${c} + ih * Wd + iw]); } }`,
    store: (row, col, v) => `y[i32(split) * O * Cg * KK + (g * Og + i32(${row})) * Cg * KK + i32(${col})] = out_cast(${v});`,
  });
  if (splits === 1) return out;
  const summed = reduce(ctx, 'sum', { id: out, shape: [1, splits, size], dtype: 'float32' }, 'float32');
  release(out);
  if (dy.dtype !== 'float16') return summed;
  const rounded = cast(ctx, { id: summed, shape: [size], dtype: 'float32' }, 'float16');
  release(summed);
  return rounded;
}
