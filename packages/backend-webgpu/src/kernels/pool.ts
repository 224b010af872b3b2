/**
 * Pooling: one thread per output window (forward) and one thread per input pixel (backward, gathering
 * from every window that covers it, so no atomics are needed).
 */
import type { Conv2dInfo, FusedElementwiseProgram, PoolKind, TensorRef } from '@scratchnet/core';
import { storeEpilogue } from './epilogue.js';
import { MATH, Uniforms, elementwiseMain, inputDecl, outputDecl, uniformDecl } from '../wgsl.js';
import { groupsFor, type GpuData, type KernelContext, type ShaderPart } from './context.js';
import { HALF } from '../half.js';

const G = ['NB', 'C', 'H', 'Wd', 'OH', 'OW', 'KH', 'KW', 'SH', 'SW', 'DH', 'DW', 'PT', 'PL']
  .map((name, k) => `let ${name} = u(${k + 1}u);`).join(' ');

function words(i: Conv2dInfo): number[] {
  return [i.batch, i.inChannels, i.inHeight, i.inWidth, i.outHeight, i.outWidth, i.kernelHeight, i.kernelWidth,
    i.strideHeight, i.strideWidth, i.dilationHeight, i.dilationWidth, i.padTop, i.padLeft];
}

/** WGSL reading element `idx` of `buf` as f32 (float16 storage converts exactly). */
const load = (half: boolean, buf: string, idx: string): string => (half ? `f32(${buf}[${idx}])` : `${buf}[${idx}]`);
/** WGSL storing f32 `v` in the output's storage (float16 rounds to nearest even). */
const store = (half: boolean, v: string): string => (half ? `f2h(${v})` : v);

/**
 * WGSL: the flat in-plane position of the first maximum of window (oh, ow) of plane `base` (a NaN wins
 * over numbers; padding never wins), or -1 for a window without cells; also its value in `best`.
 */
const argmax = (half: boolean): string => `
struct Best { v: f32, at: i32 }
fn window_argmax(base: i32, oh: i32, ow: i32) -> Best {
  ${G}
  var best = -inf_f32();
  var at = -1;
  for (var ki = 0; ki < KH; ki++) {
    let ih = oh * SH - PT + ki * DH;
    if (ih < 0 || ih >= H) { continue; }
    for (var kj = 0; kj < KW; kj++) {
      let iw = ow * SW - PL + kj * DW;
      if (iw < 0 || iw >= Wd) { continue; }
      let v = ${load(half, 'x0', 'base + ih * Wd + iw')};
      if (at < 0 || v > best || (is_nan(v) && !is_nan(best))) { best = v; at = ih * Wd + iw; }
    }
  }
  return Best(best, at);
}`;

/** Max or average pooling over NCHW float32 or float16 input (float16 computes in f32). */
export function pool2d(ctx: KernelContext, kind: PoolKind, x: TensorRef, info: Conv2dInfo): GpuData {
  const n = info.batch * info.inChannels * info.outHeight * info.outWidth;
  const out = ctx.alloc(n, x.dtype);
  const half = x.dtype === 'float16';
  pool2dTo(ctx, kind, x, info, {
    key: '', decls: outputDecl('o1', 1, x.dtype), buffers: [out.buffer], words: [], store: (v) => `o1[i] = ${store(half, v)};`,
  });
  return out;
}

/** Pooling with `program` applied to each float32 output as it is stored (Backend.pool2dEpilogue); returns the program's outputs. */
export function pool2dEpilogue(
  ctx: KernelContext, kind: PoolKind, x: TensorRef, info: Conv2dInfo, program: FusedElementwiseProgram, extras: readonly TensorRef[],
): readonly GpuData[] {
  const n = info.batch * info.inChannels * info.outHeight * info.outWidth;
  const e = storeEpilogue(ctx, 'pool2dEpilogue', program, extras, n, 1, 1 + words(info).length, false);
  pool2dTo(ctx, kind, x, info, { key: e.key, decls: e.decls, buffers: e.buffers, words: e.words, store: (v) => `epilogue_store(i, ${v});` });
  return e.outs;
}

/** Where pooling stores: bindings from 1 on, uniform words after its own, and the WGSL storing f32 `v` at output `i`. */
interface PoolSink extends ShaderPart {
  readonly store: (v: string) => string;
}

function pool2dTo(ctx: KernelContext, kind: PoolKind, x: TensorRef, info: Conv2dInfo, sink: PoolSink): void {
  const n = info.batch * info.inChannels * info.outHeight * info.outWidth;
  const half = x.dtype === 'float16';
  const u = new Uniforms();
  u.push(n, ...words(info), ...sink.words);
  const body = kind === 'max'
    ? `  ${G}
  let plane = i32(i) / (OH * OW); let p = i32(i) % (OH * OW);
  ${sink.store('window_argmax(plane * H * Wd, p / OW, p % OW).v')}`
    : `  ${G}
  let plane = i32(i) / (OH * OW); let p = i32(i) % (OH * OW); let oh = p / OW; let ow = p % OW;
  var s = 0.0; var count = 0;
  for (var ki = 0; ki < KH; ki++) {
    let ih = oh * SH - PT + ki * DH;
    if (ih < 0 || ih >= H) { continue; }
    for (var kj = 0; kj < KW; kj++) {
      let iw = ow * SW - PL + kj * DW;
      if (iw < 0 || iw >= Wd) { continue; }
      s = s + ${load(half, 'x0', '(plane * H + ih) * Wd + iw')}; count++;
    }
  }
  ${sink.store('select(0.0, s / f32(count), count > 0)')}`;
  const rows = u.rows;
  const src = `${inputDecl('x0', 0, x.dtype)}\n${sink.decls}\n${uniformDecl(1 + sink.buffers.length, rows)}\n${MATH}\n${half ? HALF : ''}\n${kind === 'max' ? argmax(half) : ''}\n${elementwiseMain(body)}`;
  ctx.run({ key: `pool2d|${kind}|${x.dtype}|u${rows}${sink.key}`, source: () => src }, [ctx.buf(x), ...sink.buffers], u, groupsFor(n));
}

/** WGSL: floor(n / d) for d > 0 and |n| < 2^22 without an integer division (scalarised, and slow, on CPU adapters). */
const FLOOR_DIV = `
fn floor_div(n: i32, d: i32) -> i32 {
  var q = i32(floor(f32(n) / f32(d)));
  if (q * d > n) { q = q - 1; }
  if ((q + 1) * d <= n) { q = q + 1; }
  return q;
}`;

/**
 * Gradient of pooling: each input pixel (ih, iw) adds up dy of the windows that contain it — those
 * (oh, ow) with ih = oh·stride − pad + ki·dilation for some ki, found as a range of oh per axis — where
 * it is the window's first maximum (max), or dy / cells of every such window (avg), visiting windows in
 * descending (oh, ow) order. Threads run over (iw, ih, plane) on the three dispatch axes, so the kernel
 * computes no index by integer division.
 */
export function pool2dBack(ctx: KernelContext, kind: PoolKind, dy: TensorRef, x: TensorRef, info: Conv2dInfo): GpuData {
  const i = info;
  if (kind === 'max' && (i.kernelHeight - 1) * i.dilationHeight < i.strideHeight && (i.kernelWidth - 1) * i.dilationWidth < i.strideWidth) {
    return maxPoolBackTiles(ctx, dy, x, info);
  }
  const n = info.batch * info.inChannels * info.inHeight * info.inWidth;
  const half = dy.dtype === 'float16';
  const out = ctx.alloc(n, dy.dtype);
  const u = new Uniforms();
  u.push(n, ...words(info));
  const cells = `
fn window_cells(oh: i32, ow: i32) -> i32 {
  ${G}
  var rows = 0; var cols = 0;
  for (var ki = 0; ki < KH; ki++) { let ih = oh * SH - PT + ki * DH; if (ih >= 0 && ih < H) { rows++; } }
  for (var kj = 0; kj < KW; kj++) { let iw = ow * SW - PL + kj * DW; if (iw >= 0 && iw < Wd) { cols++; } }
  return rows * cols;
}`;
  const contribution = kind === 'max'
    ? `if (window_argmax(plane * H * Wd, oh, ow).at == here) { s = s + ${load(half, 'x1', '(plane * OH + oh) * OW + ow')}; }`
    : `s = s + ${load(half, 'x1', '(plane * OH + oh) * OW + ow')} / f32(window_cells(oh, ow));`;
  const main = `@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  ${G}
  let planes = NB * C;
  for (var ih = i32(gid.y); ih < H; ih += i32(nwg.y) * 8) {
    let ohLo = max(0, floor_div(ih + PT - (KH - 1) * DH + SH - 1, SH)); let ohHi = min(OH - 1, floor_div(ih + PT, SH));
    for (var iw = i32(gid.x); iw < Wd; iw += i32(nwg.x) * 8) {
      let owLo = max(0, floor_div(iw + PL - (KW - 1) * DW + SW - 1, SW)); let owHi = min(OW - 1, floor_div(iw + PL, SW));
      let here = ih * Wd + iw;
      for (var plane = i32(gid.z); plane < planes; plane += i32(nwg.z)) {
        var s = 0.0;
        for (var oh = ohHi; oh >= ohLo; oh--) {
          let th = ih + PT - oh * SH;
          if (DH > 1 && floor_div(th, DH) * DH != th) { continue; }
          for (var ow = owHi; ow >= owLo; ow--) {
            let tw = iw + PL - ow * SW;
            if (DW > 1 && floor_div(tw, DW) * DW != tw) { continue; }
            ${contribution}
          }
        }
        o2[plane * H * Wd + here] = ${store(half, 's')};
      }
    }
  }
}`;
  const rows = u.rows;
  // The average variant never reads x, so it binds only dy (named x1 in the WGSL either way) and dx.
  const decls = kind === 'max'
    ? `${inputDecl('x0', 0, x.dtype)}\n${inputDecl('x1', 1, dy.dtype)}\n${outputDecl('o2', 2, dy.dtype)}\n${uniformDecl(3, rows)}`
    : `${inputDecl('x1', 0, dy.dtype)}\n${outputDecl('o2', 1, dy.dtype)}\n${uniformDecl(2, rows)}`;
  const src = `${decls}\n${MATH}\n${half ? HALF : ''}\n${FLOOR_DIV}\n${kind === 'max' ? argmax(half) : cells}\n${main}`;
  const buffers = kind === 'max' ? [ctx.buf(x), ctx.buf(dy), out.buffer] : [ctx.buf(dy), out.buffer];
  const planes = info.batch * info.inChannels;
  const groups: [number, number, number] = [
    Math.min(MAX_GROUPS, Math.ceil(info.inWidth / 8)), Math.min(MAX_GROUPS, Math.ceil(info.inHeight / 8)), Math.min(MAX_GROUPS, planes),
  ];
  ctx.run({ key: `pool2dBack|${kind}|${dy.dtype}|u${rows}`, source: () => src }, buffers, u, groups);
  return out;
}

/** The most workgroups along one dispatch axis (WebGPU's default limit); the kernel loops over the rest. */
const MAX_GROUPS = 65535;

/**
 * Max pooling's gradient where windows do not overlap (each spans at most its stride): one thread per
 * window finds its first maximum once and writes its whole stride cell — dy at the maximum, 0 elsewhere —
 * the last window of a row or column also the pixels after it, so every input pixel is written once
 * (the same values as the general kernel, with a quarter of the argmax searches for 2×2 windows).
 */
function maxPoolBackTiles(ctx: KernelContext, dy: TensorRef, x: TensorRef, info: Conv2dInfo): GpuData {
  const half = dy.dtype === 'float16';
  const out = ctx.alloc(info.batch * info.inChannels * info.inHeight * info.inWidth, dy.dtype);
  const windows = info.batch * info.inChannels * info.outHeight * info.outWidth;
  const u = new Uniforms();
  u.push(windows, ...words(info));
  const body = `  ${G}
  let plane = i32(i) / (OH * OW); let p = i32(i) - plane * OH * OW; let oh = p / OW; let ow = p - oh * OW;
  let best = window_argmax(plane * H * Wd, oh, ow).at;
  let g = ${load(half, 'x1', 'i32(i)')};
  let r0 = max(0, oh * SH - PT); let r1 = select(min(H, (oh + 1) * SH - PT), H, oh == OH - 1);
  let c0 = max(0, ow * SW - PL); let c1 = select(min(Wd, (ow + 1) * SW - PL), Wd, ow == OW - 1);
  for (var r = r0; r < r1; r++) {
    for (var c = c0; c < c1; c++) {
      var s = 0.0;
      if (r * Wd + c == best) { s = s + g; }
      o2[plane * H * Wd + r * Wd + c] = ${store(half, 's')};
    }
  }`;
  const rows = u.rows;
  const src = `${inputDecl('x0', 0, x.dtype)}\n${inputDecl('x1', 1, dy.dtype)}\n${outputDecl('o2', 2, dy.dtype)}\n${uniformDecl(3, rows)}\n` +
    `${MATH}\n${half ? HALF : ''}\n${argmax(half)}\n${elementwiseMain(body)}`;
  ctx.run({ key: `pool2dBack|max-tiles|${dy.dtype}|u${rows}`, source: () => src }, [ctx.buf(x), ctx.buf(dy), out.buffer], u, groupsFor(windows));
  return out;
}
