// Scalar functions the AssemblyScript standard library lacks, in double precision (every result is
// rounded to float32 afterwards, so ~1e-12 relative accuracy is plenty).

import { ERFCX, ERFCX_PIECES, ERFCX_TERMS, ERFCX_WIDTH } from './generated/erfcx-table';

const TWO_OVER_SQRT_PI: f64 = 1.1283791670955126;
const ONE_OVER_SQRT_PI: f64 = 0.5641895835477563;

/** erf(x) by its Maclaurin series, for |x| < 0.5 (it converges in a dozen terms there). */
function erfSeries(x: f64): f64 {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 100; n++) {
    term *= -x2 / <f64>n;
    const t = term / <f64>(2 * n + 1);
    sum += t;
    if (Math.abs(t) <= 1e-17 * Math.abs(sum)) break;
  }
  return sum * TWO_OVER_SQRT_PI;
}

/** erfc(x) for x ≥ 2.5 by Laplace's continued fraction, evaluated backwards with a fixed depth. */
function erfcTail(x: f64): f64 {
  if (x > 27) return 0;
  // erfc(x) = e^{-x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...))))
  let f: f64 = x;
  for (let j = 120; j >= 1; j--) f = x + (<f64>j * 0.5) / f;
  return (Math.exp(-x * x) * ONE_OVER_SQRT_PI) / f;
}

// erfc on [0, width·pieces) is e^{-x²}·erfcx(x), with the smooth scaled function erfcx read from core's
// piecewise Chebyshev interpolant (ERFCX_CHEBYSHEV, written into generated/erfcx-table.ts at build time):
// a dozen multiply-adds and one exp per element instead of a series of up to 80 terms, which made GELU
// the most expensive part of a transformer's feed-forward layers. Relative error ~1e-13.
const CHEB_END: f64 = ERFCX_WIDTH * <f64>ERFCX_PIECES;

/** erfc for x ≥ 0. */
function erfcPos(x: f64): f64 {
  if (x >= CHEB_END) return erfcTail(x);
  const piece = <i32>(x * (1.0 / ERFCX_WIDTH));
  const t = (x - (<f64>piece + 0.5) * ERFCX_WIDTH) * (2.0 / ERFCX_WIDTH);
  const base = piece * ERFCX_TERMS;
  // Clenshaw's recurrence for Σ c_k T_k(t).
  let b1: f64 = 0;
  let b2: f64 = 0;
  for (let k = ERFCX_TERMS - 1; k >= 1; k--) {
    const b0 = 2 * t * b1 - b2 + unchecked(ERFCX[base + k]);
    b2 = b1;
    b1 = b0;
  }
  return Math.exp(-x * x) * (t * b1 - b2 + unchecked(ERFCX[base]));
}

/** The error function. */
export function erf(x: f64): f64 {
  if (isNaN(x)) return x;
  const ax = Math.abs(x);
  if (ax == 0) return x;
  if (ax < 0.5) return erfSeries(x);
  const t = erfcPos(ax);
  return x > 0 ? 1 - t : t - 1;
}

/** erfc(x) = 1 − erf(x), accurate in the right tail. */
export function erfc(x: f64): f64 {
  if (isNaN(x)) return x;
  if (x >= 0) return erfcPos(x);
  return 2 - erfcPos(-x);
}

/** Exact GELU 0.5·x·erfc(−x/√2). */
export function gelu(x: f64): f64 {
  if (x == -Infinity) return -0.0;
  return 0.5 * x * erfc(-x * 0.7071067811865476);
}

/** pow with C conventions: pow(1, y) = 1 and pow(−1, ±∞) = 1 (JS gives NaN). */
export function powC(x: f64, y: f64): f64 {
  if (x == 1) return 1;
  if (x == -1 && Math.abs(y) == Infinity) return 1;
  return Math.pow(x, y);
}

/** 1 / (1 + e⁻ˣ), written per sign so that neither side overflows. */
export function sigmoid(x: f64): f64 {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** Floor modulo: the result has the divisor's sign (f64 `%` is C's fmod, exact). */
export function floorMod(a: f64, b: f64): f64 {
  const r = a % b;
  return r != 0 && (r < 0) != (b < 0) ? r + b : r;
}

/** floor(a / b) from the exact remainder, as CPython computes it. */
export function floorDiv(a: f64, b: f64): f64 {
  if (b == 0 || !isFinite(a) || !isFinite(b)) return Math.floor(a / b);
  const mod = a % b;
  let div = (a - mod) / b;
  if (mod != 0 && (b < 0) != (mod < 0)) div -= 1;
  if (div == 0) return 0 * (a / b);
  const floored = Math.floor(div);
  return div - floored > 0.5 ? floored + 1 : floored;
}
