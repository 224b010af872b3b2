import { castArray, dtypeOfArray, type DType, type TypedArray } from '@scratchnet/core';

/**
 * Converts to another dtype with core's host conversion (castArray): float → int32 truncates toward
 * zero (NaN → 0, out-of-range wraps), anything → bool is x ≠ 0 (NaN → true), → float16 rounds to the
 * nearest half (ties to even, overflow → ±Infinity), → float32 is exact or nearest. The source dtype is
 * the array's own (a Uint16Array holds float16 bits). Always returns a new array.
 */
export function castKernel(x: TypedArray, dtype: DType): TypedArray {
  return castArray(x, dtypeOfArray(x), dtype);
}
