/**
 * Cases of strided slicing (stridedSlice with every mask, negative steps, clamping, empty results;
 * sliceWithStep), depthToSpace / spaceToDepth / pixelShuffle / pixelUnshuffle and `where` with a
 * number on either side.
 */
import * as sn from '../../index.js';
import type { Tensor } from '../../index.js';
import { refWhere } from '../reference/binary.js';
import { nd, type NDArray } from '../reference/ndarray.js';
import { refDepthToSpace, refSpaceToDepth } from '../reference/space.js';
import { refStridedSlice } from '../reference/strided.js';
import { bool, f32, i32 } from './helpers.js';
import type { ConformanceCase, InputSpec } from './types.js';

type Masks = { begin?: number; end?: number; ellipsis?: number; newAxis?: number; shrink?: number };

/** A stridedSlice compare case with gradient (float32 inputs) against the enumerating reference. */
function sliceCase(name: string, input: InputSpec, begin: number[], end: number[], strides: number[], masks: Masks = {}): ConformanceCase {
  return {
    kind: 'compare', op: 'stridedSlice', name, inputs: [input], tol: 'exact', grad: input.dtype === 'float32' || input.dtype === undefined,
    run: (x: Tensor) => sn.stridedSlice(x, begin, end, strides, {
      beginMask: masks.begin ?? 0, endMask: masks.end ?? 0, ellipsisMask: masks.ellipsis ?? 0, newAxisMask: masks.newAxis ?? 0, shrinkAxisMask: masks.shrink ?? 0,
    }),
    ref: (x: NDArray) => refStridedSlice(x, begin, end, strides, masks),
  };
}

const stridedSliceCases: ConformanceCase[] = [
  sliceCase('steps 2 and 3 of [7,8]', f32([7, 8]), [1, 0], [7, 8], [2, 3]),
  sliceCase('negative steps reverse: x[::-1, ::-2] of [5,7]', f32([5, 7]), [0, 0], [0, 0], [-1, -2], { begin: 3, end: 3 }),
  sliceCase('negative begin / end: x[-2:-6:-1, -5:] of [6,5]', f32([6, 5]), [-2, -5], [-6, 0], [-1, 1], { end: 2 }),
  sliceCase('bounds past the ends clamp as Python: x[-10:10:3] of [7]', f32([7]), [-10], [10], [3]),
  sliceCase('negative step with clamped bounds: x[10:-10:-2] of [7]', f32([7]), [10], [-10], [-2]),
  sliceCase('empty: x[4:1] of [6,3]', f32([6, 3]), [4], [1], [1]),
  sliceCase('empty with a negative step: x[1:4:-1] of [6]', f32([6]), [1], [4], [-1]),
  sliceCase('ellipsis then an index: x[..., 1] of [2,3,4]', f32([2, 3, 4]), [0, 1], [0, 2], [1, 1], { ellipsis: 1, shrink: 2 }),
  sliceCase('new axis and shrink: x[None, -1, ::-1] of [3,5]', f32([3, 5]), [0, -1, 0], [0, 0, 0], [1, 1, -1], { newAxis: 1, shrink: 2, begin: 4, end: 4 }),
  sliceCase('begin shorter than the rank: x[1:3] of [4,3,2], transposed', f32([4, 3, 2], 'normal', 'transposed'), [1], [3], [1]),
  sliceCase('ellipsis in the middle: x[1, ..., ::-2] of [3,2,2,5]', f32([3, 2, 2, 5]), [1, 0, 0], [2, 0, 0], [1, 1, -2], { shrink: 1, ellipsis: 2, begin: 4, end: 4 }),
  sliceCase('int32, odd steps: x[::-3, 1::2] of [7,6]', i32([7, 6]), [0, 1], [0, 0], [-3, 2], { begin: 1, end: 3 }),
  {
    kind: 'compare', op: 'stridedSlice', name: 'as a Tensor method, strides omitted: x[1:-1] of [5,2]', inputs: [f32([5, 2])], tol: 'exact', grad: true,
    run: (x: Tensor) => x.stridedSlice([1], [-1]), ref: (x: NDArray) => refStridedSlice(x, [1], [-1], [1]),
  },
  {
    kind: 'error', op: 'stridedSlice', name: 'a zero stride is an ArgumentError', error: 'ArgumentError', message: ['strides[1] must not be 0'],
    inputs: [f32([3, 4])], run: (x: Tensor) => sn.stridedSlice(x, [0, 0], [3, 4], [1, 0]),
  },
  {
    kind: 'error', op: 'stridedSlice', name: 'a shrunk index outside the axis is an ArgumentError', error: 'ArgumentError',
    message: ['index 3', 'axis 0 of x [3,4]', 'expected -3..2'], inputs: [f32([3, 4])],
    run: (x: Tensor) => sn.stridedSlice(x, [3], [4], [1], { shrinkAxisMask: 1 }),
  },
  {
    kind: 'error', op: 'stridedSlice', name: 'more indexed axes than the rank is an ArgumentError', error: 'ArgumentError',
    message: ['3 indexed axes', 'x [3,4]'], inputs: [f32([3, 4])], run: (x: Tensor) => sn.stridedSlice(x, [0, 0, 0], [1, 1, 1], [1, 1, 1]),
  },
  {
    kind: 'error', op: 'stridedSlice', name: 'two ellipsis bits are an ArgumentError', error: 'ArgumentError',
    message: ['ellipsisMask may set one bit only'], inputs: [f32([3, 4])], run: (x: Tensor) => sn.stridedSlice(x, [0, 0], [1, 1], [1, 1], { ellipsisMask: 3 }),
  },
];

const sliceWithStepCases: ConformanceCase[] = [
  {
    kind: 'compare', op: 'sliceWithStep', name: 'x[::-1, 2, 1:5:2] of [3,4,6]', inputs: [f32([3, 4, 6])], tol: 'exact', grad: true,
    run: (x: Tensor) => sn.sliceWithStep(x, [[null, null, -1], 2, [1, 5, 2]]),
    ref: (x: NDArray) => refStridedSlice(x, [0, 2, 1], [0, 3, 5], [-1, 1, 2], { begin: 1, end: 1, shrink: 2 }),
  },
  {
    kind: 'compare', op: 'sliceWithStep', name: 'x[:, -1::-3] of [2,7] (null and a negative start)', inputs: [f32([2, 7])], tol: 'exact', grad: true,
    run: (x: Tensor) => sn.sliceWithStep(x, [null, [-1, null, -3]]),
    ref: (x: NDArray) => refStridedSlice(x, [0, -1], [0, 0], [1, -3], { begin: 1, end: 3 }),
  },
  {
    kind: 'error', op: 'sliceWithStep', name: 'a zero step is an ArgumentError', error: 'ArgumentError', message: ['spec[0] has step 0'],
    inputs: [f32([4])], run: (x: Tensor) => sn.sliceWithStep(x, [[0, 3, 0]]),
  },
];

const MODES = ['DCR', 'CRD'] as const;
const spaceCases: ConformanceCase[] = [
  ...MODES.map((mode): ConformanceCase => ({
    kind: 'compare', op: 'depthToSpace', name: `[2,12,2,3] by 2, ${mode}`, inputs: [f32([2, 12, 2, 3])], tol: 'exact', grad: true,
    run: (x: Tensor) => sn.depthToSpace(x, 2, { mode }), ref: (x: NDArray) => refDepthToSpace(x, 2, mode),
  })),
  ...MODES.map((mode): ConformanceCase => ({
    kind: 'compare', op: 'spaceToDepth', name: `[1,2,6,9] by 3, ${mode}`, inputs: [f32([1, 2, 6, 9])], tol: 'exact', grad: true,
    run: (x: Tensor) => sn.spaceToDepth(x, 3, { mode }), ref: (x: NDArray) => refSpaceToDepth(x, 3, mode),
  })),
  {
    kind: 'compare', op: 'depthToSpace', name: 'default mode is DCR, int32 [1,9,1,2] by 3', inputs: [i32([1, 9, 1, 2])], tol: 'exact',
    run: (x: Tensor) => sn.depthToSpace(x, 3), ref: (x: NDArray) => refDepthToSpace(x, 3, 'DCR'),
  },
  {
    kind: 'compare', op: 'pixelShuffle', name: 'is CRD depthToSpace: [1,8,3,2] by 2', inputs: [f32([1, 8, 3, 2])], tol: 'exact', grad: true,
    run: (x: Tensor) => sn.pixelShuffle(x, 2), ref: (x: NDArray) => refDepthToSpace(x, 2, 'CRD'),
  },
  {
    kind: 'compare', op: 'pixelUnshuffle', name: 'is CRD spaceToDepth: [2,3,4,2] by 2', inputs: [f32([2, 3, 4, 2])], tol: 'exact', grad: true,
    run: (x: Tensor) => sn.pixelUnshuffle(x, 2), ref: (x: NDArray) => refSpaceToDepth(x, 2, 'CRD'),
  },
  {
    kind: 'error', op: 'depthToSpace', name: 'channels not divisible by blockSize² is a ShapeError', error: 'ShapeError',
    message: ['x [1,6,2,2]', 'blockSize² (4)'], inputs: [f32([1, 6, 2, 2])], run: (x: Tensor) => sn.depthToSpace(x, 2),
  },
  {
    kind: 'error', op: 'spaceToDepth', name: 'height not divisible by blockSize is a ShapeError', error: 'ShapeError',
    message: ['x [1,1,3,4]', 'blockSize 2'], inputs: [f32([1, 1, 3, 4])], run: (x: Tensor) => sn.spaceToDepth(x, 2),
  },
];

/** `where` with a number as either branch (issue 12's "where with one-sided numbers"). */
const oneSidedWhereCases: ConformanceCase[] = [
  {
    kind: 'compare', op: 'where', name: 'a number as the true branch, a tensor as the false one', inputs: [bool([3, 4]), f32([3, 4])], tol: 'exact', grad: [1],
    run: (c: Tensor, b: Tensor) => sn.where(c, 2.5, b), ref: (c: NDArray, b: NDArray) => refWhere(c, nd([], [2.5]), b),
  },
  {
    kind: 'compare', op: 'where', name: 'int32 tensor with a number false branch keeps int32', inputs: [bool([5]), i32([5])], tol: 'exact',
    run: (c: Tensor, a: Tensor) => sn.where(c, a, -7), ref: (c: NDArray, a: NDArray) => refWhere(c, a, nd([], [-7], 'int32')),
  },
];

/** Every case of this file. */
export const stridedCases: readonly ConformanceCase[] = [...stridedSliceCases, ...sliceWithStepCases, ...spaceCases, ...oneSidedWhereCases];
