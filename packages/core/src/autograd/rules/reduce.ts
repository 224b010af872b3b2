import type { ReduceOp } from '../../backend/kernel-types.js';
import { div, equal, mul, where } from '../../ops/binary.js';
import { broadcastTo } from '../../ops/broadcast-to.js';
import { cast } from '../../ops/cast.js';
import { prod, sum } from '../../ops/reduce.js';
import { reshape } from '../../ops/reshape.js';
import type { Tensor } from '../../tensor.js';
import type { GradRule } from '../grad-attrs.js';

/** `t` (reduced over `axes`, with or without kept dims) broadcast back to `shape`. */
function spread(t: Tensor, axes: readonly number[], shape: readonly number[]): Tensor {
  return broadcastTo(reshape(t, shape.map((d, i) => (axes.includes(i) ? 1 : d))), shape);
}

/**
 * ∂prod/∂x_i over `axes`, at x's shape: the product of the other elements of x_i's group, computed
 * without dividing by x so zeros are exact. With no zero in the group it is prod / x_i; with one
 * zero, that element gets the product of the rest and the others 0; with two or more, all 0.
 */
function prodPartials(x: Tensor, axes: readonly number[]): Tensor {
  const isZero = equal(x, 0);
  const nonZero = where(isZero, 1, x);
  const rest = spread(prod(nonZero, axes, true), axes, x.shape);
  const zeros = spread(sum(cast(isZero, 'int32'), axes, true), axes, x.shape);
  return where(isZero, where(equal(zeros, 1), rest, 0), where(equal(zeros, 0), div(rest, nonZero), 0));
}

/** Gradient of max / min: the elements equal to the extreme share dy equally. */
const extreme: GradRule<'max' | 'min'> = (dy, { inputs: [x], output, attrs: { axes } }) => {
  const mask = cast(equal(x!, spread(output, axes, x!.shape)), 'float32');
  const count = spread(sum(mask, axes, true), axes, x!.shape);
  return [div(mul(spread(dy, axes, x!.shape), mask), count)];
};

/** The gradient of every reduction (argmax / argmin output int32 and carry none). */
export const reduceRules: { readonly [op in ReduceOp]: GradRule<op> | null } = {
  sum: (dy, { inputs: [x], attrs: { axes } }) => [spread(dy, axes, x!.shape)],
  prod: (dy, { inputs: [x], attrs: { axes } }) => [mul(spread(dy, axes, x!.shape), prodPartials(x!, axes))],
  max: extreme,
  min: extreme,
  argmax: null,
  argmin: null,
};
