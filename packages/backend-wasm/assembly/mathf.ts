// Float32 forms of exp and the exact GELU (and GELU's derivative), each written twice: on one f32 and
// on four lanes of a v128, with the same operations in the same order, so both give the same bits.
// They are what lets these ops run four lanes at a time instead of through the f64 scalar library.
//
// expF: x = n·ln2 + r (Cody-Waite, |r| ≤ ln2/2), eʳ by its degree-7 Taylor polynomial, 2ⁿ applied as
// two powers of two built from exponent bits (so results in the subnormal range round once). Inputs
// are clamped to [-104, 89] first: beyond them the result is 0 or +∞ anyway, and NaN passes through.
// ~1 ulp over the normal range.
//
// erfc(a) for a ≥ 0 is t·exp(P(t) − a²) with t = 1 / (1 + a/2) and P a degree-9 polynomial fitted
// (Chebyshev interpolation in t ∈ [0, 1]) to log(erfcx(a) / t) from core's float64 erfc: relative
// error ~1.4e-7 in exact arithmetic, a few 1e-7 evaluated in float32, for every a (no branch, no table).
// GELU is then 0.5·x·erfc(−x/√2) = 0.5·x·(x > 0 ? 2 − e : e) with e = erfc(|x|/√2).

const LOG2E: f32 = 1.4426950408889634;
const LN2_HI: f32 = 0.693359375; // ln 2 to 9 bits: n·LN2_HI is exact for |n| < 2^15
const LN2_LO: f32 = -2.1219444005469057e-4; // ln 2 − LN2_HI
const ROUNDER: f32 = 12582912; // 1.5·2^23: adding it rounds to an integer held in the low mantissa bits
const ROUNDER_BITS: i32 = 0x4b400000;
const EXP_MIN: f32 = -104;
const EXP_MAX: f32 = 89;
const INV_1: f32 = 1;
const INV_2: f32 = 0.5;
const INV_6: f32 = 0.16666666666666666;
const INV_24: f32 = 0.041666666666666664;
const INV_120: f32 = 0.008333333333333333;
const INV_720: f32 = 0.001388888888888889;
const INV_5040: f32 = 1.984126984126984e-4;

// P(t), lowest degree first.
const P0: f32 = -1.2655123472213745;
const P1: f32 = 1.0000377893447876;
const P2: f32 = 0.3737148344516754;
const P3: f32 = 0.10065419971942902;
const P4: f32 = -0.20613956451416016;
const P5: f32 = 0.3360064625740051;
const P6: f32 = -1.2317614555358887;
const P7: f32 = 1.5835967063903809;
const P8: f32 = -0.8726416230201721;
const P9: f32 = 0.1820451021194458;

const SQRT1_2: f32 = 0.7071067811865476;
const INV_SQRT_2PI: f32 = 0.3989422804014327;
const NEG_MAX: f32 = -3.4028234663852886e38; // −∞·0 would be NaN: GELU's multiplier is clamped here
const GRAD_CLAMP: f32 = 20; // x·φ(x) is below 1e-85 beyond ±20: clamping keeps ±∞·0 out

/** eˣ in float32. */
export function expF(x: f32): f32 {
  const c = min<f32>(max<f32>(x, EXP_MIN), EXP_MAX);
  const k = c * LOG2E + ROUNDER;
  const n = k - ROUNDER;
  const r = c - n * LN2_HI - n * LN2_LO;
  let p = INV_5040;
  p = p * r + INV_720;
  p = p * r + INV_120;
  p = p * r + INV_24;
  p = p * r + INV_6;
  p = p * r + INV_2;
  p = p * r + INV_1;
  p = p * r + INV_1;
  const ni = reinterpret<i32>(k) - ROUNDER_BITS;
  const h = ni >> 1;
  return p * reinterpret<f32>((h + 127) << 23) * reinterpret<f32>((ni - h + 127) << 23);
}

/** expF on four lanes. */
// @ts-ignore: decorator
@inline export function expV(x: v128): v128 {
  const c = f32x4.min(f32x4.max(x, f32x4.splat(EXP_MIN)), f32x4.splat(EXP_MAX));
  const k = f32x4.add(f32x4.mul(c, f32x4.splat(LOG2E)), f32x4.splat(ROUNDER));
  const n = f32x4.sub(k, f32x4.splat(ROUNDER));
  const r = f32x4.sub(f32x4.sub(c, f32x4.mul(n, f32x4.splat(LN2_HI))), f32x4.mul(n, f32x4.splat(LN2_LO)));
  let p = f32x4.splat(INV_5040);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(INV_720));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(INV_120));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(INV_24));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(INV_6));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(INV_2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(INV_1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(INV_1));
  const ni = i32x4.sub(k, i32x4.splat(ROUNDER_BITS));
  const h = i32x4.shr_s(ni, 1);
  const s1 = i32x4.shl(i32x4.add(h, i32x4.splat(127)), 23);
  const s2 = i32x4.shl(i32x4.add(i32x4.sub(ni, h), i32x4.splat(127)), 23);
  return f32x4.mul(f32x4.mul(p, s1), s2);
}

/** erfc(a) for a ≥ 0 (or NaN), in float32. */
function erfcPosF(a: f32): f32 {
  const t = <f32>1 / (<f32>1 + a * <f32>0.5);
  let q = P9;
  q = q * t + P8;
  q = q * t + P7;
  q = q * t + P6;
  q = q * t + P5;
  q = q * t + P4;
  q = q * t + P3;
  q = q * t + P2;
  q = q * t + P1;
  q = q * t + P0;
  return t * expF(q - a * a);
}

/** erfcPosF on four lanes. */
// @ts-ignore: decorator
@inline function erfcPosV(a: v128): v128 {
  const t = f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), f32x4.mul(a, f32x4.splat(0.5))));
  let q = f32x4.splat(P9);
  q = f32x4.add(f32x4.mul(q, t), f32x4.splat(P8));
  q = f32x4.add(f32x4.mul(q, t), f32x4.splat(P7));
  q = f32x4.add(f32x4.mul(q, t), f32x4.splat(P6));
  q = f32x4.add(f32x4.mul(q, t), f32x4.splat(P5));
  q = f32x4.add(f32x4.mul(q, t), f32x4.splat(P4));
  q = f32x4.add(f32x4.mul(q, t), f32x4.splat(P3));
  q = f32x4.add(f32x4.mul(q, t), f32x4.splat(P2));
  q = f32x4.add(f32x4.mul(q, t), f32x4.splat(P1));
  q = f32x4.add(f32x4.mul(q, t), f32x4.splat(P0));
  return f32x4.mul(t, expV(f32x4.sub(q, f32x4.mul(a, a))));
}

/** 2·Φ(x) = erfc(−x/√2), from e = erfc(|x|/√2). */
// @ts-ignore: decorator
@inline function twiceCdf(x: f32, e: f32): f32 {
  return x > 0 ? <f32>2 - e : e;
}

/** The exact GELU 0.5·x·erfc(−x/√2) in float32. */
export function geluF(x: f32): f32 {
  const e = erfcPosF(abs<f32>(x) * SQRT1_2);
  return max<f32>(x, NEG_MAX) * <f32>0.5 * twiceCdf(x, e);
}

/** geluF on four lanes. */
// @ts-ignore: decorator
@inline export function geluV(x: v128): v128 {
  const e = erfcPosV(f32x4.mul(f32x4.abs(x), f32x4.splat(SQRT1_2)));
  const c = v128.bitselect(f32x4.sub(f32x4.splat(2), e), e, f32x4.gt(x, f32x4.splat(0)));
  return f32x4.mul(f32x4.mul(f32x4.max(x, f32x4.splat(NEG_MAX)), f32x4.splat(0.5)), c);
}

/** GELU's derivative Φ(x) + x·φ(x) in float32 (±∞ give 1 and 0). */
export function geluGradF(x: f32): f32 {
  const a = abs<f32>(x) * SQRT1_2;
  const cdf = twiceCdf(x, erfcPosF(a)) * <f32>0.5;
  const pdf = expF(-(a * a)) * INV_SQRT_2PI;
  return cdf + min<f32>(max<f32>(x, -GRAD_CLAMP), GRAD_CLAMP) * pdf;
}

/** geluGradF on four lanes. */
// @ts-ignore: decorator
@inline export function geluGradV(x: v128): v128 {
  const a = f32x4.mul(f32x4.abs(x), f32x4.splat(SQRT1_2));
  const e = erfcPosV(a);
  const cdf = f32x4.mul(v128.bitselect(f32x4.sub(f32x4.splat(2), e), e, f32x4.gt(x, f32x4.splat(0))), f32x4.splat(0.5));
  const pdf = f32x4.mul(expV(f32x4.neg(f32x4.mul(a, a))), f32x4.splat(INV_SQRT_2PI));
  const xc = f32x4.min(f32x4.max(x, f32x4.splat(-GRAD_CLAMP)), f32x4.splat(GRAD_CLAMP));
  return f32x4.add(cdf, f32x4.mul(xc, pdf));
}
