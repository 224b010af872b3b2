import * as sn from '../../index.js';
import type { Tensor } from '../../index.js';
import type { NDArray } from '../reference/ndarray.js';
import { refPad } from '../reference/slicing.js';
import {
  refDiag, refDot, refFlip, refPadMode, refTakeAlongAxis, refMeshgrid, refOuter, refRepeatInterleave, refRoll, refTile, refTrace, refTriangle, refUnstack,
} from '../reference/rearrange.js';
import { bool, f32, i32 } from './helpers.js';
import type { ConformanceCase } from './types.js';

const flipCases: ConformanceCase[] = [
  { kind: 'compare', op: 'flip', name: 'axis 1 of [3,4]', inputs: [f32([3, 4])], run: (x: Tensor) => sn.flip(x, 1), ref: (x: NDArray) => refFlip(x, [1]), tol: 'exact', grad: true },
  { kind: 'compare', op: 'flip', name: 'all axes of a transposed [2,3,4]', inputs: [f32([2, 3, 4], 'normal', 'transposed')], run: (x: Tensor) => sn.flip(x), ref: (x: NDArray) => refFlip(x, [0, 1, 2]), tol: 'exact', grad: true },
  { kind: 'compare', op: 'flip', name: 'int32, axes [0,-1]', inputs: [i32([3, 5])], run: (x: Tensor) => sn.flip(x, [0, -1]), ref: (x: NDArray) => refFlip(x, [0, 1]), tol: 'exact' },
  { kind: 'compare', op: 'reverse', name: 'is flip', inputs: [f32([4, 2])], run: (x: Tensor) => sn.reverse(x, 0), ref: (x: NDArray) => refFlip(x, [0]), tol: 'exact', grad: true },
  { kind: 'compare', op: 'flip', name: 'bool axis 0', inputs: [bool([4, 2])], run: (x: Tensor) => sn.flip(x, 0), ref: (x: NDArray) => refFlip(x, [0]), tol: 'exact' },
];

const tileCases: ConformanceCase[] = [
  { kind: 'compare', op: 'tile', name: '[2,3] by [2,3]', inputs: [f32([2, 3])], run: (x: Tensor) => sn.tile(x, [2, 3]), ref: (x: NDArray) => refTile(x, [2, 3]), tol: 'exact', grad: true },
  { kind: 'compare', op: 'tile', name: 'more reps than axes: [3] by [2,1,2]', inputs: [f32([3])], run: (x: Tensor) => sn.tile(x, [2, 1, 2]), ref: (x: NDArray) => refTile(x, [2, 1, 2]), tol: 'exact', grad: true },
  { kind: 'compare', op: 'tile', name: 'zero reps give an empty axis', inputs: [i32([2, 2])], run: (x: Tensor) => sn.tile(x, [0, 2]), ref: (x: NDArray) => refTile(x, [0, 2]), tol: 'exact' },
  { kind: 'compare', op: 'repeat', name: 'is tile (PyTorch Tensor.repeat)', inputs: [f32([2, 2], 'normal', 'transposed')], run: (x: Tensor) => sn.repeat(x, [1, 3]), ref: (x: NDArray) => refTile(x, [1, 3]), tol: 'exact', grad: true },
  { kind: 'compare', op: 'repeatInterleave', name: 'each element twice, flattened', inputs: [f32([2, 3])], run: (x: Tensor) => sn.repeatInterleave(x, 2), ref: (x: NDArray) => refRepeatInterleave({ ...x, shape: [6] }, [2, 2, 2, 2, 2, 2], 0), tol: 'exact', grad: true },
  { kind: 'compare', op: 'repeatInterleave', name: 'counts per row along axis 0, a zero count', inputs: [f32([3, 2])], run: (x: Tensor) => sn.repeatInterleave(x, [1, 0, 3], 0), ref: (x: NDArray) => refRepeatInterleave(x, [1, 0, 3], 0), tol: 'exact', grad: true },
];

const rollCases: ConformanceCase[] = [
  { kind: 'compare', op: 'roll', name: 'flattened by 2', inputs: [f32([3, 4])], run: (x: Tensor) => sn.roll(x, 2), ref: (x: NDArray) => ({ ...refRoll({ ...x, shape: [12] }, [2], [0]), shape: [3, 4] }), tol: 'exact', grad: true },
  { kind: 'compare', op: 'roll', name: 'two axes, negative and wrapping shifts', inputs: [f32([3, 4])], run: (x: Tensor) => sn.roll(x, [-1, 9], [0, 1]), ref: (x: NDArray) => refRoll(x, [-1, 9], [0, 1]), tol: 'exact', grad: true },
];

const triangleCases: ConformanceCase[] = [
  { kind: 'compare', op: 'tril', name: '[4,5]', inputs: [f32([4, 5])], run: (x: Tensor) => sn.tril(x), ref: (x: NDArray) => refTriangle(x, (d) => d <= 0), tol: 'exact', grad: true },
  { kind: 'compare', op: 'tril', name: 'batched [2,3,3], diagonal -1', inputs: [f32([2, 3, 3])], run: (x: Tensor) => sn.tril(x, -1), ref: (x: NDArray) => refTriangle(x, (d) => d <= -1), tol: 'exact', grad: true },
  { kind: 'compare', op: 'triu', name: '[5,4]', inputs: [f32([5, 4])], run: (x: Tensor) => sn.triu(x), ref: (x: NDArray) => refTriangle(x, (d) => d >= 0), tol: 'exact', grad: true },
  { kind: 'compare', op: 'triu', name: 'int32, diagonal 2', inputs: [i32([3, 5])], run: (x: Tensor) => sn.triu(x, 2), ref: (x: NDArray) => refTriangle(x, (d) => d >= 2), tol: 'exact' },
];

const diagCases: ConformanceCase[] = [
  { kind: 'compare', op: 'diag', name: 'vector to matrix', inputs: [f32([4])], run: (x: Tensor) => sn.diag(x), ref: (x: NDArray) => refDiag(x, 0), tol: 'exact', grad: true },
  { kind: 'compare', op: 'diag', name: 'vector to matrix, diagonal -2', inputs: [f32([3])], run: (x: Tensor) => sn.diag(x, -2), ref: (x: NDArray) => refDiag(x, -2), tol: 'exact', grad: true },
  { kind: 'compare', op: 'diag', name: 'matrix [3,5] to its diagonal 1', inputs: [f32([3, 5])], run: (x: Tensor) => sn.diag(x, 1), ref: (x: NDArray) => refDiag(x, 1), tol: 'exact', grad: true },
  { kind: 'compare', op: 'diag', name: 'matrix [4,3] to its diagonal -1', inputs: [f32([4, 3])], run: (x: Tensor) => sn.diag(x, -1), ref: (x: NDArray) => refDiag(x, -1), tol: 'exact' },
  { kind: 'compare', op: 'trace', name: '[4,3]', inputs: [f32([4, 3])], run: (x: Tensor) => sn.trace(x), ref: refTrace, grad: true },
];

const gridCases: ConformanceCase[] = (['xy', 'ij'] as const).map((indexing): ConformanceCase => ({
  kind: 'compare', op: 'meshgrid', name: `three vectors, indexing '${indexing}'`, inputs: [f32([3]), f32([2]), f32([4])], tol: 'exact', grad: true,
  run: (a: Tensor, b: Tensor, c: Tensor) => sn.meshgrid([a, b, c], { indexing }), ref: (a: NDArray, b: NDArray, c: NDArray) => refMeshgrid([a, b, c], indexing),
}));

const productCases: ConformanceCase[] = [
  { kind: 'compare', op: 'unstack', name: 'axis 1 of [2,3,2]', inputs: [f32([2, 3, 2])], run: (x: Tensor) => sn.unstack(x, 1), ref: (x: NDArray) => refUnstack(x, 1), tol: 'exact', grad: true },
  { kind: 'compare', op: 'outer', name: '[4] ⊗ [3]', inputs: [f32([4]), f32([3])], run: (a: Tensor, b: Tensor) => sn.outer(a, b), ref: refOuter, grad: true },
  { kind: 'compare', op: 'dot', name: 'vector · vector', inputs: [f32([5]), f32([5])], run: (a: Tensor, b: Tensor) => sn.dot(a, b), ref: refDot, tol: { accumulate: 5 }, grad: true },
  { kind: 'compare', op: 'dot', name: 'matrix · vector', inputs: [f32([3, 5]), f32([5])], run: (a: Tensor, b: Tensor) => sn.dot(a, b), ref: refDot, tol: { accumulate: 5 }, grad: true },
  { kind: 'compare', op: 'dot', name: 'vector · matrix', inputs: [f32([5]), f32([5, 2])], run: (a: Tensor, b: Tensor) => sn.dot(a, b), ref: refDot, tol: { accumulate: 5 }, grad: true },
  { kind: 'compare', op: 'dot', name: 'matrix · matrix', inputs: [f32([2, 5]), f32([5, 3])], run: (a: Tensor, b: Tensor) => sn.dot(a, b), ref: refDot, tol: { accumulate: 5 }, grad: true },
];

const takeCases: ConformanceCase[] = [
  {
    kind: 'compare', op: 'takeAlongAxis', name: 'axis 1 of [3,5] at [3,4] indices', inputs: [f32([3, 5]), i32([3, 4], 'indices<5')], tol: 'exact', grad: [0],
    run: (x: Tensor, i: Tensor) => sn.takeAlongAxis(x, i, 1), ref: (x: NDArray, i: NDArray) => refTakeAlongAxis(x, i, 1),
  },
  {
    kind: 'compare', op: 'takeAlongAxis', name: 'axis 0 of [4,3,2], indices shorter on axis 1', inputs: [f32([4, 3, 2]), i32([6, 2, 2], 'indices<4')], tol: 'exact', grad: [0],
    run: (x: Tensor, i: Tensor) => sn.takeAlongAxis(x, i, 0), ref: (x: NDArray, i: NDArray) => refTakeAlongAxis(x, i, 0),
  },
  {
    kind: 'error', op: 'takeAlongAxis', name: 'an index past the axis is an ArgumentError', error: 'ArgumentError',
    message: ['index 3 at position 1 is out of range for axis 1 of x [2,3]'], inputs: [f32([2, 3])],
    run: (x: Tensor) => sn.takeAlongAxis(x, sn.tensor([0, 3, 1, 2], [2, 2], 'int32'), 1),
  },
];

const PAD_MODES = ['reflect', 'symmetric', 'replicate', 'circular'] as const;
const padModeCases: ConformanceCase[] = [
  ...PAD_MODES.map((mode): ConformanceCase => ({
    kind: 'compare', op: 'padWithMode', name: `${mode}, [4,5] by [[2,1],[3,4]]`, inputs: [f32([4, 5])], tol: 'exact', grad: true,
    run: (x: Tensor) => sn.padWithMode(x, [[2, 1], [3, 4]], mode), ref: (x: NDArray) => refPadMode(x, [[2, 1], [3, 4]], mode),
  })),
  {
    kind: 'compare', op: 'padWithMode', name: 'constant is pad', inputs: [f32([2, 3])], tol: 'exact',
    run: (x: Tensor) => sn.padWithMode(x, [[1, 0], [0, 2]], 'constant', 7), ref: (x: NDArray) => refPad(x, [[1, 0], [0, 2]], 7),
  },
  {
    kind: 'compare', op: 'mirrorPad', name: 'reflect on a transposed [3,4]', inputs: [f32([3, 4], 'normal', 'transposed')], tol: 'exact', grad: true,
    run: (x: Tensor) => sn.mirrorPad(x, [[1, 1], [2, 0]], 'reflect'), ref: (x: NDArray) => refPadMode(x, [[1, 1], [2, 0]], 'reflect'),
  },
  {
    kind: 'error', op: 'padWithMode', name: 'reflect wider than the axis allows', error: 'ArgumentError',
    message: ["'reflect' padding [3, 0] of axis 0 is too large for its size 3"], inputs: [f32([3, 2])],
    run: (x: Tensor) => sn.padWithMode(x, [[3, 0], [0, 0]], 'reflect'),
  },
];

/** Cases of the arrangement ops (flip, tile, roll, triangles, diagonals, grids, unstack, outer, dot). */
export const rearrangeCases: ConformanceCase[] = [
  ...flipCases, ...takeCases, ...padModeCases, ...tileCases, ...rollCases, ...triangleCases, ...diagCases, ...gridCases, ...productCases,
];
