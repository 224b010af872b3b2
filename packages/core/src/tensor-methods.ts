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
import { argsort, sort, topk, type SortOptions, type TopkOptions, type TopkResult } from './ops/sorting.js';
import { transpose } from './ops/transpose.js';
import { abs, exp, log, neg, relu, sigmoid, sqrt, square, tanh } from './ops/unary.js';
import { Tensor } from './tensor.js';
import { stridedSlice, type StridedSliceOptions } from './ops/strided-slice.js';
import { indexPut, scatter, scatterAdd, type IndexPutOptions } from './ops/scatter.js';
import type { IndexInput } from './ops/index-checks.js';

declare module './tensor.js' {
  interface Tensor {
    /** `x.add(...)` is {@link add}: `add(x, b)`. */
    add(b: TensorLike): Tensor;
    /** `x.sub(...)` is {@link sub}: `sub(x, b)`. */
    sub(b: TensorLike): Tensor;
    /** `x.mul(...)` is {@link mul}: `mul(x, b)`. */
    mul(b: TensorLike): Tensor;
    /** `x.div(...)` is {@link div}: `div(x, b)`. */
    div(b: TensorLike): Tensor;
    /** `x.pow(...)` is {@link pow}: `pow(x, b)`. */
    pow(b: TensorLike): Tensor;
    /** `x.maximum(...)` is {@link maximum}: `maximum(x, b)`. */
    maximum(b: TensorLike): Tensor;
    /** `x.minimum(...)` is {@link minimum}: `minimum(x, b)`. */
    minimum(b: TensorLike): Tensor;
    /** `x.equal(...)` is {@link equal}: `equal(x, b)`. */
    equal(b: TensorLike): Tensor;
    /** `x.greater(...)` is {@link greater}: `greater(x, b)`. */
    greater(b: TensorLike): Tensor;
    /** `x.less(...)` is {@link less}: `less(x, b)`. */
    less(b: TensorLike): Tensor;
    /** `x.clip(...)` is {@link clip}: `clip(x, min, max)`. */
    clip(min: number, max: number): Tensor;
    /** `x.where(...)` is {@link where}: `where(cond, x, other)`. */
    where(cond: TensorLike, other: TensorLike): Tensor;
    /** `x.neg(...)` is {@link neg}: `neg(x)`. */
    neg(): Tensor;
    /** `x.abs(...)` is {@link abs}: `abs(x)`. */
    abs(): Tensor;
    /** `x.exp(...)` is {@link exp}: `exp(x)`. */
    exp(): Tensor;
    /** `x.log(...)` is {@link log}: `log(x)`. */
    log(): Tensor;
    /** `x.sqrt(...)` is {@link sqrt}: `sqrt(x)`. */
    sqrt(): Tensor;
    /** `x.square(...)` is {@link square}: `square(x)`. */
    square(): Tensor;
    /** `x.relu(...)` is {@link relu}: `relu(x)`. */
    relu(): Tensor;
    /** `x.sigmoid(...)` is {@link sigmoid}: `sigmoid(x)`. */
    sigmoid(): Tensor;
    /** `x.tanh(...)` is {@link tanh}: `tanh(x)`. */
    tanh(): Tensor;
    /** `x.matmul(...)` is {@link matmul}: `matmul(x, b, options)`. */
    matmul(b: Tensor, options?: MatmulOptions): Tensor;
    /** `x.transpose(...)` is {@link transpose}: `transpose(x, perm)`. */
    transpose(perm?: readonly number[]): Tensor;
    /** `x.reshape(...)` is {@link reshape}: `reshape(x, shape)`. */
    reshape(shape: readonly number[]): Tensor;
    /** `x.flatten(...)` is {@link flatten}: `flatten(x, startAxis, endAxis)`. */
    flatten(startAxis?: number, endAxis?: number): Tensor;
    /** `x.squeeze(...)` is {@link squeeze}: `squeeze(x, axes)`. */
    squeeze(axes?: number | readonly number[]): Tensor;
    /** `x.expandDims(...)` is {@link expandDims}: `expandDims(x, axis)`. */
    expandDims(axis?: number): Tensor;
    /** `x.sum(...)` is {@link sum}: `sum(x, axes, keepDims)`. */
    sum(axes?: Axes, keepDims?: boolean): Tensor;
    /** `x.mean(...)` is {@link mean}: `mean(x, axes, keepDims)`. */
    mean(axes?: Axes, keepDims?: boolean): Tensor;
    /** `x.max(...)` is {@link max}: `max(x, axes, keepDims)`. */
    max(axes?: Axes, keepDims?: boolean): Tensor;
    /** `x.min(...)` is {@link min}: `min(x, axes, keepDims)`. */
    min(axes?: Axes, keepDims?: boolean): Tensor;
    /** `x.argmax(...)` is {@link argmax}: `argmax(x, axis)`. */
    argmax(axis?: number): Tensor;
    /** `x.argmin(...)` is {@link argmin}: `argmin(x, axis)`. */
    argmin(axis?: number): Tensor;
    /** `x.softmax(...)` is {@link softmax}: `softmax(x, axis)`. */
    softmax(axis?: number): Tensor;
    /** `x.logSoftmax(...)` is {@link logSoftmax}: `logSoftmax(x, axis)`. */
    logSoftmax(axis?: number): Tensor;
    /** `x.cast(...)` is {@link cast}: `cast(x, dtype)`. */
    cast(dtype: DType): Tensor;
    /** `x.slice(...)` is {@link slice}: `slice(x, begin, size)`. */
    slice(begin: readonly number[], size?: readonly number[]): Tensor;
    /** `x.gather(...)` is {@link gather}: `gather(x, indices, axis)`. */
    gather(indices: Indices, axis?: number): Tensor;
    /** `x.stridedSlice(...)` is {@link stridedSlice}: `stridedSlice(x, begin, end, strides, options)`. */
    stridedSlice(begin: readonly number[], end: readonly number[], strides?: readonly number[], options?: StridedSliceOptions): Tensor;
    /** `x.scatter(...)` is {@link scatter}: `scatter(x, axis, indices, src)`. */
    scatter(axis: number, indices: Tensor, src: Tensor | number): Tensor;
    /** `x.scatterAdd(...)` is {@link scatterAdd}: `scatterAdd(x, axis, indices, src)`. */
    scatterAdd(axis: number, indices: Tensor, src: Tensor | number): Tensor;
    /** `x.indexPut(...)` is {@link indexPut}: `indexPut(x, indices, values, options)`. */
    indexPut(indices: readonly IndexInput[], values: Tensor | number, options?: IndexPutOptions): Tensor;
    /** `x.sort(...)` is {@link sort}: `sort(x, options)`. */
    sort(options?: SortOptions): Tensor;
    /** `x.argsort(...)` is {@link argsort}: `argsort(x, options)`. */
    argsort(options?: SortOptions): Tensor;
    /** `x.topk(...)` is {@link topk}: `topk(x, k, options)`. */
    topk(k: number, options?: TopkOptions): TopkResult;
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
  stridedSlice(begin: readonly number[], end: readonly number[], strides?: readonly number[], options?: StridedSliceOptions) {
    return stridedSlice(this, begin, end, strides, options);
  },
  scatter(axis: number, indices: Tensor, src: Tensor | number) { return scatter(this, axis, indices, src); },
  scatterAdd(axis: number, indices: Tensor, src: Tensor | number) { return scatterAdd(this, axis, indices, src); },
  indexPut(indices: readonly IndexInput[], values: Tensor | number, options?: IndexPutOptions) { return indexPut(this, indices, values, options); },
};

for (const [name, fn] of Object.entries(methods)) {
  Object.defineProperty(Tensor.prototype, name, { value: fn, writable: true, configurable: true, enumerable: false });
}

/** Sorting and selection methods (topk returns values and indices, not one tensor). */
const sortingMethods: Record<string, (this: Tensor, ...args: never[]) => Tensor | TopkResult> = {
  sort(options?: SortOptions) { return sort(this, options); },
  argsort(options?: SortOptions) { return argsort(this, options); },
  topk(k: number, options?: TopkOptions) { return topk(this, k, options); },
};

for (const [name, fn] of Object.entries(sortingMethods)) {
  Object.defineProperty(Tensor.prototype, name, { value: fn, writable: true, configurable: true, enumerable: false });
}
