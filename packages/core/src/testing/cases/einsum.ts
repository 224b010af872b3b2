/**
 * Cases of einsum against a brute-force float64 reference: batched and chained contractions, implicit
 * outputs, transposes, reductions, outer products, diagonals and traces, odd and empty sizes, with
 * gradients; and the errors for equations that do not parse or do not fit the operands.
 */
import * as sn from '../../index.js';
import type { Tensor } from '../../index.js';
import { refBroadcastTo } from '../reference/broadcast.js';
import { refEinsum } from '../reference/einsum.js';
import type { NDArray } from '../reference/ndarray.js';
import { f32, i32 } from './helpers.js';
import type { ConformanceCase, InputSpec } from './types.js';

/** An einsum compare case; `output` is the explicit output the reference computes (the implicit one for equations without '->'). */
function einsumCase(equation: string, output: string, inputs: InputSpec[], terms: number, grad = true): ConformanceCase {
  const subs = equation.split('->')[0]!.split(',');
  return {
    kind: 'compare', op: 'einsum', name: `'${equation}' on ${inputs.map((s) => `[${s.shape.join(',')}]`).join(', ')}`, inputs,
    tol: { accumulate: Math.max(terms, 1) }, grad,
    run: (...xs: Tensor[]) => sn.einsum(equation, ...xs), ref: (...xs: NDArray[]) => refEinsum(subs, output, xs),
  };
}

const compareCases: ConformanceCase[] = [
  einsumCase('bij,bjk->bik', 'bik', [f32([3, 2, 5]), f32([3, 5, 4])], 5),
  einsumCase('ij,jk', 'ik', [f32([3, 7]), f32([7, 2])], 7),
  einsumCase('ij,jk,kl->li', 'li', [f32([2, 3]), f32([3, 4]), f32([4, 5])], 12),
  einsumCase('ij->ji', 'ji', [f32([3, 5], 'normal', 'transposed')], 1),
  einsumCase('bji,bjk->bik', 'bik', [f32([2, 5, 3]), f32([2, 5, 4])], 5),
  einsumCase('bji,bkj->bik', 'bik', [f32([2, 5, 3]), f32([2, 4, 5])], 5),
  einsumCase('ijk->', '', [f32([2, 3, 4])], 24),
  einsumCase('ijk->j', 'j', [f32([3, 5, 2])], 6),
  einsumCase('i,j->ij', 'ij', [f32([4]), f32([3])], 1),
  einsumCase('i,i', '', [f32([7]), f32([7])], 7),
  einsumCase('bhqd,bhkd->bhqk', 'bhqk', [f32([2, 3, 4, 5]), f32([2, 3, 6, 5])], 5),
  einsumCase('ij,kj->ikj', 'ikj', [f32([2, 3]), f32([4, 3])], 1),
  einsumCase('abc,cd,bd->ad', 'ad', [f32([2, 3, 4]), f32([4, 5]), f32([3, 5])], 12),
  einsumCase('ii->i', 'i', [f32([4, 4])], 1),
  einsumCase('ii', '', [f32([5, 5])], 5),
  einsumCase('iij,jk->ik', 'ik', [f32([3, 3, 2]), f32([2, 4])], 2),
  einsumCase('Ba,aC->BC', 'BC', [f32([2, 3]), f32([3, 4])], 3),
  einsumCase('ij,jk->ik', 'ik', [f32([3, 0]), f32([0, 2])], 1, false),
  einsumCase('ij->ji', 'ji', [i32([2, 3])], 1, false),
];

/** An einsum with '...' against the reference's all-letter equation, the operands broadcast to `shapes` first. */
function ellipsisCase(equation: string, letters: string, shapes: number[][], inputs: InputSpec[], terms: number): ConformanceCase {
  const [lhs, output] = letters.split('->') as [string, string];
  return {
    kind: 'compare', op: 'einsum', name: `'${equation}' on ${inputs.map((s) => `[${s.shape.join(',')}]`).join(', ')}`, inputs,
    tol: { accumulate: terms }, grad: true,
    run: (...xs: Tensor[]) => sn.einsum(equation, ...xs),
    ref: (...xs: NDArray[]) => refEinsum(lhs.split(','), output, xs.map((x, i) => refBroadcastTo(x, shapes[i]!))),
  };
}

const ellipsisCases: ConformanceCase[] = [
  ellipsisCase('...ij,...jk->...ik', 'zij,zjk->zik', [[2, 3, 4], [2, 4, 5]], [f32([2, 3, 4]), f32([2, 4, 5])], 4),
  ellipsisCase('...ij,jk', 'yzij,jk->yzik', [[2, 1, 3, 4], [4, 5]], [f32([2, 1, 3, 4]), f32([4, 5])], 4),
  ellipsisCase('...ij,...jk->...ik', 'yzij,zjk->yzik', [[2, 5, 3, 4], [5, 4, 2]], [f32([2, 1, 3, 4]), f32([5, 4, 2])], 4),
  ellipsisCase('i...j->...', 'iabj->ab', [[2, 3, 4, 5]], [f32([2, 3, 4, 5])], 10),
];

const errorCases: ConformanceCase[] = [
  {
    kind: 'error', op: 'einsum', name: 'an unparsable equation is an ArgumentError', error: 'ArgumentError', message: ["cannot parse 'ij-jk'"],
    inputs: [f32([2, 2])], run: (a: Tensor) => sn.einsum('ij-jk', a),
  },
  {
    kind: 'error', op: 'einsum', name: 'an operand count mismatch is an ArgumentError', error: 'ArgumentError',
    message: ["'ij,jk->ik' names 2 operand(s), got 1", '[2,3]'], inputs: [f32([2, 3])], run: (a: Tensor) => sn.einsum('ij,jk->ik', a),
  },
  {
    kind: 'error', op: 'einsum', name: 'a rank mismatch is a ShapeError', error: 'ShapeError',
    message: ['operand 1 [3,4,2] has rank 3', "'jk'"], inputs: [f32([2, 3]), f32([3, 4, 2])], run: (a: Tensor, b: Tensor) => sn.einsum('ij,jk->ik', a, b),
  },
  {
    kind: 'error', op: 'einsum', name: 'one index with two sizes is a ShapeError', error: 'ShapeError',
    message: ["index 'j'", 'size 3 in operand 0 [2,3]', 'but 4 in operand 1 [4,5]'], inputs: [f32([2, 3]), f32([4, 5])],
    run: (a: Tensor, b: Tensor) => sn.einsum('ij,jk->ik', a, b),
  },
  {
    kind: 'error', op: 'einsum', name: "'...' axes that do not broadcast are a ShapeError", error: 'ShapeError',
    message: ["'...' axes of operand 0 [2,3] and operand 1 [4,3] do not broadcast"], inputs: [f32([2, 3]), f32([4, 3])],
    run: (a: Tensor, b: Tensor) => sn.einsum('...i,...i', a, b),
  },
  {
    kind: 'error', op: 'einsum', name: "an explicit output without '...' when the operands have '...' axes is an ArgumentError", error: 'ArgumentError',
    message: ["the output of '...i->i' must keep '...'", '[3,2,4]'], inputs: [f32([3, 2, 4])], run: (a: Tensor) => sn.einsum('...i->i', a),
  },
  {
    kind: 'error', op: 'einsum', name: "two dots are not an ellipsis (an ArgumentError)", error: 'ArgumentError',
    message: ["cannot parse 'i..j'"], inputs: [f32([2, 3])], run: (a: Tensor) => sn.einsum('i..j', a),
  },
  {
    kind: 'error', op: 'einsum', name: 'an output index no operand has is an ArgumentError', error: 'ArgumentError',
    message: ["output index 'k'"], inputs: [f32([2, 3])], run: (a: Tensor) => sn.einsum('ij->ik', a),
  },
];

/** Every case of this file. */
export const einsumCases: readonly ConformanceCase[] = [...compareCases, ...ellipsisCases, ...errorCases];
