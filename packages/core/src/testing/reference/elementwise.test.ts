import { describe, expect, it } from 'vitest';
import { broadcastShape } from './broadcast.js';
import { refBinary, refClip, refWhere } from './binary.js';
import { fromNested, nd } from './ndarray.js';
import { erf, gelu, roundHalfEven } from './special.js';
import { refUnary } from './unary.js';

const arr = (x: { data: Float64Array }): number[] => Array.from(x.data);

describe('reference elementwise', () => {
  it('erf matches tabulated values', () => {
    expect(erf(0)).toBe(0);
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 13);
    expect(erf(1)).toBeCloseTo(0.8427007929497149, 13);
    expect(erf(-2)).toBeCloseTo(-0.9953222650189527, 13);
    expect(erf(3)).toBeCloseTo(0.9999779095030014, 13);
    expect(erf(4.5)).toBeCloseTo(0.9999999998033839, 13);
    expect(gelu(1)).toBeCloseTo(0.8413447460685429, 12);
  });

  it('rounds half to even', () => {
    expect([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 2.6, -2.4].map(roundHalfEven)).toEqual([-2, -2, 0, 0, 2, 2, 3, -2]);
  });

  it('broadcasts shapes NumPy-style', () => {
    expect(broadcastShape([2, 1, 3], [4, 1])).toEqual([2, 4, 3]);
    expect(broadcastShape([], [5])).toEqual([5]);
    expect(() => broadcastShape([2, 3], [4, 3])).toThrow();
  });

  it('adds a row and a column', () => {
    const r = refBinary('add', fromNested([[1], [2]]), fromNested([10, 20, 30]));
    expect(r.shape).toEqual([2, 3]);
    expect(arr(r)).toEqual([11, 21, 31, 12, 22, 32]);
  });

  it('int32 arithmetic wraps and div gives float32', () => {
    const big = nd([1], [2147483647], 'int32');
    const add = refBinary('add', big, 1);
    expect(add.dtype).toBe('int32');
    expect(arr(add)).toEqual([-2147483648]);
    expect(arr(refBinary('mul', nd([1], [65536], 'int32'), nd([1], [65536], 'int32')))).toEqual([0]);
    const d = refBinary('div', nd([2], [7, -7], 'int32'), nd([1], [2], 'int32'));
    expect(d.dtype).toBe('float32');
    expect(arr(d)).toEqual([3.5, -3.5]);
    expect(refBinary('add', nd([1], [1], 'int32'), 0.5).dtype).toBe('float32');
  });

  it('comparisons give bool, where and clip select', () => {
    const c = refBinary('less', fromNested([1, 5, 3]), 3);
    expect(c.dtype).toBe('bool');
    expect(arr(c)).toEqual([1, 0, 0]);
    expect(arr(refWhere(c, fromNested([1, 2, 3]), fromNested([-1])))).toEqual([1, -1, -1]);
    expect(arr(refClip(fromNested([-3, 0.5, 9]), -1, 1))).toEqual([-1, 0.5, 1]);
  });

  it('unary ops keep int32 where they should', () => {
    const x = nd([3], [-3, 0, 7], 'int32');
    expect(refUnary('relu6', x).dtype).toBe('int32');
    expect(arr(refUnary('relu6', x))).toEqual([0, 0, 6]);
    expect(refUnary('exp', x).dtype).toBe('float32');
    expect(arr(refUnary('leakyRelu', fromNested([-2, 3]), 0.5))).toEqual([-1, 3]);
    expect(refUnary('elu', fromNested([-1])).data[0]).toBeCloseTo(Math.exp(-1) - 1, 15);
    expect(arr(refUnary('logicalNot', nd([2], [0, 1], 'bool')))).toEqual([1, 0]);
  });
});
