import { describe, expect, it } from 'vitest';
import { castArray, toTypedArray } from './dtype.js';
import { FLOAT16_MAX, decodeFloat16, fromFloat16Bits, roundToFloat16, toFloat16Bits } from './float16.js';

describe('host float16 conversion', () => {
  it('round-trips every one of the 65536 bit patterns (NaNs stay NaN)', () => {
    for (let h = 0; h < 0x10000; h++) {
      const v = fromFloat16Bits(h);
      if (Number.isNaN(v)) expect(Number.isNaN(fromFloat16Bits(toFloat16Bits(v)))).toBe(true);
      else expect(toFloat16Bits(v)).toBe(h);
    }
  });

  it('rounds halfway cases to even, including doubles that a float32 step would double-round', () => {
    expect(roundToFloat16(1 + 2 ** -11)).toBe(1); // tie, 1 is even
    expect(roundToFloat16(1 + 3 * 2 ** -11)).toBe(1 + 2 ** -9); // tie, rounds up to even
    expect(roundToFloat16(1 + 2 ** -11 + 2 ** -40)).toBe(1 + 2 ** -10); // just above the tie: float32 would drop the 2^-40
    expect(roundToFloat16(1 + 2 ** -11 - 2 ** -40)).toBe(1); // just below the tie
  });

  it('overflows to ±Infinity from 65520 on, keeps subnormals, and flushes below half the smallest', () => {
    expect(roundToFloat16(FLOAT16_MAX)).toBe(65504);
    expect(roundToFloat16(65519.99)).toBe(65504);
    expect(roundToFloat16(65520)).toBe(Infinity);
    expect(roundToFloat16(-1e6)).toBe(-Infinity);
    expect(roundToFloat16(2 ** -24)).toBe(2 ** -24);
    expect(roundToFloat16(3 * 2 ** -26)).toBe(2 ** -24);
    expect(roundToFloat16(2 ** -25)).toBe(0); // tie between 0 and the smallest subnormal: even is 0
    expect(roundToFloat16(2 ** -25 + 2 ** -50)).toBe(2 ** -24);
    expect(Object.is(roundToFloat16(-1e-12), -0)).toBe(true);
    expect(Number.isNaN(roundToFloat16(NaN))).toBe(true);
  });

  it('converts storage arrays between every dtype', () => {
    const h = toTypedArray([1.5, -2, 0.1, 70000], 'float16') as Uint16Array;
    expect(h).toBeInstanceOf(Uint16Array);
    expect(Array.from(decodeFloat16(h))).toEqual([1.5, -2, roundToFloat16(0.1), Infinity]);
    expect(Array.from(castArray(h, 'float16', 'int32'))).toEqual([1, -2, 0, 0]);
    expect(Array.from(castArray(h, 'float16', 'bool'))).toEqual([1, 1, 1, 1]);
    expect(Array.from(castArray(new Int32Array([2049, 3]), 'int32', 'float16'))).toEqual([toFloat16Bits(2048), toFloat16Bits(3)]);
  });
});
