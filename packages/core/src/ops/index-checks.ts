/**
 * Index-value checks shared by the scatter family and gatherND / scatterND. Each check runs at once
 * where the values can be read synchronously and, on an async-only backend, when they arrive (the
 * error then being thrown by the next read: engine/deferred-checks.ts), so every backend reports the
 * same error. Kernels meanwhile stay in bounds whatever the values.
 */
import type { TypedArray } from '../dtype.js';
import { checkValues } from '../engine/engine.js';
import { ArgumentError, fmtShape } from '../errors.js';
import { Tensor } from '../tensor.js';
import { expectDType } from './convert.js';
import { tensor } from './creation.js';

/** Integer indices given as an int32 tensor or a plain (nested) array of integers. */
export type IndexInput = Tensor | readonly number[] | readonly (readonly number[])[];

/** The indices as an int32 tensor (an array becomes one of its shape; a nested array must be rectangular). */
export function indexTensor(indices: IndexInput, op: string, arg: string): Tensor {
  if (indices instanceof Tensor) {
    expectDType(indices, ['int32'], op, arg);
    return indices;
  }
  if (!Array.isArray(indices)) throw new ArgumentError(`${op}: ${arg} must be an int32 tensor or an array of integers, got ${String(indices)}`);
  const flat = (indices as unknown[]).flat(Infinity);
  for (const v of flat) {
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new ArgumentError(`${op}: ${arg} must hold integers, got ${String(v)}`);
  }
  return tensor(indices as number[], undefined, 'int32');
}

/**
 * Checks every value of `indices` lies in [low(p), high(p)) where p is its flat position (so a
 * column can have its own limit); the error names the op, the value, its position and `what(p)`.
 */
export function checkIndexRange(
  indices: Tensor, op: string, limits: (position: number) => { low: number; high: number; what: string },
): void {
  checkValues(indices, op, (values: TypedArray) => {
    for (let p = 0; p < values.length; p++) {
      const v = values[p]!;
      const { low, high, what } = limits(p);
      if (v < low || v >= high) return new ArgumentError(`${op}: index ${v} at position ${p} is out of range for ${what} (expected ${low}..${high - 1})`);
    }
    return null;
  });
}

/** Checks along one axis: every value in [0, size) (or [-size, size) when `negative`), as gather's error. */
export function checkAxisRange(indices: Tensor, op: string, size: number, what: string, negative = false): void {
  const low = negative ? -size : 0;
  checkIndexRange(indices, op, () => ({ low, high: size, what }));
}

/**
 * Checks that `targets` (the flat positions an op writes, in range) holds no value twice; `describe`
 * turns a repeated target into words. The error names the op and both positions.
 */
export function checkNoRepeats(targets: Tensor, op: string, describe: (target: number) => string, hint: string): void {
  checkValues(targets, op, (values: TypedArray) => {
    const first = new Map<number, number>();
    for (let p = 0; p < values.length; p++) {
      const v = values[p]!;
      const seen = first.get(v);
      if (seen !== undefined) {
        return new ArgumentError(`${op}: ${describe(v)} is written twice (index positions ${seen} and ${p}); ${hint}`);
      }
      first.set(v, p);
    }
    return null;
  });
}

/** The multi-index of flat position `flat` in `shape`, as "[i,j,k]". */
export function fmtIndex(flat: number, shape: readonly number[]): string {
  const idx = new Array<number>(shape.length).fill(0);
  for (let a = shape.length - 1; a >= 0; a--) {
    const d = shape[a]!;
    idx[a] = d > 0 ? flat % d : 0;
    flat = d > 0 ? Math.floor(flat / d) : 0;
  }
  return fmtShape(idx);
}
