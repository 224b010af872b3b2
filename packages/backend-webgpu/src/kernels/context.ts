/** What every kernel needs from the backend: buffers of inputs, new outputs, and dispatch. */
import type { DType, TensorRef } from '@scratchnet/core';
import type { Program } from '../runtime.js';
import { WG, type Uniforms } from '../wgsl.js';
import { foldGroups } from '../runtime.js';

/** Data the backend holds for one DataId: a storage buffer of `size` elements of `dtype`. */
export interface GpuData {
  readonly buffer: GPUBuffer;
  readonly size: number;
  readonly dtype: DType;
}

/** The kernel's view of the backend. */
export interface KernelContext {
  /** The storage buffer behind an input. */
  buf(t: TensorRef): GPUBuffer;
  /** New output data of `size` elements. */
  alloc(size: number, dtype: DType): GpuData;
  /** Records a dispatch: storage buffers at bindings 0..n-1 (inputs, then outputs), uniforms after. */
  run(program: Program, buffers: readonly GPUBuffer[], uniforms: Uniforms, groups: readonly [number, number, number]): void;
  /** The device's fixed subgroup size where kernels may use subgroup operations; 0 or absent: none (see subgroups.ts). */
  readonly subgroupSize?: number;
}

/**
 * A part of a kernel's shader that the kernel binds where it says (an epilogue, a prologue, an input
 * source, an output sink): its WGSL declarations, the buffers bound for them, the uniform words it
 * reads, and the cache key of its code.
 */
export interface ShaderPart {
  readonly decls: string;
  readonly buffers: readonly GPUBuffer[];
  readonly words: readonly number[];
  readonly key: string;
}

/** Workgroup counts for `threads` threads of a {@link WG}-wide one-thread-per-element kernel. */
export function groupsFor(threads: number, wg = WG): [number, number, number] {
  return foldGroups(Math.ceil(threads / wg));
}

/**
 * WGSL that computes, from the flat output index `i`, one i32 offset `off<k>` per operand of a strided
 * walk over `rank` axes. Uniform layout from word `at`: the shape (rank words), then per operand a base
 * offset and rank strides. `rank` 0 means every operand is contiguous: `off<k> = i`. `i` must be below
 * the walk's size (its outermost index is taken as what remains after the inner axes).
 */
export function stridedOffsets(rank: number, operands: number, at: number): string {
  if (rank === 0) return Array.from({ length: operands }, (_, k) => `  let off${k} = i32(i);`).join('\n');
  const lines: string[] = [];
  for (let k = 0; k < operands; k++) lines.push(`  var off${k} = u(${at + rank + k * (rank + 1)}u);`);
  lines.push('  var rem = i;');
  for (let d = rank - 1; d >= 0; d--) {
    // One division per inner axis (the remainder from it); the outermost index is what remains (i < size).
    lines.push(d === 0 ? '  { let c = i32(rem);' : `  { let dim = u32(u(${at + d}u)); let q = rem / dim; let c = i32(rem - q * dim); rem = q;`);
    for (let k = 0; k < operands; k++) lines.push(`    off${k} = off${k} + c * u(${at + rank + k * (rank + 1) + 1 + d}u);`);
    lines.push('  }');
  }
  return lines.join('\n');
}

/**
 * {@link stridedOffsets} with the walk baked into the shader: the axis sizes and every operand's strides
 * as WGSL literals (each operand's base offset 0), so the shader compiler turns each division by an
 * axis size into a multiply and shift, and drops the terms of broadcast (stride 0) axes. The code then
 * holds one walk, so its cache key must name `shape` and `strides` ({@link stridedKey}).
 */
export function stridedOffsetsConst(shape: readonly number[], strides: readonly (readonly number[])[]): string {
  const rank = shape.length;
  if (rank === 0) return strides.map((_, k) => `  let off${k} = i32(i);`).join('\n');
  const terms: string[][] = strides.map(() => []);
  const lines: string[] = ['  var rem = i;'];
  for (let d = rank - 1; d >= 0; d--) {
    const c = `c${d}`;
    lines.push(d === 0 ? `  let ${c} = i32(rem);` : `  let q${d} = rem / ${shape[d]}u; let ${c} = i32(rem - q${d} * ${shape[d]}u); rem = q${d};`);
    strides.forEach((st, k) => {
      const s = st[d]!;
      if (s !== 0) terms[k]!.push(s === 1 ? c : `${c} * ${s}`);
    });
  }
  strides.forEach((_, k) => lines.push(`  let off${k} = ${terms[k]!.length ? terms[k]!.join(' + ') : '0'};`));
  return lines.join('\n');
}

/** The cache-key part naming a walk baked in by {@link stridedOffsetsConst}. */
export function stridedKey(shape: readonly number[], strides: readonly (readonly number[])[]): string {
  return `w${shape.join('x')}:${strides.map((s) => s.join(',')).join(';')}`;
}

/** Pushes the uniforms {@link stridedOffsets} reads. */
export function pushStrided(u: Uniforms, shape: readonly number[], operands: readonly { base: number; strides: readonly number[] }[]): void {
  u.push(...shape);
  for (const o of operands) u.push(o.base, ...o.strides);
}
