import { ArgumentError, ShapeError, fmtShape } from './errors.js';

/** A tensor shape: one non-negative integer per dimension. */
export type Shape = readonly number[];

/** Number of elements in a shape (1 for a scalar). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides of a contiguous tensor of this shape. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

/** Checks that every dimension is a non-negative integer; `op` and `arg` name the culprit in the error. */
export function checkShape(shape: Shape, op: string, arg = 'shape'): void {
  if (!Array.isArray(shape)) throw new ShapeError(`${op}: ${arg} must be an array of dimensions, got ${String(shape)}`);
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new ShapeError(`${op}: ${arg} ${fmtShape(shape)} has an invalid dimension ${String(d)} (dimensions are non-negative integers)`);
    }
  }
}

/** True when two shapes are identical. */
export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The NumPy broadcast of two shapes, or a ShapeError naming the op and both shapes. */
export function broadcastShapes(a: Shape, b: Shape, op: string, names: [string, string] = ['a', 'b']): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        `${op}: shapes of ${names[0]} ${fmtShape(a)} and ${names[1]} ${fmtShape(b)} cannot be broadcast together (dimension ${i}: ${da} vs ${db})`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Normalises one axis (negative counts from the end) against `rank`, or throws naming the op. */
export function normalizeAxis(axis: number, rank: number, op: string, arg = 'axis'): number {
  if (typeof axis !== 'number' || !Number.isInteger(axis)) throw new ArgumentError(`${op}: ${arg} must be an integer, got ${String(axis)}`);
  if (axis < -rank || axis >= rank) {
    throw new ArgumentError(`${op}: ${arg} ${axis} is out of range for a tensor of rank ${rank} (expected ${-rank}..${rank - 1})`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** Normalises a set of axes: undefined means all; result is sorted and unique. Duplicates are an error. */
export function normalizeAxes(axes: number | readonly number[] | undefined | null, rank: number, op: string): number[] {
  if (axes === undefined || axes === null) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axes === 'number' ? [axes] : [...axes];
  const out = list.map((a) => normalizeAxis(a, rank, op, 'axes'));
  const sorted = [...out].sort((x, y) => x - y);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] === sorted[i - 1]) throw new ArgumentError(`${op}: axes [${list.join(',')}] repeat axis ${sorted[i]}`);
  }
  return sorted;
}

/** True when `v` is an array (a plain boolean, so it never narrows the caller's type). */
export function isArray(v: unknown): boolean {
  return Array.isArray(v);
}

/**
 * Strides (in elements) that read a contiguous tensor of `inShape` as if broadcast to `outShape`
 * (NumPy rules, aligned on the right): 0 on every axis where the input has size 1 or no axis.
 * Backends use it to walk broadcast operands without copying them.
 */
export function broadcastStrides(inShape: Shape, outShape: Shape): number[] {
  const own = stridesOf(inShape);
  const lead = outShape.length - inShape.length;
  return outShape.map((_, i) => {
    const j = i - lead;
    return j < 0 || inShape[j] === 1 ? 0 : own[j]!;
  });
}

/** An iteration space walked by several operands: one shape and, per operand, one stride per axis. */
export interface MergedAxes {
  readonly shape: number[];
  readonly strides: number[][];
}

/**
 * Simplifies an iteration space walked by several operands: drops size-1 axes and merges each axis into
 * the previous one when every operand steps through the pair contiguously (stride[i] = stride[i + 1] ·
 * shape[i + 1]), so kernels see as few and as long axes as possible. The result has at least one axis
 * (a scalar space becomes [1] with stride 0). Every backend walks broadcasts and strided views with it.
 */
export function mergeAxes(shape: Shape, strides: readonly (readonly number[])[]): MergedAxes {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let ax = 0; ax < shape.length; ax++) {
    const d = shape[ax]!;
    if (d === 1) continue;
    const last = outShape.length - 1;
    if (last >= 0 && strides.every((s, o) => outStrides[o]![last] === s[ax]! * d)) {
      outShape[last] = outShape[last]! * d;
      strides.forEach((s, o) => (outStrides[o]![last] = s[ax]!));
    } else {
      outShape.push(d);
      strides.forEach((s, o) => outStrides[o]!.push(s[ax]!));
    }
  }
  if (outShape.length === 0) {
    outShape.push(1);
    for (const s of outStrides) s.push(0);
  }
  return { shape: outShape, strides: outStrides };
}

/** `shape` seen around one axis as [outer, size of the axis, inner] (the products before and after it). */
export function around(shape: Shape, axis: number): [number, number, number] {
  let outer = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i]!;
  let inner = 1;
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i]!;
  return [outer, shape[axis]!, inner];
}

/**
 * Plans a reduction of `shape` over sorted, unique `axes` as passes of the one layout reduce kernels
 * receive: a contiguous [outer, r, inner] tensor reduced over its middle axis. Size-1 axes are dropped
 * and neighbouring axes of one kind (kept or reduced) merge, so one run of reduced axes is one pass; with
 * several runs, the innermost is reduced first and each later pass reads the previous pass's output,
 * which needs no transposing copy. Every dimension must be ≥ 1 (core handles empty tensors itself).
 * Returns at least one pass; reducing only size-1 axes is the single pass [size, 1, 1].
 */
export function planReducePasses(shape: Shape, axes: readonly number[]): [number, number, number][] {
  const runs: { reduced: boolean; size: number }[] = [];
  for (let d = 0; d < shape.length; d++) {
    const n = shape[d]!;
    if (n === 1) continue;
    const reduced = axes.includes(d);
    const last = runs[runs.length - 1];
    if (last !== undefined && last.reduced === reduced) last.size *= n;
    else runs.push({ reduced, size: n });
  }
  const passes: [number, number, number][] = [];
  for (let k = runs.length - 1; k >= 0; k--) {
    if (!runs[k]!.reduced) continue;
    let outer = 1;
    for (let i = 0; i < k; i++) outer *= runs[i]!.size;
    let inner = 1;
    for (let i = k + 1; i < runs.length; i++) inner *= runs[i]!.size;
    passes.push([outer, runs[k]!.size, inner]);
    runs.splice(k, 1);
  }
  if (passes.length === 0) passes.push([sizeOf(shape), 1, 1]);
  return passes;
}
