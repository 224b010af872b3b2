/**
 * The one definition of every elementwise unary op: which dtypes core sends it, its attribute, and
 * its scalar meaning in each language a backend computes in. Backends generate their kernels from
 * these forms (backend-js calls the TypeScript functions, backend-webgpu splices the WGSL into
 * shaders, backend-wasm's build generates its AssemblyScript dispatch from the AssemblyScript forms),
 * so adding an op here is the whole of a backend's work, and leaving a form out is a compile error.
 *
 * Conventions of the source forms:
 * - TypeScript `ts(x, alpha)`: evaluated in double precision, stored (rounded once) as float32.
 *   `tsInt(x)`: int32 in, int32 out, wrapping like C. `tsBool(x)`: 0/1 in, 0/1 out.
 * - WGSL `wgsl`: an f32 expression in `x: f32` and `alpha: f32`; `wgslInt`: an i32 expression in
 *   `x: i32`; `wgslBool`: a bool expression in `x: u32` (0 or 1). They may call the helpers of the
 *   webgpu backend's WGSL prelude (`erf_f`, `expm1_f`, `div_f`...).
 * - AssemblyScript `as`: an f32 expression in `x: f32`, `d: f64` (x widened) and `alpha: f32`; it may
 *   call the backend's `assembly/mathx.ts` helpers. `asVec`, where given, is the same op on four
 *   lanes: a v128 expression in `x: v128` and `alpha: f32`, bit-identical to `as` on each lane.
 * - `grad`, where given, is the op's derivative fused into one kernel (dx = dy · op'(x)): the same
 *   languages over `x`, `y` = op(x) and `dy` (see {@link UnaryGradForms}). Core's gradient rule then
 *   calls the backend's `unaryGrad` kernel once instead of composing the derivative from several ops.
 */
import type { DType } from '../../dtype.js';
import { erf, gelu, geluDerivative, roundHalfEven } from './scalar-math.js';

/**
 * A unary op's fused derivative: dx = dy · op'(x), one kernel over three float32 inputs of one shape.
 * The forms follow the forward forms' conventions, with `y` (the op's output) and `dy` (its cotangent)
 * beside `x`: `ts(x, y, dy, alpha)` in double precision, rounded once; `wgsl` an f32 expression in
 * `x`, `y`, `dy`, `alpha`; `as` an AssemblyScript f32 expression in `x`, `y`, `dy`, `d: f64` (x
 * widened) and `alpha: f32`; `asVec` the same on four lanes (v128 `x`, `y`, `dy`), bit-identical to
 * `as` on each lane.
 */
export interface UnaryGradForms {
  /** dx for one element, computed in double precision (the caller rounds it to float32). */
  readonly ts: (x: number, y: number, dy: number, alpha: number) => number;
  /** dx as a WGSL f32 expression in `x`, `y`, `dy` and `alpha`. */
  readonly wgsl: string;
  /** dx as an AssemblyScript f32 expression in `x`, `y`, `dy` (f32), `d` (f64) and `alpha` (f32). */
  readonly as: string;
  /** dx on four lanes: an AssemblyScript v128 expression in `x`, `y`, `dy` and `alpha: f32`. */
  readonly asVec?: string;
  /**
   * True when every form reads only `y` and `dy`, never `x`: the gradient rule then passes the output
   * in x's place, so a taped or compiled step need not keep the op's input alive for its backward pass
   * (PyTorch's relu, tanh and sigmoid likewise save only their result).
   */
  readonly fromOutput?: true;
}

/** The float32 forms every non-bool unary op has. */
export interface FloatUnaryForms {
  /** The op on one float32 value, computed in double precision (the caller rounds the result to float32). */
  readonly ts: (x: number, alpha: number) => number;
  /** The op as a WGSL f32 expression in `x` and `alpha`. */
  readonly wgsl: string;
  /** The op as an AssemblyScript f32 expression in `x: f32`, `d: f64` and `alpha: f32`. */
  readonly as: string;
  /** The op on four lanes: an AssemblyScript v128 expression in `x` and `alpha` (where SIMD pays). */
  readonly asVec?: string;
  /** The op reads `attrs.alpha`, defaulting to this value. */
  readonly alpha?: number;
  /** The op's derivative as one fused kernel, where the op has one (see {@link UnaryGradForms}). */
  readonly grad?: UnaryGradForms;
}

/** An op core only sends float32 inputs (float32 out). */
export interface FloatUnaryDef extends FloatUnaryForms {
  /** Which dtypes core sends: float32 only. */
  readonly input: 'float';
}

/** An op core sends float32 or int32 inputs; int32 in gives int32 out. */
export interface NumericUnaryDef extends FloatUnaryForms {
  /** Which dtypes core sends: float32 or int32. */
  readonly input: 'numeric';
  /** The op on one int32 value, wrapping like C. */
  readonly tsInt: (x: number) => number;
  /** The op as a WGSL i32 expression in `x`. */
  readonly wgslInt: string;
}

/** An op core sends bool inputs only (bool out). */
export interface BoolUnaryDef {
  /** Which dtypes core sends: bool only. */
  readonly input: 'bool';
  /** The op on one bool stored as 0 / 1, giving 0 / 1. */
  readonly tsBool: (x: number) => number;
  /** The op as a WGSL bool expression in `x: u32` (0 or 1). */
  readonly wgslBool: string;
}

/** The definition of one unary op; `input` says which dtypes core sends it. */
export type UnaryDef = FloatUnaryDef | NumericUnaryDef | BoolUnaryDef;

/** The float32 vector zero, spelled once for the SIMD forms below. */
const Z = 'f32x4.splat(0)';

/** The table as written; {@link UNARY_DEFS} is the same object under its documented type. */
const UNARY_TABLE = {
  neg: { input: 'numeric', ts: (x) => -x, tsInt: (x) => -x | 0, wgsl: '-x', wgslInt: '0 - x', as: '-x', asVec: 'f32x4.neg(x)' },
  abs: {
    input: 'numeric', ts: Math.abs, tsInt: (x) => Math.abs(x) | 0, wgsl: 'abs(x)', wgslInt: 'abs(x)',
    as: 'Mathf.abs(x)', asVec: 'f32x4.abs(x)',
  },
  // Keeps ±0 and NaN, like Math.sign.
  sign: {
    input: 'numeric', ts: Math.sign, tsInt: Math.sign, wgsl: 'select(select(x, -1.0, x < 0.0), 1.0, x > 0.0)',
    wgslInt: 'sign(x)', as: 'x > 0 ? <f32>1 : x < 0 ? <f32>-1 : x',
  },
  // float32 on wasm (expF: Cody-Waite reduction and a degree-7 polynomial, ~1 ulp), so softmax vectorises.
  exp: { input: 'float', ts: Math.exp, wgsl: 'exp(x)', as: 'expF(x)', asVec: 'expV(x)' },
  expm1: { input: 'float', ts: Math.expm1, wgsl: 'expm1_f(x)', as: '<f32>Math.expm1(d)' },
  log: { input: 'float', ts: Math.log, wgsl: 'log_f(x)', as: '<f32>Math.log(d)' },
  log1p: { input: 'float', ts: Math.log1p, wgsl: 'select(log1p_f(x), nan_f32(), x < -1.0)', as: '<f32>Math.log1p(d)' },
  sqrt: { input: 'float', ts: Math.sqrt, wgsl: 'sqrt_f(x)', as: 'Mathf.sqrt(x)', asVec: 'f32x4.sqrt(x)' },
  rsqrt: { input: 'float', ts: (x) => 1 / Math.sqrt(x), wgsl: 'div_f(1.0, sqrt_f(x))', as: '<f32>(1 / Math.sqrt(d))' },
  square: {
    input: 'numeric', ts: (x) => x * x, tsInt: (x) => Math.imul(x, x), wgsl: 'x * x', wgslInt: 'x * x',
    as: 'x * x', asVec: 'f32x4.mul(x, x)',
  },
  reciprocal: { input: 'float', ts: (x) => 1 / x, wgsl: 'div_f(1.0, x)', as: '<f32>1 / x', asVec: 'f32x4.div(f32x4.splat(1), x)' },
  sin: { input: 'float', ts: Math.sin, wgsl: 'sin_f(x)', as: '<f32>Math.sin(d)' },
  cos: { input: 'float', ts: Math.cos, wgsl: 'cos_f(x)', as: '<f32>Math.cos(d)' },
  tanh: {
    input: 'float', ts: Math.tanh, wgsl: 'tanh_f(x)', as: '<f32>Math.tanh(d)',
    grad: { ts: (_x, y, dy) => dy * (1 - y * y), wgsl: 'dy * (1.0 - y * y)', as: 'dy * (<f32>1 - y * y)', asVec: 'f32x4.mul(dy, f32x4.sub(f32x4.splat(1), f32x4.mul(y, y)))', fromOutput: true },
  },
  // 1 / (1 + e⁻ˣ), written per sign so that neither side overflows.
  sigmoid: {
    input: 'float', ts: (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
    wgsl: 'sigmoid_f(x)', as: '<f32>sigmoid(d)',
    grad: { ts: (_x, y, dy) => dy * (y * (1 - y)), wgsl: 'dy * (y * (1.0 - y))', as: 'dy * (y * (<f32>1 - y))', asVec: 'f32x4.mul(dy, f32x4.mul(y, f32x4.sub(f32x4.splat(1), y)))', fromOutput: true },
  },
  // `x <= 0 ? 0 : x` gives +0 for -0 (as NumPy and PyTorch) and lets NaN through. Its derivative reads the
  // output: y > 0 exactly where x > 0 (NaN and ±0 give 0 either way).
  relu: {
    input: 'numeric', ts: (x) => (x <= 0 ? 0 : x), tsInt: (x) => (x < 0 ? 0 : x), wgsl: 'select(x, 0.0, x <= 0.0)',
    wgslInt: 'max(x, 0)', as: 'x <= 0 ? <f32>0 : x', asVec: `v128.bitselect(${Z}, x, f32x4.le(x, ${Z}))`,
    grad: { ts: (_x, y, dy) => (y > 0 ? dy : 0), wgsl: 'select(0.0, dy, y > 0.0)', as: 'y > 0 ? dy : <f32>0', asVec: `v128.bitselect(dy, ${Z}, f32x4.gt(y, ${Z}))`, fromOutput: true },
  },
  relu6: {
    input: 'numeric', ts: (x) => (x <= 0 ? 0 : x > 6 ? 6 : x), tsInt: (x) => (x < 0 ? 0 : x > 6 ? 6 : x),
    wgsl: 'select(select(x, 6.0, x > 6.0), 0.0, x <= 0.0)', wgslInt: 'clamp(x, 0, 6)',
    as: 'x <= 0 ? <f32>0 : x > 6 ? <f32>6 : x',
    asVec: `v128.bitselect(f32x4.splat(6), v128.bitselect(${Z}, x, f32x4.le(x, ${Z})), f32x4.gt(x, f32x4.splat(6)))`,
  },
  leakyRelu: {
    input: 'float', alpha: 0.01, ts: (x, a) => (x > 0 ? x : a * x), wgsl: 'select(alpha * x, x, x > 0.0)',
    as: 'x > 0 ? x : <f32>(<f64>alpha * d)', asVec: `v128.bitselect(x, f32x4.mul(x, f32x4.splat(alpha)), f32x4.gt(x, ${Z}))`,
    grad: {
      ts: (x, _y, dy, a) => (x > 0 ? dy : dy * Math.fround(a)), wgsl: 'select(dy * alpha, dy, x > 0.0)', as: 'x > 0 ? dy : dy * alpha',
      asVec: `v128.bitselect(dy, f32x4.mul(dy, f32x4.splat(alpha)), f32x4.gt(x, ${Z}))`,
    },
  },
  elu: {
    input: 'float', alpha: 1, ts: (x, a) => (x > 0 ? x : a * Math.expm1(x)), wgsl: 'select(alpha * expm1_f(x), x, x > 0.0)',
    as: 'x > 0 ? x : <f32>(<f64>alpha * Math.expm1(d))',
    grad: {
      ts: (x, y, dy, a) => (x > 0 ? dy : dy * (y + Math.fround(a))), wgsl: 'select(dy * (y + alpha), dy, x > 0.0)',
      as: 'x > 0 ? dy : dy * (y + alpha)', asVec: `v128.bitselect(dy, f32x4.mul(dy, f32x4.add(y, f32x4.splat(alpha))), f32x4.gt(x, ${Z}))`,
    },
  },
  // On wasm in float32 (geluF: erfc from a fitted exponent polynomial, relative error ~2e-7 wherever the
  // result is a normal float), four lanes at a time. The derivative is Φ(x) + x·φ(x); ±∞ give 1 and 0.
  gelu: {
    input: 'float', ts: gelu, wgsl: 'gelu_f(x)', as: 'geluF(x)', asVec: 'geluV(x)',
    grad: {
      ts: (x, _y, dy) => dy * geluDerivative(x),
      wgsl: 'dy * (0.5 * erfc_f(-x * 0.7071067811865476) + clamp(x, -20.0, 20.0) * exp(-0.5 * x * x) * 0.3989422804014327)',
      as: 'dy * geluGradF(x, y)', asVec: 'f32x4.mul(dy, geluGradV(x, y))',
    },
  },
  erf: {
    input: 'float', ts: erf, wgsl: 'erf_f(x)', as: '<f32>erf(d)',
    grad: {
      ts: (x, _y, dy) => dy * (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x), wgsl: 'dy * (1.1283791670955126 * exp(-x * x))',
      as: 'dy * (<f32>1.1283791670955126 * expF(-(x * x)))', asVec: 'f32x4.mul(dy, f32x4.mul(f32x4.splat(1.1283791670955126), expV(f32x4.neg(f32x4.mul(x, x)))))',
    },
  },
  // log(1 + eˣ) = log1p(e^-|x|) + max(x, 0), stable on both sides.
  softplus: {
    input: 'float', ts: (x) => Math.log1p(Math.exp(-Math.abs(x))) + Math.max(x, 0),
    wgsl: 'select(log1p_f(exp(-abs(x))) + max(x, 0.0), x, is_nan(x))',
    as: '<f32>(Math.log1p(Math.exp(-Math.abs(d))) + Math.max(d, 0))',
    // dy · sigmoid(x), the sigmoid written per sign as in the forward.
    grad: {
      ts: (x, _y, dy) => dy * (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))), wgsl: 'dy * sigmoid_f(x)',
      as: '<f32>(<f64>dy * sigmoid(d))',
    },
  },
  floor: { input: 'float', ts: Math.floor, wgsl: 'floor(x)', as: 'Mathf.floor(x)', asVec: 'f32x4.floor(x)' },
  ceil: { input: 'float', ts: Math.ceil, wgsl: 'ceil(x)', as: 'Mathf.ceil(x)', asVec: 'f32x4.ceil(x)' },
  // Rounds toward zero (PyTorch's `trunc` / `fix`); −0.5 gives −0.
  trunc: { input: 'float', ts: Math.trunc, wgsl: 'trunc(x)', as: 'Mathf.trunc(x)', asVec: 'f32x4.trunc(x)' },
  // Ties to even (NumPy / PyTorch `round`).
  round: { input: 'float', ts: roundHalfEven, wgsl: 'round(x)', as: 'nearest<f32>(x)', asVec: 'f32x4.nearest(x)' },
  tan: { input: 'float', ts: Math.tan, wgsl: 'div_f(sin_f(x), cos_f(x))', as: '<f32>Math.tan(d)' },
  asin: { input: 'float', ts: Math.asin, wgsl: 'asin_f(x)', as: '<f32>Math.asin(d)' },
  acos: { input: 'float', ts: Math.acos, wgsl: 'acos_f(x)', as: '<f32>Math.acos(d)' },
  atan: { input: 'float', ts: Math.atan, wgsl: 'atan(x)', as: '<f32>Math.atan(d)' },
  sinh: { input: 'float', ts: Math.sinh, wgsl: 'sinh_f(x)', as: '<f32>Math.sinh(d)' },
  cosh: { input: 'float', ts: Math.cosh, wgsl: 'cosh_f(x)', as: '<f32>Math.cosh(d)' },
  asinh: { input: 'float', ts: Math.asinh, wgsl: 'asinh_f(x)', as: '<f32>Math.asinh(d)' },
  acosh: { input: 'float', ts: Math.acosh, wgsl: 'acosh_f(x)', as: '<f32>Math.acosh(d)' },
  atanh: { input: 'float', ts: Math.atanh, wgsl: 'atanh_f(x)', as: '<f32>Math.atanh(d)' },
  logicalNot: { input: 'bool', tsBool: (x) => (x === 0 ? 1 : 0), wgslBool: 'x == 0u' },
} as const satisfies Record<string, UnaryDef>;

/**
 * Elementwise unary kernels: the keys of {@link UNARY_DEFS}. The output has the input's shape; core
 * casts the input first, so a kernel only ever sees the dtypes its definition's `input` names.
 */
export type UnaryOp = keyof typeof UNARY_TABLE;

/** The definition kind of each op, from its `input`. */
type UnaryDefOf<K extends UnaryOp> = (typeof UNARY_TABLE)[K]['input'] extends 'bool' ? BoolUnaryDef
  : (typeof UNARY_TABLE)[K]['input'] extends 'numeric' ? NumericUnaryDef : FloatUnaryDef;

/** Every elementwise unary op's definition. The key order is the op's code in generated kernels. */
export const UNARY_DEFS: { readonly [K in UnaryOp]: UnaryDefOf<K> } = UNARY_TABLE;

/** The unary ops whose definition has a fused derivative ({@link UnaryGradForms}): what `unaryGrad` kernels take. */
export type UnaryGradOp = { [K in UnaryOp]: (typeof UNARY_TABLE)[K] extends { readonly grad: UnaryGradForms } ? K : never }[UnaryOp];

/** Every unary op name, in code order. */
export const UNARY_OPS = Object.keys(UNARY_TABLE) as UnaryOp[];

/** Every op of {@link UnaryGradOp}, in code order. */
export const UNARY_GRAD_OPS = UNARY_OPS.filter((op) => 'grad' in UNARY_TABLE[op]) as UnaryGradOp[];

/** The fused derivative forms of `op`. */
export function unaryGradForms(op: UnaryGradOp): UnaryGradForms {
  const def: FloatUnaryForms = UNARY_TABLE[op];
  return def.grad!;
}

/** The definition of `op`, widened to the {@link UnaryDef} union. */
export function unaryDef(op: UnaryOp): UnaryDef {
  return UNARY_DEFS[op];
}

/**
 * The dtype of `op`'s kernel for an input of `xDtype`: core casts the input to it, and the output has
 * it too. Bool ops compute in bool, int-capable ops keep int32, float16 stays float16, everything else
 * computes in float32.
 */
export function unaryKernelDtype(op: UnaryOp, xDtype: DType): DType {
  const def = unaryDef(op);
  if (def.input === 'bool') return 'bool';
  if (xDtype === 'float16') return 'float16';
  return def.input === 'numeric' && xDtype === 'int32' ? 'int32' : 'float32';
}
