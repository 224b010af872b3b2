/**
 * WGSL building blocks shared by the kernels: storage types per dtype, the uniform block, the
 * invocation index, and scalar math that WGSL lacks or leaves loose (NaN tests by bit pattern,
 * C-style pow, erf / erfc, expm1 / log1p, float → int32 with wrap-around).
 *
 * Storage: float32 as `array<f32>`, float16 as `array<f16>`, int32 as `array<i32>`, bool as `array<u32>` holding 0 or 1 (one
 * 32-bit word per element: WGSL has no 8-bit storage, and packing would need atomics for writes).
 */
import { unknownDType, type DType } from '@scratchnet/core';
import { twoOverPiWords } from './two-over-pi.js';

/** Threads per workgroup of the one-thread-per-element kernels (SwiftShader allows at most 256). */
export const WG = 64;

/** The WGSL element type that stores a dtype (f16 needs the adapter feature `shader-f16`; see half.ts). */
export function storageType(dtype: DType): 'f32' | 'f16' | 'i32' | 'u32' {
  switch (dtype) {
    case 'float32': return 'f32';
    case 'float16': return 'f16';
    case 'int32': return 'i32';
    case 'bool': return 'u32';
    default: return unknownDType(dtype);
  }
}

/** Declares a read-only input at `binding`. */
export function inputDecl(name: string, binding: number, dtype: DType): string {
  return `@group(0) @binding(${binding}) var<storage, read> ${name}: array<${storageType(dtype)}>;`;
}

/** Declares a writable output at `binding`. */
export function outputDecl(name: string, binding: number, dtype: DType): string {
  return `@group(0) @binding(${binding}) var<storage, read_write> ${name}: array<${storageType(dtype)}>;`;
}

/**
 * Uniform words: int32 values (and float32 values stored by bit pattern) packed into 16-byte rows.
 * Word 0 is by convention the number of threads that do work.
 */
export class Uniforms {
  private readonly words: number[] = [];
  private readonly floats = new Map<number, number>();

  /** Appends int32 values; returns the index of the first. */
  push(...values: readonly number[]): number {
    const at = this.words.length;
    for (const v of values) this.words.push(v | 0);
    return at;
  }

  /** Appends a float32 value (read in WGSL with `uf(i)`); returns its index. */
  pushFloat(value: number): number {
    const at = this.words.length;
    this.words.push(0);
    this.floats.set(at, value);
    return at;
  }

  /** Number of vec4 rows the WGSL declaration needs. */
  get rows(): number {
    return Math.max(1, Math.ceil(this.words.length / 4));
  }

  /** The bytes to upload. */
  bytes(): ArrayBuffer {
    const buf = new ArrayBuffer(this.rows * 16);
    const i32 = new Int32Array(buf);
    i32.set(this.words);
    const f32 = new Float32Array(buf);
    for (const [i, v] of this.floats) f32[i] = v;
    return buf;
  }
}

/** The uniform block declaration and its accessors `u(i)` (int32) and `uf(i)` (float32). */
export function uniformDecl(binding: number, rows: number): string {
  return `@group(0) @binding(${binding}) var<uniform> U: array<vec4<i32>, ${rows}>;
fn u(i: u32) -> i32 { return U[i >> 2u][i & 3u]; }
fn uf(i: u32) -> f32 { return bitcast<f32>(U[i >> 2u][i & 3u]); }`;
}

/** The entry point of a one-thread-per-element kernel: `i` is the flat thread index; threads ≥ u(0) return. */
export function elementwiseMain(body: string, wg = WG): string {
  return `@compute @workgroup_size(${wg})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * ${wg}u;
  if (i >= u32(u(0u))) { return; }
${body}
}`;
}

/** Scalar helpers every kernel may call (unused ones cost nothing). */
export const MATH = /* wgsl */ `
var<private> TWO_OVER_PI: array<u32, 9> = array<u32, 9>(0u, ${twoOverPiWords(8).map((w) => `${w}u`).join(', ')});
fn is_nan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn is_inf(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }
// NaN and infinity cannot be const-expressions in WGSL: read their bit patterns from private variables.
var<private> NAN_BITS: u32 = 0x7fc00000u;
var<private> INF_BITS: u32 = 0x7f800000u;
fn nan_f32() -> f32 { return bitcast<f32>(NAN_BITS); }
fn inf_f32() -> f32 { return bitcast<f32>(INF_BITS); }

fn log_f(x: f32) -> f32 {
  if (x < 0.0) { return nan_f32(); }
  if (x == 0.0) { return -inf_f32(); }
  return log(x);
}
fn sqrt_f(x: f32) -> f32 {
  if (x < 0.0) { return nan_f32(); }
  return sqrt(x);
}
// IEEE division, spelled out for a zero divisor (WGSL leaves it indeterminate).
fn div_f(a: f32, b: f32) -> f32 {
  if (b == 0.0) {
    if (a == 0.0 || is_nan(a)) { return nan_f32(); }
    let neg = ((bitcast<u32>(a) ^ bitcast<u32>(b)) >> 31u) == 1u;
    return select(inf_f32(), -inf_f32(), neg);
  }
  return a / b;
}
// sin and cos with our own range reduction (Cody–Waite with π/2 split in three up to 256, Payne–Hanek
// beyond, so the whole float32 range is exact) and the usual minimax polynomials on [-π/4, π/4]: some
// adapters' built-ins (SwiftShader) are off by ~2e-4, and lavapipe's are garbage beyond ~1e7.
fn sin_poly(r: f32) -> f32 {
  let z = r * r;
  return r + r * z * (-1.6666654611e-1 + z * (8.3321608736e-3 + z * -1.9515295891e-4));
}
fn cos_poly(r: f32) -> f32 {
  let z = r * r;
  return 1.0 - 0.5 * z + z * z * (4.166664568298827e-2 + z * (-1.388731625493765e-3 + z * 2.443315711809948e-5));
}
// x = k·π/2 + r: returns (r, k mod 4). Used for |x| ≤ 256, where k·1.5703125 is exact and the
// rounding of k·4.8375e-4 stays below 4e-9 (near 2^16 it reaches 1e-6).
fn reduce_half_pi(x: f32) -> vec2<f32> {
  let k = round(x * 0.6366197723675814);
  let r = ((x - k * 1.5703125) - k * 4.837512969970703125e-4) - k * 7.549789954891882e-8;
  return vec2<f32>(r, f32(i32(k) & 3));
}
// 32 × 32 → 64-bit unsigned product as (low word, high word).
fn mul_wide(a: u32, b: u32) -> vec2<u32> {
  let al = a & 0xffffu; let ah = a >> 16u;
  let bl = b & 0xffffu; let bh = b >> 16u;
  let ll = al * bl; let lh = al * bh; let hl = ah * bl;
  let mid = (ll >> 16u) + (lh & 0xffffu) + (hl & 0xffffu);
  return vec2<u32>((ll & 0xffffu) | (mid << 16u), ah * bh + (lh >> 16u) + (hl >> 16u) + (mid >> 16u));
}
// Word k (0-based) of 2/π's bits starting at table bit t (the table is one word of zeros, then 2/π's fraction).
fn two_over_pi_window(w: u32, sh: u32, k: u32) -> u32 {
  if (sh == 0u) { return TWO_OVER_PI[w + k]; }
  return (TWO_OVER_PI[w + k] << sh) | (TWO_OVER_PI[w + k + 1u] >> (32u - sh));
}
// Exact reduction for any finite |x| ≥ 2^-7 (Payne–Hanek): with |x| = m·2^e (m the 24-bit significand),
// |x|·2/π mod 4 is m times a 96-bit window of 2/π's bits (bits e-1 … e+94; earlier ones only add
// multiples of 4), taken mod 2^96 in integer arithmetic. Its top 2 bits are the quadrant, the other 94
// the position in it. Returns (r, k mod 4) with x = k·π/2 + r, |r| ≤ π/4.
fn reduce_half_pi_large(x: f32) -> vec2<f32> {
  let b = bitcast<u32>(x);
  let m = (b & 0x7fffffu) | 0x800000u;
  let t = u32(i32((b >> 23u) & 0xffu) - 150 + 30);
  let w = t >> 5u; let sh = t & 31u;
  let a0 = two_over_pi_window(w, sh, 0u);
  let a1 = two_over_pi_window(w, sh, 1u);
  let a2 = two_over_pi_window(w, sh, 2u);
  let p2 = mul_wide(m, a2);
  let p1 = mul_wide(m, a1);
  let v1 = p2.y + p1.x;
  let v0 = p1.y + m * a0 + select(0u, 1u, v1 < p2.y);
  var q = v0 >> 30u;
  var f: f32;
  if ((v0 & 0x20000000u) == 0u) {
    f = f32(v0 & 0x3fffffffu) * 9.313225746154785e-10 + f32(v1) * 2.168404344971009e-19;
  } else {
    // Past the middle of the quadrant: measure from the next one (1 - f, by complement).
    q = q + 1u;
    f = -(f32(~v0 & 0x3fffffffu) * 9.313225746154785e-10 + f32(~v1) * 2.168404344971009e-19);
  }
  var r = f * 1.5707963267948966;
  if ((b >> 31u) == 1u) { r = -r; q = 4u - q; }
  return vec2<f32>(r, f32(q & 3u));
}
fn reduce_any(x: f32) -> vec2<f32> {
  if (abs(x) > 256.0) { return reduce_half_pi_large(x); }
  return reduce_half_pi(x);
}
fn sin_f(x: f32) -> f32 {
  if (is_nan(x) || is_inf(x)) { return nan_f32(); }
  let rq = reduce_any(x);
  let q = u32(rq.y);
  let v = select(sin_poly(rq.x), cos_poly(rq.x), (q & 1u) == 1u);
  return select(v, -v, q >= 2u);
}
fn cos_f(x: f32) -> f32 {
  if (is_nan(x) || is_inf(x)) { return nan_f32(); }
  let rq = reduce_any(x);
  let q = u32(rq.y);
  let v = select(cos_poly(rq.x), sin_poly(rq.x), (q & 1u) == 1u);
  return select(v, -v, q == 1u || q == 2u);
}
fn f2b(x: f32) -> u32 { return select(0u, 1u, x != 0.0 || is_nan(x)); }

// exp(x) - 1 without cancellation: its Taylor polynomial where |x| < 0.5 (terms to x⁹/9!, truncation
// below 1e-9 relative), exp(x) - 1 beyond, where the subtraction costs at most a few ulps. No formula
// relies on a rounding error cancelling, which shader compilers may fold away ((1 + x) - 1 → x).
fn expm1_f(x: f32) -> f32 {
  if (abs(x) < 0.5) {
    return x * (1.0 + x * (0.5 + x * (1.0 / 6.0 + x * (1.0 / 24.0 + x * (1.0 / 120.0 + x * (1.0 / 720.0
      + x * (1.0 / 5040.0 + x * (1.0 / 40320.0 + x * (1.0 / 362880.0)))))))));
  }
  return exp(x) - 1.0;
}

// log(1 + x) without cancellation: 2·atanh(s) with s = x / (2 + x), as its odd series, where
// -0.3 < x < 0.45 (|s| < 0.19, truncation below 1e-11 relative); log(1 + x) beyond, where rounding 1 + x
// costs at most ~2 ulps of the result. x < -1 gives NaN, -1 gives -∞.
fn log1p_f(x: f32) -> f32 {
  if (x > -0.3 && x < 0.45) {
    let s = x / (2.0 + x);
    let z = s * s;
    return 2.0 * s * (1.0 + z * (1.0 / 3.0 + z * (1.0 / 5.0 + z * (1.0 / 7.0 + z * (1.0 / 9.0 + z * (1.0 / 11.0
      + z * (1.0 / 13.0)))))));
  }
  if (is_inf(x) && x > 0.0) { return x; }
  return log_f(1.0 + x);
}

fn tanh_f(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  let a = abs(x);
  if (a > 10.0) { return sign(x); }
  let e = expm1_f(2.0 * a);
  return sign(x) * (e / (e + 2.0));
}

fn sigmoid_f(x: f32) -> f32 {
  if (x >= 0.0) { return 1.0 / (1.0 + exp(-x)); }
  let e = exp(x);
  return e / (1.0 + e);
}

// erfc for x ≥ 0: exp(-x² + Chebyshev-fitted polynomial in t = 1/(1 + x/2)) · t, relative error ~1e-7
// (the classic fit of Press et al., Numerical Recipes §6.2).
fn erfc_pos(x: f32) -> f32 {
  let t = 1.0 / (1.0 + 0.5 * x);
  let p = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807
    + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  return t * exp(-x * x + p);
}

// Maclaurin series of erf for |x| < 0.5 (terms to x^15).
fn erf_series(x: f32) -> f32 {
  let z = x * x;
  let s = 1.0 + z * (-1.0 / 3.0 + z * (1.0 / 10.0 + z * (-1.0 / 42.0 + z * (1.0 / 216.0 + z * (-1.0 / 1320.0
    + z * (1.0 / 9360.0 + z * (-1.0 / 75600.0)))))));
  return 1.1283791670955126 * x * s;
}

fn erf_f(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  let a = abs(x);
  if (a < 0.5) { return erf_series(x); }
  if (a > 10.0) { return sign(x); }
  return sign(x) * (1.0 - erfc_pos(a));
}

fn erfc_f(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  if (x >= 0.5) { if (x > 10.0) { return 0.0; } return erfc_pos(x); }
  if (x > -0.5) { return 1.0 - erf_series(x); }
  if (x < -10.0) { return 2.0; }
  return 2.0 - erfc_pos(-x);
}

fn gelu_f(x: f32) -> f32 {
  if (is_inf(x)) { return select(0.0, x, x > 0.0); }
  return 0.5 * x * erfc_f(-x * 0.7071067811865476);
}

fn is_int_f(y: f32) -> bool { return floor(y) == y && !is_inf(y); }
fn is_odd_int_f(y: f32) -> bool { return is_int_f(y) && abs(y) < 16777216.0 && (i32(abs(y)) & 1) == 1; }

// pow with C's rules (pow(x, 0) = 1 even for NaN, pow(1, y) = 1, pow(-1, ±∞) = 1, negative bases need an
// integer exponent); small integer exponents multiply exactly by squaring.
fn pow_f(x: f32, y: f32) -> f32 {
  if (y == 0.0 || x == 1.0) { return 1.0; }
  if (is_nan(x) || is_nan(y)) { return nan_f32(); }
  let ax = abs(x);
  if (is_inf(y)) {
    if (ax == 1.0) { return 1.0; }
    if ((ax > 1.0) == (y > 0.0)) { return inf_f32(); }
    return 0.0;
  }
  let yi = is_int_f(y);
  let odd = is_odd_int_f(y);
  if (is_inf(x)) {
    // ±∞: +∞ for y > 0, +0 for y < 0, negated for -∞ and an odd integer y (whatever else y is).
    let r = select(0.0, inf_f32(), y > 0.0);
    return select(r, -r, x < 0.0 && odd);
  }
  if (x < 0.0 && !yi) { return nan_f32(); }
  let neg = x < 0.0 && odd;
  var r: f32;
  if (ax == 0.0) {
    r = select(0.0, inf_f32(), y < 0.0);
    if (odd && (bitcast<u32>(x) >> 31u) == 1u) { r = -r; }
    return r;
  }
  if (yi && abs(y) <= 64.0) {
    var n = u32(abs(y));
    var b = ax;
    r = 1.0;
    loop {
      if ((n & 1u) == 1u) { r = r * b; }
      n = n >> 1u;
      if (n == 0u) { break; }
      b = b * b;
    }
    if (y < 0.0) { r = 1.0 / r; }
  } else {
    r = exp2(y * log2(ax));
  }
  return select(r, -r, neg);
}

// Integer power with 32-bit wrap-around; negative exponents truncate 1/x^n toward zero.
fn pow_i(x: i32, y: i32) -> i32 {
  if (y < 0) {
    if (x == 1) { return 1; }
    if (x == -1) { return select(-1, 1, (y & 1) == 0); }
    return 0;
  }
  var r = 1;
  var b = x;
  var e = u32(y);
  loop {
    if (e == 0u) { break; }
    if ((e & 1u) == 1u) { r = r * b; }
    b = b * b;
    e = e >> 1u;
  }
  return r;
}

// Math.max / Math.min: NaN wins; +0 beats -0 in max and loses in min.
fn max_f(a: f32, b: f32) -> f32 {
  if (is_nan(a) || is_nan(b)) { return nan_f32(); }
  if (a == b) { return select(b, a, (bitcast<u32>(a) >> 31u) == 0u); }
  return select(b, a, a > b);
}
fn min_f(a: f32, b: f32) -> f32 {
  if (is_nan(a) || is_nan(b)) { return nan_f32(); }
  if (a == b) { return select(b, a, (bitcast<u32>(a) >> 31u) == 1u); }
  return select(b, a, a < b);
}

// float → int32 like JavaScript's ToInt32: truncate toward zero, NaN and ±∞ give 0, wrap modulo 2^32.
fn f2i(x: f32) -> i32 {
  let b = bitcast<u32>(x);
  let e = i32((b >> 23u) & 0xffu) - 127;
  if (e < 31) { return i32(x); }
  if (e == 128) { return 0; }
  let sh = e - 23;
  var r = 0u;
  if (sh < 32) { r = ((b & 0x7fffffu) | 0x800000u) << u32(sh); }
  if ((b >> 31u) == 1u) { r = 0u - r; }
  return bitcast<i32>(r);
}

// Inverse trigonometric and hyperbolic functions with their domains spelled out (WGSL leaves values
// outside them indeterminate) and without the cancellations of the textbook formulas near 0.
// asin and acos through atan, whose built-in is accurate where asin / acos are not (lavapipe: 2e-4):
// asin(x) = atan(x / √((1 − x)(1 + x))), acos(x) = 2·atan(√((1 − x) / (1 + x))), exact factors near ±1.
fn asin_f(x: f32) -> f32 {
  if (is_nan(x) || abs(x) > 1.0) { return nan_f32(); }
  return atan(div_f(x, sqrt((1.0 - x) * (1.0 + x))));
}
fn acos_f(x: f32) -> f32 {
  if (is_nan(x) || abs(x) > 1.0) { return nan_f32(); }
  return 2.0 * atan(sqrt(div_f(1.0 - x, 1.0 + x)));
}
const LN2_F: f32 = 0.6931471805599453;
// sinh(a) = (E + E / (E + 1)) / 2 with E = expm1(a); far out, exp(a - ln 2) avoids overflowing before the result does.
fn sinh_f(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  let a = abs(x);
  var s: f32;
  if (a >= 20.0) { s = exp(a - LN2_F); } else {
    let e = expm1_f(a);
    s = 0.5 * (e + e / (e + 1.0));
  }
  return select(s, -s, x < 0.0);
}
fn cosh_f(x: f32) -> f32 {
  let a = abs(x);
  if (a >= 20.0) { return exp(a - LN2_F); }
  let e = exp(a);
  return 0.5 * (e + 1.0 / e);
}
// asinh(a) = log1p(a + a² / (1 + √(1 + a²))), log(a) + ln 2 once a² would overflow.
fn asinh_f(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  let a = abs(x);
  var r: f32;
  if (a > 1e4) { r = log(a) + LN2_F; } else { r = log1p_f(a + a * a / (1.0 + sqrt(1.0 + a * a))); }
  return select(r, -r, x < 0.0);
}
fn acosh_f(x: f32) -> f32 {
  if (is_nan(x) || x < 1.0) { return nan_f32(); }
  if (x > 1e4) { return log(x) + LN2_F; }
  let t = x - 1.0;
  return log1p_f(t + sqrt(t * (x + 1.0)));
}
// atanh(a) = log1p(2a / (1 − a)) / 2.
fn atanh_f(x: f32) -> f32 {
  let a = abs(x);
  if (is_nan(x) || a > 1.0) { return nan_f32(); }
  if (a == 1.0) { return select(inf_f32(), -inf_f32(), x < 0.0); }
  let r = 0.5 * log1p_f(2.0 * a / (1.0 - a));
  return select(r, -r, x < 0.0);
}

// C's fmod: exact while |a / b| < 2^24 (the remainder of the truncated quotient is recovered with an
// FMA, then corrected by one b where the rounded quotient was one off).
fn fmod_f(a: f32, b: f32) -> f32 {
  if (is_nan(a) || is_nan(b) || is_inf(a) || b == 0.0) { return nan_f32(); }
  if (is_inf(b)) { return a; }
  let q = trunc(a / b);
  var r = fma(-q, b, a);
  let s = select(-1.0, 1.0, (a < 0.0) == (b < 0.0));
  if (r != 0.0 && (r < 0.0) != (a < 0.0)) { r = r + s * b; }
  if (abs(r) >= abs(b)) { r = r - s * b; }
  return r;
}
// Floor modulo (the divisor's sign).
fn mod_f(a: f32, b: f32) -> f32 {
  let r = fmod_f(a, b);
  if (r != 0.0 && (r < 0.0) != (b < 0.0)) { return r + b; }
  return r;
}
// floor(a / b) from the remainder, as CPython does.
fn floordiv_f(a: f32, b: f32) -> f32 {
  if (b == 0.0 || is_inf(a) || is_inf(b) || is_nan(a) || is_nan(b)) { return floor(div_f(a, b)); }
  let m = fmod_f(a, b);
  var d = (a - m) / b;
  if (m != 0.0 && (b < 0.0) != (m < 0.0)) { d = d - 1.0; }
  let f = floor(d);
  return select(f, f + 1.0, d - f > 0.5);
}
// int32 forms: 0 for a zero divisor; −2³¹ by −1 wraps.
fn fmod_i(a: i32, b: i32) -> i32 {
  if (b == 0 || b == -1) { return 0; }
  return a % b;
}
fn mod_i(a: i32, b: i32) -> i32 {
  let r = fmod_i(a, b);
  return select(r, r + b, r != 0 && (r < 0) != (b < 0));
}
fn floordiv_i(a: i32, b: i32) -> i32 {
  if (b == 0) { return 0; }
  if (b == -1) { return 0 - a; }
  let q = a / b;
  return select(q, q - 1, a % b != 0 && (a < 0) != (b < 0));
}
fn atan2_f(y: f32, x: f32) -> f32 {
  if (is_nan(x) || is_nan(y)) { return nan_f32(); }
  return atan2(y, x);
}
`;
