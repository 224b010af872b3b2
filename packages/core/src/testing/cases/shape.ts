import * as sn from '../../index.js';
import type { Tensor } from '../../index.js';
import { refBroadcastTo } from '../reference/broadcast.js';
import { refExpandDims, refFlatten, refReshape, refSqueeze, refTranspose } from '../reference/layout.js';
import type { NDArray } from '../reference/ndarray.js';
import { bool, f32, i32 } from './helpers.js';
import type { ConformanceCase, InputSpec } from './types.js';

type One = (x: Tensor) => Tensor;
type RefOne = (x: NDArray) => NDArray;

function c(op: string, name: string, input: InputSpec, run: One, ref: RefOne, grad = true): ConformanceCase {
  return { kind: 'compare', op, name, inputs: [input], run, ref, tol: 'exact', grad: grad && (input.dtype ?? 'float32') === 'float32' };
}

const transposeCases: ConformanceCase[] = [
  c('transpose', 'default reverses [3,5]', f32([3, 5]), (x) => sn.transpose(x), (x) => refTranspose(x)),
  c('transpose', 'default reverses rank 3 [2,3,5]', f32([2, 3, 5]), (x) => sn.transpose(x), (x) => refTranspose(x)),
  c('transpose', 'perm [1,2,0] of [2,3,4]', f32([2, 3, 4]), (x) => sn.transpose(x, [1, 2, 0]), (x) => refTranspose(x, [1, 2, 0])),
  c('transpose', 'perm [0,2,1,3] of [2,3,1,5]', f32([2, 3, 1, 5]), (x) => sn.transpose(x, [0, 2, 1, 3]), (x) => refTranspose(x, [0, 2, 1, 3])),
  c('transpose', 'of a transposed view (double transpose)', f32([4, 7], 'normal', 'transposed'), (x) => sn.transpose(x), (x) => refTranspose(x)),
  c('transpose', 'of a sliced view', f32([3, 2, 4], 'normal', 'sliced'), (x) => sn.transpose(x, [2, 0, 1]), (x) => refTranspose(x, [2, 0, 1])),
  c('transpose', 'rank 1 is the identity', f32([7]), (x) => sn.transpose(x), (x) => refTranspose(x)),
  c('transpose', 'scalar', f32([]), (x) => sn.transpose(x), (x) => refTranspose(x)),
  c('transpose', 'int32', i32([3, 4]), (x) => sn.transpose(x), (x) => refTranspose(x)),
  c('transpose', 'bool', bool([2, 3, 2]), (x) => sn.transpose(x, [2, 1, 0]), (x) => refTranspose(x, [2, 1, 0])),
  c('transpose', 'empty [0,3]', f32([0, 3]), (x) => sn.transpose(x), (x) => refTranspose(x), false),
  c('permute', 'perm [2,0,1] of [3,4,5]', f32([3, 4, 5]), (x) => sn.permute(x, [2, 0, 1]), (x) => refTranspose(x, [2, 0, 1])),
  c('permute', 'perm [1,0] of a sliced view', f32([5, 3], 'normal', 'sliced'), (x) => sn.permute(x, [1, 0]), (x) => refTranspose(x, [1, 0])),
];

const reshapeCases: ConformanceCase[] = [
  c('reshape', '[3,4] → [2,6]', f32([3, 4]), (x) => sn.reshape(x, [2, 6]), (x) => refReshape(x, [2, 6])),
  c('reshape', 'with -1: [2,3,5] → [-1,5]', f32([2, 3, 5]), (x) => sn.reshape(x, [-1, 5]), (x) => refReshape(x, [-1, 5])),
  c('reshape', '[1] → scalar', f32([1]), (x) => sn.reshape(x, []), (x) => refReshape(x, [])),
  c('reshape', 'scalar → [1,1]', f32([]), (x) => sn.reshape(x, [1, 1]), (x) => refReshape(x, [1, 1])),
  c('reshape', 'of a transposed view', f32([3, 5], 'normal', 'transposed'), (x) => sn.reshape(x, [5, 3]), (x) => refReshape(x, [5, 3])),
  c('reshape', 'of a sliced view', f32([2, 3, 2], 'normal', 'sliced'), (x) => sn.reshape(x, [-1]), (x) => refReshape(x, [-1])),
  c('reshape', 'int32', i32([4, 3]), (x) => sn.reshape(x, [2, 2, 3]), (x) => refReshape(x, [2, 2, 3])),
  c('reshape', 'empty [0,4] → [4,0]', f32([0, 4]), (x) => sn.reshape(x, [4, 0]), (x) => refReshape(x, [4, 0]), false),
  c('squeeze', 'all size-1 axes of [1,3,1,5]', f32([1, 3, 1, 5]), (x) => sn.squeeze(x), (x) => refSqueeze(x)),
  c('squeeze', 'chosen axes [2] of [1,3,1,5]', f32([1, 3, 1, 5]), (x) => sn.squeeze(x, [2]), (x) => refSqueeze(x, [2])),
  c('squeeze', 'negative axis of [3,1]', f32([3, 1]), (x) => sn.squeeze(x, -1), (x) => refSqueeze(x, [-1])),
  c('squeeze', '[1,1] → scalar', f32([1, 1]), (x) => sn.squeeze(x), (x) => refSqueeze(x)),
  c('expandDims', 'axis 0 of [3,5]', f32([3, 5]), (x) => sn.expandDims(x, 0), (x) => refExpandDims(x, 0)),
  c('expandDims', 'axis 1 of [3,5]', f32([3, 5]), (x) => sn.expandDims(x, 1), (x) => refExpandDims(x, 1)),
  c('expandDims', 'axis -1 appends', f32([3, 5], 'normal', 'transposed'), (x) => sn.expandDims(x, -1), (x) => refExpandDims(x, -1)),
  c('expandDims', 'of a scalar', f32([]), (x) => sn.expandDims(x, 0), (x) => refExpandDims(x, 0)),
  c('flatten', 'default of [2,3,4]', f32([2, 3, 4]), (x) => sn.flatten(x), (x) => refFlatten(x)),
  c('flatten', 'axes 1..2 of [2,3,4,5]', f32([2, 3, 4, 5]), (x) => sn.flatten(x, 1, 2), (x) => refFlatten(x, 1, 2)),
  c('flatten', 'from axis 1 of a transposed view', f32([2, 3, 4], 'normal', 'transposed'), (x) => sn.flatten(x, 1), (x) => refFlatten(x, 1)),
  c('flatten', 'rank 1 is unchanged', f32([7]), (x) => sn.flatten(x), (x) => refFlatten(x)),
  c('broadcastTo', '[3] → [2,3]', f32([3]), (x) => sn.broadcastTo(x, [2, 3]), (x) => refBroadcastTo(x, [2, 3])),
  c('broadcastTo', '[3,1] → [2,3,4]', f32([3, 1]), (x) => sn.broadcastTo(x, [2, 3, 4]), (x) => refBroadcastTo(x, [2, 3, 4])),
  c('broadcastTo', 'scalar → [2,2]', f32([]), (x) => sn.broadcastTo(x, [2, 2]), (x) => refBroadcastTo(x, [2, 2])),
  c('broadcastTo', 'same shape', f32([2, 5]), (x) => sn.broadcastTo(x, [2, 5]), (x) => refBroadcastTo(x, [2, 5])),
  c('broadcastTo', 'of a sliced view [1,4] → [3,4]', f32([1, 4], 'normal', 'sliced'), (x) => sn.broadcastTo(x, [3, 4]), (x) => refBroadcastTo(x, [3, 4])),
  c('broadcastTo', 'int32 [1,3] → [4,3]', i32([1, 3]), (x) => sn.broadcastTo(x, [4, 3]), (x) => refBroadcastTo(x, [4, 3])),
  c('broadcastTo', 'to an empty shape [0,3]', f32([3]), (x) => sn.broadcastTo(x, [0, 3]), (x) => refBroadcastTo(x, [0, 3]), false),
];

export const shapeCases: ConformanceCase[] = [...transposeCases, ...reshapeCases];
