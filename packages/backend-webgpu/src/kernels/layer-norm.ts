/**
 * Layer normalisation of the rows of a float32 x [rows, n] and its input gradient: one workgroup per
 * row (rows of any length), each thread folding a strided share of the row and the workgroup summing
 * the shares as a tree in workgroup memory. Deviations are taken from the row's first value x0 before
 * the mean shift is removed, d = (x − x0) − mean(x − x0), so a constant row gives exact zeros and a row
 * far from 0 keeps its spread. A NaN variance, or σ² + eps = 0, gives NaN (spelled out: WGSL leaves
 * 1 / 0 indeterminate).
 */
import type { TensorRef } from '@scratchnet/core';
import { Uniforms, inputDecl, outputDecl, uniformDecl } from '../wgsl.js';
import type { GpuData, KernelContext } from './context.js';
import { foldGroups } from '../runtime.js';

/** Threads per row's workgroup (a power of two). */
const LN_WG = 128;

/** Row statistics shared by both kernels: after it, `x0`, `shift`, `rstd` and `bad` are in scope. */
const ROW_STATS = /* wgsl */ `
  let rows = u32(u(0u));
  let n = u32(u(1u));
  let row = wid.x + wid.y * nwg.x;
  if (row >= rows) { return; }
  let t = lid.x;
  let base = row * n;
  let x0 = x[base];
  var part = 0.0;
  for (var j = t; j < n; j += ${LN_WG}u) { part += x[base + j] - x0; }
  let shift = total(part, t) / f32(n);
  var squares = 0.0;
  for (var j = t; j < n; j += ${LN_WG}u) { let d = (x[base + j] - x0) - shift; squares += d * d; }
  let v = total(squares, t) / f32(n) + uf(2u);
  let bad = is_nan_ln(v) || !(v > 0.0);
  let rstd = 1.0 / sqrt(select(v, 1.0, bad));`;

/** Helpers: a NaN from its bits, a NaN test by bits, and the workgroup sum of one value per thread. */
function helpers(width: 'f32' | 'vec2<f32>'): string {
  return /* wgsl */ `
var<private> LN_NAN_BITS: u32 = 0x7fc00000u;
fn nan_ln() -> f32 { return bitcast<f32>(LN_NAN_BITS); }
fn is_nan_ln(v: f32) -> bool { return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u; }
var<workgroup> red: array<${width}, ${LN_WG}>;
fn total(v: ${width}, t: u32) -> ${width} {
  red[t] = v;
  workgroupBarrier();
  for (var s = ${LN_WG / 2}u; s > 0u; s = s >> 1u) {
    if (t < s) { red[t] = red[t] + red[t + s]; }
    workgroupBarrier();
  }
  let sum = red[0];
  workgroupBarrier();
  return sum;
}`;
}

const ENTRY = `@compute @workgroup_size(${LN_WG})
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>)`;

function uniforms(rows: number, n: number, eps: number): Uniforms {
  const u = new Uniforms();
  u.push(rows, n);
  u.pushFloat(eps);
  return u;
}

/** out = (x − μ) / √(σ² + eps) per row of x [rows, n]. */
export function layerNorm(ctx: KernelContext, x: TensorRef, eps: number): GpuData {
  const [rows, n] = x.shape as [number, number];
  const out = ctx.alloc(rows * n, 'float32');
  const u = uniforms(rows, n, eps);
  const body = `${inputDecl('x', 0, 'float32')}
${outputDecl('o', 1, 'float32')}
${uniformDecl(2, u.rows)}
${helpers('f32')}
${ENTRY} {
${ROW_STATS}
  for (var j = t; j < n; j += ${LN_WG}u) { o[base + j] = select(((x[base + j] - x0) - shift) * rstd, nan_ln(), bad); }
}`;
  ctx.run({ key: 'layerNorm', source: () => body }, [ctx.buf(x), out.buffer], u, foldGroups(rows));
  return out;
}

/** dx = rstd · (dy − mean(dy) − x̂ · mean(dy · x̂)) per row, x̂ = (x − μ) · rstd recomputed from x. */
export function layerNormGrad(ctx: KernelContext, x: TensorRef, dy: TensorRef, eps: number): GpuData {
  const [rows, n] = x.shape as [number, number];
  const out = ctx.alloc(rows * n, 'float32');
  const u = uniforms(rows, n, eps);
  // total() sums pairs here; the statistics' single sums ride in the first component.
  const body = `${inputDecl('x', 0, 'float32')}
${inputDecl('g', 1, 'float32')}
${outputDecl('o', 2, 'float32')}
${uniformDecl(3, u.rows)}
${helpers('vec2<f32>')}
${ENTRY} {
${ROW_STATS.replace(/total\((\w+), t\)/g, 'total(vec2<f32>($1, 0.0), t).x')}
  var sums = vec2<f32>(0.0, 0.0);
  for (var j = t; j < n; j += ${LN_WG}u) {
    let gj = g[base + j];
    sums += vec2<f32>(gj, gj * (((x[base + j] - x0) - shift) * rstd));
  }
  let means = total(sums, t) / f32(n);
  for (var j = t; j < n; j += ${LN_WG}u) {
    let hat = ((x[base + j] - x0) - shift) * rstd;
    o[base + j] = select(rstd * ((g[base + j] - means.x) - hat * means.y), nan_ln(), bad);
  }
}`;
  ctx.run({ key: 'layerNormGrad', source: () => body }, [ctx.buf(x), ctx.buf(dy), out.buffer], u, foldGroups(rows));
  return out;
}
