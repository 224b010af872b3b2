import { describe, expect, it } from 'vitest';
import { twoOverPiWords } from './two-over-pi.js';

describe('twoOverPiWords', () => {
  it('starts with the 52 bits float64 knows of 2/π', () => {
    const [w0, w1] = twoOverPiWords(2);
    expect(w0! * 2 ** 20 + Math.floor(w1! / 2 ** 12)).toBe(Math.floor((2 / Math.PI) * 2 ** 52));
  });

  it('gives the same leading words whatever the length asked (no rounding creeps in at the end)', () => {
    const long = twoOverPiWords(12);
    expect(twoOverPiWords(8)).toEqual(long.slice(0, 8));
    expect(long.every((w) => Number.isInteger(w) && w >= 0 && w < 2 ** 32)).toBe(true);
  });

  it('multiplied back by π gives 2 to within the last bit kept', () => {
    // Σ w_j·2^(-32(j+1)) · π ≈ 2, checked in float64 on the leading words.
    const [w0, w1] = twoOverPiWords(2);
    expect(Math.abs((w0! / 2 ** 32 + w1! / 2 ** 64) * Math.PI - 2)).toBeLessThan(1e-15);
  });
});
