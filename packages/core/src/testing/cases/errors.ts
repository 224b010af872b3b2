import * as sn from '../../index.js';
import type { Tensor } from '../../index.js';
import { f32 } from './helpers.js';
import type { ConformanceCase } from './types.js';

export const errorCases: ConformanceCase[] = [
  {
    kind: 'error', op: 'matmul', name: 'inner dimensions do not match', inputs: [f32([2, 3]), f32([4, 5])],
    run: (a: Tensor, b: Tensor) => sn.matmul(a, b), error: 'ShapeError', message: ['[2,3]', '[4,5]'],
  },
  {
    kind: 'error', op: 'matmul', name: 'batch dimensions do not broadcast', inputs: [f32([2, 3, 4]), f32([3, 4, 5])],
    run: (a: Tensor, b: Tensor) => sn.matmul(a, b), error: 'ShapeError', message: ['[2,3,4]', '[3,4,5]'],
  },
  {
    kind: 'error', op: 'add', name: 'shapes do not broadcast', inputs: [f32([2, 3]), f32([4, 3])],
    run: (a: Tensor, b: Tensor) => sn.add(a, b), error: 'ShapeError', message: ['[2,3]', '[4,3]'],
  },
  {
    kind: 'error', op: 'where', name: 'shapes do not broadcast', inputs: [{ shape: [3], dtype: 'bool' }, f32([4]), f32([4])],
    run: (c: Tensor, a: Tensor, b: Tensor) => sn.where(c, a, b), error: 'ShapeError', message: ['[3]', '[4]'],
  },
  {
    kind: 'error', op: 'sum', name: 'axis out of range', inputs: [f32([2, 3])],
    run: (x: Tensor) => sn.sum(x, 2), error: 'ArgumentError', message: ['2'],
  },
  {
    kind: 'error', op: 'softmax', name: 'axis out of range', inputs: [f32([2, 3])],
    run: (x: Tensor) => sn.softmax(x, -3), error: 'ArgumentError', message: ['-3'],
  },
  {
    kind: 'error', op: 'reshape', name: 'sizes do not match', inputs: [f32([2, 3])],
    run: (x: Tensor) => sn.reshape(x, [4, 2]), error: 'ShapeError', message: ['[2,3]', '[4,2]'],
  },
  {
    kind: 'error', op: 'concat', name: 'non-axis dimensions differ', inputs: [f32([2, 3]), f32([2, 4])],
    run: (a: Tensor, b: Tensor) => sn.concat([a, b], 0), error: 'ShapeError', message: ['[2,3]', '[2,4]'],
  },
  {
    kind: 'error', op: 'conv2d', name: 'input channels do not match the filter', inputs: [f32([1, 3, 5, 5]), f32([2, 2, 3, 3])],
    run: (x: Tensor, w: Tensor) => sn.conv2d(x, w), error: 'ShapeError', message: ['[1,3,5,5]', '[2,2,3,3]'],
  },
  {
    kind: 'error', op: 'transpose', name: 'perm is not a permutation of the axes', inputs: [f32([2, 3])],
    run: (x: Tensor) => sn.transpose(x, [0, 0]), error: 'ArgumentError', message: ['[2,3]'],
  },
  {
    kind: 'error', op: 'tensor', name: 'value count does not fill the shape', inputs: [],
    run: () => sn.tensor([1, 2, 3], [2, 2]), error: 'ShapeError', message: ['[2,2]', '3'],
  },
  {
    // Indices given as an array are checked on the host, so every backend (async-only ones too) rejects them.
    kind: 'error', op: 'gather', name: 'index out of range', inputs: [f32([4, 3])],
    run: (x: Tensor) => sn.gather(x, [1, 4], 0), error: 'ArgumentError', message: ['gather', '4', 'out of range'],
  },
];
