import { describe, expect, it } from 'vitest';
import { pythonSlice } from '../testing/reference/strided.js';
import { clampRange } from './strided-slice.js';

describe('stridedSlice bounds', () => {
  it("the enumerating reference gives CPython's answers (checked against CPython for every case below)", () => {
    expect(pythonSlice(5, null, null, -1)).toEqual([4, 3, 2, 1, 0]);
    expect(pythonSlice(7, -10, 10, 3)).toEqual([0, 3, 6]);
    expect(pythonSlice(7, 10, -10, -2)).toEqual([6, 4, 2, 0]);
    expect(pythonSlice(5, -2, -6, -1)).toEqual([3, 2, 1, 0]);
    expect(pythonSlice(6, 1, 4, -1)).toEqual([]);
    expect(pythonSlice(5, -1, -3, -1)).toEqual([4, 3]);
  });

  it("match Python's range(d)[begin:end:step] for every bound in [-9, 9] (and omitted), step in ±1..4, d in 0..6", () => {
    const bounds = [null, ...Array.from({ length: 19 }, (_, i) => i - 9)];
    for (let d = 0; d <= 6; d++) {
      for (const step of [-4, -3, -2, -1, 1, 2, 3, 4]) {
        for (const begin of bounds) {
          for (const end of bounds) {
            const { start, size } = clampRange(begin, end, step, d);
            const got = Array.from({ length: size }, (_, i) => start + i * step);
            expect(got, `d=${d} [${begin}:${end}:${step}]`).toEqual(pythonSlice(d, begin, end, step));
          }
        }
      }
    }
  });
});
