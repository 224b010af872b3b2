/**
 * Shape arithmetic done on the host before a kernel runs: broadcast strides, merging of axes that can
 * be walked as one, and the [outer, reduced, inner] form of a reduction.
 */

import { broadcastStrides, sizeOf, stridesOf as contiguousStrides } from '@scratchnet/core';

export { broadcastStrides, contiguousStrides, sizeOf };

/** A walk over `shape` reading several operands with their own strides. */
export interface Walk {
  readonly shape: number[];
  readonly strides: number[][];
}

/**
 * Drops size-1 axes and merges neighbouring axes that every operand walks with one stride, so kernels
 * see as few and as long axes as possible. Always returns at least one axis.
 */
export function mergeAxes(shape: readonly number[], strides: readonly (readonly number[])[]): Walk {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    const n = shape[d]!;
    if (n === 1) continue;
    const last = outShape.length - 1;
    if (last >= 0 && strides.every((s, k) => outStrides[k]![last] === s[d]! * n)) {
      outShape[last]! *= n;
      strides.forEach((s, k) => (outStrides[k]![last] = s[d]!));
    } else {
      outShape.push(n);
      strides.forEach((s, k) => outStrides[k]!.push(s[d]!));
    }
  }
  if (outShape.length === 0) {
    outShape.push(1);
    for (const s of outStrides) s.push(0);
  }
  return { shape: outShape, strides: outStrides };
}

/** A reduction as [outer, r, inner] over x itself, or over x permuted by `perm` first. */
export interface ReducePlan {
  readonly outer: number;
  readonly r: number;
  readonly inner: number;
  /** When set, x must first be copied into this axis order (kept axes, then reduced axes). */
  readonly perm: number[] | null;
}

/** Plans a reduction of `shape` over sorted, unique `axes`. */
export function planReduce(shape: readonly number[], axes: readonly number[]): ReducePlan {
  const reduced = new Set(axes);
  // Runs of axes of one kind, ignoring size-1 axes (they change nothing).
  const runs: { reduced: boolean; size: number }[] = [];
  for (let d = 0; d < shape.length; d++) {
    const n = shape[d]!;
    if (n === 1) continue;
    const r = reduced.has(d);
    const last = runs[runs.length - 1];
    if (last !== undefined && last.reduced === r) last.size *= n;
    else runs.push({ reduced: r, size: n });
  }
  if (shape.some((d) => d === 0)) {
    let outer = 1;
    let r = 1;
    for (let d = 0; d < shape.length; d++) {
      if (reduced.has(d)) r *= shape[d]!;
      else outer *= shape[d]!;
    }
    return { outer, r, inner: 1, perm: null };
  }
  const reducedRuns = runs.filter((x) => x.reduced).length;
  if (reducedRuns <= 1) {
    let outer = 1;
    let r = 1;
    let inner = 1;
    let seen = false;
    for (const run of runs) {
      if (run.reduced) {
        r = run.size;
        seen = true;
      } else if (seen) inner *= run.size;
      else outer *= run.size;
    }
    return { outer, r, inner, perm: null };
  }
  const kept: number[] = [];
  const red: number[] = [];
  for (let d = 0; d < shape.length; d++) (reduced.has(d) ? red : kept).push(d);
  let outer = 1;
  for (const d of kept) outer *= shape[d]!;
  let r = 1;
  for (const d of red) r *= shape[d]!;
  return { outer, r, inner: 1, perm: [...kept, ...red] };
}
