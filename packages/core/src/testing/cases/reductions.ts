import * as sn from '../../index.js';
import type { Tensor } from '../../index.js';
import { refArgExtreme, refReduce, refVariance, type RefReduceOp } from '../reference/reduce.js';
import { refLogSoftmax, refSoftmax } from '../reference/softmax.js';
import type { NDArray } from '../reference/ndarray.js';
import { bool, f32, i32 } from './helpers.js';
import type { ConformanceCase, Gen, InputSpec } from './types.js';

type Axes = number | number[] | undefined;
type ReduceFn = (x: Tensor, axes?: number | number[], keepDims?: boolean) => Tensor;

const FNS: Record<Exclude<RefReduceOp, never>, ReduceFn> = {
  sum: sn.sum, mean: sn.mean, max: sn.max, min: sn.min, prod: sn.prod, logSumExp: sn.logSumExp,
};

/** [name, input shape, layout, axes, keepDims, reduced length] */
const PATTERNS: [string, number[], InputSpec['layout'], Axes, boolean, number][] = [
  ['all axes of [3,5]', [3, 5], undefined, undefined, false, 15],
  ['axis 0 of [3,5]', [3, 5], undefined, 0, false, 3],
  ['axis -1 keepDims of [3,5]', [3, 5], undefined, -1, true, 5],
  ['axes [0,2] of [2,3,5]', [2, 3, 5], undefined, [0, 2], false, 10],
  ['axes [2,0] keepDims of sliced [3,2,4]', [3, 2, 4], 'sliced', [2, 0], true, 12],
  ['axis 1 of transposed [4,7]', [4, 7], 'transposed', 1, false, 7],
  ['axis 1 of transposed [3,5,2]', [3, 5, 2], 'transposed', 1, false, 5],
  ['scalar input', [], undefined, undefined, false, 1],
  ['length-1 axis of [1,13]', [1, 13], undefined, 0, false, 1],
  ['long axis [2,101]', [2, 101], undefined, 1, false, 101],
  ['all axes keepDims of [2,3,2]', [2, 3, 2], undefined, undefined, true, 12],
];

const GEN: Record<RefReduceOp, Gen> = {
  sum: 'normal', mean: 'normal', max: 'distinct', min: 'distinct', prod: { min: 0.6, max: 1.5 }, logSumExp: 'normal',
};

function standard(op: RefReduceOp): ConformanceCase[] {
  const fn = FNS[op];
  const cases: ConformanceCase[] = PATTERNS.map(([name, shape, layout, axes, keepDims, n], i) => ({
    kind: 'compare', op, name,
    inputs: [f32(shape, GEN[op], layout)],
    run: (x: Tensor) => (keepDims ? fn(x, axes, true) : axes === undefined ? fn(x) : fn(x, axes)),
    ref: (x: NDArray) => refReduce(op, x, axes, keepDims),
    tol: { accumulate: n },
    grad: i < 8 && !(op === 'prod' && n > 12),
  }));
  return cases;
}

const EXTRA: ConformanceCase[] = [
  { kind: 'compare', op: 'sum', name: 'int32 [4,5] axis 1', inputs: [i32([4, 5])], run: (x: Tensor) => sn.sum(x, 1), ref: (x: NDArray) => refReduce('sum', x, 1), tol: 'exact' },
  { kind: 'compare', op: 'sum', name: 'int32 overflow wraps', inputs: [i32([3], { values: [2147483647, 1, 1] })], run: (x: Tensor) => sn.sum(x), ref: (x: NDArray) => refReduce('sum', x), tol: 'exact' },
  { kind: 'compare', op: 'sum', name: 'bool counts as int32', inputs: [bool([3, 7])], run: (x: Tensor) => sn.sum(x, 1), ref: (x: NDArray) => refReduce('sum', x, 1), tol: 'exact' },
  { kind: 'compare', op: 'sum', name: 'empty axis gives 0', inputs: [f32([0, 3])], run: (x: Tensor) => sn.sum(x, 0), ref: (x: NDArray) => refReduce('sum', x, 0), tol: 'exact' },
  { kind: 'compare', op: 'prod', name: 'empty axis gives 1', inputs: [f32([3, 0])], run: (x: Tensor) => sn.prod(x, 1), ref: (x: NDArray) => refReduce('prod', x, 1), tol: 'exact' },
  { kind: 'compare', op: 'prod', name: 'int32 [3,4] axis 0', inputs: [i32([3, 4])], run: (x: Tensor) => sn.prod(x, 0), ref: (x: NDArray) => refReduce('prod', x, 0), tol: 'exact' },
  { kind: 'compare', op: 'max', name: 'empty axis gives -Infinity', inputs: [f32([2, 0])], run: (x: Tensor) => sn.max(x, 1), ref: (x: NDArray) => refReduce('max', x, 1), tol: 'exact' },
  { kind: 'compare', op: 'min', name: 'empty axis gives Infinity', inputs: [f32([2, 0])], run: (x: Tensor) => sn.min(x, 1), ref: (x: NDArray) => refReduce('min', x, 1), tol: 'exact' },
  { kind: 'compare', op: 'max', name: 'int32 keeps int32', inputs: [i32([5, 3])], run: (x: Tensor) => sn.max(x, 0), ref: (x: NDArray) => refReduce('max', x, 0), tol: 'exact' },
  { kind: 'compare', op: 'min', name: 'int32 keeps int32', inputs: [i32([5, 3], 'int', 'transposed')], run: (x: Tensor) => sn.min(x, 1), ref: (x: NDArray) => refReduce('min', x, 1), tol: 'exact' },
  { kind: 'compare', op: 'logSumExp', name: 'large values stay finite (stable)', inputs: [f32([2, 5], { min: 80, max: 120 })], run: (x: Tensor) => sn.logSumExp(x, 1), ref: (x: NDArray) => refReduce('logSumExp', x, 1), tol: { accumulate: 5 }, grad: true },
  { kind: 'compare', op: 'logSumExp', name: 'very negative values stay finite', inputs: [f32([3, 4], { min: -200, max: -120 })], run: (x: Tensor) => sn.logSumExp(x, -1, true), ref: (x: NDArray) => refReduce('logSumExp', x, -1, true), tol: { accumulate: 4 } },
  {
    kind: 'compare', op: 'logSumExp', name: '-Infinity entries (masked rows) give -Infinity or ignore them',
    inputs: [f32([3, 3], { values: [-Infinity, -Infinity, -Infinity, -Infinity, 0, 1, 2, -Infinity, 2] })],
    run: (x: Tensor) => sn.logSumExp(x, 1), ref: (x: NDArray) => refReduce('logSumExp', x, 1), tol: { accumulate: 3 },
  },
];

const varianceCases: ConformanceCase[] = [
  { kind: 'compare', op: 'variance', name: 'population, all axes of [3,5]', inputs: [f32([3, 5])], run: (x: Tensor) => sn.variance(x), ref: (x: NDArray) => refVariance(x), tol: { accumulate: 15 }, grad: true },
  { kind: 'compare', op: 'variance', name: 'axis 0 of [7,3]', inputs: [f32([7, 3])], run: (x: Tensor) => sn.variance(x, 0), ref: (x: NDArray) => refVariance(x, 0), tol: { accumulate: 7 }, grad: true },
  { kind: 'compare', op: 'variance', name: 'axis -1 keepDims of transposed [4,5]', inputs: [f32([4, 5], 'normal', 'transposed')], run: (x: Tensor) => sn.variance(x, -1, true), ref: (x: NDArray) => refVariance(x, -1, true), tol: { accumulate: 5 }, grad: true },
  { kind: 'compare', op: 'variance', name: 'unbiased (correction 1), axes [0,2] of [2,3,5]', inputs: [f32([2, 3, 5])], run: (x: Tensor) => sn.variance(x, [0, 2], false, { correction: 1 }), ref: (x: NDArray) => refVariance(x, [0, 2], false, 1), tol: { accumulate: 10 }, grad: true },
  { kind: 'compare', op: 'std', name: 'population, axis 1 of [4,6]', inputs: [f32([4, 6])], run: (x: Tensor) => sn.std(x, 1), ref: (x: NDArray) => mapValues(refVariance(x, 1), Math.sqrt), tol: { accumulate: 6 }, grad: true },
  { kind: 'compare', op: 'std', name: 'unbiased keepDims over all of [3,5]', inputs: [f32([3, 5])], run: (x: Tensor) => sn.std(x, undefined, true, { correction: 1 }), ref: (x: NDArray) => mapValues(refVariance(x, undefined, true, 1), Math.sqrt), tol: { accumulate: 15 }, grad: true },
  { kind: 'compare', op: 'variance', name: 'values with a large common offset', inputs: [f32([13], { min: 1000, max: 1001 })], run: (x: Tensor) => sn.variance(x), ref: (x: NDArray) => refVariance(x), tol: { accumulate: 13 } },
];

/** An array of the same shape with f applied to every value. */
function mapValues(x: NDArray, f: (v: number) => number): NDArray {
  return { ...x, data: Float64Array.from(x.data, f) };
}

function arg(op: 'argmax' | 'argmin', fn: (x: Tensor, axis?: number) => Tensor): ConformanceCase[] {
  const base = { kind: 'compare' as const, op, tol: 'exact' as const };
  return [
    { ...base, name: 'axis 1 of [3,5]', inputs: [f32([3, 5], 'distinct')], run: (x: Tensor) => fn(x, 1), ref: (x: NDArray) => refArgExtreme(op, x, 1) },
    { ...base, name: 'axis 0 of [3,5]', inputs: [f32([3, 5], 'distinct')], run: (x: Tensor) => fn(x, 0), ref: (x: NDArray) => refArgExtreme(op, x, 0) },
    { ...base, name: 'flattened [4,3]', inputs: [f32([4, 3], 'distinct')], run: (x: Tensor) => fn(x), ref: (x: NDArray) => refArgExtreme(op, x) },
    { ...base, name: 'axis -1 of transposed [2,3,7]', inputs: [f32([2, 3, 7], 'distinct', 'transposed')], run: (x: Tensor) => fn(x, -1), ref: (x: NDArray) => refArgExtreme(op, x, -1) },
    { ...base, name: 'axis 1 of sliced [2,5,3]', inputs: [f32([2, 5, 3], 'distinct', 'sliced')], run: (x: Tensor) => fn(x, 1), ref: (x: NDArray) => refArgExtreme(op, x, 1) },
    { ...base, name: 'ties take the first index (int32)', inputs: [i32([4, 6], 'indices<3')], run: (x: Tensor) => fn(x, 1), ref: (x: NDArray) => refArgExtreme(op, x, 1) },
    { ...base, name: 'length-1 axis', inputs: [f32([3, 1])], run: (x: Tensor) => fn(x, 1), ref: (x: NDArray) => refArgExtreme(op, x, 1) },
  ];
}

function softmaxFamily(op: 'softmax' | 'logSoftmax', fn: (x: Tensor, axis?: number) => Tensor): ConformanceCase[] {
  const ref = op === 'softmax' ? refSoftmax : refLogSoftmax;
  const base = { kind: 'compare' as const, op };
  return [
    { ...base, name: 'default axis of [3,5]', inputs: [f32([3, 5])], run: (x: Tensor) => fn(x), ref: (x: NDArray) => ref(x), tol: { accumulate: 5 }, grad: true },
    { ...base, name: 'axis 0 of [7,3]', inputs: [f32([7, 3])], run: (x: Tensor) => fn(x, 0), ref: (x: NDArray) => ref(x, 0), tol: { accumulate: 7 }, grad: true },
    { ...base, name: 'axis 1 of transposed [2,5,3]', inputs: [f32([2, 5, 3], 'normal', 'transposed')], run: (x: Tensor) => fn(x, 1), ref: (x: NDArray) => ref(x, 1), tol: { accumulate: 5 }, grad: true },
    { ...base, name: 'sliced [4,6]', inputs: [f32([4, 6], 'normal', 'sliced')], run: (x: Tensor) => fn(x, -1), ref: (x: NDArray) => ref(x, -1), tol: { accumulate: 6 }, grad: true },
    { ...base, name: 'large logits stay finite (stable)', inputs: [f32([2, 4], { min: 500, max: 1000 })], run: (x: Tensor) => fn(x), ref: (x: NDArray) => ref(x), tol: { accumulate: 4 } },
    { ...base, name: 'length-1 axis', inputs: [f32([5, 1])], run: (x: Tensor) => fn(x), ref: (x: NDArray) => ref(x), tol: 'elementwise' },
    {
      ...base, name: '-Infinity entries (masking) get zero probability',
      inputs: [f32([2, 4], { values: [-Infinity, 0, 1, -Infinity, 3, -Infinity, -Infinity, -Infinity] })],
      run: (x: Tensor) => fn(x), ref: (x: NDArray) => ref(x), tol: { accumulate: 4 },
    },
    { ...base, name: 'long axis [2,257]', inputs: [f32([2, 257])], run: (x: Tensor) => fn(x), ref: (x: NDArray) => ref(x), tol: { accumulate: 257 } },
  ];
}

export const reductionCases: ConformanceCase[] = [
  ...(['sum', 'mean', 'max', 'min', 'prod', 'logSumExp'] as const).flatMap(standard),
  ...EXTRA,
  ...varianceCases,
  ...arg('argmax', sn.argmax),
  ...arg('argmin', sn.argmin),
  ...softmaxFamily('softmax', sn.softmax),
  ...softmaxFamily('logSoftmax', sn.logSoftmax),
];
