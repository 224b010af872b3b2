import { isDType, type DType } from '../dtype.js';
import { DTypeError } from '../errors.js';
import { recordOp } from '../autograd/tape.js';
import type { Tensor } from '../tensor.js';
import { expectTensor } from './convert.js';
import { alias } from './reshape.js';
import { runKernel } from './kernel-call.js';

/**
 * Converts to another dtype: float → int32 truncates toward zero, anything → bool is x ≠ 0.
 * Casting float32 to float32 returns the same tensor. The gradient flows through float → float only.
 */
export function cast(x: Tensor, dtype: DType): Tensor {
  expectTensor(x, 'cast', 'x');
  if (!isDType(dtype)) throw new DTypeError(`cast: dtype must be 'float32', 'int32' or 'bool', got ${String(dtype)}`);
  if (x.dtype === dtype) return alias(x);
  const y = runKernel('cast', [x], ['x'], x.shape, dtype, (b, [r]) => b.cast(r!, dtype));
  recordOp('cast', [x], y, {});
  return y;
}
