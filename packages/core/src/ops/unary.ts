import type { UnaryAttrs, UnaryOp } from '../backend/kernel-types.js';
import { unaryKernelDtype } from './defs/unary-defs.js';
import { tidy } from '../engine/engine.js';
import { ArgumentError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { recordOp } from '../autograd/tape.js';
import { cast } from './cast.js';
import { expectTensor } from './convert.js';
import { runKernel } from './kernel-call.js';


/** Runs a unary kernel and records it for autodiff (its gradient rule is in autograd/rules/unary.ts). */
function unary(op: UnaryOp, x: Tensor, attrs: UnaryAttrs = {}): Tensor {
  expectTensor(x, op, 'x');
  const outDtype = unaryKernelDtype(op, x.dtype);
  return tidy(() => {
    const input = x.dtype === outDtype ? x : cast(x, outDtype);
    const y = runKernel(op, [input], ['x'], input.shape, outDtype, (b, [r]) => b.unary(op, r!, outDtype, attrs));
    recordOp(op, [input], y, attrs);
    return y;
  });
}

/** -x */
export const neg = (x: Tensor): Tensor => unary('neg', x);
/** |x| */
export const abs = (x: Tensor): Tensor => unary('abs', x);
/** -1, 0 or 1 by the sign of x. */
export const sign = (x: Tensor): Tensor => unary('sign', x);
/** eˣ */
export const exp = (x: Tensor): Tensor => unary('exp', x);
/** eˣ − 1, accurate near 0. */
export const expm1 = (x: Tensor): Tensor => unary('expm1', x);
/** Natural logarithm. */
export const log = (x: Tensor): Tensor => unary('log', x);
/** log(1 + x), accurate near 0. */
export const log1p = (x: Tensor): Tensor => unary('log1p', x);
/** √x */
export const sqrt = (x: Tensor): Tensor => unary('sqrt', x);
/** 1 / √x */
export const rsqrt = (x: Tensor): Tensor => unary('rsqrt', x);
/** x² */
export const square = (x: Tensor): Tensor => unary('square', x);
/** 1 / x */
export const reciprocal = (x: Tensor): Tensor => unary('reciprocal', x);
/** sine */
export const sin = (x: Tensor): Tensor => unary('sin', x);
/** cosine */
export const cos = (x: Tensor): Tensor => unary('cos', x);
/** Hyperbolic tangent. */
export const tanh = (x: Tensor): Tensor => unary('tanh', x);
/** 1 / (1 + e⁻ˣ), stable for large |x|. */
export const sigmoid = (x: Tensor): Tensor => unary('sigmoid', x);
/** The Gauss error function. */
export const erf = (x: Tensor): Tensor => unary('erf', x);
/** Rounds down. No gradient. */
export const floor = (x: Tensor): Tensor => unary('floor', x);
/** Rounds up. No gradient. */
export const ceil = (x: Tensor): Tensor => unary('ceil', x);
/** Rounds toward zero (PyTorch's `trunc`). No gradient. */
export const trunc = (x: Tensor): Tensor => unary('trunc', x);
/** Rounds to nearest, halves to even. No gradient. */
export const round = (x: Tensor): Tensor => unary('round', x);
/** max(x, 0) */
export const relu = (x: Tensor): Tensor => unary('relu', x);
/** min(max(x, 0), 6) */
export const relu6 = (x: Tensor): Tensor => unary('relu6', x);
/** log(1 + eˣ), computed stably. */
export const softplus = (x: Tensor): Tensor => unary('softplus', x);
/** GELU, exact form x·Φ(x) = 0.5·x·(1 + erf(x/√2)). */
export const gelu = (x: Tensor): Tensor => unary('gelu', x);
/** Tangent. */
export const tan = (x: Tensor): Tensor => unary('tan', x);
/** Arcsine, in [−π/2, π/2]; NaN outside [−1, 1]. */
export const asin = (x: Tensor): Tensor => unary('asin', x);
/** Arccosine, in [0, π]; NaN outside [−1, 1]. */
export const acos = (x: Tensor): Tensor => unary('acos', x);
/** Arctangent, in (−π/2, π/2). */
export const atan = (x: Tensor): Tensor => unary('atan', x);
/** Hyperbolic sine. */
export const sinh = (x: Tensor): Tensor => unary('sinh', x);
/** Hyperbolic cosine. */
export const cosh = (x: Tensor): Tensor => unary('cosh', x);
/** Inverse hyperbolic sine. */
export const asinh = (x: Tensor): Tensor => unary('asinh', x);
/** Inverse hyperbolic cosine; NaN below 1. */
export const acosh = (x: Tensor): Tensor => unary('acosh', x);
/** Inverse hyperbolic tangent; ±Infinity at ±1, NaN outside [−1, 1]. */
export const atanh = (x: Tensor): Tensor => unary('atanh', x);
/** Logical not of a bool tensor (other dtypes: x == 0). */
export const logicalNot = (x: Tensor): Tensor => unary('logicalNot', x);

function checkAlpha(op: string, alpha: number): void {
  if (typeof alpha !== 'number' || !Number.isFinite(alpha)) throw new ArgumentError(`${op}: alpha must be a finite number, got ${String(alpha)}`);
}

/** x for x > 0, alpha·x otherwise (alpha defaults to 0.01, as in PyTorch). */
export function leakyRelu(x: Tensor, alpha = 0.01): Tensor {
  checkAlpha('leakyRelu', alpha);
  return unary('leakyRelu', x, { alpha });
}

/** x for x > 0, alpha·(eˣ − 1) otherwise. */
export function elu(x: Tensor, alpha = 1): Tensor {
  checkAlpha('elu', alpha);
  return unary('elu', x, { alpha });
}
