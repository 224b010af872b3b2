import * as sn from '../../index.js';
import type { Tensor } from '../../index.js';
import { mapBroadcast } from '../reference/broadcast.js';
import type { NDArray } from '../reference/ndarray.js';
import { refReduceWith, refScan } from '../reference/scans.js';
import { bool, f32, i32 } from './helpers.js';
import type { ConformanceCase } from './types.js';

const add = (a: number, b: number): number => a + b;
const mul = (a: number, b: number): number => a * b;
const logAdd = (a: number, b: number): number => {
  const m = Math.max(a, b);
  return m === -Infinity ? -Infinity : m + Math.log(Math.exp(a - m) + Math.exp(b - m));
};

const OPTIONS: readonly sn.CumulativeOptions[] = [{}, { exclusive: true }, { reverse: true }, { exclusive: true, reverse: true }];
const label = (o: { exclusive?: boolean; reverse?: boolean }): string => [o.exclusive ? 'exclusive' : '', o.reverse ? 'reverse' : ''].filter(Boolean).join(', ') || 'inclusive';

const scanCases: ConformanceCase[] = [
  // An exclusive logCumSumExp starts at −∞, where central differences are undefined: its gradient is checked inclusive.
  ...OPTIONS.flatMap((o): ConformanceCase[] => [
    { kind: 'compare', op: 'cumsum', name: `axis 1 of [3,7], ${label(o)}`, inputs: [f32([3, 7])], run: (x: Tensor) => sn.cumsum(x, 1, o), ref: (x: NDArray) => refScan(x, 1, add, 0, o), tol: { accumulate: 7 }, grad: true },
    { kind: 'compare', op: 'cumprod', name: `axis 0 of [5,3], ${label(o)}`, inputs: [f32([5, 3], { min: 0.5, max: 1.5 })], run: (x: Tensor) => sn.cumprod(x, 0, o), ref: (x: NDArray) => refScan(x, 0, mul, 1, o), grad: true },
    { kind: 'compare', op: 'logCumSumExp', name: `axis -1 of [2,9], ${label(o)}`, inputs: [f32([2, 9], 'uniform')], run: (x: Tensor) => sn.logCumSumExp(x, -1, o), ref: (x: NDArray) => refScan(x, 1, logAdd, -Infinity, o, 'float32'), grad: !o.exclusive },
  ]),
  { kind: 'compare', op: 'cumsum', name: 'long axis [2,300] (9 doubling steps)', inputs: [f32([2, 300])], run: (x: Tensor) => sn.cumsum(x, 1), ref: (x: NDArray) => refScan(x, 1, add, 0), tol: { accumulate: 300 } },
  { kind: 'compare', op: 'cumsum', name: 'int32 stays int32', inputs: [i32([4, 5])], run: (x: Tensor) => sn.cumsum(x, 1), ref: (x: NDArray) => refScan(x, 1, add, 0), tol: 'exact' },
  { kind: 'compare', op: 'cumsum', name: 'bool counts as int32', inputs: [bool([6])], run: (x: Tensor) => sn.cumsum(x), ref: (x: NDArray) => refScan(x, 0, add, 0), tol: 'exact' },
  { kind: 'compare', op: 'cumprod', name: 'int32, with a zero', inputs: [i32([6], { values: [2, -3, 1, 0, 5, 2] })], run: (x: Tensor) => sn.cumprod(x), ref: (x: NDArray) => refScan(x, 0, mul, 1), tol: 'exact' },
  { kind: 'compare', op: 'cumprod', name: 'a zero inside, with gradients', inputs: [f32([5], { values: [1.5, -2, 0, 3, 0.5] })], run: (x: Tensor) => sn.cumprod(x), ref: (x: NDArray) => refScan(x, 0, mul, 1), grad: true },
  { kind: 'compare', op: 'logCumSumExp', name: 'large values and -Infinity stay finite / exact', inputs: [f32([5], { values: [-Infinity, 80, 100, -Infinity, 90] })], run: (x: Tensor) => sn.logCumSumExp(x), ref: (x: NDArray) => refScan(x, 0, logAdd, -Infinity, {}, 'float32') },
];

const truthCases: ConformanceCase[] = [
  { kind: 'compare', op: 'all', name: 'axis 1 of bool [4,3]', inputs: [bool([4, 3])], run: (x: Tensor) => sn.all(x, 1), ref: (x: NDArray) => refReduceWith(x, [1], 'bool', 1, (a, v) => (a && v !== 0 ? 1 : 0)), tol: 'exact' },
  { kind: 'compare', op: 'all', name: 'everything of float32 with zeros, keepDims', inputs: [f32([2, 3], { values: [1, 2, 0, 4, 5, 6] })], run: (x: Tensor) => sn.all(x, null, true), ref: (x: NDArray) => ({ ...refReduceWith(x, [0, 1], 'bool', 1, (a, v) => (a && v !== 0 ? 1 : 0)), shape: [1, 1] }), tol: 'exact' },
  { kind: 'compare', op: 'any', name: 'axis 0 of bool [3,5]', inputs: [bool([3, 5])], run: (x: Tensor) => sn.any(x, 0), ref: (x: NDArray) => refReduceWith(x, [0], 'bool', 0, (a, v) => (a || v !== 0 ? 1 : 0)), tol: 'exact' },
  { kind: 'compare', op: 'any', name: 'int32 over an empty axis is false', inputs: [i32([3, 0])], run: (x: Tensor) => sn.any(x, 1), ref: (x: NDArray) => refReduceWith(x, [1], 'bool', 0, (a, v) => (a || v !== 0 ? 1 : 0)), tol: 'exact' },
  { kind: 'compare', op: 'countNonzero', name: 'axes [0,2] of int32 [2,3,4]', inputs: [i32([2, 3, 4], 'indices<2')], run: (x: Tensor) => sn.countNonzero(x, [0, 2]), ref: (x: NDArray) => refReduceWith(x, [0, 2], 'int32', 0, (a, v) => a + (v !== 0 ? 1 : 0)), tol: 'exact' },
];

const P_NORMS: [string, sn.NormOrder, (acc: number, v: number) => number, number, (acc: number) => number][] = [
  ['euclidean', 'euclidean', (a, v) => a + v * v, 0, Math.sqrt],
  ['fro over two axes', 'fro', (a, v) => a + v * v, 0, Math.sqrt],
  ['p = 1', 1, (a, v) => a + Math.abs(v), 0, (a) => a],
  ['p = 3', 3, (a, v) => a + Math.abs(v) ** 3, 0, (a) => Math.cbrt(a)],
  ['p = Infinity', Infinity, (a, v) => Math.max(a, Math.abs(v)), 0, (a) => a],
  ['p = -Infinity', -Infinity, (a, v) => Math.min(a, Math.abs(v)), Infinity, (a) => a],
];
const normCases: ConformanceCase[] = P_NORMS.map(([name, ord, f, init, done]): ConformanceCase => {
  const axes = name === 'fro over two axes' ? [1, 2] : [1];
  return {
    kind: 'compare', op: 'norm', name: `${name} over axes [${axes.join(',')}] of [2,4,3]`, grad: true,
    inputs: [f32([2, 4, 3], 'awayFromZero')], run: (x: Tensor) => sn.norm(x, ord, axes),
    ref: (x: NDArray) => refReduceWith(x, axes, 'float32', init, f, done), tol: { accumulate: 12 },
  };
});

const maskedFillCases: ConformanceCase[] = [
  {
    kind: 'compare', op: 'maskedFill', name: 'a bool row mask broadcast over [3,4], gradient only where kept', grad: [0],
    inputs: [f32([3, 4]), bool([4])], run: (x: Tensor, m: Tensor) => sn.maskedFill(x, m, -5),
    ref: (x: NDArray, m: NDArray) => mapBroadcast([x, m], 'float32', (v, c) => (c !== 0 ? -5 : v)),
  },
];

/** Cases of the cumulative ops, the truth-value reductions, norm and maskedFill. */
export const scanCasesAll: ConformanceCase[] = [...scanCases, ...truthCases, ...normCases, ...maskedFillCases];
