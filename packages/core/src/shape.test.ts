import { describe, expect, it } from 'vitest';
import { around, broadcastStrides, mergeAxes, planReducePasses, stridesOf } from './shape.js';

describe('mergeAxes', () => {
  it('merges contiguous runs and drops size-1 axes', () => {
    const shape = [2, 3, 1, 4];
    const a = stridesOf(shape);
    const b = broadcastStrides([2, 1, 1, 4], shape);
    expect(mergeAxes(shape, [a])).toEqual({ shape: [24], strides: [[1]] });
    expect(mergeAxes(shape, [a, b])).toEqual({ shape: [2, 3, 4], strides: [[12, 4, 1], [4, 0, 1]] });
    expect(mergeAxes([1, 1], [[1, 1]])).toEqual({ shape: [1], strides: [[0]] });
  });

  it('keeps axes apart where one operand is strided (a transpose)', () => {
    expect(mergeAxes([3, 4], [[4, 1], [1, 3]])).toEqual({ shape: [3, 4], strides: [[4, 1], [1, 3]] });
  });
});

describe('around', () => {
  it('splits a shape into [outer, axis, inner]', () => {
    expect(around([2, 3, 4, 5], 0)).toEqual([1, 2, 60]);
    expect(around([2, 3, 4, 5], 2)).toEqual([6, 4, 5]);
    expect(around([2, 3, 4, 5], 3)).toEqual([24, 5, 1]);
  });
});

describe('planReducePasses', () => {
  it('one run of reduced axes is one [outer, r, inner] pass', () => {
    expect(planReducePasses([64, 128], [0])).toEqual([[1, 64, 128]]);
    expect(planReducePasses([64, 128], [1])).toEqual([[64, 128, 1]]);
    expect(planReducePasses([2, 3, 4, 5], [1, 2])).toEqual([[2, 12, 5]]);
    expect(planReducePasses([2, 3, 4, 5], [0, 1, 2, 3])).toEqual([[1, 120, 1]]);
  });

  it('size-1 axes vanish, so runs separated only by them merge', () => {
    expect(planReducePasses([4, 1, 6], [0, 2])).toEqual([[1, 24, 1]]);
    expect(planReducePasses([4, 1, 6], [1])).toEqual([[24, 1, 1]]);
  });

  it('several runs are reduced innermost first, each pass on the previous output', () => {
    // BatchNorm / conv bias gradients: [N, C, H, W] over N, H, W.
    expect(planReducePasses([64, 8, 26, 26], [0, 2, 3])).toEqual([[512, 676, 1], [1, 64, 8]]);
    expect(planReducePasses([2, 3, 4, 5, 6], [0, 2, 4])).toEqual([[120, 6, 1], [6, 4, 5], [1, 2, 15]]);
  });
});
