import { describe, expect, it } from 'vitest';
import { erf, erfc, gelu, intPow, powC, roundHalfEven } from './scalar-math.js';

// [x, erf(x), erfc(x)] from mpmath at 30 digits.
const ERF_TABLE: [number, number, number][] = [
  [-6, -1.0, 2.0],
  [-3.7, -0.9999998328489421, 1.9999998328489421],
  [-2.5, -0.999593047982555, 1.999593047982555],
  [-1.3, -0.9340079449406524, 1.9340079449406524],
  [-0.5, -0.5204998778130465, 1.5204998778130465],
  [-0.001, -0.0011283787909692365, 1.0011283787909693],
  [0, 0.0, 1.0],
  [1e-7, 1.1283791670955088e-07, 0.9999998871620833],
  [0.3, 0.3286267594591274, 0.6713732405408726],
  [0.4999, 0.5204119951613866, 0.4795880048386134],
  [0.5, 0.5204998778130465, 0.4795001221869535],
  [0.9, 0.7969082124228322, 0.20309178757716786],
  [1.7, 0.9837904585907745, 0.01620954140922544],
  [2.4999, 0.9995928300996666, 0.0004071699003334514],
  [2.5, 0.999593047982555, 0.0004069520174449589],
  [3.1, 0.9999883513426328, 1.1648657367199589e-05],
  [4.2, 0.9999999971445058, 2.8554941795921843e-09],
  [5.9, 0.9999999999999999, 7.190409783550478e-17],
  [6.0, 1.0, 2.1519736712498913e-17],
  [7.5, 1.0, 2.776649386030569e-26],
];

// [x, gelu(x)] from mpmath.
const GELU_TABLE: [number, number][] = [
  [-12, -2.1317785344932147e-32],
  [-8, -4.976768459417427e-15],
  [-3, -0.0040496940948902835],
  [-1, -0.15865525393145705],
  [-0.1, -0.0460172162722971],
  [0, 0.0],
  [0.1, 0.053982783727702904],
  [1, 0.8413447460685429],
  [3, 2.99595030590511],
  [8, 7.999999999999995],
];

function relErr(a: number, e: number): number {
  return e === 0 ? Math.abs(a) : Math.abs(a - e) / Math.abs(e);
}

describe('erf / erfc / gelu', () => {
  it('erf matches high-precision values to 1e-12 relative', () => {
    for (const [x, e] of ERF_TABLE) expect(relErr(erf(x), e), `erf(${x})`).toBeLessThan(1e-12);
  });

  it('erfc keeps relative accuracy deep in the right tail', () => {
    for (const [x, , c] of ERF_TABLE) expect(relErr(erfc(x), c), `erfc(${x})`).toBeLessThan(1e-10);
  });

  it('gelu is the exact erf form, accurate in both tails', () => {
    for (const [x, g] of GELU_TABLE) expect(relErr(gelu(x), g), `gelu(${x})`).toBeLessThan(1e-10);
  });

  it('is odd, saturates and passes NaN through', () => {
    for (let x = 0; x < 8; x += 0.37) expect(erf(-x)).toBe(-erf(x));
    expect(erf(Infinity)).toBe(1);
    expect(erf(-Infinity)).toBe(-1);
    expect(erfc(Infinity)).toBe(0);
    expect(erfc(-Infinity)).toBe(2);
    expect(erf(NaN)).toBeNaN();
    expect(erfc(NaN)).toBeNaN();
  });

  it('is continuous across the internal interval seams', () => {
    for (const seam of [0.5, 1, 2.5, 3, 5.5, 6]) {
      expect(relErr(erfc(seam - 1e-12), erfc(seam + 1e-12))).toBeLessThan(1e-9);
    }
  });
});

describe('roundHalfEven', () => {
  it('rounds ties to even and everything else to nearest', () => {
    const cases: [number, number][] = [
      [0.5, 0], [1.5, 2], [2.5, 2], [-0.5, -0], [-1.5, -2], [-2.5, -2], [2.4, 2], [2.6, 3], [-2.6, -3], [7, 7],
    ];
    for (const [x, r] of cases) expect(roundHalfEven(x) === r, `round(${x})`).toBe(true);
    expect(roundHalfEven(Infinity)).toBe(Infinity);
    expect(roundHalfEven(-Infinity)).toBe(-Infinity);
    expect(roundHalfEven(NaN)).toBeNaN();
  });
});

describe('intPow / powC', () => {
  it('integer power wraps like 32-bit C and truncates negative exponents', () => {
    expect(intPow(3, 4)).toBe(81);
    expect(intPow(-2, 3)).toBe(-8);
    expect(intPow(7, 0)).toBe(1);
    expect(intPow(0, 0)).toBe(1);
    expect(intPow(2, 31)).toBe(-2147483648);
    expect(intPow(3, 40)).toBe(Number(BigInt.asIntN(32, 3n ** 40n)));
    expect(intPow(2, -1)).toBe(0);
    expect(intPow(1, -5)).toBe(1);
    expect(intPow(-1, -3)).toBe(-1);
    expect(intPow(-1, -4)).toBe(1);
  });

  it('powC follows C where Math.pow differs', () => {
    expect(powC(1, NaN)).toBe(1);
    expect(powC(-1, Infinity)).toBe(1);
    expect(powC(2, 10)).toBe(1024);
    expect(powC(-8, 1 / 3)).toBeNaN();
  });
});
