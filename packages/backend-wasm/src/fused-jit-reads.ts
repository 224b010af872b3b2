/**
 * How a run-time compiled fused program (fused-jit.ts) reads its inputs, and the loop that follows from
 * that. Every input the compiler takes is, after merging axes against the output, the pattern
 * [repeat, own, inner] with strides [0, 1, 0] (any part may be missing): output element i reads the
 * input's element ⌊i / inner⌋ mod size. That covers a whole input, one element, a bias repeated along
 * leading axes ([C] over [N, C]) and a per-channel value broadcast over trailing axes ([1, C, 1, 1] over
 * [N, C, H, W]: inner = H·W). Inputs with a size-1 axis inside their own axes ([C, 1, W] over [C, H, W])
 * are not of that form; the interpreter (fused.ts) takes those programs.
 */
import type { FusedElementwiseProgram } from '@scratchnet/core';
import { broadcastStrides, contiguousStrides, mergeAxes, sizeOf } from './shapes.js';

/**
 * How the loop reads one input: 'whole' (element i), 'one' (its only element, splat once), 'period'
 * (element i mod size: an input repeated along leading axes) or 'block' (element ⌊i / inner⌋ mod size:
 * one value per block of `inner` consecutive output elements, inner > 1).
 */
export type InputRead =
  | { readonly kind: 'whole' }
  | { readonly kind: 'one' }
  | { readonly kind: 'period'; readonly size: number }
  | { readonly kind: 'block'; readonly inner: number; readonly size: number };

/** How the input of `shape` is read against `outShape` ({@link InputRead}), or null: not of the form [repeat, own, inner]. */
export function inputRead(shape: readonly number[], outShape: readonly number[]): InputRead | null {
  const n = sizeOf(outShape);
  const size = sizeOf(shape);
  if (size === n) return { kind: 'whole' };
  if (size === 1) return { kind: 'one' };
  const walk = mergeAxes(outShape, [contiguousStrides(outShape), broadcastStrides(shape, outShape)]);
  const strides = walk.strides[1]!;
  let at = strides[0] === 0 ? 1 : 0; // past the repeat axis
  if (strides[at] !== 1) return null;
  at++;
  const inner = at < strides.length && strides[at] === 0 ? walk.shape[at++]! : 1;
  if (at !== strides.length) return null;
  return inner === 1 ? { kind: 'period', size } : { kind: 'block', inner, size };
}

/**
 * The loop over a program's elements: an outer loop over blocks of `block` consecutive elements that
 * reads each 'block' input once per block (all of them share this inner size), and within each block
 * a SIMD loop and a scalar tail for the block's last (block mod 4) elements; a 'period' input restarts
 * at each block (its size divides the block and is a multiple of 4, so that four lanes never straddle
 * a repeat, or is the block itself). Without block inputs and with every period a multiple of 4, the
 * whole output is one block.
 */
export interface JitLoop {
  readonly reads: readonly InputRead[];
  readonly block: number;
}

/** The loop for `program` ({@link JitLoop}), or null where some input is read in a way it does not take. */
export function jitLoop(program: FusedElementwiseProgram): JitLoop | null {
  const reads: InputRead[] = [];
  for (const x of program.inputs) {
    const read = inputRead(x.shape, program.outShape);
    if (read === null) return null;
    reads.push(read);
  }
  const inners = new Set(reads.flatMap((r) => (r.kind === 'block' ? [r.inner] : [])));
  const periods = reads.flatMap((r) => (r.kind === 'period' ? [r.size] : []));
  if (inners.size > 1) return null;
  const block = inners.size === 1 ? [...inners][0]! : periods.every((p) => p % 4 === 0) ? sizeOf(program.outShape) : Math.max(...periods);
  return periods.every((p) => block % p === 0 && (p % 4 === 0 || p === block)) ? { reads, block } : null;
}
