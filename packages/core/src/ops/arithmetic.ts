/** Elementwise conveniences composed from core's kernels; gradients follow from the pieces. */
import { tidy } from '../engine/engine.js';
import { ArgumentError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { add, div, equal, less, mul, notEqual, sub, where } from './binary.js';
import { cast } from './cast.js';
import { expectTensor, toTensor, type TensorLike } from './convert.js';
import { abs, square } from './unary.js';

/** (a − b)², with broadcasting. */
export function squaredDifference(a: TensorLike, b: TensorLike): Tensor {
  return tidy(() => square(sub(a, b)));
}

/** a / b, and 0 wherever b is 0 (its gradient is 0 there too, not NaN). */
export function divNoNan(a: TensorLike, b: TensorLike): Tensor {
  return tidy(() => {
    const tb = toTensor(b, 'divNoNan', 'b', 'float32');
    const zero = equal(tb, 0);
    return where(zero, 0, div(a, where(zero, 1, tb)));
  });
}

/** start + weight · (end − start), with broadcasting (PyTorch's lerp). */
export function lerp(start: TensorLike, end: TensorLike, weight: TensorLike): Tensor {
  return tidy(() => add(start, mul(weight, sub(end, start))));
}

/** a XOR b (inputs read as bool). */
export function logicalXor(a: TensorLike, b: TensorLike): Tensor {
  return tidy(() => notEqual(cast(toTensor(a, 'logicalXor', 'a', 'bool'), 'bool'), cast(toTensor(b, 'logicalXor', 'b', 'bool'), 'bool')));
}

/** Whether each element is NaN (bool). */
export function isNaN(x: Tensor): Tensor {
  expectTensor(x, 'isNaN', 'x');
  return tidy(() => notEqual(x, x));
}

/** Whether each element is +∞ or −∞ (bool). */
export function isInf(x: Tensor): Tensor {
  expectTensor(x, 'isInf', 'x');
  return tidy(() => equal(abs(cast(x, 'float32')), Infinity));
}

/** Whether each element is neither NaN nor ±∞ (bool). */
export function isFinite(x: Tensor): Tensor {
  expectTensor(x, 'isFinite', 'x');
  return tidy(() => less(abs(cast(x, 'float32')), Infinity));
}

/** x with `value` wherever `mask` (read as bool, broadcast against x) is true (PyTorch's masked_fill). */
export function maskedFill(x: Tensor, mask: TensorLike, value: number): Tensor {
  expectTensor(x, 'maskedFill', 'x');
  if (typeof value !== 'number') throw new ArgumentError(`maskedFill: value must be a number, got ${String(value)}`);
  return tidy(() => where(toTensor(mask, 'maskedFill', 'mask', 'bool'), value, x));
}
