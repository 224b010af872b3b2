/**
 * A flat fused program over several segments (an optimizer's update of every parameter) in as few
 * dispatches as the device's storage-buffer limit allows. A dispatch runs one thread per element of
 * all its segments together: a thread finds its segment from the start offsets in the uniforms, loads
 * that segment's inputs (element j, or element 0 of a one-element input), evaluates the program's steps
 * once — the same step functions and uniform parameters as the fused kernel (fused.ts) — and stores
 * that segment's outputs. Every segment binds its own storage buffers (a buffer bound by several
 * segments, e.g. a shared scale, is bound once), so a dispatch takes as many segments as fit in
 * `maxStorageBuffersPerShaderStage` bindings; the rest go to the next dispatch.
 */
import {
  validateFusedProgram,
  type FusedElementwiseProgram, type FusedSegment, type FusedValueInfo, type TensorRef,
} from '@scratchnet/core';
import { MATH, Uniforms, elementwiseMain, inputDecl, outputDecl, storageType, uniformDecl } from '../wgsl.js';
import { groupsFor, type GpuData, type KernelContext } from './context.js';
import { fusedBindings, paramsOf, programKey, stepsWgsl, type Param } from './fused.js';

/** One dispatch's share: its segments, and for each segment the binding of each input and output. */
interface Batch {
  readonly segments: FusedSegment[];
  readonly inputBindings: number[][];
  readonly outputBindings: number[][];
  /** Per binding: an input's buffer, or null for an output (made when the dispatch is recorded). */
  readonly buffers: (GPUBuffer | null)[];
  readonly dtypes: string[];
}

/** Splits `segments` into dispatches of at most `maxBuffers` storage bindings each (inputs deduplicated by buffer). */
function batches(ctx: KernelContext, program: FusedElementwiseProgram, infos: readonly FusedValueInfo[], segments: readonly FusedSegment[], maxBuffers: number): Batch[] {
  const out: Batch[] = [];
  let batch: Batch | null = null;
  for (const s of segments) {
    const bufs = s.inputs.map((t: TensorRef) => ctx.buf(t));
    const fresh = (b: Batch): number => new Set(bufs.filter((x) => !b.buffers.includes(x))).size + program.outputs.length;
    if (!batch || batch.buffers.length + fresh(batch) > maxBuffers) {
      batch = { segments: [], inputBindings: [], outputBindings: [], buffers: [], dtypes: [] };
      out.push(batch);
    }
    const b = batch;
    b.segments.push(s);
    b.inputBindings.push(bufs.map((x, k) => {
      let at = b.buffers.indexOf(x);
      if (at < 0) {
        at = b.buffers.push(x) - 1;
        b.dtypes.push(program.inputs[k]!.dtype);
      }
      return at;
    }));
    b.outputBindings.push(program.outputs.map((o) => {
      b.dtypes.push(`out:${infos[o]!.dtype}`);
      return b.buffers.push(null) - 1;
    }));
  }
  return out;
}

/** The shader of one batch: segment lookup from the start offsets (uniform words 1 … K), loads, steps, stores. */
function shaderOf(program: FusedElementwiseProgram, infos: readonly FusedValueInfo[], b: Batch, params: readonly Param[], rows: number): string {
  const K = b.segments.length;
  const decls = b.dtypes.map((d, at) => (d.startsWith('out:') ? outputDecl(`b${at}`, at, d.slice(4) as never) : inputDecl(`b${at}`, at, d as never)));
  const one = program.inputs.map((x) => x.shape[0] === 1 && program.outShape[0] !== 1);
  const lines = ['  var seg = 0u;'];
  for (let s = 1; s < K; s++) lines.push(`  if (i >= u32(u(${1 + s}u))) { seg = ${s}u; }`);
  lines.push('  let j = i - u32(u(1u + seg));');
  program.inputs.forEach((x, k) => lines.push(`  var v${k}: ${storageType(x.dtype)};`));
  const cases = (body: (s: number) => string[]): void => {
    lines.push('  switch seg {');
    for (let s = 0; s < K; s++) lines.push(`    ${s === K - 1 ? 'default' : `case ${s}u`}: {`, ...body(s).map((l) => `      ${l}`), '    }');
    lines.push('  }');
  };
  cases((s) => program.inputs.map((_, k) => `v${k} = b${b.inputBindings[s]![k]}[${one[k] ? '0' : 'j'}];`));
  const steps = stepsWgsl(program, infos, params);
  lines.push(...steps.lines);
  cases((s) => program.outputs.map((o, j) => `b${b.outputBindings[s]![j]}[j] = v${o};`));
  return `${decls.join('\n')}\n${uniformDecl(b.buffers.length, rows)}\n${MATH}\n${steps.fns.join('\n')}\n${elementwiseMain(lines.join('\n'))}`;
}

/**
 * Records `program` (flat) over `segments` in as few dispatches as `maxBuffers` storage bindings per
 * shader allow, and returns per segment its outputs (new data of the segment's size). The caller
 * checks the arguments and that one segment fits ({@link fusedBindings} ≤ maxBuffers).
 */
export function fusedSegments(ctx: KernelContext, program: FusedElementwiseProgram, segments: readonly FusedSegment[], maxBuffers: number): GpuData[][] {
  if (fusedBindings(program) > maxBuffers) throw new Error(`fusedElementwiseSegments: a segment binds ${fusedBindings(program)} storage buffers, the device allows ${maxBuffers}`);
  const infos = validateFusedProgram(program);
  const results: GpuData[][] = [];
  for (const b of batches(ctx, program, infos, segments, maxBuffers)) {
    const outs = b.segments.map((s) => program.outputs.map((o) => ctx.alloc(s.size, infos[o]!.dtype)));
    const bound = b.buffers.slice();
    b.outputBindings.forEach((places, s) => places.forEach((at, j) => (bound[at] = outs[s]![j]!.buffer)));
    const u = new Uniforms();
    let start = 0;
    const starts = b.segments.map((s) => {
      const at = start;
      start += s.size;
      return at;
    });
    u.push(start, ...starts);
    const params = paramsOf(program, infos, u.push());
    for (const p of params) {
      if (p.dtype === 'float32') u.pushFloat(p.value);
      else u.push(p.dtype === 'int32' ? p.value | 0 : p.value !== 0 ? 1 : 0);
    }
    const rows = u.rows;
    const pattern = `${b.inputBindings.map((l) => l.join(',')).join(';')}|${b.outputBindings.map((l) => l.join(',')).join(';')}`;
    ctx.run(
      { key: `fusedseg|${programKey(program)}|${program.inputs.map((x) => x.shape[0] === 1 && program.outShape[0] !== 1 ? 1 : 'n').join('')}|${pattern}|u${rows}`, source: () => shaderOf(program, infos, b, params, rows) },
      bound as GPUBuffer[], u, groupsFor(start),
    );
    results.push(...outs);
  }
  return results;
}
