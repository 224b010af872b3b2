/**
 * IEEE 754 binary16 (half precision) conversions done on the host. Node 20 has no Float16Array, so
 * float16 data on the host is a Uint16Array of bit patterns; these helpers convert exactly: a
 * number rounds to the nearest half (ties to even) through the float32 bits, values past the largest
 * finite half (65504) become ±Infinity, tiny values become subnormals or ±0, NaN stays NaN.
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The binary16 bit pattern nearest to `value` (round to nearest, ties to even; overflow → ±Infinity; NaN → a quiet NaN with its sign). */
export function toFloat16Bits(value: number): number {
  // Work on the float32 image's bits; where that image sits exactly on a rounding tie, the double
  // itself decides (roundShift), so double rounding never changes the result.
  f32[0] = value;
  const bits = u32[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  const mant = bits & 0x7fffff;
  if (exp === 0xff) return sign | (mant !== 0 ? 0x7e00 : 0x7c00);
  // Unbiased exponent of the float32 image; binary16 normals span −14 … 15.
  const e = exp - 127;
  if (e > 15) return sign | 0x7c00;
  if (e >= -14) {
    // Normal half: keep 10 mantissa bits, round the 13 dropped ones to nearest even.
    return sign | roundShift(((e + 15) << 10) | (mant >>> 13), mant & 0x1fff, 13, value);
  }
  // Below 2^-25 (half the smallest subnormal) everything rounds to ±0.
  if (e < -25) return sign;
  // Subnormal half: the implicit 1 joins the mantissa, shifted right by the exponent gap.
  const full = mant | 0x800000;
  const shift = -e - 14 + 13;
  const kept = full >>> shift;
  const dropped = full & ((1 << shift) - 1);
  return sign | roundShift(kept, dropped, shift, value);
}

/** Rounds `kept` up when the `width` dropped bits exceed half, or equal half and kept is odd (checking the double's own tail). */
function roundShift(kept: number, dropped: number, width: number, value: number): number {
  const half = 1 << (width - 1);
  if (dropped > half) return kept + 1;
  if (dropped < half) return kept;
  // A tie in the float32 image: the double may lie off the tie; compare it with the image itself.
  const image = f32[0]!;
  const a = Math.abs(value);
  const ai = Math.abs(image);
  if (a > ai) return kept + 1;
  if (a < ai) return kept;
  return kept & 1 ? kept + 1 : kept;
}

/** The number a binary16 bit pattern holds (exact). */
export function fromFloat16Bits(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1024 + mant) * 2 ** (exp - 25);
}

/** `value` rounded to the nearest binary16 number (what storing it as float16 keeps). */
export function roundToFloat16(value: number): number {
  return fromFloat16Bits(toFloat16Bits(value));
}

/** Encodes numbers as binary16 bit patterns. */
export function encodeFloat16(values: ArrayLike<number>, out: Uint16Array = new Uint16Array(values.length)): Uint16Array {
  for (let i = 0; i < values.length; i++) out[i] = toFloat16Bits(values[i]!);
  return out;
}

/** Decodes binary16 bit patterns to float32 (every half is exact in float32). */
export function decodeFloat16(bits: Uint16Array, out: Float32Array = new Float32Array(bits.length)): Float32Array {
  for (let i = 0; i < bits.length; i++) out[i] = fromFloat16Bits(bits[i]!);
  return out;
}

/** The largest finite binary16 value. */
export const FLOAT16_MAX = 65504;
