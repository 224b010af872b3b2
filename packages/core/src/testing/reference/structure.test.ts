import { describe, expect, it } from 'vitest';
import { refArange, refEye, refLinspace } from './creation.js';
import { refGather, refOneHot } from './indexing.js';
import { refExpandDims, refFlatten, refSqueeze, refTranspose } from './layout.js';
import { refMatmul } from './matmul.js';
import { fromNested, nd } from './ndarray.js';
import { refConcat, refPad, refSlice, refSplit, refStack } from './slicing.js';

const arr = (x: { data: Float64Array }): number[] => Array.from(x.data);
const m = fromNested([
  [1, 2, 3],
  [4, 5, 6],
]);

describe('reference structure ops', () => {
  it('matmul: plain, transposed, batched broadcast, rank-1', () => {
    const b = fromNested([[1, 0], [0, 1], [1, 1]]);
    expect(arr(refMatmul(m, b))).toEqual([4, 5, 10, 11]);
    expect(arr(refMatmul(m, m, false, true))).toEqual([14, 32, 32, 77]);
    expect(arr(refMatmul(m, m, true, false))).toEqual([17, 22, 27, 22, 29, 36, 27, 36, 45]);
    const batched = refMatmul(nd([2, 1, 2], [1, 2, 3, 4]), fromNested([[1], [1]]));
    expect(batched.shape).toEqual([2, 1, 1]);
    expect(arr(batched)).toEqual([3, 7]);
    const mv = refMatmul(m, fromNested([1, 1, 1]));
    expect(mv.shape).toEqual([2]);
    expect(arr(mv)).toEqual([6, 15]);
    const vv = refMatmul(fromNested([1, 2]), fromNested([3, 4]));
    expect(vv.shape).toEqual([]);
    expect(arr(vv)).toEqual([11]);
  });

  it('transpose, squeeze, expandDims, flatten', () => {
    expect(arr(refTranspose(m))).toEqual([1, 4, 2, 5, 3, 6]);
    const t3 = refTranspose(nd([1, 2, 3], [1, 2, 3, 4, 5, 6]), [2, 0, 1]);
    expect(t3.shape).toEqual([3, 1, 2]);
    expect(arr(t3)).toEqual([1, 4, 2, 5, 3, 6]);
    expect(refSqueeze(nd([1, 3, 1], [1, 2, 3])).shape).toEqual([3]);
    expect(refExpandDims(m, -1).shape).toEqual([2, 3, 1]);
    expect(refFlatten(nd([2, 3, 4, 5], new Array<number>(120).fill(0)), 1, 2).shape).toEqual([2, 12, 5]);
  });

  it('slice, concat, stack, split, pad', () => {
    expect(arr(refSlice(m, [0, 1], [2, -1]))).toEqual([2, 3, 5, 6]);
    expect(arr(refSlice(m, [1]))).toEqual([4, 5, 6]);
    expect(arr(refConcat([m, fromNested([[7], [8]])], 1))).toEqual([1, 2, 3, 7, 4, 5, 6, 8]);
    const s = refStack([fromNested([1, 2]), fromNested([3, 4])], 1);
    expect(s.shape).toEqual([2, 2]);
    expect(arr(s)).toEqual([1, 3, 2, 4]);
    expect(refSplit(m, [1, 2], 1).map(arr)).toEqual([[1, 4], [2, 3, 5, 6]]);
    expect(arr(refPad(fromNested([1, 2]), [[1, 2]], 9))).toEqual([9, 1, 2, 9, 9]);
  });

  it('gather and oneHot', () => {
    expect(arr(refGather(m, nd([3], [2, 0, 2], 'int32'), 1))).toEqual([3, 1, 3, 6, 4, 6]);
    const g = refGather(m, nd([2, 1], [1, 0], 'int32'), 0);
    expect(g.shape).toEqual([2, 1, 3]);
    expect(arr(g)).toEqual([4, 5, 6, 1, 2, 3]);
    expect(arr(refOneHot(nd([2], [1, 0], 'int32'), 3, 5, -1))).toEqual([-1, 5, -1, 5, -1, -1]);
  });

  it('arange, linspace, eye', () => {
    expect(arr(refArange(5))).toEqual([0, 1, 2, 3, 4]);
    expect(arr(refArange(1, 2, 0.25))).toEqual([1, 1.25, 1.5, 1.75]);
    expect(arr(refArange(5, 0, -2))).toEqual([5, 3, 1]);
    expect(arr(refLinspace(0, 1, 5))).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(arr(refEye(2, 3))).toEqual([1, 0, 0, 0, 1, 0]);
  });
});
