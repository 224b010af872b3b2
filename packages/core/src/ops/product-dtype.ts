import type { Tensor } from '../tensor.js';

/**
 * The dtype products (matmul, conv, pooling) compute in: float16 when every operand is float16 (the
 * kernels accumulate in float32 and round once), else float32. Mixing float16 with anything promotes
 * to float32, as PyTorch does.
 */
export function productDtype(...xs: readonly Tensor[]): 'float32' | 'float16' {
  return xs.every((x) => x.dtype === 'float16') ? 'float16' : 'float32';
}
