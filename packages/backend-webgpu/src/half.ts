/**
 * float16 on WebGPU (adapter feature `shader-f16`): storage is `array<f16>`, two bytes per element.
 * Kernels load halves as f32 (exact), compute in f32, and store through {@link HALF}'s `f2h`, an exact
 * round-to-nearest-even conversion written on the bits: WGSL leaves the rounding direction of f32 → f16
 * and the result of an out-of-range conversion to the implementation, and the conformance suite holds
 * every backend to IEEE rounding (ties to even, overflow → ±Infinity, subnormals kept, NaN kept).
 */

/** The WGSL feature a shader using f16 must enable. */
export const ENABLE_F16 = 'enable f16;';

/** True when WGSL source mentions the f16 type (so it needs {@link ENABLE_F16}). */
export function usesF16(source: string): boolean {
  return /\bf16\b/.test(source);
}

/** Bytes a buffer of `size` float16 elements needs: WebGPU copies and writes come in 4-byte words. */
export function halfBufferBytes(size: number): number {
  return Math.ceil((size * 2) / 4) * 4;
}

/** WGSL helpers for kernels with float16 bindings (include only there: they need `enable f16`). */
export const HALF = /* wgsl */ `
fn rne_shift(kept: u32, dropped: u32, halfway: u32) -> u32 {
  return kept + select(0u, 1u, dropped > halfway || (dropped == halfway && (kept & 1u) == 1u));
}
// f32 → binary16 bits, round to nearest even, overflow to ±inf, NaN stays a (quiet) NaN.
fn f2h_bits(v: f32) -> u32 {
  let b = bitcast<u32>(v);
  let sign = (b >> 16u) & 0x8000u;
  let e = i32((b >> 23u) & 0xffu) - 127;
  let m = b & 0x7fffffu;
  if (e == 128) { return sign | select(0x7c00u, 0x7e00u, m != 0u); }
  if (e > 15) { return sign | 0x7c00u; }
  if (e >= -14) { return sign | rne_shift((u32(e + 15) << 10u) | (m >> 13u), m & 0x1fffu, 0x1000u); }
  if (e < -25) { return sign; }
  let full = m | 0x800000u;
  let shift = u32(-e - 1);
  return sign | rne_shift(full >> shift, full & ((1u << shift) - 1u), 1u << (shift - 1u));
}
fn f2h(v: f32) -> f16 { return bitcast<vec2<f16>>(f2h_bits(v)).x; }
`;
