import { dtypeList, isDType, type DType } from '../dtype.js';
import { DTypeError } from '../errors.js';
import { recordOp } from '../autograd/tape.js';
import type { Tensor } from '../tensor.js';
import { expectTensor } from './convert.js';
import { alias } from './reshape.js';
import { runKernel } from './kernel-call.js';

/**
 * Converts to another dtype: float → int32 truncates toward zero, anything → bool is x ≠ 0, → float16
 * rounds to the nearest half (ties to even; beyond ±65504 → ±Infinity). Casting to the same dtype returns
 * the same tensor. The gradient flows through float → float only (float32 ↔ float16 included).
 */
export function cast(x: Tensor, dtype: DType): Tensor {
  expectTensor(x, 'cast', 'x');
  if (!isDType(dtype)) throw new DTypeError(`cast: dtype must be one of ${dtypeList()}, got ${String(dtype)}`);
  if (x.dtype === dtype) return alias(x);
  const y = runKernel('cast', [x], ['x'], x.shape, dtype, (b, [r]) => b.cast(r!, dtype));
  recordOp('cast', [x], y, {});
  return y;
}
