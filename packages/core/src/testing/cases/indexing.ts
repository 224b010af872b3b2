import * as sn from '../../index.js';
import type { Tensor } from '../../index.js';
import { refGather, refOneHot } from '../reference/indexing.js';
import { nd, type NDArray } from '../reference/ndarray.js';
import { f32, i32 } from './helpers.js';
import type { ConformanceCase } from './types.js';

const gatherRun = (axis: number) => (x: Tensor, idx: Tensor) => sn.gather(x, idx, axis);
const gatherRef = (axis: number) => (x: NDArray, idx: NDArray) => refGather(x, idx, axis);

const gatherCases: ConformanceCase[] = [
  { kind: 'compare', op: 'gather', name: 'rows of [5,3] (axis 0)', inputs: [f32([5, 3]), i32([4], 'indices<5')], run: gatherRun(0), ref: gatherRef(0), tol: 'exact', grad: [0] },
  { kind: 'compare', op: 'gather', name: 'axis 1 with rank-2 indices', inputs: [f32([3, 7]), i32([2, 3], 'indices<7')], run: gatherRun(1), ref: gatherRef(1), tol: 'exact', grad: [0] },
  { kind: 'compare', op: 'gather', name: 'repeated indices accumulate gradients', inputs: [f32([4, 2]), i32([6], { values: [1, 1, 3, 1, 0, 3] })], run: gatherRun(0), ref: gatherRef(0), tol: 'exact', grad: [0] },
  { kind: 'compare', op: 'gather', name: 'middle axis of rank 3, axis -2', inputs: [f32([2, 5, 3]), i32([3], 'indices<5')], run: gatherRun(-2), ref: gatherRef(1), tol: 'exact', grad: [0] },
  { kind: 'compare', op: 'gather', name: 'from a transposed view, sliced indices', inputs: [f32([6, 4], 'normal', 'transposed'), i32([5], 'indices<6', 'sliced')], run: gatherRun(0), ref: gatherRef(0), tol: 'exact', grad: [0] },
  { kind: 'compare', op: 'gather', name: 'scalar index drops the axis', inputs: [f32([4, 3]), i32([], 'indices<4')], run: gatherRun(0), ref: gatherRef(0), tol: 'exact', grad: [0] },
  { kind: 'compare', op: 'gather', name: 'empty indices', inputs: [f32([4, 3]), i32([0], 'indices<4')], run: gatherRun(0), ref: gatherRef(0), tol: 'exact' },
  { kind: 'compare', op: 'gather', name: 'int32 data', inputs: [i32([5, 2]), i32([3], 'indices<5')], run: gatherRun(0), ref: gatherRef(0), tol: 'exact' },
  {
    kind: 'compare', op: 'gather', name: 'number[] indices', inputs: [f32([3, 4])], tol: 'exact', grad: true,
    run: (x: Tensor) => sn.gather(x, [3, 0, 0], 1), ref: (x: NDArray) => refGather(x, nd([3], [3, 0, 0], 'int32'), 1),
  },
];

const oneHotCases: ConformanceCase[] = [
  { kind: 'compare', op: 'oneHot', name: 'indices [6] depth 4', inputs: [i32([6], 'indices<4')], run: (i: Tensor) => sn.oneHot(i, 4), ref: (i: NDArray) => refOneHot(i, 4), tol: 'exact' },
  { kind: 'compare', op: 'oneHot', name: 'rank-2 indices', inputs: [i32([2, 3], 'indices<5')], run: (i: Tensor) => sn.oneHot(i, 5), ref: (i: NDArray) => refOneHot(i, 5), tol: 'exact' },
  { kind: 'compare', op: 'oneHot', name: 'on/off values', inputs: [i32([5], 'indices<3')], run: (i: Tensor) => sn.oneHot(i, 3, { onValue: 0.9, offValue: 0.05 }), ref: (i: NDArray) => refOneHot(i, 3, Math.fround(0.9), Math.fround(0.05)), tol: 'elementwise' },
  { kind: 'compare', op: 'oneHot', name: 'depth 1', inputs: [i32([3], 'indices<1')], run: (i: Tensor) => sn.oneHot(i, 1), ref: (i: NDArray) => refOneHot(i, 1), tol: 'exact' },
  { kind: 'compare', op: 'oneHot', name: 'sliced index view', inputs: [i32([4], 'indices<7', 'sliced')], run: (i: Tensor) => sn.oneHot(i, 7), ref: (i: NDArray) => refOneHot(i, 7), tol: 'exact' },
  {
    kind: 'compare', op: 'oneHot', name: 'number[] indices', inputs: [], tol: 'exact',
    run: () => sn.oneHot([2, 0, 1, 2], 3), ref: () => refOneHot(nd([4], [2, 0, 1, 2], 'int32'), 3),
  },
];

export const indexingCases: ConformanceCase[] = [...gatherCases, ...oneHotCases];
