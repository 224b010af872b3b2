import type { DType, TypedArray } from '@scratchnet/core';
import { allocFor } from '../storage.js';

/**
 * Converts to another dtype: float → int32 truncates toward zero (NaN → 0, out-of-range wraps),
 * anything → bool is x ≠ 0 (NaN → true), bool / int32 → float32 is exact or nearest. Always returns a new array.
 */
export function castKernel(x: TypedArray, dtype: DType): TypedArray {
  const n = x.length;
  if (dtype === 'bool') {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = x[i] !== 0 ? 1 : 0;
    return out;
  }
  const out = allocFor(dtype, n);
  // Typed-array assignment does the conversion: ToInt32 truncates toward zero, Float32 rounds to nearest.
  out.set(x);
  return out;
}
