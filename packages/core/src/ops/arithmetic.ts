/** Elementwise conveniences composed from core's kernels; gradients follow from the pieces. */
import { tidy } from '../engine/engine.js';
import { ArgumentError, ShapeError, fmtShape } from '../errors.js';
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

/** The elementwise sum of tensors of one shape (tfjs's `addN`; at least one tensor). */
export function addN(xs: readonly Tensor[]): Tensor {
  const list: unknown = xs;
  if (!Array.isArray(list) || xs.length === 0) throw new ArgumentError('addN: xs must be a non-empty array of tensors');
  xs.forEach((t, i) => expectTensor(t, 'addN', `xs[${i}]`));
  const first = xs[0]!;
  for (const [i, t] of xs.entries()) {
    if (t.shape.length !== first.shape.length || t.shape.some((d, k) => d !== first.shape[k])) {
      throw new ShapeError(`addN: xs[${i}] ${fmtShape(t.shape)} differs from xs[0] ${fmtShape(first.shape)} (addN does not broadcast)`);
    }
  }
  return tidy(() => xs.slice(1).reduce<Tensor>((acc, t) => add(acc, t), cast(first, first.dtype === 'bool' ? 'int32' : first.dtype)));
}

/**
 * One step of an exponential moving average (tfjs's `movingAverage`): v + (x − v)·(1 − decay); with
 * `step` given and `zeroDebias` (default true), divided by 1 − decay^step to remove the bias of a
 * zero start.
 */
export function movingAverage(v: TensorLike, x: TensorLike, decay: number, step?: number, zeroDebias = true): Tensor {
  if (!(decay >= 0 && decay <= 1)) throw new ArgumentError(`movingAverage: decay must be in [0, 1], got ${decay}`);
  if (step !== undefined && !(Number.isInteger(step) && step >= 1)) throw new ArgumentError(`movingAverage: step must be a positive integer, got ${step}`);
  return tidy(() => {
    const tv = toTensor(v, 'movingAverage', 'v', 'float32');
    const updated = add(tv, mul(sub(x, tv), 1 - decay));
    return zeroDebias && step !== undefined ? div(updated, 1 - decay ** step) : updated;
  });
}
