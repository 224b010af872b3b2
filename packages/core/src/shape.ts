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
