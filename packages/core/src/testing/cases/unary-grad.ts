import * as sn from '../../index.js';
import type { Tensor } from '../../index.js';
import { refUnaryGrad, type RefUnaryGradOp } from '../reference/unary-grad.js';
import { f32 } from './helpers.js';
import type { ConformanceCase, Gen } from './types.js';

/**
 * The fused unary derivative kernels (`unaryGrad`, from the `grad` forms of core's unary table), compared
 * with each op's float64 derivative: the gradient of Σ op(x)·dy with respect to x is dy·op'(x). A length
 * of 259 runs both the four-lane loop and its scalar tail on SIMD backends; hand-picked values cover the
 * tails, the saturated regions and GELU's zero of the derivative.
 */
const SPECS: readonly { op: RefUnaryGradOp; run: (x: Tensor) => Tensor; gen: Gen; special: readonly number[]; alpha?: number }[] = [
  { op: 'gelu', run: sn.gelu, gen: { min: -6, max: 6 }, special: [-30, -12, -5, -0.7517916, -1e-3, 0, 1e-3, 2, 5.5, 12, 30] },
  { op: 'erf', run: sn.erf, gen: { min: -3, max: 3 }, special: [-12, -4, -1e-3, 0, 0.5, 4, 12] },
  { op: 'sigmoid', run: sn.sigmoid, gen: { min: -8, max: 8 }, special: [-40, -10, 0, 10, 40] },
  { op: 'tanh', run: sn.tanh, gen: 'uniform', special: [-20, -3, 0, 1e-4, 3, 20] },
  { op: 'softplus', run: sn.softplus, gen: { min: -10, max: 10 }, special: [-100, -20, 0, 20, 100] },
  { op: 'relu', run: sn.relu, gen: 'awayFromZero', special: [-3, -1e-3, 1e-3, 3] },
  { op: 'leakyRelu', run: (x) => sn.leakyRelu(x, 0.2), gen: 'awayFromZero', special: [-3, -1e-3, 1e-3, 3], alpha: 0.2 },
  { op: 'elu', run: (x) => sn.elu(x, 0.5), gen: 'awayFromZero', special: [-30, -3, -1e-3, 1e-3, 3], alpha: 0.5 },
];

function cases(s: (typeof SPECS)[number]): ConformanceCase[] {
  const run = (x: Tensor, dy: Tensor): Tensor => sn.grad((t) => sn.sum(sn.mul(s.run(t), dy)))(x)[0]!;
  const base = { kind: 'compare' as const, op: s.op, run, ref: (x: Parameters<typeof refUnaryGrad>[1], dy: Parameters<typeof refUnaryGrad>[2]) => refUnaryGrad(s.op, x, dy, s.alpha) };
  return [
    { ...base, name: 'fused gradient vs the float64 derivative [259]', inputs: [f32([259], s.gen), f32([259], 'normal')] },
    { ...base, name: 'fused gradient at hand-picked values', inputs: [f32([s.special.length], { values: s.special }), f32([s.special.length], 'normal')] },
  ];
}

/** Cases of the fused unary gradients. */
export const unaryGradCases: readonly ConformanceCase[] = SPECS.flatMap(cases);
