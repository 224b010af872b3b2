import * as sn from '../../index.js';
import type { Tensor } from '../../index.js';
import { refBinary } from '../reference/binary.js';
import { castTo, nd, type NDArray } from '../reference/ndarray.js';
import { refReduce } from '../reference/reduce.js';
import { ensureClose, valuesOf } from './check.js';
import { f32 } from './helpers.js';
import type { ConformanceCase } from './types.js';

/**
 * Regression cases for bugs in core's meaning (gradient rules, creation), found by a differential
 * check against float64 NumPy and tfjs-cpu. Every backend runs them.
 */
export const regressionCoreCases: ConformanceCase[] = [
  // prod's gradient divided y by x, giving NaN wherever x was 0 (PyTorch and tfjs give the product of the others).
  {
    kind: 'property', op: 'prod', name: 'gradient at an exact zero is the product of the others', checksGradient: true,
    check: async () => {
      const [g] = sn.grad((x) => sn.prod(x))(sn.tensor([0, 2, 3]));
      ensureClose(await valuesOf(g!), [6, 0, 0], 0, 'd/dx prod([0,2,3])');
    },
  },
  {
    kind: 'property', op: 'prod', name: 'gradient with two zeros is all zero', checksGradient: true,
    check: async () => {
      const [g] = sn.grad((x) => sn.prod(x))(sn.tensor([0, 2, 0, 5]));
      ensureClose(await valuesOf(g!), [0, 0, 0, 0], 0, 'd/dx prod([0,2,0,5])');
    },
  },
  {
    kind: 'compare', op: 'prod', name: 'rows with no, one and two zeros (gradient checked)', grad: true,
    inputs: [f32([3, 4], { values: [1.5, -2, 0.5, 3, 0, 2, -1.25, 4, 0, 1.5, 0, -3] })],
    run: (x: Tensor) => sn.prod(x, 1), ref: (x: NDArray) => refReduce('prod', x, 1),
  },
  {
    kind: 'compare', op: 'prod', name: 'zeros down a column, keepDims (gradient checked)', grad: true,
    inputs: [f32([3, 2], { values: [0, 2, 1.5, 0, -2, 0] }, 'transposed')],
    run: (x: Tensor) => sn.prod(x, 0, true), ref: (x: NDArray) => refReduce('prod', x, 0, true),
  },
  // pow's gradient with respect to the base was b·a^(b−1) = 0·∞ = NaN at a = 0, b = 0 (PyTorch: 0).
  {
    kind: 'property', op: 'pow', name: 'gradients at a zero base', checksGradient: true,
    check: async () => {
      const a = sn.tensor([0, 0, 0, 2]);
      const b = sn.tensor([0, 2, 1, 0]);
      const [da, db] = sn.grad((x, y) => sn.sum(sn.pow(x, y)))(a, b);
      ensureClose(await valuesOf(da!), [0, 0, 1, 0], 0, 'd/da pow(a, b) at a = [0,0,0,2], b = [0,2,1,0]');
      ensureClose(await valuesOf(db!), [0, 0, 0, Math.fround(Math.LN2)], 1e-6, 'd/db pow(a, b) at a = [0,0,0,2], b = [0,2,1,0]');
    },
  },
  {
    kind: 'compare', op: 'pow', name: 'zero bases with exponents 0, 1, 2, 3 (gradient of the base checked)', grad: [0],
    inputs: [f32([5], { values: [0, 0, 0, 0, 1.5] }), f32([5], { values: [0, 1, 2, 3, 0] })],
    run: (a: Tensor, b: Tensor) => sn.pow(a, b), ref: (a: NDArray, b: NDArray) => refBinary('pow', a, b),
  },
  // tensor(..., 'bool') read NaN as false while cast(NaN, 'bool') gives true; NaN is truthy, as in NumPy.
  {
    kind: 'compare', op: 'tensor', name: "NaN, ±0 and ±Infinity as 'bool' agree with cast", tol: 'exact', inputs: [],
    run: () => sn.tensor([NaN, 0, -0, 1, -Infinity, 0.25], [6], 'bool'),
    ref: () => nd([6], [1, 0, 0, 1, 1, 1], 'bool'),
  },
  {
    kind: 'compare', op: 'full', name: "NaN as 'bool' is true", tol: 'exact', inputs: [],
    run: () => sn.full([2], NaN, 'bool'), ref: () => nd([2], [1, 1], 'bool'),
  },
  {
    kind: 'compare', op: 'cast', name: "float32 NaN, ±0 to 'bool' matches tensor(..., 'bool')", tol: 'exact',
    inputs: [f32([4], { values: [NaN, 0, -0, 3] })],
    run: (x: Tensor) => sn.cast(x, 'bool'), ref: (x: NDArray) => castTo(x, 'bool'),
  },
];
