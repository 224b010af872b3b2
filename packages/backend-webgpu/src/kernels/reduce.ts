/**
 * Reductions of a contiguous x [outer, R, inner] over its middle axis (the one layout core sends; R ≥ 1).
 * Each output is folded either by one thread (short rows, or many outputs) or by a workgroup: every
 * thread folds a strided share of the row and the workgroup combines the partial results as a tree in
 * workgroup memory. The combine steps, identities and arg tests are core's REDUCE_DEFS WGSL forms.
 */
import { REDUCE_DEFS, isArgReduce, validateFusedProgram, type DType, type FusedElementwiseProgram, type ReduceOp, type TensorRef } from '@scratchnet/core';
import { reducePrologue } from './prologue.js';
import { storeEpilogue } from './epilogue.js';
import { MATH, Uniforms, inputDecl, outputDecl, storageType, uniformDecl } from '../wgsl.js';
import { groupsFor, type GpuData, type KernelContext, type ShaderPart } from './context.js';
import { HALF } from '../half.js';
import { foldGroups } from '../runtime.js';

/** Rows at most this long are folded by one thread each. */
const SERIAL_MAX = 64;
/**
 * With at least this many outputs, rows up to {@link SERIAL_LONG} long are folded by one thread each
 * too: enough threads to fill a device, and on CPU adapters (lavapipe) a tree's barriers cost far more
 * than the loads (BatchNorm's [512, 196] sums: ~5.8 ms as trees, ~0.6 ms serial).
 */
const SERIAL_OUTPUTS = 256;
const SERIAL_LONG = 1024;
/** Threads of a tree reduction's workgroup. */
const TREE_WG = 128;

/** A WGSL literal of a table identity. */
function literal(v: number, t: 'f32' | 'i32'): string {
  if (t === 'i32') return `i32(${v})`;
  if (v === Infinity) return 'inf_f32()';
  if (v === -Infinity) return '-inf_f32()';
  return `${v}.0`;
}

/** The WGSL of one op over values of type `t`: a `combine` (fold ops) or `beats` (arg ops) function. */
function opFunctions(op: ReduceOp, t: 'f32' | 'i32'): { fn: string; identity: string } {
  const def = REDUCE_DEFS[op];
  const expr = t === 'f32' ? def.wgsl : def.wgslInt;
  if (def.kind === 'arg') return { fn: `fn beats(a: ${t}, b: ${t}) -> bool { return ${expr}; }`, identity: t === 'f32' ? '0.0' : '0' };
  return { fn: `fn combine(a: ${t}, b: ${t}) -> ${t} { return ${expr}; }`, identity: literal(def.identity[t === 'f32' ? 'float32' : 'int32'], t) };
}

const dtypes = new WeakMap<FusedElementwiseProgram, DType>();

/** The dtype of a prologue program's one output (checked once per program). */
function prologueDtype(program: FusedElementwiseProgram): DType {
  let dtype = dtypes.get(program);
  if (dtype === undefined) {
    dtype = validateFusedProgram(program)[program.outputs[0]!]!.dtype;
    dtypes.set(program, dtype);
  }
  return dtype;
}

/**
 * Where a reduction reads its elements from: storage (x0) or a prologue program; `decls` declare the
 * bindings before the output's, `words` come after the reduction's three.
 */
interface Source extends ShaderPart {
  /** A WGSL expression of the element at flat index `idx` (u32), in the fold type. */
  readonly load: (idx: string) => string;
}

/** Reduces x [outer, R, inner] (float32, float16 or int32) over R into [outer, inner] of `outDtype`; float16 folds in f32 and rounds once. */
export function reduce(ctx: KernelContext, op: ReduceOp, x: TensorRef, outDtype: DType): GpuData {
  const half = x.dtype === 'float16';
  return reduceFrom(ctx, op, x.shape as [number, number, number], x.dtype, outDtype, {
    decls: inputDecl('x0', 0, x.dtype), buffers: [ctx.buf(x)], words: [], key: '',
    load: (idx) => (half ? `f32(x0[${idx}])` : `x0[${idx}]`),
  })!;
}

/** Reduces the one output of `program` over `inputs`, read as `shape` [outer, R, inner], computing each element as it is read (Backend.reducePrologue). */
export function reduceWithPrologue(
  ctx: KernelContext, op: ReduceOp, program: FusedElementwiseProgram, inputs: readonly TensorRef[], shape: readonly [number, number, number], outDtype: DType,
): GpuData {
  const p = reducePrologue(ctx, program, inputs, 3);
  const inDtype = prologueDtype(program);
  return reduceFrom(ctx, op, shape, inDtype, outDtype, { ...p, load: (idx) => `prologue_load(${idx})` })!;
}

/** Reduces float32 x as {@link reduce} does into float32, with `program` applied to each result as it is stored (Backend.reduceEpilogue). */
export function reduceEpilogue(
  ctx: KernelContext, op: ReduceOp, x: TensorRef, program: FusedElementwiseProgram, extras: readonly TensorRef[],
): readonly GpuData[] {
  const [outer, , inner] = x.shape as [number, number, number];
  const e = storeEpilogue(ctx, 'reduceEpilogue', program, extras, outer * inner, 1, 3, false);
  reduceFrom(ctx, op, x.shape as [number, number, number], x.dtype, 'float32', {
    decls: inputDecl('x0', 0, x.dtype), buffers: [ctx.buf(x)], words: [], key: '', load: (idx) => `x0[${idx}]`,
  }, { key: e.key, decls: e.decls, buffers: e.buffers, words: e.words, store: (o, v) => `epilogue_store(${o}, ${v});` });
  return e.outs;
}

/** Where a reduction stores: bindings after its inputs', uniform words after the source's, and the WGSL storing result `v` at output `o`. */
interface Sink extends ShaderPart {
  readonly store: (o: string, v: string) => string;
}

/** Records the reduction; returns its output, or null where `epilogue` stores the results. */
function reduceFrom(ctx: KernelContext, op: ReduceOp, shape: readonly [number, number, number], inDtype: DType, outDtype: DType, src: Source, epilogue?: Sink): GpuData | null {
  const [outer, R, inner] = shape;
  const nOut = outer * inner;
  const fin0 = (v: string): string => (outDtype === 'float16' ? `f2h(${v})` : v);
  let out: GpuData | null = null;
  const sink: Sink = epilogue ?? (() => {
    out = ctx.alloc(nOut, outDtype);
    return { key: '', decls: outputDecl('o1', src.buffers.length, outDtype), buffers: [out.buffer], words: [], store: (o, v) => `o1[${o}] = ${fin0(v)};` };
  })();
  const half = inDtype === 'float16' || outDtype === 'float16';
  const t = inDtype === 'float16' || storageType(inDtype) === 'f32' ? 'f32' : 'i32';
  const load = src.load('base + j * inner');
  const { fn, identity } = opFunctions(op, t);
  const serial = R <= SERIAL_MAX || nOut >= 4096 || (nOut >= SERIAL_OUTPUTS && R <= SERIAL_LONG);
  const u = new Uniforms();
  u.push(nOut, R, inner, ...src.words, ...sink.words);
  const rows = u.rows;
  const nIn = src.buffers.length;
  const header = `${src.decls}\n${sink.decls}\n${uniformDecl(nIn + sink.buffers.length, rows)}\n${MATH}\n${half ? HALF : ''}\n${fn}`;
  // Element j of output o sits at base(o) + j * inner.
  const base = 'let R = u32(u(1u)); let inner = u32(u(2u)); let base = (o / inner) * R * inner + o % inner;';
  const isArg = isArgReduce(op);
  // Arg ops carry (value, index) pairs; index -1 means nothing seen yet. A later index only wins when
  // its value beats; across partial results, the lower index wins unless the other value beats it.
  const accDecl = isArg ? `var av: ${t} = ${identity}; var ai: i32 = -1;` : `var acc: ${t} = ${identity};`;
  const step = isArg
    ? `{ let v = ${load}; if (ai < 0 || beats(av, v)) { av = v; ai = i32(j); } }`
    : `{ acc = combine(acc, ${load}); }`;
  const key = `reduce-${serial ? 'serial' : 'tree'}|${op}|${inDtype}|${outDtype}|u${rows}${src.key}${sink.key}`;
  if (serial) {
    const body = `${header}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let o = gid.x + gid.y * nwg.x * 64u;
  if (o >= u32(u(0u))) { return; }
  ${base}
  ${accDecl}
  for (var j = 0u; j < R; j++) ${step}
  ${isArg ? sink.store('o', 'ai') : sink.store('o', 'acc')}
}`;
    ctx.run({ key, source: () => body }, [...src.buffers, ...sink.buffers], u, groupsFor(nOut));
    return out;
  }
  const shared = isArg
    ? `var<workgroup> sv: array<${t}, ${TREE_WG}>;\nvar<workgroup> si: array<i32, ${TREE_WG}>;`
    : `var<workgroup> sacc: array<${t}, ${TREE_WG}>;`;
  const store = isArg ? 'sv[lid.x] = av; si[lid.x] = ai;' : 'sacc[lid.x] = acc;';
  const merge = isArg
    ? `let bv = sv[lid.x + s]; let bi = si[lid.x + s]; let cv = sv[lid.x]; let ci = si[lid.x];
      if (bi >= 0 && (ci < 0 || beats(cv, bv) || (!beats(bv, cv) && bi < ci))) { sv[lid.x] = bv; si[lid.x] = bi; }`
    : 'sacc[lid.x] = combine(sacc[lid.x], sacc[lid.x + s]);';
  const body = `${header}
${shared}
@compute @workgroup_size(${TREE_WG})
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let o = wid.x + wid.y * nwg.x;
  let live = o < u32(u(0u));
  ${base}
  ${accDecl}
  if (live) { for (var j = lid.x; j < R; j += ${TREE_WG}u) ${step} }
  ${store}
  workgroupBarrier();
  for (var s = ${TREE_WG / 2}u; s > 0u; s = s >> 1u) {
    if (lid.x < s) {
      ${merge}
    }
    workgroupBarrier();
  }
  if (live && lid.x == 0u) { ${isArg ? sink.store('o', 'si[0]') : sink.store('o', 'sacc[0]')} }
}`;
  ctx.run({ key, source: () => body }, [...src.buffers, ...sink.buffers], u, foldGroups(nOut));
  return out;
}
