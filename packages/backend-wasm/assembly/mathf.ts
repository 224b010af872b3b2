// Float32 forms of exp and the exact GELU (and GELU's derivative), each written twice: on one f32 and
// on four lanes of a v128, with the same operations in the same order, so both give the same bits.
// They are what lets these ops run four lanes at a time instead of through the f64 scalar library.
//
// Polynomials are evaluated by Estrin's scheme (pairs, then pairs of pairs): half the dependency depth of
// Horner's rule, which left these loops waiting on latency rather than throughput.
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
const TINY: f32 = 1e-30;
const HUGE: f32 = 1e30;

// The vector constants, each splatted over four lanes, in memory: V8 builds a v128.const inside a loop
// from general registers (several instructions and register transfers per constant, dozens per element
// here), while a load from this table is one instruction. K(V_NAME) reads one.
const VTABLE: usize = memory.data<f32>([
  LOG2E, LOG2E, LOG2E, LOG2E, // LOG2E
  ROUNDER, ROUNDER, ROUNDER, ROUNDER, // ROUNDER
  LN2_HI, LN2_HI, LN2_HI, LN2_HI, // LN2_HI
  LN2_LO, LN2_LO, LN2_LO, LN2_LO, // LN2_LO
  EXP_MIN, EXP_MIN, EXP_MIN, EXP_MIN, // EXP_MIN
  EXP_MAX, EXP_MAX, EXP_MAX, EXP_MAX, // EXP_MAX
  INV_1, INV_1, INV_1, INV_1, // INV_1
  INV_2, INV_2, INV_2, INV_2, // INV_2
  INV_6, INV_6, INV_6, INV_6, // INV_6
  INV_24, INV_24, INV_24, INV_24, // INV_24
  INV_120, INV_120, INV_120, INV_120, // INV_120
  INV_720, INV_720, INV_720, INV_720, // INV_720
  INV_5040, INV_5040, INV_5040, INV_5040, // INV_5040
  P0, P0, P0, P0, // P0
  P1, P1, P1, P1, // P1
  P2, P2, P2, P2, // P2
  P3, P3, P3, P3, // P3
  P4, P4, P4, P4, // P4
  P5, P5, P5, P5, // P5
  P6, P6, P6, P6, // P6
  P7, P7, P7, P7, // P7
  P8, P8, P8, P8, // P8
  P9, P9, P9, P9, // P9
  SQRT1_2, SQRT1_2, SQRT1_2, SQRT1_2, // SQRT1_2
  INV_SQRT_2PI, INV_SQRT_2PI, INV_SQRT_2PI, INV_SQRT_2PI, // INV_SQRT_2PI
  NEG_MAX, NEG_MAX, NEG_MAX, NEG_MAX, // NEG_MAX
  GRAD_CLAMP, GRAD_CLAMP, GRAD_CLAMP, GRAD_CLAMP, // GRAD_CLAMP
  -GRAD_CLAMP, -GRAD_CLAMP, -GRAD_CLAMP, -GRAD_CLAMP, // NEG_GRAD_CLAMP
  TINY, TINY, TINY, TINY, // TINY
  HUGE, HUGE, HUGE, HUGE, // HUGE
  0.5, 0.5, 0.5, 0.5, // HALF
  1, 1, 1, 1, // ONE
  2, 2, 2, 2, // TWO
  0, 0, 0, 0, // ZERO
  -0.5, -0.5, -0.5, -0.5, // NEG_HALF
], 16);
const V_LOG2E: usize = 0;
const V_ROUNDER: usize = 16;
const V_LN2_HI: usize = 32;
const V_LN2_LO: usize = 48;
const V_EXP_MIN: usize = 64;
const V_EXP_MAX: usize = 80;
const V_INV_1: usize = 96;
const V_INV_2: usize = 112;
const V_INV_6: usize = 128;
const V_INV_24: usize = 144;
const V_INV_120: usize = 160;
const V_INV_720: usize = 176;
const V_INV_5040: usize = 192;
const V_P0: usize = 208;
const V_P1: usize = 224;
const V_P2: usize = 240;
const V_P3: usize = 256;
const V_P4: usize = 272;
const V_P5: usize = 288;
const V_P6: usize = 304;
const V_P7: usize = 320;
const V_P8: usize = 336;
const V_P9: usize = 352;
const V_SQRT1_2: usize = 368;
const V_INV_SQRT_2PI: usize = 384;
const V_NEG_MAX: usize = 400;
const V_GRAD_CLAMP: usize = 416;
const V_NEG_GRAD_CLAMP: usize = 432;
const V_TINY: usize = 448;
const V_HUGE: usize = 464;
const V_HALF: usize = 480;
const V_ONE: usize = 496;
const V_TWO: usize = 512;
const V_ZERO: usize = 528;
const V_NEG_HALF: usize = 544;
const VI_ROUNDER_BITS: usize = memory.data<i32>([ROUNDER_BITS, ROUNDER_BITS, ROUNDER_BITS, ROUNDER_BITS], 16);
const VI_127: usize = memory.data<i32>([127, 127, 127, 127], 16);

/** The splatted constant at byte offset `at` of the table. */
// @ts-ignore: decorator
@inline function K(at: usize): v128 {
  return v128.load(VTABLE + at);
}

/** x·hi + lo on four lanes (the scalar forms spell it `x * hi + lo`): the pairs of Estrin's scheme. */
// @ts-ignore: decorator
@inline function pair(x: v128, hi: usize, lo: usize): v128 {
  return f32x4.add(f32x4.mul(x, K(hi)), K(lo));
}

/**
 * x clamped to [lo, hi], NaN kept: the pseudo-min/max comparisons (`hi < x ? hi : x`), which are one
 * instruction on x86 where wasm's IEEE min/max are a sequence.
 */
// @ts-ignore: decorator
@inline function clampF(x: f32, lo: f32, hi: f32): f32 {
  const y = hi < x ? hi : x;
  return y < lo ? lo : y;
}

/** clampF on four lanes (f32x4.pmin / pmax), the bounds given as table offsets. */
// @ts-ignore: decorator
@inline function clampV(x: v128, lo: usize, hi: usize): v128 {
  return f32x4.pmax(f32x4.pmin(x, K(hi)), K(lo));
}

/** eˣ in float32. */
export function expF(x: f32): f32 {
  const c = clampF(x, EXP_MIN, EXP_MAX);
  const k = c * LOG2E + ROUNDER;
  const n = k - ROUNDER;
  const r = c - n * LN2_HI - n * LN2_LO;
  const r2 = r * r;
  const p = (r * INV_1 + INV_1 + r2 * (r * INV_6 + INV_2)) + r2 * r2 * (r * INV_120 + INV_24 + r2 * (r * INV_5040 + INV_720));
  const ni = reinterpret<i32>(k) - ROUNDER_BITS;
  const h = ni >> 1;
  return p * reinterpret<f32>((h + 127) << 23) * reinterpret<f32>((ni - h + 127) << 23);
}

/** expF on four lanes. */
// @ts-ignore: decorator
@inline export function expV(x: v128): v128 {
  const c = clampV(x, V_EXP_MIN, V_EXP_MAX);
  const k = f32x4.add(f32x4.mul(c, K(V_LOG2E)), K(V_ROUNDER));
  const n = f32x4.sub(k, K(V_ROUNDER));
  const r = f32x4.sub(f32x4.sub(c, f32x4.mul(n, K(V_LN2_HI))), f32x4.mul(n, K(V_LN2_LO)));
  const r2 = f32x4.mul(r, r);
  const p = f32x4.add(
    f32x4.add(pair(r, V_INV_1, V_INV_1), f32x4.mul(r2, pair(r, V_INV_6, V_INV_2))),
    f32x4.mul(f32x4.mul(r2, r2), f32x4.add(pair(r, V_INV_120, V_INV_24), f32x4.mul(r2, pair(r, V_INV_5040, V_INV_720)))),
  );
  const ni = i32x4.sub(k, v128.load(VI_ROUNDER_BITS));
  const h = i32x4.shr_s(ni, 1);
  const s1 = i32x4.shl(i32x4.add(h, v128.load(VI_127)), 23);
  const s2 = i32x4.shl(i32x4.add(i32x4.sub(ni, h), v128.load(VI_127)), 23);
  return f32x4.mul(f32x4.mul(p, s1), s2);
}

/** erfc(a) for a ≥ 0 (or NaN), in float32. */
function erfcPosF(a: f32): f32 {
  const t = <f32>1 / (<f32>1 + a * <f32>0.5);
  const t2 = t * t;
  const t4 = t2 * t2;
  const low = (t * P1 + P0 + t2 * (t * P3 + P2)) + t4 * (t * P5 + P4 + t2 * (t * P7 + P6));
  const q = low + t4 * t4 * (t * P9 + P8);
  return t * expF(q - a * a);
}

/** erfcPosF on four lanes. */
// @ts-ignore: decorator
@inline function erfcPosV(a: v128): v128 {
  const t = f32x4.div(K(V_ONE), f32x4.add(K(V_ONE), f32x4.mul(a, K(V_HALF))));
  const t2 = f32x4.mul(t, t);
  const t4 = f32x4.mul(t2, t2);
  const low = f32x4.add(
    f32x4.add(pair(t, V_P1, V_P0), f32x4.mul(t2, pair(t, V_P3, V_P2))),
    f32x4.mul(t4, f32x4.add(pair(t, V_P5, V_P4), f32x4.mul(t2, pair(t, V_P7, V_P6)))),
  );
  const q = f32x4.add(low, f32x4.mul(f32x4.mul(t4, t4), pair(t, V_P9, V_P8)));
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
  return (x < NEG_MAX ? NEG_MAX : x) * <f32>0.5 * twiceCdf(x, e);
}

/** geluF on four lanes. */
// @ts-ignore: decorator
@inline export function geluV(x: v128): v128 {
  const e = erfcPosV(f32x4.mul(f32x4.abs(x), K(V_SQRT1_2)));
  const c = v128.bitselect(f32x4.sub(K(V_TWO), e), e, f32x4.gt(x, K(V_ZERO)));
  return f32x4.mul(f32x4.mul(f32x4.pmax(x, K(V_NEG_MAX)), K(V_HALF)), c);
}

/**
 * GELU's derivative Φ(x) + x·φ(x) in float32, given y = gelu(x): Φ(x) is y / x (one division instead of a
 * second erfc), except at |x| < 1e-30 (0.5, where y lost x's low bits) and x > 1e30 (1, where ∞/∞
 * would be NaN); −∞ gives 0.
 */
export function geluGradF(x: f32, y: f32): f32 {
  const cdf = abs<f32>(x) < TINY ? <f32>0.5 : x > HUGE ? <f32>1 : y / x;
  const pdf = expF(x * x * <f32>-0.5) * INV_SQRT_2PI;
  return cdf + clampF(x, -GRAD_CLAMP, GRAD_CLAMP) * pdf;
}

/** geluGradF on four lanes. */
// @ts-ignore: decorator
@inline export function geluGradV(x: v128, y: v128): v128 {
  const ratio = v128.bitselect(K(V_ONE), f32x4.div(y, x), f32x4.gt(x, K(V_HUGE)));
  const cdf = v128.bitselect(K(V_HALF), ratio, f32x4.lt(f32x4.abs(x), K(V_TINY)));
  const pdf = f32x4.mul(expV(f32x4.mul(f32x4.mul(x, x), K(V_NEG_HALF))), K(V_INV_SQRT_2PI));
  const xc = clampV(x, V_NEG_GRAD_CLAMP, V_GRAD_CLAMP);
  return f32x4.add(cdf, f32x4.mul(xc, pdf));
}
