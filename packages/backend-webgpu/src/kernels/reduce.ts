/**
 * Reductions. The reduced axes are brought to one block [outer, R, inner] (with a strided copy first when
 * they are not adjacent); then each output is folded either by one thread (short rows) or by a workgroup:
 * every thread folds a strided share of the row and the workgroup combines the partial results as a tree
 * in workgroup memory.
 */
import type { DType, ReduceOp, TensorRef } from '@scratchnet/core';
import { MATH, Uniforms, inputDecl, outputDecl, storageType, uniformDecl } from '../wgsl.js';
import { contiguousStrides, sizeOf } from '../layout.js';
import { copy } from './movement.js';
import { groupsFor, type GpuData, type KernelContext } from './context.js';
import { foldGroups } from '../runtime.js';

/** Rows at most this long are folded by one thread each. */
const SERIAL_MAX = 64;
/** Threads of a tree reduction's workgroup. */
const TREE_WG = 128;

interface Fold {
  /** WGSL type of the accumulator value. */
  readonly t: 'f32' | 'i32' | 'u32';
  readonly identity: string;
  /** Combines accumulator `a` with value `b`. */
  readonly combine: (a: string, b: string) => string;
}

function foldFor(op: 'sum' | 'prod' | 'max' | 'min', dtype: DType): Fold {
  const t = op === 'sum' || op === 'prod' ? (dtype === 'float32' ? 'f32' : 'i32') : storageType(dtype);
  if (op === 'sum') return { t, identity: t === 'f32' ? '0.0' : '0', combine: (a, b) => `${a} + ${b}` };
  if (op === 'prod') return { t, identity: t === 'f32' ? '1.0' : '1', combine: (a, b) => `${a} * ${b}` };
  const isMax = op === 'max';
  if (t === 'f32') return { t, identity: isMax ? '-inf_f32()' : 'inf_f32()', combine: (a, b) => `${isMax ? 'max_f' : 'min_f'}(${a}, ${b})` };
  if (t === 'i32') return { t, identity: isMax ? 'i32(-2147483648)' : '2147483647', combine: (a, b) => `${op}(${a}, ${b})` };
  return { t, identity: isMax ? '0u' : '1u', combine: (a, b) => `${op}(${a}, ${b})` };
}

/** Brings the reduced axes into one block: returns the (possibly permuted) input and [outer, R, inner]. */
function blockLayout(ctx: KernelContext, x: TensorRef, axes: readonly number[]): { src: TensorRef; temp: GpuData | null; outer: number; R: number; inner: number } {
  const shape = x.shape;
  const first = axes[0]!;
  const last = axes[axes.length - 1]!;
  const adjacent = last - first + 1 === axes.length;
  if (adjacent) {
    return { src: x, temp: null, outer: sizeOf(shape.slice(0, first)), R: sizeOf(shape.slice(first, last + 1)), inner: sizeOf(shape.slice(last + 1)) };
  }
  const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const perm = [...kept, ...axes];
  const strides = contiguousStrides(shape);
  const view = { shape: perm.map((p) => shape[p]!), strides: perm.map((p) => strides[p]!), offset: 0 };
  const temp = copy(ctx, x, view);
  return { src: { id: temp, shape: view.shape, dtype: x.dtype }, temp, outer: sizeOf(kept.map((i) => shape[i]!)), R: sizeOf(axes.map((i) => shape[i]!)), inner: 1 };
}

/** Reduces over `axes` (sorted, unique, non-empty). */
export function reduce(ctx: KernelContext, op: ReduceOp, x: TensorRef, axes: readonly number[], release: (d: GpuData) => void): GpuData {
  const isArg = op === 'argmax' || op === 'argmin';
  const outDtype: DType = isArg ? 'int32' : op === 'sum' || op === 'prod' ? (x.dtype === 'float32' ? 'float32' : 'int32') : x.dtype;
  const outShape = x.shape.filter((_, i) => !axes.includes(i));
  const nOut = sizeOf(outShape);
  const out = ctx.alloc(nOut, outDtype);
  if (nOut === 0) return out;
  const { src, temp, R, inner } = blockLayout(ctx, x, axes);
  const inT = storageType(x.dtype);
  const load = (idx: string): string => {
    const raw = `x0[${idx}]`;
    if (isArg) return inT === 'f32' ? raw : inT === 'i32' ? raw : `i32(${raw})`;
    const f = foldFor(op, x.dtype);
    return f.t === inT ? raw : `${f.t}(${raw})`;
  };
  const serial = R <= SERIAL_MAX || nOut >= 4096;
  const u = new Uniforms();
  u.push(nOut, R, inner);
  const rows = u.rows;
  const header = `${inputDecl('x0', 0, x.dtype)}\n${outputDecl('o1', 1, outDtype)}\n${uniformDecl(2, rows)}\n${MATH}`;
  // Element j of output o sits at base(o) + j * inner.
  const base = 'let R = u32(u(1u)); let inner = u32(u(2u)); let base = (o / inner) * R * inner + o % inner;';
  let accDecl: string;
  let step: string;
  let merge: (a: string, b: string) => string;
  let result: string;
  let accType: string;
  if (isArg) {
    const vt = inT === 'f32' ? 'f32' : 'i32';
    accType = `vec2<${vt}>`; // unused placeholder for the shared array type below
    const better = op === 'argmax' ? '>' : '<';
    const nanRule = vt === 'f32';
    // (value, index) pairs; index -1 means empty. b replaces a when strictly better, or equal with a lower index.
    const beats = (av: string, ai: string, bv: string, bi: string): string =>
      nanRule
        ? `(${bi} >= 0 && (${ai} < 0 || (is_nan(${av}) && is_nan(${bv}) && ${bi} < ${ai}) || (!is_nan(${av}) && (is_nan(${bv}) || ${bv} ${better} ${av} || (${bv} == ${av} && ${bi} < ${ai})))))`
        : `(${bi} >= 0 && (${ai} < 0 || ${bv} ${better} ${av} || (${bv} == ${av} && ${bi} < ${ai})))`;
    accDecl = `var av: ${vt} = ${vt === 'f32' ? '0.0' : '0'}; var ai: i32 = -1;`;
    step = (`{ let v = ${load('base + j * inner')}; let vi = i32(j); if (${beats('av', 'ai', 'v', 'vi')}) { av = v; ai = vi; } }`);
    merge = () => '';
    result = 'ai';
    if (serial) {
      const body = `${header}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let o = gid.x + gid.y * nwg.x * 64u;
  if (o >= u32(u(0u))) { return; }
  ${base}
  ${accDecl}
  for (var j = 0u; j < R; j++) ${step}
  o1[o] = ${result};
}`;
      ctx.run({ key: `reduce-serial|${op}|${x.dtype}|u${rows}`, source: () => body }, [ctx.buf(src), out.buffer], u, groupsFor(nOut));
    } else {
      const body = `${header}
var<workgroup> sv: array<${vt}, ${TREE_WG}>;
var<workgroup> si: array<i32, ${TREE_WG}>;
@compute @workgroup_size(${TREE_WG})
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let o = wid.x + wid.y * nwg.x;
  let live = o < u32(u(0u));
  ${base}
  ${accDecl}
  if (live) { for (var j = lid.x; j < R; j += ${TREE_WG}u) ${step} }
  sv[lid.x] = av; si[lid.x] = ai;
  workgroupBarrier();
  for (var s = ${TREE_WG / 2}u; s > 0u; s = s >> 1u) {
    if (lid.x < s) {
      let bv = sv[lid.x + s]; let bi = si[lid.x + s]; let cv = sv[lid.x]; let ci = si[lid.x];
      if (${beats('cv', 'ci', 'bv', 'bi')}) { sv[lid.x] = bv; si[lid.x] = bi; }
    }
    workgroupBarrier();
  }
  if (live && lid.x == 0u) { o1[o] = si[0]; }
}`;
      ctx.run({ key: `reduce-tree|${op}|${x.dtype}|u${rows}`, source: () => body }, [ctx.buf(src), out.buffer], u, foldGroups(nOut));
    }
  } else {
    const f = foldFor(op, x.dtype);
    accType = f.t;
    accDecl = `var acc: ${f.t} = ${f.identity};`;
    step = `{ acc = ${f.combine('acc', load('base + j * inner'))}; }`;
    merge = f.combine;
    result = 'acc';
    if (serial) {
      const body = `${header}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let o = gid.x + gid.y * nwg.x * 64u;
  if (o >= u32(u(0u))) { return; }
  ${base}
  ${accDecl}
  for (var j = 0u; j < R; j++) ${step}
  o1[o] = ${result};
}`;
      ctx.run({ key: `reduce-serial|${op}|${x.dtype}|u${rows}`, source: () => body }, [ctx.buf(src), out.buffer], u, groupsFor(nOut));
    } else {
      const body = `${header}
var<workgroup> sacc: array<${accType}, ${TREE_WG}>;
@compute @workgroup_size(${TREE_WG})
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let o = wid.x + wid.y * nwg.x;
  let live = o < u32(u(0u));
  ${base}
  ${accDecl}
  if (live) { for (var j = lid.x; j < R; j += ${TREE_WG}u) ${step} }
  sacc[lid.x] = acc;
  workgroupBarrier();
  for (var s = ${TREE_WG / 2}u; s > 0u; s = s >> 1u) {
    if (lid.x < s) { sacc[lid.x] = ${merge('sacc[lid.x]', 'sacc[lid.x + s]')}; }
    workgroupBarrier();
  }
  if (live && lid.x == 0u) { o1[o] = sacc[0]; }
}`;
      ctx.run({ key: `reduce-tree|${op}|${x.dtype}|u${rows}`, source: () => body }, [ctx.buf(src), out.buffer], u, foldGroups(nOut));
    }
  }
  if (temp) release(temp);
  return out;
}
