import { ArgumentError, ShapeError } from '@scratchnet/core';

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

/**
 * Checks a convolution layer's channel counts, kernel sizes and groups (each a positive integer, both
 * channel counts divisible by groups); returns the groups.
 */
export function checkConvChannels(layer: string, inChannels: number, outChannels: number, kernelSizes: readonly number[], groups: number): number {
  checkPositiveInt(layer, 'inChannels', inChannels);
  checkPositiveInt(layer, 'outChannels', outChannels);
  kernelSizes.forEach((k) => checkPositiveInt(layer, 'kernelSize', k));
  checkPositiveInt(layer, 'groups', groups);
  if (inChannels % groups !== 0 || outChannels % groups !== 0) {
    throw new ShapeError(`${layer}: inChannels ${inChannels} and outChannels ${outChannels} must both be divisible by groups ${groups}`);
  }
  return groups;
}
