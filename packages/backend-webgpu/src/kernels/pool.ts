/**
 * Pooling: one thread per output window (forward) and one thread per input pixel (backward, gathering
 * from every window that covers it, so no atomics are needed).
 */
import type { Conv2dInfo, PoolKind, TensorRef } from '@scratchnet/core';
import { MATH, Uniforms, elementwiseMain, inputDecl, outputDecl, uniformDecl } from '../wgsl.js';
import { groupsFor, type GpuData, type KernelContext } from './context.js';
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
  const half = x.dtype === 'float16';
  const out = ctx.alloc(n, x.dtype);
  const u = new Uniforms();
  u.push(n, ...words(info));
  const body = kind === 'max'
    ? `  ${G}
  let plane = i32(i) / (OH * OW); let p = i32(i) % (OH * OW);
  o1[i] = ${store(half, 'window_argmax(plane * H * Wd, p / OW, p % OW).v')};`
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
  o1[i] = ${store(half, 'select(0.0, s / f32(count), count > 0)')};`;
  const rows = u.rows;
  const src = `${inputDecl('x0', 0, x.dtype)}\n${outputDecl('o1', 1, x.dtype)}\n${uniformDecl(2, rows)}\n${MATH}\n${half ? HALF : ''}\n${kind === 'max' ? argmax(half) : ''}\n${elementwiseMain(body)}`;
  ctx.run({ key: `pool2d|${kind}|${x.dtype}|u${rows}`, source: () => src }, [ctx.buf(x), out.buffer], u, groupsFor(n));
  return out;
}

/**
 * Gradient of pooling: each input pixel visits the windows that contain it (those (oh, ow) with
 * ih = oh·stride − pad + ki·dilation for some ki) and adds dy of each window whose first maximum it is
 * (max), or dy / cells of every such window (avg).
 */
export function pool2dBack(ctx: KernelContext, kind: PoolKind, dy: TensorRef, x: TensorRef, info: Conv2dInfo): GpuData {
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
  const body = `  ${G}
  let plane = i32(i) / (H * Wd); let here = i32(i) % (H * Wd); let ih = here / Wd; let iw = here % Wd;
  var s = 0.0;
  for (var ki = 0; ki < KH; ki++) {
    let th = ih + PT - ki * DH;
    if (th < 0 || th % SH != 0 || th / SH >= OH) { continue; }
    let oh = th / SH;
    for (var kj = 0; kj < KW; kj++) {
      let tw = iw + PL - kj * DW;
      if (tw < 0 || tw % SW != 0 || tw / SW >= OW) { continue; }
      let ow = tw / SW;
      ${contribution}
    }
  }
  o2[i] = ${store(half, 's')};`;
  const rows = u.rows;
  // The average variant never reads x, so it binds only dy (named x1 in the WGSL either way) and dx.
  const decls = kind === 'max'
    ? `${inputDecl('x0', 0, x.dtype)}\n${inputDecl('x1', 1, dy.dtype)}\n${outputDecl('o2', 2, dy.dtype)}\n${uniformDecl(3, rows)}`
    : `${inputDecl('x1', 0, dy.dtype)}\n${outputDecl('o2', 1, dy.dtype)}\n${uniformDecl(2, rows)}`;
  const src = `${decls}\n${MATH}\n${half ? HALF : ''}\n${kind === 'max' ? argmax(half) : cells}\n${elementwiseMain(body)}`;
  const buffers = kind === 'max' ? [ctx.buf(x), ctx.buf(dy), out.buffer] : [ctx.buf(dy), out.buffer];
  ctx.run({ key: `pool2dBack|${kind}|${dy.dtype}|u${rows}`, source: () => src }, buffers, u, groupsFor(n));
  return out;
}
