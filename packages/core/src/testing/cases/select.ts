import * as sn from '../../index.js';
import type { Tensor } from '../../index.js';
import { refClip, refWhere } from '../reference/binary.js';
import { castTo, nd, type NDArray } from '../reference/ndarray.js';
import { bool, f32, i32 } from './helpers.js';
import type { ConformanceCase } from './types.js';

const CLIP_GEN = { min: -2, max: 2, avoid: [-0.5, 0.7] };

const clipCases: ConformanceCase[] = [
  {
    kind: 'compare', op: 'clip', name: 'float32 [3,5] to [-0.5, 0.7]', inputs: [f32([3, 5], CLIP_GEN)],
    run: (x: Tensor) => sn.clip(x, -0.5, 0.7), ref: (x: NDArray) => refClip(x, -0.5, 0.7), tol: 'exact', grad: true,
  },
  {
    kind: 'compare', op: 'clip', name: 'transposed view [4,7]', inputs: [f32([4, 7], CLIP_GEN, 'transposed')],
    run: (x: Tensor) => sn.clip(x, -0.5, 0.7), ref: (x: NDArray) => refClip(x, -0.5, 0.7), tol: 'exact', grad: true,
  },
  {
    kind: 'compare', op: 'clip', name: 'scalar', inputs: [f32([], CLIP_GEN)],
    run: (x: Tensor) => sn.clip(x, -0.5, 0.7), ref: (x: NDArray) => refClip(x, -0.5, 0.7), tol: 'exact',
  },
  {
    kind: 'compare', op: 'clip', name: 'int32 keeps int32', inputs: [i32([13])],
    run: (x: Tensor) => sn.clip(x, -3, 4), ref: (x: NDArray) => refClip(x, -3, 4), tol: 'exact',
  },
];

const whereRef = (c: NDArray, a: NDArray, b: NDArray) => refWhere(c, a, b);
const whereRun = (c: Tensor, a: Tensor, b: Tensor) => sn.where(c, a, b);

const whereCases: ConformanceCase[] = [
  { kind: 'compare', op: 'where', name: 'same shape [3,5]', inputs: [bool([3, 5]), f32([3, 5]), f32([3, 5])], run: whereRun, ref: whereRef, tol: 'exact', grad: [1, 2] },
  { kind: 'compare', op: 'where', name: 'all three broadcast: cond [3,1], a [3,5], b [5]', inputs: [bool([3, 1]), f32([3, 5]), f32([5])], run: whereRun, ref: whereRef, tol: 'exact', grad: [1, 2] },
  { kind: 'compare', op: 'where', name: 'cond [4,5] with scalar a and column b', inputs: [bool([4, 5]), f32([]), f32([4, 1])], run: whereRun, ref: whereRef, tol: 'exact', grad: [1, 2] },
  { kind: 'compare', op: 'where', name: 'rank mismatch: cond [2,1,3], a [4,3], b [2,4,1]', inputs: [bool([2, 1, 3]), f32([4, 3]), f32([2, 4, 1])], run: whereRun, ref: whereRef, tol: 'exact', grad: [1, 2] },
  { kind: 'compare', op: 'where', name: 'views: sliced cond, transposed a', inputs: [bool([3, 4], 'sliced'), f32([3, 4], 'normal', 'transposed'), f32([3, 4], 'normal', 'sliced')], run: whereRun, ref: whereRef, tol: 'exact', grad: [1, 2] },
  {
    kind: 'compare', op: 'where', name: 'a number branch adopts the tensor branch dtype', inputs: [bool([3, 4]), f32([3, 4])], tol: 'exact', grad: [1],
    run: (c: Tensor, a: Tensor) => sn.where(c, a, 0), ref: (c: NDArray, a: NDArray) => refWhere(c, a, nd([], [0])),
  },
  { kind: 'compare', op: 'where', name: 'int32 branches', inputs: [bool([6]), i32([6]), i32([6])], run: whereRun, ref: whereRef, tol: 'exact' },
  { kind: 'compare', op: 'where', name: 'empty [0,2]', inputs: [bool([0, 2]), f32([0, 2]), f32([2])], run: whereRun, ref: whereRef, tol: 'exact' },
];

const castCases: ConformanceCase[] = [
  {
    kind: 'compare', op: 'cast', name: 'float32 → int32 truncates toward zero', tol: 'exact',
    inputs: [f32([8], { values: [-2.75, -2.25, -0.5, 0, 0.5, 1.999, 7.5, -7.5] })],
    run: (x: Tensor) => sn.cast(x, 'int32'), ref: (x: NDArray) => castTo(x, 'int32'),
  },
  {
    kind: 'compare', op: 'cast', name: 'float32 → int32 random [3,5]', tol: 'exact', inputs: [f32([3, 5], { min: -50, max: 50 }, 'transposed')],
    run: (x: Tensor) => sn.cast(x, 'int32'), ref: (x: NDArray) => castTo(x, 'int32'),
  },
  {
    kind: 'compare', op: 'cast', name: 'float32 → bool is x ≠ 0', tol: 'exact', inputs: [f32([5], { values: [0, -0.0001, 2, 0, -3] })],
    run: (x: Tensor) => sn.cast(x, 'bool'), ref: (x: NDArray) => castTo(x, 'bool'),
  },
  {
    kind: 'compare', op: 'cast', name: 'int32 → float32', tol: 'exact', inputs: [i32([4, 3], 'int', 'sliced')],
    run: (x: Tensor) => sn.cast(x, 'float32'), ref: (x: NDArray) => castTo(x, 'float32'),
  },
  {
    kind: 'compare', op: 'cast', name: 'int32 → bool', tol: 'exact', inputs: [i32([7], 'indices<3')],
    run: (x: Tensor) => sn.cast(x, 'bool'), ref: (x: NDArray) => castTo(x, 'bool'),
  },
  {
    kind: 'compare', op: 'cast', name: 'bool → float32', tol: 'exact', inputs: [bool([3, 5], 'transposed')],
    run: (x: Tensor) => sn.cast(x, 'float32'), ref: (x: NDArray) => castTo(x, 'float32'),
  },
  {
    kind: 'compare', op: 'cast', name: 'bool → int32', tol: 'exact', inputs: [bool([5])],
    run: (x: Tensor) => sn.cast(x, 'int32'), ref: (x: NDArray) => castTo(x, 'int32'),
  },
  {
    kind: 'compare', op: 'cast', name: 'float32 → float32 keeps values', tol: 'exact', inputs: [f32([2, 3])],
    run: (x: Tensor) => sn.cast(x, 'float32'), ref: (x: NDArray) => castTo(x, 'float32'), grad: true,
  },
];

export const selectCases: ConformanceCase[] = [...clipCases, ...whereCases, ...castCases];
