import * as sn from '../../index.js';
import type { Tensor } from '../../index.js';
import { refConcat, refPad, refSlice, refSplit, refStack } from '../reference/slicing.js';
import type { NDArray } from '../reference/ndarray.js';
import { bool, f32, i32 } from './helpers.js';
import type { ConformanceCase, InputSpec } from './types.js';

function slice(name: string, input: InputSpec, begin: number[], size: number[] | undefined, grad = true): ConformanceCase {
  return {
    kind: 'compare', op: 'slice', name, inputs: [input], tol: 'exact', grad: grad && (input.dtype ?? 'float32') === 'float32',
    run: (x: Tensor) => (size ? sn.slice(x, begin, size) : sn.slice(x, begin)),
    ref: (x: NDArray) => refSlice(x, begin, size),
  };
}

const sliceCases: ConformanceCase[] = [
  slice('begin [1,2] size [2,3] of [4,7]', f32([4, 7]), [1, 2], [2, 3]),
  slice('size -1 runs to the end', f32([4, 7]), [2, 3], [-1, -1]),
  slice('no size: to the end', f32([5, 3]), [2, 1], undefined),
  slice('begin shorter than rank covers leading axes', f32([4, 3, 2]), [1], [2]),
  slice('rank 3 interior', f32([3, 5, 4]), [1, 1, 1], [2, 3, 2]),
  slice('of a transposed view', f32([5, 6], 'normal', 'transposed'), [1, 0], [3, 4]),
  slice('of a sliced view', f32([5, 6], 'normal', 'sliced'), [2, 1], [2, 5]),
  slice('empty result', f32([4, 3]), [1, 0], [0, 3], false),
  slice('whole tensor', f32([2, 3]), [0, 0], [2, 3]),
  slice('int32', i32([5, 4]), [1, 1], [3, 2]),
  slice('bool', bool([5, 4]), [0, 2], [4, -1]),
];

const concatCases: ConformanceCase[] = [
  {
    kind: 'compare', op: 'concat', name: 'two along axis 0', inputs: [f32([2, 3]), f32([4, 3])], tol: 'exact', grad: true,
    run: (a: Tensor, b: Tensor) => sn.concat([a, b]), ref: (a: NDArray, b: NDArray) => refConcat([a, b]),
  },
  {
    kind: 'compare', op: 'concat', name: 'three along axis 1', inputs: [f32([3, 1]), f32([3, 5]), f32([3, 2])], tol: 'exact', grad: true,
    run: (a: Tensor, b: Tensor, d: Tensor) => sn.concat([a, b, d], 1), ref: (a: NDArray, b: NDArray, d: NDArray) => refConcat([a, b, d], 1),
  },
  {
    kind: 'compare', op: 'concat', name: 'negative axis, rank 3, views', inputs: [f32([2, 3, 2], 'normal', 'transposed'), f32([2, 3, 3], 'normal', 'sliced')], tol: 'exact', grad: true,
    run: (a: Tensor, b: Tensor) => sn.concat([a, b], -1), ref: (a: NDArray, b: NDArray) => refConcat([a, b], -1),
  },
  {
    kind: 'compare', op: 'concat', name: 'with an empty part', inputs: [f32([2, 0]), f32([2, 3])], tol: 'exact', grad: [1],
    run: (a: Tensor, b: Tensor) => sn.concat([a, b], 1), ref: (a: NDArray, b: NDArray) => refConcat([a, b], 1),
  },
  {
    kind: 'compare', op: 'concat', name: 'a single tensor', inputs: [f32([3, 2])], tol: 'exact', grad: true,
    run: (a: Tensor) => sn.concat([a]), ref: (a: NDArray) => refConcat([a]),
  },
  {
    kind: 'compare', op: 'concat', name: 'int32', inputs: [i32([2, 2]), i32([2, 3])], tol: 'exact',
    run: (a: Tensor, b: Tensor) => sn.concat([a, b], 1), ref: (a: NDArray, b: NDArray) => refConcat([a, b], 1),
  },
  {
    kind: 'compare', op: 'concat', name: 'bool', inputs: [bool([1, 3]), bool([2, 3])], tol: 'exact',
    run: (a: Tensor, b: Tensor) => sn.concat([a, b]), ref: (a: NDArray, b: NDArray) => refConcat([a, b]),
  },
];

const stackCases: ConformanceCase[] = [
  {
    kind: 'compare', op: 'stack', name: 'two [3] along axis 0', inputs: [f32([3]), f32([3])], tol: 'exact', grad: true,
    run: (a: Tensor, b: Tensor) => sn.stack([a, b]), ref: (a: NDArray, b: NDArray) => refStack([a, b]),
  },
  {
    kind: 'compare', op: 'stack', name: 'three [2,3] along axis 1', inputs: [f32([2, 3]), f32([2, 3], 'normal', 'transposed'), f32([2, 3], 'normal', 'sliced')], tol: 'exact', grad: true,
    run: (a: Tensor, b: Tensor, d: Tensor) => sn.stack([a, b, d], 1), ref: (a: NDArray, b: NDArray, d: NDArray) => refStack([a, b, d], 1),
  },
  {
    kind: 'compare', op: 'stack', name: 'axis -1', inputs: [f32([2, 3]), f32([2, 3])], tol: 'exact', grad: true,
    run: (a: Tensor, b: Tensor) => sn.stack([a, b], -1), ref: (a: NDArray, b: NDArray) => refStack([a, b], -1),
  },
  {
    kind: 'compare', op: 'stack', name: 'scalars', inputs: [f32([]), f32([]), f32([])], tol: 'exact', grad: true,
    run: (a: Tensor, b: Tensor, d: Tensor) => sn.stack([a, b, d]), ref: (a: NDArray, b: NDArray, d: NDArray) => refStack([a, b, d]),
  },
  {
    kind: 'compare', op: 'stack', name: 'int32', inputs: [i32([4]), i32([4])], tol: 'exact',
    run: (a: Tensor, b: Tensor) => sn.stack([a, b], 1), ref: (a: NDArray, b: NDArray) => refStack([a, b], 1),
  },
];

function split(name: string, input: InputSpec, arg: number | number[], axis: number | undefined, grad = true): ConformanceCase {
  return {
    kind: 'compare', op: 'split', name, inputs: [input], tol: 'exact', grad,
    run: (x: Tensor) => (axis === undefined ? sn.split(x, arg) : sn.split(x, arg, axis)),
    ref: (x: NDArray) => refSplit(x, arg, axis ?? 0),
  };
}

const splitCases: ConformanceCase[] = [
  split('into 3 equal parts along axis 0', f32([6, 2]), 3, undefined),
  split('sizes [1,3,2] along axis 1', f32([2, 6]), [1, 3, 2], 1),
  split('axis -1 of a transposed view', f32([3, 4], 'normal', 'transposed'), 2, -1),
  split('of a sliced view', f32([5, 3], 'normal', 'sliced'), [2, 3], 0),
  split('into 1 part', f32([3, 2]), 1, 0),
  split('with an empty part', f32([4, 2]), [0, 4], 0),
  split('int32', i32([4, 3]), [3, 1], 0, false),
];

function pad(name: string, input: InputSpec, p: [number, number][], value: number | undefined, grad = true): ConformanceCase {
  return {
    kind: 'compare', op: 'pad', name, inputs: [input], tol: 'exact', grad: grad && (input.dtype ?? 'float32') === 'float32',
    run: (x: Tensor) => (value === undefined ? sn.pad(x, p) : sn.pad(x, p, value)),
    ref: (x: NDArray) => refPad(x, p, value ?? 0),
  };
}

const padCases: ConformanceCase[] = [
  pad('[[1,2],[0,3]] with zeros', f32([3, 4]), [[1, 2], [0, 3]], undefined),
  pad('constant -1.5', f32([2, 3]), [[0, 1], [2, 0]], -1.5),
  pad('rank 1', f32([5]), [[3, 1]], 0),
  pad('rank 4 (image-like)', f32([1, 2, 3, 3]), [[0, 0], [0, 0], [1, 1], [2, 1]], undefined),
  pad('no padding', f32([2, 2]), [[0, 0], [0, 0]], undefined),
  pad('of a transposed view', f32([3, 5], 'normal', 'transposed'), [[1, 0], [1, 1]], 2),
  pad('of an empty tensor', f32([0, 2]), [[1, 1], [0, 0]], 7, false),
  pad('int32', i32([2, 3]), [[1, 1], [1, 0]], 4),
];

export const joiningCases: ConformanceCase[] = [...sliceCases, ...concatCases, ...stackCases, ...splitCases, ...padCases];
