import * as sn from '../../index.js';
import type { Tensor } from '../../index.js';
import {
  refActivation, refDivNoNan, refLerp, refLogicalXor, refPredicate, refPrelu, refSquaredDifference, type RefActivation,
} from '../reference/composites.js';
import { nd, type NDArray } from '../reference/ndarray.js';
import { bool, f32, i32 } from './helpers.js';
import type { ConformanceCase, Gen } from './types.js';

/** Activations composed in core: each on plain, transposed and tail values, with gradients off their kinks. */
const ACTIVATIONS: [RefActivation, (x: Tensor) => Tensor, Gen][] = [
  ['logSigmoid', sn.logSigmoid, { min: -8, max: 8 }],
  ['selu', sn.selu, 'awayFromZero'],
  ['hardSigmoid', sn.hardSigmoid, { min: -5, max: 5, avoid: [-3, 3] }],
  ['hardSwish', sn.hardSwish, { min: -5, max: 5, avoid: [-3, 3] }],
  ['silu', sn.silu, { min: -6, max: 6 }],
  ['mish', sn.mish, { min: -6, max: 6 }],
];

const activationCases: ConformanceCase[] = ACTIVATIONS.flatMap(([op, run, gen]): ConformanceCase[] => {
  const ref = (x: NDArray) => refActivation(op, x);
  return [
    { kind: 'compare', op, name: 'float32 [3,5]', inputs: [f32([3, 5], gen)], run, ref, grad: true },
    { kind: 'compare', op, name: 'transposed view [4,7]', inputs: [f32([4, 7], gen, 'transposed')], run, ref },
    { kind: 'compare', op, name: 'tails ±30 and 0', inputs: [f32([3], { values: [-30, 30, 0] })], run, ref },
  ];
});

const swishCase: ConformanceCase = {
  kind: 'compare', op: 'swish', name: 'is silu', inputs: [f32([2, 6], { min: -6, max: 6 })],
  run: sn.swish, ref: (x: NDArray) => refActivation('silu', x), grad: true,
};

const preluCases: ConformanceCase[] = [
  {
    kind: 'compare', op: 'prelu', name: 'per-channel alpha [3,1,1] over [2,3,2,2]', grad: true,
    inputs: [f32([2, 3, 2, 2], 'awayFromZero'), f32([3, 1, 1], 'unit')],
    run: (x: Tensor, a: Tensor) => sn.prelu(x, a), ref: refPrelu,
  },
  {
    kind: 'compare', op: 'prelu', name: 'number alpha', inputs: [f32([4, 3], 'awayFromZero')],
    run: (x: Tensor) => sn.prelu(x, 0.25), ref: (x: NDArray) => refPrelu(x, nd([], [0.25])),
  },
];

const arithmeticCases: ConformanceCase[] = [
  {
    kind: 'compare', op: 'squaredDifference', name: 'broadcast [3,4] and [4]', grad: true,
    inputs: [f32([3, 4]), f32([4])], run: (a: Tensor, b: Tensor) => sn.squaredDifference(a, b), ref: refSquaredDifference,
  },
  {
    kind: 'compare', op: 'divNoNan', name: 'zero divisors give 0, with finite gradients', grad: [0],
    inputs: [f32([2, 4]), f32([4], { values: [0, 2, -0.5, 0] })],
    run: (a: Tensor, b: Tensor) => sn.divNoNan(a, b), ref: refDivNoNan,
  },
  {
    kind: 'compare', op: 'divNoNan', name: 'no zeros: plain division', grad: true,
    inputs: [f32([3, 2]), f32([3, 2], 'awayFromZero')], run: (a: Tensor, b: Tensor) => sn.divNoNan(a, b), ref: refDivNoNan,
  },
  {
    kind: 'compare', op: 'lerp', name: 'start [3,4], end [4], weight [3,1]', grad: true,
    inputs: [f32([3, 4]), f32([4]), f32([3, 1], 'unit')],
    run: (s: Tensor, e: Tensor, w: Tensor) => sn.lerp(s, e, w), ref: refLerp,
  },
  {
    kind: 'compare', op: 'logicalXor', name: 'bool column and row', tol: 'exact',
    inputs: [bool([3, 1]), bool([1, 4])], run: (a: Tensor, b: Tensor) => sn.logicalXor(a, b), ref: refLogicalXor,
  },
  {
    kind: 'compare', op: 'logicalXor', name: 'float32 and int32 read as bool', tol: 'exact',
    inputs: [f32([5], { values: [0, 0.5, 0, -2, NaN] }), i32([5], { values: [0, 0, 3, 1, 0] })],
    run: (a: Tensor, b: Tensor) => sn.logicalXor(a, b), ref: refLogicalXor,
  },
];

const SPECIALS = [0, -0, 1.5, -2, NaN, Infinity, -Infinity, 3.4e38];
const predicateCases: ConformanceCase[] = (['isNaN', 'isInf', 'isFinite'] as const).flatMap((op): ConformanceCase[] => [
  {
    kind: 'compare', op, name: 'zeros, numbers, NaN and infinities', tol: 'exact',
    inputs: [f32([SPECIALS.length], { values: SPECIALS })], run: (x: Tensor) => sn[op](x), ref: (x: NDArray) => refPredicate(op, x),
  },
  {
    kind: 'compare', op, name: 'int32 input', tol: 'exact',
    inputs: [i32([2, 3])], run: (x: Tensor) => sn[op](x), ref: (x: NDArray) => refPredicate(op, x),
  },
]);

/** Cases of the ops composed in core from kernels (activations, arithmetic conveniences, predicates). */
export const compositeCases: ConformanceCase[] = [
  ...activationCases, swishCase, ...preluCases, ...arithmeticCases, ...predicateCases,
];
