import { describe, expect, it } from 'vitest';
import { fromNested, nd } from './ndarray.js';
import { refArgExtreme, refReduce, refVariance } from './reduce.js';
import { refLogSoftmax, refSoftmax } from './softmax.js';

const arr = (x: { data: Float64Array }): number[] => Array.from(x.data);
const m = fromNested([
  [1, 5, 3],
  [4, 2, 6],
]);

describe('reference reductions', () => {
  it('sums over axes with and without keepDims', () => {
    expect(arr(refReduce('sum', m))).toEqual([21]);
    expect(arr(refReduce('sum', m, 0))).toEqual([5, 7, 9]);
    const r = refReduce('sum', m, -1, true);
    expect(r.shape).toEqual([2, 1]);
    expect(arr(r)).toEqual([9, 12]);
  });

  it('max, min, prod, mean', () => {
    expect(arr(refReduce('max', m, 1))).toEqual([5, 6]);
    expect(arr(refReduce('min', m, 0))).toEqual([1, 2, 3]);
    expect(arr(refReduce('prod', m, 1))).toEqual([15, 48]);
    expect(arr(refReduce('mean', m, [0, 1]))).toEqual([3.5]);
    expect(arr(refReduce('sum', nd([0, 3], []), 0))).toEqual([0, 0, 0]);
    expect(refReduce('sum', nd([3], [1, 0, 1], 'bool')).dtype).toBe('int32');
  });

  it('variance and logSumExp', () => {
    expect(arr(refVariance(fromNested([1, 2, 3, 4])))).toEqual([1.25]);
    expect(refVariance(fromNested([1, 2, 3, 4]), undefined, false, 1).data[0]).toBeCloseTo(5 / 3, 15);
    expect(refReduce('logSumExp', fromNested([1000, 1000])).data[0]).toBeCloseTo(1000 + Math.log(2), 10);
  });

  it('argmax takes the first of ties and flattens without an axis', () => {
    expect(arr(refArgExtreme('argmax', fromNested([[1, 7, 7], [9, 0, 9]]), 1))).toEqual([1, 0]);
    expect(arr(refArgExtreme('argmin', m))).toEqual([0]);
    expect(arr(refArgExtreme('argmax', m))).toEqual([5]);
  });

  it('softmax along an axis', () => {
    const s = refSoftmax(fromNested([[0, Math.log(3)]]), -1);
    expect(s.data[0]).toBeCloseTo(0.25, 15);
    expect(s.data[1]).toBeCloseTo(0.75, 15);
    const c = refSoftmax(fromNested([[0], [Math.log(3)]]), 0);
    expect(c.data[1]).toBeCloseTo(0.75, 15);
    expect(refLogSoftmax(fromNested([0, 0])).data[0]).toBeCloseTo(-Math.log(2), 15);
  });
});
