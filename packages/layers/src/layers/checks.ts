import { ArgumentError } from '@scratchnet/core';

/** Throws unless `value` is a positive integer; names the layer and the argument. */
export function checkPositiveInt(layer: string, arg: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ArgumentError(`${layer}: ${arg} must be a positive integer, got ${String(value)}`);
  }
}

/** Throws unless `value` is a finite number in [lo, hi]. */
export function checkRange(layer: string, arg: string, value: unknown, lo: number, hi: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < lo || value > hi) {
    throw new ArgumentError(`${layer}: ${arg} must be a number in [${lo}, ${hi}], got ${String(value)}`);
  }
}
