import type { UnaryAttrs, UnaryOp } from '../backend/kernel-types.js';
import { unaryKernelDtype } from './defs/unary-defs.js';
import { tidy } from '../engine/engine.js';
import { ArgumentError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { recordOp, type BackwardFn } from '../autograd/tape.js';
import { add, mul, div, sub, greater, less, logicalAnd, where } from './binary.js';
import { cast } from './cast.js';
import { expectTensor } from './convert.js';
import { runKernel } from './kernel-call.js';


/** The gradient of one unary op: given x, y = op(x) and dy, returns dx (or null when zero). */
type UnaryGrad = (x: Tensor, y: Tensor, dy: Tensor, attrs: UnaryAttrs) => Tensor | null;

function unary(op: UnaryOp, x: Tensor, attrs: UnaryAttrs, gradFn: UnaryGrad | null): Tensor {
  expectTensor(x, op, 'x');
  const outDtype = unaryKernelDtype(op, x.dtype);
  return tidy(() => {
    const input = x.dtype === outDtype ? x : cast(x, outDtype);
    const y = runKernel(op, [input], ['x'], input.shape, outDtype, (b, [r]) => b.unary(op, r!, outDtype, attrs));
    if (gradFn) {
      const backward: BackwardFn = (dy) => [gradFn(input, y, dy, attrs)];
      recordOp([input], y, backward);
    }
    return y;
  });
}

/** -x */
export const neg = (x: Tensor): Tensor => unary('neg', x, {}, (_x, _y, dy) => mul(dy, -1));
/** |x| */
export const abs = (x: Tensor): Tensor => unary('abs', x, {}, (xx, _y, dy) => mul(dy, sign(xx)));
/** -1, 0 or 1 by the sign of x. */
export const sign = (x: Tensor): Tensor => unary('sign', x, {}, () => null);
/** eˣ */
export const exp = (x: Tensor): Tensor => unary('exp', x, {}, (_x, y, dy) => mul(dy, y));
/** eˣ − 1, accurate near 0. */
export const expm1 = (x: Tensor): Tensor => unary('expm1', x, {}, (_x, y, dy) => mul(dy, add(y, 1)));
/** Natural logarithm. */
export const log = (x: Tensor): Tensor => unary('log', x, {}, (xx, _y, dy) => div(dy, xx));
/** log(1 + x), accurate near 0. */
export const log1p = (x: Tensor): Tensor => unary('log1p', x, {}, (xx, _y, dy) => div(dy, add(xx, 1)));
/** √x */
export const sqrt = (x: Tensor): Tensor => unary('sqrt', x, {}, (_x, y, dy) => div(dy, mul(y, 2)));
/** 1 / √x */
export const rsqrt = (x: Tensor): Tensor => unary('rsqrt', x, {}, (xx, y, dy) => mul(dy, div(mul(y, -0.5), xx)));
/** x² */
export const square = (x: Tensor): Tensor => unary('square', x, {}, (xx, _y, dy) => mul(dy, mul(xx, 2)));
/** 1 / x */
export const reciprocal = (x: Tensor): Tensor => unary('reciprocal', x, {}, (_x, y, dy) => mul(dy, neg(mul(y, y))));
/** sine */
export const sin = (x: Tensor): Tensor => unary('sin', x, {}, (xx, _y, dy) => mul(dy, cos(xx)));
/** cosine */
export const cos = (x: Tensor): Tensor => unary('cos', x, {}, (xx, _y, dy) => mul(dy, neg(sin(xx))));
/** Hyperbolic tangent. */
export const tanh = (x: Tensor): Tensor => unary('tanh', x, {}, (_x, y, dy) => mul(dy, sub(1, mul(y, y))));
/** 1 / (1 + e⁻ˣ), stable for large |x|. */
export const sigmoid = (x: Tensor): Tensor => unary('sigmoid', x, {}, (_x, y, dy) => mul(dy, mul(y, sub(1, y))));
/** The Gauss error function. */
export const erf = (x: Tensor): Tensor =>
  unary('erf', x, {}, (xx, _y, dy) => mul(dy, mul(exp(neg(mul(xx, xx))), 2 / Math.sqrt(Math.PI))));
/** Rounds down. No gradient. */
export const floor = (x: Tensor): Tensor => unary('floor', x, {}, () => null);
/** Rounds up. No gradient. */
export const ceil = (x: Tensor): Tensor => unary('ceil', x, {}, () => null);
/** Rounds to nearest, halves to even. No gradient. */
export const round = (x: Tensor): Tensor => unary('round', x, {}, () => null);
/** max(x, 0) */
export const relu = (x: Tensor): Tensor => unary('relu', x, {}, (xx, _y, dy) => where(greater(xx, 0), dy, 0));
/** min(max(x, 0), 6) */
export const relu6 = (x: Tensor): Tensor =>
  unary('relu6', x, {}, (xx, _y, dy) => where(logicalAnd(greater(xx, 0), less(xx, 6)), dy, 0));
/** log(1 + eˣ), computed stably. */
export const softplus = (x: Tensor): Tensor => unary('softplus', x, {}, (xx, _y, dy) => mul(dy, sigmoid(xx)));
/** GELU, exact form x·Φ(x) = 0.5·x·(1 + erf(x/√2)). */
export const gelu = (x: Tensor): Tensor =>
  unary('gelu', x, {}, (xx, _y, dy) => {
    const cdf = mul(add(erf(mul(xx, Math.SQRT1_2)), 1), 0.5);
    const pdf = mul(exp(mul(mul(xx, xx), -0.5)), 1 / Math.sqrt(2 * Math.PI));
    return mul(dy, add(cdf, mul(xx, pdf)));
  });
/** Logical not of a bool tensor (other dtypes: x == 0). */
export const logicalNot = (x: Tensor): Tensor => unary('logicalNot', x, {}, null);

function checkAlpha(op: string, alpha: number): void {
  if (typeof alpha !== 'number' || !Number.isFinite(alpha)) throw new ArgumentError(`${op}: alpha must be a finite number, got ${String(alpha)}`);
}

/** x for x > 0, alpha·x otherwise (alpha defaults to 0.01, as in PyTorch). */
export function leakyRelu(x: Tensor, alpha = 0.01): Tensor {
  checkAlpha('leakyRelu', alpha);
  return unary('leakyRelu', x, { alpha }, (xx, _y, dy) => where(greater(xx, 0), dy, mul(dy, alpha)));
}

/** x for x > 0, alpha·(eˣ − 1) otherwise. */
export function elu(x: Tensor, alpha = 1): Tensor {
  checkAlpha('elu', alpha);
  return unary('elu', x, { alpha }, (xx, y, dy) => where(greater(xx, 0), dy, mul(dy, add(y, alpha))));
}
