import * as sn from '../../index.js';
import type { Tensor } from '../../index.js';
import { refMatmul } from '../reference/matmul.js';
import type { NDArray } from '../reference/ndarray.js';
import { f32 } from './helpers.js';
import type { ConformanceCase, InputSpec } from './types.js';

/** [name, a, b, transposeA, transposeB, inner length, gradient] */
const PATTERNS: [string, InputSpec, InputSpec, boolean, boolean, number, boolean][] = [
  ['[3,5] × [5,7]', f32([3, 5]), f32([5, 7]), false, false, 5, true],
  ['transposeA: [5,3]ᵀ × [5,7]', f32([5, 3]), f32([5, 7]), true, false, 5, true],
  ['transposeB: [3,5] × [7,5]ᵀ', f32([3, 5]), f32([7, 5]), false, true, 5, true],
  ['both transposed: [5,3]ᵀ × [7,5]ᵀ', f32([5, 3]), f32([7, 5]), true, true, 5, true],
  ['batched [2,3,4] × [2,4,5]', f32([2, 3, 4]), f32([2, 4, 5]), false, false, 4, true],
  ['batch broadcast [2,1,3,4] × [5,4,2]', f32([2, 1, 3, 4]), f32([5, 4, 2]), false, false, 4, true],
  ['batch broadcast with transposes [3,4,2]ᵀ × [1,5,4]ᵀ', f32([3, 4, 2]), f32([1, 5, 4]), true, true, 4, true],
  ['rank-2 × batched [3,4] × [2,4,5]', f32([3, 4]), f32([2, 4, 5]), false, false, 4, true],
  ['vector × matrix [5] × [5,3]', f32([5]), f32([5, 3]), false, false, 5, true],
  ['matrix × vector [3,5] × [5]', f32([3, 5]), f32([5]), false, false, 5, true],
  ['vector · vector [7] × [7]', f32([7]), f32([7]), false, false, 7, true],
  ['batched × vector [2,3,5] × [5]', f32([2, 3, 5]), f32([5]), false, false, 5, true],
  ['inner 1: [4,1] × [1,3]', f32([4, 1]), f32([1, 3]), false, false, 1, true],
  ['1×1 output [1,13] × [13,1]', f32([1, 13]), f32([13, 1]), false, false, 13, true],
  ['transposed views [4,6] × [6,3]', f32([4, 6], 'normal', 'transposed'), f32([6, 3], 'normal', 'transposed'), false, false, 6, true],
  ['sliced views [3,5] × [5,2]', f32([3, 5], 'normal', 'sliced'), f32([5, 2], 'normal', 'sliced'), false, false, 5, true],
  ['transposed view with transposeB [3,4] × [5,4]ᵀ', f32([3, 4], 'normal', 'transposed'), f32([5, 4]), false, true, 4, false],
  ['long inner [2,257] × [257,3]', f32([2, 257]), f32([257, 3]), false, false, 257, true],
  ['larger [33,65] × [65,17]', f32([33, 65]), f32([65, 17]), false, false, 65, true],
  ['crosses row and depth blocks [66,258] × [258,9]', f32([66, 258]), f32([258, 9]), false, false, 258, true],
  ['crosses blocks with transposes [258,66]ᵀ × [9,258]ᵀ', f32([258, 66]), f32([9, 258]), true, true, 258, true],
  // Depth past 1024 crosses a depth block of 256 or 512 (wasm's KC) more than once.
  ['crosses several depth blocks [13,1031] × [1031,7]', f32([13, 1031]), f32([1031, 7]), false, false, 1031, false],
  ['crosses several depth blocks with transposes [1031,13]ᵀ × [7,1031]ᵀ', f32([1031, 13]), f32([7, 1031]), true, true, 1031, false],
  ['crosses the column block [2,5] × [5,1027]', f32([2, 5]), f32([5, 1027]), false, false, 5, true],
  ['batched, blocked [3,70,45] × [3,45,90]ᵀ', f32([3, 70, 45]), f32([3, 90, 45]), false, true, 45, true],
  ['empty inner [3,0] × [0,4] gives zeros', f32([3, 0]), f32([0, 4]), false, false, 1, false],
  ['empty rows [0,5] × [5,3]', f32([0, 5]), f32([5, 3]), false, false, 5, false],
];

export const matmulCases: ConformanceCase[] = PATTERNS.map(([name, a, b, ta, tb, k, grad]) => ({
  kind: 'compare',
  op: 'matmul',
  name,
  inputs: [a, b],
  run: (x: Tensor, y: Tensor) => (ta || tb ? sn.matmul(x, y, { transposeA: ta, transposeB: tb }) : sn.matmul(x, y)),
  ref: (x: NDArray, y: NDArray) => refMatmul(x, y, ta, tb),
  tol: { accumulate: k },
  grad,
}));
