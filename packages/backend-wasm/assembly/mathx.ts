// Scalar functions the AssemblyScript standard library lacks, in double precision (every result is
// rounded to float32 afterwards, so ~1e-12 relative accuracy is plenty).

const TWO_OVER_SQRT_PI: f64 = 1.1283791670955126;
const ONE_OVER_SQRT_PI: f64 = 0.5641895835477563;

/** erf(x) by its Maclaurin series; used for |x| < 2.5 where it converges in under 80 terms. */
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

/** erfc for x ≥ 0. */
function erfcPos(x: f64): f64 {
  return x < 2.5 ? 1 - erfSeries(x) : erfcTail(x);
}

/** The error function. */
export function erf(x: f64): f64 {
  if (isNaN(x)) return x;
  const ax = Math.abs(x);
  if (ax == 0) return x;
  if (ax < 1) return erfSeries(x);
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
