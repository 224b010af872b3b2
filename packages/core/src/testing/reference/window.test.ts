import { describe, expect, it } from 'vitest';
import { refConv2d } from './conv.js';
import { nd } from './ndarray.js';
import { refPool2d } from './pool.js';
import { axisGeometry } from './window.js';

const arr = (x: { data: Float64Array }): number[] => Array.from(x.data);
// 1×1×3×3 input 1..9
const x = nd([1, 1, 3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9]);

describe('reference windows', () => {
  it('computes TensorFlow SAME and PyTorch numeric geometry', () => {
    expect(axisGeometry(5, 3, 2, 1, 'same')).toEqual({ out: 3, before: 1 });
    expect(axisGeometry(4, 3, 2, 1, 'same')).toEqual({ out: 2, before: 0 });
    expect(axisGeometry(7, 3, 1, 2, 1)).toEqual({ out: 5, before: 1 });
    expect(axisGeometry(7, 3, 2, 1, 'valid')).toEqual({ out: 3, before: 0 });
  });

  it('conv2d with a 2×2 filter, valid and padded', () => {
    const w = nd([1, 1, 2, 2], [1, 0, 0, 1]);
    expect(arr(refConv2d(x, w))).toEqual([6, 8, 12, 14]);
    const p = refConv2d(x, nd([1, 1, 1, 1], [2]), { padding: 1 });
    expect(p.shape).toEqual([1, 1, 5, 5]);
    expect(p.data[6]).toBe(2);
    expect(p.data[0]).toBe(0);
    const d = refConv2d(x, w, { dilation: 2 });
    expect(arr(d)).toEqual([10]);
  });

  it('grouped conv keeps channels apart', () => {
    const x2 = nd([1, 2, 1, 1], [3, 5]);
    const w2 = nd([2, 1, 1, 1], [10, 100]);
    expect(arr(refConv2d(x2, w2, { groups: 2 }))).toEqual([30, 500]);
  });

  it('pools: padding never wins a max, avg excludes padding', () => {
    expect(arr(refPool2d('max', x, 2, { stride: 1 }))).toEqual([5, 6, 8, 9]);
    const neg = nd([1, 1, 1, 2], [-3, -1]);
    expect(arr(refPool2d('max', neg, 2, { stride: 1, padding: 1 }))).toEqual([-3, -1, -1, -3, -1, -1]);
    expect(arr(refPool2d('avg', x, 2, { stride: 2, padding: 1 }))).toEqual([1, 2.5, 5.5, 7]);
  });
});
