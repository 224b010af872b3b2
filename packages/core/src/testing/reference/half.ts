/**
 * The reference's own rounding to binary16, written apart from core's bit-level conversion (float16.ts)
 * so that a bug there is not copied here: find the value's binade by halving / doubling, scale by the
 * spacing of halves in it, and round the scaled value to the nearest integer, ties to even.
 */

/** `x` rounded to the nearest binary16 value (ties to even; ±Infinity past 65520 in magnitude; NaN stays). */
export function refRoundHalf(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const a = Math.abs(x);
  // Largest finite half 65504; halfway to the next binade's first value (65536) is 65520, which ties up to ∞.
  if (a >= 65520) return x > 0 ? Infinity : -Infinity;
  // Exponent e with 2^e ≤ a < 2^(e+1), clamped at the subnormal range's −14.
  let e = 0;
  let p = 1;
  while (p > a) { p /= 2; e--; }
  while (p * 2 <= a) { p *= 2; e++; }
  const spacing = 2 ** (Math.max(e, -14) - 10);
  const q = a / spacing;
  const fl = Math.floor(q);
  const frac = q - fl;
  const n = frac > 0.5 || (frac === 0.5 && fl % 2 === 1) ? fl + 1 : fl;
  const r = n * spacing;
  return x < 0 ? -r : r;
}
