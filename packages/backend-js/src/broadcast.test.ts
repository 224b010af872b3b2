import { describe, expect, it } from 'vitest';
import { broadcastStrides, forEachRow } from './broadcast.js';

describe('broadcast helpers', () => {
  it('broadcastStrides zeroes size-1 and missing axes', () => {
    expect(broadcastStrides([3, 1], [2, 3, 4])).toEqual([0, 1, 0]);
    expect(broadcastStrides([], [2, 3])).toEqual([0, 0]);
    expect(broadcastStrides([2, 3], [2, 3])).toEqual([3, 1]);
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
