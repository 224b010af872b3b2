import type { UnaryAttrs, UnaryGradOp, UnaryOp } from '../../backend/kernel-types.js';
import { add, div, greater, less, logicalAnd, mul, sub, where } from '../../ops/binary.js';
import { cos, cosh, neg, sign, sin, sinh, sqrt } from '../../ops/unary.js';
import { unaryGrad } from '../../ops/unary-grad.js';
import { unaryGradForms } from '../../ops/defs/index.js';
import type { Tensor } from '../../tensor.js';
import type { GradRule } from '../grad-attrs.js';

/** A unary rule written on x, y = op(x), dy and the op's attributes. */
function rule(f: (x: Tensor, y: Tensor, dy: Tensor, attrs: UnaryAttrs) => Tensor): GradRule<UnaryOp> {
  return (dy, { inputs: [x], output, attrs }) => [f(x!, output, dy, attrs)];
}

/**
 * The rule of an op with a fused derivative in its definition: one `unaryGrad` kernel. A derivative
 * written on the output alone (its forms' `fromOutput`) gets the output in x's place too, so
 * the backward pass does not read (and a compiled step need not keep) the op's input.
 */
function fused(op: UnaryGradOp): GradRule<UnaryOp> {
  if (unaryGradForms(op).fromOutput) return rule((_x, y, dy, attrs) => unaryGrad(op, y, y, dy, attrs));
  return rule((x, y, dy, attrs) => unaryGrad(op, x, y, dy, attrs));
}

/** The gradient of every unary op (null: none flows, as for the step functions and logicalNot). */
export const unaryRules: { readonly [op in UnaryOp]: GradRule<op> | null } = {
  neg: rule((_x, _y, dy) => mul(dy, -1)),
  abs: rule((x, _y, dy) => mul(dy, sign(x))),
  sign: null,
  exp: rule((_x, y, dy) => mul(dy, y)),
  expm1: rule((_x, y, dy) => mul(dy, add(y, 1))),
  log: rule((x, _y, dy) => div(dy, x)),
  log1p: rule((x, _y, dy) => div(dy, add(x, 1))),
  sqrt: rule((_x, y, dy) => div(dy, mul(y, 2))),
  rsqrt: rule((x, y, dy) => mul(dy, div(mul(y, -0.5), x))),
  square: rule((x, _y, dy) => mul(dy, mul(x, 2))),
  reciprocal: rule((_x, y, dy) => mul(dy, neg(mul(y, y)))),
  sin: rule((x, _y, dy) => mul(dy, cos(x))),
  cos: rule((x, _y, dy) => mul(dy, neg(sin(x)))),
  tanh: fused('tanh'),
  sigmoid: fused('sigmoid'),
  erf: fused('erf'),
  floor: null,
  ceil: null,
  trunc: null,
  round: null,
  relu: fused('relu'),
  relu6: rule((x, _y, dy) => where(logicalAnd(greater(x, 0), less(x, 6)), dy, 0)),
  leakyRelu: fused('leakyRelu'),
  elu: fused('elu'),
  softplus: fused('softplus'),
  gelu: fused('gelu'),
  tan: rule((_x, y, dy) => mul(dy, add(mul(y, y), 1))),
  asin: rule((x, _y, dy) => div(dy, sqrt(sub(1, mul(x, x))))),
  acos: rule((x, _y, dy) => neg(div(dy, sqrt(sub(1, mul(x, x)))))),
  atan: rule((x, _y, dy) => div(dy, add(mul(x, x), 1))),
  sinh: rule((x, _y, dy) => mul(dy, cosh(x))),
  cosh: rule((x, _y, dy) => mul(dy, sinh(x))),
  asinh: rule((x, _y, dy) => div(dy, sqrt(add(mul(x, x), 1)))),
  acosh: rule((x, _y, dy) => div(dy, sqrt(sub(mul(x, x), 1)))),
  atanh: rule((x, _y, dy) => div(dy, sub(1, mul(x, x)))),
  logicalNot: null,
};
