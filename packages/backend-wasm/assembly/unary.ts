// Elementwise float32 unary kernels over a flat range [start, end). The cheap ops run four lanes at a
// time; transcendental ones go through double precision and round once, like the JS backend.
import { erf, gelu } from './mathx';
import { at } from './simd';

export const U_NEG = 0, U_ABS = 1, U_SIGN = 2, U_EXP = 3, U_EXPM1 = 4, U_LOG = 5, U_LOG1P = 6, U_SQRT = 7;
export const U_RSQRT = 8, U_SQUARE = 9, U_RECIPROCAL = 10, U_SIN = 11, U_COS = 12, U_TANH = 13, U_SIGMOID = 14;
export const U_RELU = 15, U_RELU6 = 16, U_LEAKY = 17, U_ELU = 18, U_GELU = 19, U_ERF = 20, U_SOFTPLUS = 21;
export const U_FLOOR = 22, U_CEIL = 23, U_ROUND = 24;

// @ts-ignore: decorator
@inline function sigmoid(v: f64): f64 {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

// @ts-ignore: decorator
@inline function scalarOp(op: i32, x: f32, alpha: f32): f32 {
  const d = <f64>x;
  switch (op) {
    case U_NEG: return -x;
    case U_ABS: return Mathf.abs(x);
    case U_SIGN: return x > 0 ? 1 : x < 0 ? -1 : x; // keeps ±0 and NaN
    case U_EXP: return <f32>Math.exp(d);
    case U_EXPM1: return <f32>Math.expm1(d);
    case U_LOG: return <f32>Math.log(d);
    case U_LOG1P: return <f32>Math.log1p(d);
    case U_SQRT: return Mathf.sqrt(x);
    case U_RSQRT: return <f32>(1 / Math.sqrt(d));
    case U_SQUARE: return x * x;
    case U_RECIPROCAL: return <f32>1 / x;
    case U_SIN: return <f32>Math.sin(d);
    case U_COS: return <f32>Math.cos(d);
    case U_TANH: return <f32>Math.tanh(d);
    case U_SIGMOID: return <f32>sigmoid(d);
    case U_RELU: return x < 0 ? 0 : x;
    case U_RELU6: return x < 0 ? 0 : x > 6 ? 6 : x;
    case U_LEAKY: return x > 0 ? x : <f32>(<f64>alpha * d);
    case U_ELU: return x > 0 ? x : <f32>(<f64>alpha * Math.expm1(d));
    case U_GELU: return <f32>gelu(d);
    case U_ERF: return <f32>erf(d);
    case U_SOFTPLUS: return <f32>(Math.log1p(Math.exp(-Math.abs(d))) + Math.max(d, 0));
    case U_FLOOR: return Mathf.floor(x);
    case U_CEIL: return Mathf.ceil(x);
    default: return nearest<f32>(x); // U_ROUND: ties to even
  }
}

// @ts-ignore: decorator
@inline function vectorOp(op: i32, x: v128, alpha: f32): v128 {
  const zero = f32x4.splat(0);
  switch (op) {
    case U_NEG: return f32x4.neg(x);
    case U_ABS: return f32x4.abs(x);
    case U_SQRT: return f32x4.sqrt(x);
    case U_SQUARE: return f32x4.mul(x, x);
    case U_RECIPROCAL: return f32x4.div(f32x4.splat(1), x);
    // relu keeps NaN (x < 0 is false for NaN) like the scalar form
    case U_RELU: return v128.bitselect(zero, x, f32x4.lt(x, zero));
    case U_RELU6: {
      const six = f32x4.splat(6);
      const r = v128.bitselect(zero, x, f32x4.lt(x, zero));
      return v128.bitselect(six, r, f32x4.gt(r, six));
    }
    case U_LEAKY: return v128.bitselect(x, f32x4.mul(x, f32x4.splat(alpha)), f32x4.gt(x, zero));
    case U_FLOOR: return f32x4.floor(x);
    case U_CEIL: return f32x4.ceil(x);
    default: return f32x4.nearest(x);
  }
}

// @ts-ignore: decorator
@inline function isVector(op: i32): bool {
  return op == U_NEG || op == U_ABS || op == U_SQRT || op == U_SQUARE || op == U_RECIPROCAL || op == U_RELU ||
    op == U_RELU6 || op == U_LEAKY || op == U_FLOOR || op == U_CEIL || op == U_ROUND;
}

// @ts-ignore: decorator
@inline function loop(op: i32, x: usize, out: usize, start: i32, end: i32, alpha: f32): void {
  let i = start;
  if (ASC_FEATURE_SIMD && isVector(op)) {
    for (; i + 4 <= end; i += 4) v128.store(at(out, i), vectorOp(op, v128.load(at(x, i)), alpha));
  }
  for (; i < end; i++) store<f32>(at(out, i), scalarOp(op, load<f32>(at(x, i)), alpha));
}

/** out[i] = op(x[i]) for i in [start, end); `alpha` is leakyRelu's slope / elu's scale. */
export function unary(op: i32, x: usize, out: usize, start: i32, end: i32, alpha: f32): void {
  switch (op) {
    case U_NEG: loop(U_NEG, x, out, start, end, alpha); break;
    case U_ABS: loop(U_ABS, x, out, start, end, alpha); break;
    case U_SIGN: loop(U_SIGN, x, out, start, end, alpha); break;
    case U_EXP: loop(U_EXP, x, out, start, end, alpha); break;
    case U_EXPM1: loop(U_EXPM1, x, out, start, end, alpha); break;
    case U_LOG: loop(U_LOG, x, out, start, end, alpha); break;
    case U_LOG1P: loop(U_LOG1P, x, out, start, end, alpha); break;
    case U_SQRT: loop(U_SQRT, x, out, start, end, alpha); break;
    case U_RSQRT: loop(U_RSQRT, x, out, start, end, alpha); break;
    case U_SQUARE: loop(U_SQUARE, x, out, start, end, alpha); break;
    case U_RECIPROCAL: loop(U_RECIPROCAL, x, out, start, end, alpha); break;
    case U_SIN: loop(U_SIN, x, out, start, end, alpha); break;
    case U_COS: loop(U_COS, x, out, start, end, alpha); break;
    case U_TANH: loop(U_TANH, x, out, start, end, alpha); break;
    case U_SIGMOID: loop(U_SIGMOID, x, out, start, end, alpha); break;
    case U_RELU: loop(U_RELU, x, out, start, end, alpha); break;
    case U_RELU6: loop(U_RELU6, x, out, start, end, alpha); break;
    case U_LEAKY: loop(U_LEAKY, x, out, start, end, alpha); break;
    case U_ELU: loop(U_ELU, x, out, start, end, alpha); break;
    case U_GELU: loop(U_GELU, x, out, start, end, alpha); break;
    case U_ERF: loop(U_ERF, x, out, start, end, alpha); break;
    case U_SOFTPLUS: loop(U_SOFTPLUS, x, out, start, end, alpha); break;
    case U_FLOOR: loop(U_FLOOR, x, out, start, end, alpha); break;
    case U_CEIL: loop(U_CEIL, x, out, start, end, alpha); break;
    default: loop(U_ROUND, x, out, start, end, alpha);
  }
}
