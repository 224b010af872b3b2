import { toTypedArray, type DType } from '../dtype.js';
import { tidy } from '../engine/engine.js';
import { ArgumentError, fmtShape } from '../errors.js';
import { recordOp, withoutTape } from '../autograd/tape.js';
import { around, normalizeAxes, normalizeAxis, planReducePasses, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { add, div, equal, sub, where } from './binary.js';
import { cast } from './cast.js';
import { expectTensor } from './convert.js';
import { REDUCE_DEFS, reduceInputDtype, reduceOutDtype, type ReduceOp } from './defs/reduce-defs.js';
import { runKernel } from './kernel-call.js';
import { reshape } from './reshape.js';
import { exp, log, square, abs, sqrt } from './unary.js';

/** Axes to reduce: one, several, or undefined / null for all. */
export type Axes = number | readonly number[] | null | undefined;

function keptShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

function reducedShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.filter((_, i) => !axes.includes(i));
}

/**
 * Runs `op` over `axes` of x (float32 or int32) into `outShape`: empty outputs skip the kernel, empty
 * reductions are the op's identity, and anything else goes to the backend as [outer, r, inner] passes
 * (see planReducePasses), each reducing the previous pass's output.
 */
function reduceToShape(op: ReduceOp, x: Tensor, axes: readonly number[], outShape: number[], dtype: DType): Tensor {
  const def = REDUCE_DEFS[op];
  if (sizeOf(outShape) > 0 && axes.some((a) => x.shape[a] === 0) && def.kind === 'fold') {
    const identity = def.identity[reduceInputDtype(dtype)];
    return runKernel(op, [], [], outShape, dtype, (b) => b.write(toTypedArray(new Float64Array(sizeOf(outShape)).fill(identity), dtype), dtype));
  }
  let y = x;
  for (const [outer, r, inner] of planReducePasses(x.shape, axes)) {
    y = runKernel(op, [y], ['x'], [outer * inner], dtype, (b, [ref]) => b.reduce(op, { ...ref!, shape: [outer, r, inner] }, dtype));
  }
  return reshape(y, outShape);
}

/** Runs a reduction and reshapes for keepDims. `dtype` is the dtype the kernel outputs. */
function reduceKernel(op: ReduceOp, x: Tensor, axes: number[], keepDims: boolean, dtype: DType): Tensor {
  const y = reduceToShape(op, x, axes, reducedShape(x.shape, axes), dtype);
  return keepDims ? reshape(y, keptShape(x.shape, axes)) : y;
}

/** Shared front of sum / prod / max / min: checks, axes, the no-axis case. */
function reduceOp(op: 'sum' | 'prod' | 'max' | 'min', x: Tensor, axesArg: Axes, keepDims: boolean): Tensor {
  expectTensor(x, op, 'x');
  const axes = normalizeAxes(axesArg, x.rank, op);
  const outDtype: DType = reduceOutDtype(op, x.dtype);
  if (axes.length === 0) return cast(x, outDtype);
  return tidy(() => {
    const input = x.dtype === 'bool' ? cast(x, 'int32') : x;
    const y = reduceKernel(op, input, axes, keepDims, outDtype);
    recordOp(op, [input], y, { axes });
    return y;
  });
}

/** Sum over `axes` (all by default). int32 / bool sum to int32. */
export const sum = (x: Tensor, axes?: Axes, keepDims = false): Tensor => reduceOp('sum', x, axes, keepDims);
/** Product over `axes`. Its gradient is exact at zeros (the product of the other elements). */
export const prod = (x: Tensor, axes?: Axes, keepDims = false): Tensor => reduceOp('prod', x, axes, keepDims);
/** Maximum over `axes`; tied maxima share the gradient equally. */
export const max = (x: Tensor, axes?: Axes, keepDims = false): Tensor => reduceOp('max', x, axes, keepDims);
/** Minimum over `axes`; tied minima share the gradient equally. */
export const min = (x: Tensor, axes?: Axes, keepDims = false): Tensor => reduceOp('min', x, axes, keepDims);

function countOver(x: Tensor, axes: readonly number[]): number {
  return axes.reduce((n, a) => n * x.shape[a]!, 1);
}

/** Arithmetic mean over `axes` (float32). The mean over nothing is NaN, as in NumPy. */
export function mean(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  expectTensor(x, 'mean', 'x');
  const ax = normalizeAxes(axes, x.rank, 'mean');
  return tidy(() => div(sum(cast(x, 'float32'), ax, keepDims), countOver(x, ax)));
}

/** Options of {@link variance}. */
export interface VarianceOptions {
  /** Subtracted from the count in the denominator: 0 (default) is the population variance, 1 the unbiased one. */
  correction?: number;
}

/** Variance over `axes`: mean of squared deviations, divided by (n − correction). */
export function variance(x: Tensor, axes?: Axes, keepDims = false, options: VarianceOptions = {}): Tensor {
  expectTensor(x, 'variance', 'x');
  const ax = normalizeAxes(axes, x.rank, 'variance');
  const correction = options.correction ?? 0;
  if (!Number.isFinite(correction) || correction < 0) throw new ArgumentError(`variance: correction must be a non-negative number, got ${correction}`);
  return tidy(() => {
    const xf = cast(x, 'float32');
    const m = mean(xf, ax, true);
    const ss = sum(square(sub(xf, m)), ax, keepDims);
    return div(ss, Math.max(countOver(x, ax) - correction, 0));
  });
}

/**
 * Standard deviation over `axes`: √{@link variance}, with the same `correction` (default 0, the
 * population value, as NumPy; PyTorch's `std` defaults to 1).
 */
export function std(x: Tensor, axes?: Axes, keepDims = false, options: VarianceOptions = {}): Tensor {
  expectTensor(x, 'std', 'x');
  normalizeAxes(axes, x.rank, 'std');
  return tidy(() => sqrt(variance(x, axes, keepDims, options)));
}

/** log(Σ exp(x)) over `axes`, computed stably by shifting by the maximum. */
export function logSumExp(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  expectTensor(x, 'logSumExp', 'x');
  const ax = normalizeAxes(axes, x.rank, 'logSumExp');
  return tidy(() => {
    const xf = cast(x, 'float32');
    // The shift is a constant for autodiff: the exact gradient does not depend on it.
    const shift = withoutTape(() => {
      const m = max(xf, ax, true);
      return where(equal(abs(m), Infinity), 0, m);
    });
    const lse = add(log(sum(exp(sub(xf, shift)), ax, true)), shift);
    return keepDims ? lse : reshape(lse, reducedShape(x.shape, ax));
  });
}

function argReduce(op: 'argmax' | 'argmin', x: Tensor, axis: number | undefined): Tensor {
  expectTensor(x, op, 'x');
  return tidy(() => {
    const input = x.dtype === 'bool' ? cast(x, 'int32') : x;
    const flat = axis === undefined;
    const src = flat ? reshape(input, [input.size]) : input;
    const a = flat ? 0 : normalizeAxis(axis, x.rank, op);
    if (src.shape[a] === 0) throw new ArgumentError(`${op}: cannot take the ${op} over axis ${a} of size 0 (x ${fmtShape(x.shape)})`);
    const [outer, r, inner] = src.rank === 0 ? [1, 1, 1] : around(src.shape, a);
    const outShape = src.shape.filter((_, i) => i !== a);
    return runKernel(op, [src], ['x'], outShape, 'int32', (b, [ref]) => b.reduce(op, { ...ref!, shape: [outer, r, inner] }, 'int32'));
  });
}

/** Index of the maximum along `axis` (into the flattened tensor when no axis); first index on ties. */
export const argmax = (x: Tensor, axis?: number): Tensor => argReduce('argmax', x, axis);
/** Index of the minimum along `axis` (into the flattened tensor when no axis); first index on ties. */
export const argmin = (x: Tensor, axis?: number): Tensor => argReduce('argmin', x, axis);
