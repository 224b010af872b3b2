/**
 * Chainable methods on Tensor (`x.add(y).relu().sum()`), as TensorFlow.js and PyTorch users
 * expect. Each is the op of the same name with the tensor as its first argument.
 */
import type { DType } from './dtype.js';
import { add, sub, mul, div, pow, maximum, minimum, equal, greater, less, clip, where } from './ops/binary.js';
import { cast } from './ops/cast.js';
import type { TensorLike } from './ops/convert.js';
import { gather, type Indices } from './ops/indexing.js';
import { matmul, type MatmulOptions } from './ops/matmul.js';
import { argmax, argmin, max, mean, min, sum, type Axes } from './ops/reduce.js';
import { expandDims, flatten, reshape, squeeze } from './ops/reshape.js';
import { slice } from './ops/slicing.js';
import { logSoftmax, softmax } from './ops/softmax.js';
import { transpose } from './ops/transpose.js';
import { abs, exp, log, neg, relu, sigmoid, sqrt, square, tanh } from './ops/unary.js';
import { Tensor } from './tensor.js';

declare module './tensor.js' {
  interface Tensor {
    add(b: TensorLike): Tensor;
    sub(b: TensorLike): Tensor;
    mul(b: TensorLike): Tensor;
    div(b: TensorLike): Tensor;
    pow(b: TensorLike): Tensor;
    maximum(b: TensorLike): Tensor;
    minimum(b: TensorLike): Tensor;
    equal(b: TensorLike): Tensor;
    greater(b: TensorLike): Tensor;
    less(b: TensorLike): Tensor;
    clip(min: number, max: number): Tensor;
    where(cond: TensorLike, other: TensorLike): Tensor;
    neg(): Tensor;
    abs(): Tensor;
    exp(): Tensor;
    log(): Tensor;
    sqrt(): Tensor;
    square(): Tensor;
    relu(): Tensor;
    sigmoid(): Tensor;
    tanh(): Tensor;
    matmul(b: Tensor, options?: MatmulOptions): Tensor;
    transpose(perm?: readonly number[]): Tensor;
    reshape(shape: readonly number[]): Tensor;
    flatten(startAxis?: number, endAxis?: number): Tensor;
    squeeze(axes?: number | readonly number[]): Tensor;
    expandDims(axis?: number): Tensor;
    sum(axes?: Axes, keepDims?: boolean): Tensor;
    mean(axes?: Axes, keepDims?: boolean): Tensor;
    max(axes?: Axes, keepDims?: boolean): Tensor;
    min(axes?: Axes, keepDims?: boolean): Tensor;
    argmax(axis?: number): Tensor;
    argmin(axis?: number): Tensor;
    softmax(axis?: number): Tensor;
    logSoftmax(axis?: number): Tensor;
    cast(dtype: DType): Tensor;
    slice(begin: readonly number[], size?: readonly number[]): Tensor;
    gather(indices: Indices, axis?: number): Tensor;
  }
}

const methods: Record<string, (this: Tensor, ...args: never[]) => Tensor> = {
  add(b: TensorLike) { return add(this, b); },
  sub(b: TensorLike) { return sub(this, b); },
  mul(b: TensorLike) { return mul(this, b); },
  div(b: TensorLike) { return div(this, b); },
  pow(b: TensorLike) { return pow(this, b); },
  maximum(b: TensorLike) { return maximum(this, b); },
  minimum(b: TensorLike) { return minimum(this, b); },
  equal(b: TensorLike) { return equal(this, b); },
  greater(b: TensorLike) { return greater(this, b); },
  less(b: TensorLike) { return less(this, b); },
  clip(lo: number, hi: number) { return clip(this, lo, hi); },
  where(cond: TensorLike, other: TensorLike) { return where(cond, this, other); },
  neg() { return neg(this); },
  abs() { return abs(this); },
  exp() { return exp(this); },
  log() { return log(this); },
  sqrt() { return sqrt(this); },
  square() { return square(this); },
  relu() { return relu(this); },
  sigmoid() { return sigmoid(this); },
  tanh() { return tanh(this); },
  matmul(b: Tensor, options?: MatmulOptions) { return matmul(this, b, options); },
  transpose(perm?: readonly number[]) { return transpose(this, perm); },
  reshape(shape: readonly number[]) { return reshape(this, shape); },
  flatten(s?: number, e?: number) { return flatten(this, s, e); },
  squeeze(axes?: number | readonly number[]) { return squeeze(this, axes); },
  expandDims(axis?: number) { return expandDims(this, axis); },
  sum(axes?: Axes, keepDims?: boolean) { return sum(this, axes, keepDims); },
  mean(axes?: Axes, keepDims?: boolean) { return mean(this, axes, keepDims); },
  max(axes?: Axes, keepDims?: boolean) { return max(this, axes, keepDims); },
  min(axes?: Axes, keepDims?: boolean) { return min(this, axes, keepDims); },
  argmax(axis?: number) { return argmax(this, axis); },
  argmin(axis?: number) { return argmin(this, axis); },
  softmax(axis?: number) { return softmax(this, axis); },
  logSoftmax(axis?: number) { return logSoftmax(this, axis); },
  cast(dtype: DType) { return cast(this, dtype); },
  slice(begin: readonly number[], size?: readonly number[]) { return slice(this, begin, size); },
  gather(indices: Indices, axis?: number) { return gather(this, indices, axis); },
};

for (const [name, fn] of Object.entries(methods)) {
  Object.defineProperty(Tensor.prototype, name, { value: fn, writable: true, configurable: true, enumerable: false });
}
