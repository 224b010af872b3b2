/**
 * Scalar math the JS standard library lacks or gets subtly different from NumPy / C:
 * erf / erfc to double precision, round-half-to-even, C-style pow and wrapping integer power.
 */

const TWO_OVER_SQRT_PI = 1.1283791670955126; // 2 / √π
const ONE_OVER_SQRT_PI = 0.5641895835477563; // 1 / √π
const INV_SQRT_2PI = 0.3989422804014327; // 1 / √(2π)

/** Below this |x| erf uses its Maclaurin series, above it erfc uses a continued fraction. */
const SERIES_LIMIT = 2.5;

/** erf by its Maclaurin series Σ (-1)ⁿ x²ⁿ⁺¹ / (n! (2n+1)) · 2/√π; accurate to ~1e-14 for |x| ≤ 2.5. */
function erfSeries(x: number): number {
  const x2 = x * x;
  let power = x; // (-1)ⁿ x²ⁿ⁺¹ / n!
  let sum = x;
  for (let n = 1; n < 80; n++) {
    power *= -x2 / n;
    const term = power / (2 * n + 1);
    sum += term;
    if (Math.abs(term) <= 1e-17 * Math.abs(sum)) break;
  }
  return sum * TWO_OVER_SQRT_PI;
}

/**
 * erfc for x ≥ 2.5 by the Laplace continued fraction
 * erfc(x) = e^{-x²}/√π · 1 / (x + (1/2) / (x + 1 / (x + (3/2) / (x + ...)))), evaluated with Lentz's method.
 */
function erfcFraction(x: number): number {
  if (x > 27) return 0; // erfc(27) < 1e-318: below the smallest double
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let j = 1; j < 300; j++) {
    const a = j * 0.5;
    d = x + a * d;
    if (d === 0) d = tiny;
    c = x + a / c;
    if (c === 0) c = tiny;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return (Math.exp(-x * x) * ONE_OVER_SQRT_PI) / f;
}

/**
 * erfc on [0, CHEB_END) is evaluated as e^{-x²}·erfcx(x), where the smooth scaled function erfcx is a
 * piecewise Chebyshev interpolant built once at load time from the slow but accurate evaluators above.
 */
const CHEB_WIDTH = 0.5;
const CHEB_PIECES = 12;
const CHEB_END = CHEB_WIDTH * CHEB_PIECES;
const CHEB_TERMS = 14;

/** Slow, accurate erfc(x) for x ≥ 0. */
function erfcAccurate(x: number): number {
  return x < SERIES_LIMIT ? 1 - erfSeries(x) : erfcFraction(x);
}

function buildErfcxTable(): Float64Array {
  const table = new Float64Array(CHEB_PIECES * CHEB_TERMS);
  const values = new Float64Array(CHEB_TERMS);
  for (let piece = 0; piece < CHEB_PIECES; piece++) {
    const mid = (piece + 0.5) * CHEB_WIDTH;
    for (let j = 0; j < CHEB_TERMS; j++) {
      const x = mid + 0.5 * CHEB_WIDTH * Math.cos((Math.PI * (j + 0.5)) / CHEB_TERMS);
      values[j] = erfcAccurate(x) * Math.exp(x * x);
    }
    for (let k = 0; k < CHEB_TERMS; k++) {
      let s = 0;
      for (let j = 0; j < CHEB_TERMS; j++) s += values[j]! * Math.cos((Math.PI * k * (j + 0.5)) / CHEB_TERMS);
      table[piece * CHEB_TERMS + k] = ((k === 0 ? 1 : 2) * s) / CHEB_TERMS;
    }
  }
  return table;
}

const ERFCX_TABLE = buildErfcxTable();

/**
 * The piecewise Chebyshev interpolant of erfcx(x) = e^{x²}·erfc(x) on [0, width · pieces): piece p
 * covers [p·width, (p+1)·width) and holds `terms` coefficients c_k of Σ' c_k T_k(t), t the position
 * in the piece scaled to [-1, 1] (c_0 already halved). Core's erf / erfc / gelu evaluate it; the wasm
 * backend's build writes it into its AssemblyScript, so both compute erf from the same numbers.
 */
export const ERFCX_CHEBYSHEV: { readonly width: number; readonly pieces: number; readonly terms: number; readonly coefficients: Float64Array } = {
  width: CHEB_WIDTH, pieces: CHEB_PIECES, terms: CHEB_TERMS, coefficients: ERFCX_TABLE,
};

/** erfc(x) for 0 ≤ x; relative accuracy ~1e-13 everywhere (the tail uses the continued fraction). */
function erfcNonNegative(x: number): number {
  if (x >= CHEB_END) return erfcFraction(x);
  const piece = Math.floor(x * (1 / CHEB_WIDTH));
  const t = (x - (piece + 0.5) * CHEB_WIDTH) * (2 / CHEB_WIDTH);
  const base = piece * CHEB_TERMS;
  // Clenshaw recurrence for Σ c_k T_k(t).
  let b1 = 0;
  let b2 = 0;
  for (let k = CHEB_TERMS - 1; k >= 1; k--) {
    const b0 = 2 * t * b1 - b2 + ERFCX_TABLE[base + k]!;
    b2 = b1;
    b1 = b0;
  }
  return Math.exp(-x * x) * (t * b1 - b2 + ERFCX_TABLE[base]!);
}

/** The error function, accurate to about 1e-13 relative over the whole real line. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax === 0) return x; // keeps the sign of zero
  if (ax < 0.5) return erfSeries(x);
  const tail = erfcNonNegative(ax);
  return x > 0 ? 1 - tail : tail - 1;
}

/** The complementary error function 1 − erf(x), with full relative accuracy in the right tail. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x >= 0) return erfcNonNegative(x);
  if (x > -0.5) return 1 + erfSeries(-x);
  return 2 - erfcNonNegative(-x);
}

/** The exact GELU 0.5·x·(1 + erf(x/√2)), written with erfc so that the left tail keeps its precision. */
export function gelu(x: number): number {
  if (x === -Infinity) return -0; // the limit, not -∞·0
  return 0.5 * x * erfc(-x * Math.SQRT1_2);
}

/**
 * The derivative of the exact GELU, Φ(x) + x·φ(x) with Φ the standard normal CDF and φ its density;
 * the x·φ(x) term is taken at x clamped to ±20 (where it is below 1e-85), so that ±∞ give the limits 1 and 0.
 */
export function geluDerivative(x: number): number {
  const xc = Math.min(Math.max(x, -20), 20);
  return 0.5 * erfc(-x * Math.SQRT1_2) + xc * Math.exp(-0.5 * xc * xc) * INV_SQRT_2PI;
}

/** Rounds to the nearest integer, ties to even (NumPy / PyTorch `round`); a zero result keeps x's sign. */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const diff = x - f;
  const r = diff < 0.5 ? f : diff > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1;
  return r === 0 ? x * 0 : r;
}

/** Math.pow with C's conventions where JS differs: pow(1, y) = 1 and pow(-1, ±∞) = 1. */
export function powC(x: number, y: number): number {
  if (x === 1) return 1;
  if (x === -1 && (y === Infinity || y === -Infinity)) return 1;
  return Math.pow(x, y);
}

/**
 * Integer power with 32-bit wrap-around (C semantics); a negative exponent truncates 1/xⁿ toward zero,
 * so it gives 1 for x = 1, ±1 for x = −1 and 0 otherwise (0 for x = 0 as well, where C would trap).
 */
export function intPow(x: number, y: number): number {
  if (y < 0) {
    if (x === 1) return 1;
    if (x === -1) return (y & 1) === 0 ? 1 : -1;
    return 0;
  }
  let result = 1;
  let base = x | 0;
  let e = y;
  while (e > 0) {
    if ((e & 1) !== 0) result = Math.imul(result, base);
    base = Math.imul(base, base);
    e >>>= 1;
  }
  return result;
}

/** C's fmod on int32 (the result has the dividend's sign); 0 for a zero divisor, where C would trap. */
export function fmodInt(a: number, b: number): number {
  return b === 0 ? 0 : (a % b) | 0;
}

/** Floor modulo (Python's and NumPy's `%`, PyTorch's `remainder`): the result has the divisor's sign. */
export function floorMod(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
}

/** Floor modulo on int32; 0 for a zero divisor. */
export function floorModInt(a: number, b: number): number {
  return b === 0 ? 0 : floorMod(a, b) | 0;
}

/**
 * floor(a / b) computed as CPython does, from the exact remainder, so that 1 // 0.1 is 9 (the quotient
 * of the stored values) rather than floor of the rounded quotient 10.000000000000002.
 */
export function floorDiv(a: number, b: number): number {
  if (b === 0 || !Number.isFinite(a) || !Number.isFinite(b)) return Math.floor(a / b);
  const mod = a % b;
  let div = (a - mod) / b;
  if (mod !== 0 && b < 0 !== mod < 0) div -= 1;
  if (div === 0) return 0 * (a / b);
  const floored = Math.floor(div);
  return div - floored > 0.5 ? floored + 1 : floored;
}

/** floor(a / b) on int32; 0 for a zero divisor (int32 −2³¹ // −1 wraps to −2³¹). */
export function floorDivInt(a: number, b: number): number {
  return b === 0 ? 0 : Math.floor(a / b) | 0;
}
