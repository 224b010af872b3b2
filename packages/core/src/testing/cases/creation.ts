import * as sn from '../../index.js';
import type { Tensor } from '../../index.js';
import { refArange, refEye, refFull, refLinspace } from '../reference/creation.js';
import { fromNested, nd, type NDArray } from '../reference/ndarray.js';
import { bool, f32, i32 } from './helpers.js';
import type { ConformanceCase } from './types.js';

function make(op: string, name: string, run: () => Tensor, ref: () => NDArray, tol: 'exact' | 'elementwise' = 'exact'): ConformanceCase {
  return { kind: 'compare', op, name, inputs: [], run, ref, tol };
}

export const creationCases: ConformanceCase[] = [
  make('tensor', 'nested arrays infer the shape', () => sn.tensor([[1, 2, 3], [4, 5, 6]]), () => fromNested([[1, 2, 3], [4, 5, 6]])),
  make('tensor', 'flat values with a shape', () => sn.tensor([1, 2, 3, 4, 5, 6], [3, 2]), () => nd([3, 2], [1, 2, 3, 4, 5, 6])),
  make('tensor', 'Float32Array keeps float32', () => sn.tensor(new Float32Array([0.5, -1.25, 3]), [3]), () => nd([3], [0.5, -1.25, 3])),
  make('tensor', 'Int32Array infers int32', () => sn.tensor(new Int32Array([7, -8, 9])), () => nd([3], [7, -8, 9], 'int32')),
  make('tensor', 'booleans infer bool', () => sn.tensor([true, false, true]), () => nd([3], [1, 0, 1], 'bool')),
  make('tensor', 'number with dtype int32 truncates', () => sn.tensor([1.7, -2.7], [2], 'int32'), () => nd([2], [1, -2], 'int32')),
  make('tensor', 'a bare number is a scalar', () => sn.tensor(2.5), () => nd([], [2.5])),
  make('tensor', 'values are rounded to float32', () => sn.tensor([0.1]), () => nd([1], [Math.fround(0.1)])),
  make('tensor', 'empty with shape [0,3]', () => sn.tensor([], [0, 3]), () => nd([0, 3], [])),
  make('scalar', 'float32', () => sn.scalar(-3.5), () => nd([], [-3.5])),
  make('scalar', 'int32', () => sn.scalar(7, 'int32'), () => nd([], [7], 'int32')),
  make('scalar', 'bool', () => sn.scalar(true), () => nd([], [1], 'bool')),
  make('zeros', '[2,3]', () => sn.zeros([2, 3]), () => refFull([2, 3], 0)),
  make('zeros', 'int32 [4]', () => sn.zeros([4], 'int32'), () => refFull([4], 0, 'int32')),
  make('zeros', 'scalar shape []', () => sn.zeros([]), () => refFull([], 0)),
  make('zeros', 'empty [0]', () => sn.zeros([0]), () => refFull([0], 0)),
  make('ones', '[3,1,2]', () => sn.ones([3, 1, 2]), () => refFull([3, 1, 2], 1)),
  make('ones', 'bool [2]', () => sn.ones([2], 'bool'), () => refFull([2], 1, 'bool')),
  make('full', 'float32 value', () => sn.full([2, 2], -0.75), () => refFull([2, 2], -0.75)),
  make('full', 'int32 value', () => sn.full([3], 5, 'int32'), () => refFull([3], 5, 'int32')),
  make('full', 'boolean value', () => sn.full([2, 1], true), () => refFull([2, 1], 1, 'bool')),
  make('arange', 'one argument: [0, n)', () => sn.arange(7), () => refArange(7)),
  make('arange', 'start, stop', () => sn.arange(-2, 3), () => refArange(-2, 3)),
  make('arange', 'fractional step', () => sn.arange(0, 1, 0.125), () => refArange(0, 1, 0.125), 'elementwise'),
  make('arange', 'step that does not divide the range', () => sn.arange(1, 10, 4), () => refArange(1, 10, 4)),
  make('arange', 'negative step', () => sn.arange(5, -1, -2), () => refArange(5, -1, -2)),
  make('arange', 'int32', () => sn.arange(0, 5, 1, 'int32'), () => refArange(0, 5, 1, 'int32')),
  make('arange', 'empty range', () => sn.arange(3, 3), () => refArange(3, 3)),
  make('linspace', '5 points in [0, 1]', () => sn.linspace(0, 1, 5), () => refLinspace(0, 1, 5), 'elementwise'),
  make('linspace', 'descending 7 points', () => sn.linspace(3, -3, 7), () => refLinspace(3, -3, 7), 'elementwise'),
  make('linspace', 'one point', () => sn.linspace(2, 9, 1), () => refLinspace(2, 9, 1), 'elementwise'),
  make('linspace', '13 points, non-representable step', () => sn.linspace(-1, 1, 13), () => refLinspace(-1, 1, 13), 'elementwise'),
  make('eye', 'square 4', () => sn.eye(4), () => refEye(4)),
  make('eye', 'rectangular 2×5', () => sn.eye(2, 5), () => refEye(2, 5)),
  make('eye', 'rectangular 5×2', () => sn.eye(5, 2), () => refEye(5, 2)),
  make('eye', 'int32', () => sn.eye(3, 3, 'int32'), () => refEye(3, 3, 'int32')),
  {
    kind: 'compare', op: 'zerosLike', name: 'float32 [3,5]', inputs: [f32([3, 5])], tol: 'exact',
    run: (x: Tensor) => sn.zerosLike(x), ref: (x: NDArray) => refFull(x.shape, 0, x.dtype),
  },
  {
    kind: 'compare', op: 'zerosLike', name: 'int32 keeps dtype', inputs: [i32([2, 2])], tol: 'exact',
    run: (x: Tensor) => sn.zerosLike(x), ref: (x: NDArray) => refFull(x.shape, 0, x.dtype),
  },
  {
    kind: 'compare', op: 'onesLike', name: 'float32 transposed view', inputs: [f32([2, 3], 'normal', 'transposed')], tol: 'exact',
    run: (x: Tensor) => sn.onesLike(x), ref: (x: NDArray) => refFull(x.shape, 1, x.dtype),
  },
  {
    kind: 'compare', op: 'onesLike', name: 'bool keeps dtype', inputs: [bool([4])], tol: 'exact',
    run: (x: Tensor) => sn.onesLike(x), ref: (x: NDArray) => refFull(x.shape, 1, x.dtype),
  },
];
