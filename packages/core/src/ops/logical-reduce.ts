/** Reductions of truth values and norms, composed from core's reductions (gradients follow for norm). */
import { tidy } from '../engine/engine.js';
import { ArgumentError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { equal, greater, notEqual, pow } from './binary.js';
import { cast } from './cast.js';
import { expectTensor } from './convert.js';
import { max, min, sum, type Axes } from './reduce.js';
import { abs, sqrt, square } from './unary.js';

/** Whether every element over `axes` (all by default) is non-zero (bool; true over nothing). */
export function all(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  expectTensor(x, 'all', 'x');
  // Counted rather than min-reduced, so that the empty case is true (the identity of min over int32 is not).
  return tidy(() => equal(sum(cast(equal(x, 0), 'int32'), axes, keepDims), 0));
}

/** Whether any element over `axes` (all by default) is non-zero (bool; false over nothing). */
export function any(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  expectTensor(x, 'any', 'x');
  return tidy(() => greater(countNonzero(x, axes, keepDims), 0));
}

/** How many elements over `axes` (all by default) are non-zero (int32). */
export function countNonzero(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  expectTensor(x, 'countNonzero', 'x');
  return tidy(() => sum(cast(notEqual(x, 0), 'int32'), axes, keepDims));
}

/** The order of a {@link norm}: a positive number p, ±Infinity, or 'fro' / 'euclidean' (= 2). */
export type NormOrder = number | 'fro' | 'euclidean';

/**
 * The vector p-norm of x over `axes` (all by default): (Σ|x|ᵖ)^(1/p); p = Infinity is max|x|,
 * −Infinity min|x|, 'fro' and 'euclidean' are p = 2 (over two axes, the Frobenius norm). Its gradient
 * at x = 0 follows the formula (NaN for p ≤ 1 at an all-zero slice, as d|x| at 0 is undefined).
 */
export function norm(x: Tensor, ord: NormOrder = 'euclidean', axes?: Axes, keepDims = false): Tensor {
  expectTensor(x, 'norm', 'x');
  const p = ord === 'fro' || ord === 'euclidean' ? 2 : ord;
  if (typeof p !== 'number' || Number.isNaN(p) || p <= 0 && p !== -Infinity) {
    throw new ArgumentError(`norm: ord must be a positive number, ±Infinity, 'fro' or 'euclidean', got ${String(ord)}`);
  }
  return tidy(() => {
    const xf = cast(x, 'float32');
    if (p === Infinity) return max(abs(xf), axes, keepDims);
    if (p === -Infinity) return min(abs(xf), axes, keepDims);
    if (p === 2) return sqrt(sum(square(xf), axes, keepDims));
    if (p === 1) return sum(abs(xf), axes, keepDims);
    return pow(sum(pow(abs(xf), p), axes, keepDims), 1 / p);
  });
}
