import type { NDArray } from './ref-types.js';
import { numericGradient as coreNumericGradient } from '@scratchnet/core/testing';

/** Central-difference gradient of Σ ref(xs)·c with respect to xs[which], in float64 (core's suite helper). */
export function numericGradient(ref: (...xs: NDArray[]) => NDArray, xs: readonly NDArray[], c: NDArray, which: number): NDArray {
  return coreNumericGradient(ref, xs, [c], which);
}

/** Largest |a − b| relative to (atol + rtol·|b|); ≤ 1 means within tolerance. */
export function worstError(got: ArrayLike<number>, want: ArrayLike<number>, rtol: number, atol: number): { ratio: number; index: number } {
  let ratio = 0;
  let index = -1;
  for (let i = 0; i < want.length; i++) {
    const r = Math.abs(got[i]! - want[i]!) / (atol + rtol * Math.abs(want[i]!));
    if (!(r <= ratio)) {
      ratio = r;
      index = i;
    }
  }
  return { ratio, index };
}
