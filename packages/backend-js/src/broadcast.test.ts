import { describe, expect, it } from 'vitest';
import { broadcastStrides, collapseDims, forEachRow, rowMajorStrides } from './broadcast.js';

describe('broadcast helpers', () => {
  it('broadcastStrides zeroes size-1 and missing axes', () => {
    expect(broadcastStrides([3, 1], [2, 3, 4])).toEqual([0, 1, 0]);
    expect(broadcastStrides([], [2, 3])).toEqual([0, 0]);
    expect(broadcastStrides([2, 3], [2, 3])).toEqual([3, 1]);
  });

  it('collapseDims merges contiguous runs and drops size-1 axes', () => {
    const shape = [2, 3, 1, 4];
    const a = rowMajorStrides(shape);
    const b = broadcastStrides([2, 1, 1, 4], shape);
    expect(collapseDims(shape, [a])).toEqual({ shape: [24], strides: [[1]] });
    expect(collapseDims(shape, [a, b])).toEqual({ shape: [2, 3, 4], strides: [[12, 4, 1], [4, 0, 1]] });
    expect(collapseDims([1, 1], [[1, 1]])).toEqual({ shape: [1], strides: [[0]] });
  });

  it('forEachRow visits every row start', () => {
    const starts: number[][] = [];
    forEachRow([2, 3, 2], [[6, 2, 1], [-1, 10, 0]], [0, 5], (off) => starts.push(Array.from(off)));
    expect(starts).toEqual([[0, 5], [2, 15], [4, 25], [6, 4], [8, 14], [10, 24]]);
    let calls = 0;
    forEachRow([3, 0], [[1, 1]], [0], () => calls++);
    expect(calls).toBe(0);
  });
});
