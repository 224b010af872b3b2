import { fromFn, storeAs, type NDArray, type RefDType } from './ndarray.js';
import { erf, gelu, roundHalfEven, sigmoid, softplus } from './special.js';

export type RefUnaryOp =
  | 'neg' | 'abs' | 'sign' | 'square' | 'relu' | 'relu6' | 'exp' | 'expm1' | 'log' | 'log1p' | 'sqrt' | 'rsqrt'
  | 'reciprocal' | 'sin' | 'cos' | 'tanh' | 'sigmoid' | 'erf' | 'floor' | 'ceil' | 'trunc' | 'round' | 'softplus' | 'gelu'
  | 'leakyRelu' | 'elu' | 'logicalNot' | 'tan' | 'asin' | 'acos' | 'atan' | 'sinh' | 'cosh' | 'asinh' | 'acosh' | 'atanh';

/** Ops that keep an int32 input int32; every other op (except logicalNot) works in float32. */
const INT_PRESERVING = new Set<RefUnaryOp>(['neg', 'abs', 'sign', 'square', 'relu', 'relu6']);

const FNS: Record<Exclude<RefUnaryOp, 'leakyRelu' | 'elu' | 'logicalNot'>, (x: number) => number> = {
  neg: (x) => -x,
  abs: (x) => Math.abs(x),
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : NaN),
  square: (x) => x * x,
  relu: (x) => (x > 0 ? x : 0),
  relu6: (x) => (x < 0 ? 0 : x > 6 ? 6 : x),
  exp: Math.exp,
  expm1: Math.expm1,
  log: Math.log,
  log1p: Math.log1p,
  sqrt: Math.sqrt,
  rsqrt: (x) => 1 / Math.sqrt(x),
  reciprocal: (x) => 1 / x,
  sin: Math.sin,
  cos: Math.cos,
  tanh: Math.tanh,
  sigmoid,
  erf,
  floor: Math.floor,
  ceil: Math.ceil,
  trunc: Math.trunc,
  round: roundHalfEven,
  softplus,
  gelu,
  tan: Math.tan,
  asin: Math.asin,
  acos: Math.acos,
  atan: Math.atan,
  sinh: Math.sinh,
  cosh: Math.cosh,
  asinh: Math.asinh,
  acosh: Math.acosh,
  atanh: Math.atanh,
};

/** The result dtype of a unary op on an input dtype. */
export function unaryDType(op: RefUnaryOp, dtype: RefDType): RefDType {
  if (op === 'logicalNot') return 'bool';
  if (dtype === 'int32' && INT_PRESERVING.has(op)) return 'int32';
  return 'float32';
}

/** Applies a unary op elementwise; `alpha` is leakyRelu's slope (default 0.01) or elu's scale (default 1). */
export function refUnary(op: RefUnaryOp, x: NDArray, alpha?: number): NDArray {
  const dtype = unaryDType(op, x.dtype);
  let f: (v: number) => number;
  if (op === 'logicalNot') f = (v) => (v === 0 ? 1 : 0);
  else if (op === 'leakyRelu') {
    const a = alpha ?? 0.01;
    f = (v) => (v > 0 ? v : a * v);
  } else if (op === 'elu') {
    const a = alpha ?? 1;
    f = (v) => (v > 0 ? v : a * Math.expm1(v));
  } else if (dtype === 'int32' && op === 'square') f = (v) => Math.imul(v, v);
  else f = FNS[op];
  return fromFn(x.shape, dtype, (i) => storeAs(f(x.data[i]!), dtype));
}
