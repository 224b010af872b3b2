/**
 * TensorFlow.js's gatherND and scatterND: the last axis of int32 `indices` addresses the leading axes
 * of a tensor. Both linearise those indices into row numbers of the tensor flattened to [rows, rest]
 * and gather or scatter-add whole rows (ops/scatter-rows.ts).
 */
import { tidy } from '../engine/engine.js';
import { ArgumentError, ShapeError, fmtShape } from '../errors.js';
import { isArray, shapesEqual, sizeOf, stridesOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { mul } from './binary.js';
import { expectDType, expectTensor } from './convert.js';
import { tensor } from './creation.js';
import { checkIndexRange, indexTensor, type IndexInput } from './index-checks.js';
import { sum } from './reduce.js';
import { reshape } from './reshape.js';
import { gatherRows, scatterAddRows } from './scatter-rows.js';

/** Checks indices [..., K] against the leading K axes of `shape` and returns K and their row numbers [m]. */
function rowNumbers(op: string, idx: Tensor, shape: readonly number[], what: string): { k: number; lin: Tensor } {
  const k = idx.shape[idx.rank - 1] ?? 0;
  if (idx.rank === 0 || k < 1 || k > shape.length) {
    throw new ShapeError(`${op}: the last axis of indices ${fmtShape(idx.shape)} must be between 1 and the rank of ${what} ${fmtShape(shape)}`);
  }
  checkIndexRange(idx, op, (p) => {
    const axis = p % k;
    return { low: 0, high: shape[axis]!, what: `axis ${axis} of ${what} ${fmtShape(shape)}` };
  });
  const strides = stridesOf(shape.slice(0, k));
  const lin = sum(mul(idx, tensor(Int32Array.from(strides), [k], 'int32')), -1);
  return { k, lin: reshape(lin, [lin.size]) };
}

/**
 * Gathers slices of x addressed by the last axis of int32 `indices` [..., K] (TensorFlow.js's
 * `gatherND`): out[b] = x[indices[b, 0], ..., indices[b, K-1]], of shape indices.shape[:-1] + x.shape[K:].
 * Each index must lie in [0, x.shape[j]) (the same error on every backend). Gradients flow to x.
 * @example gatherND(x, [[0, 1], [2, 0]]) // [x[0][1], x[2][0]]
 */
export function gatherND(x: Tensor, indices: IndexInput): Tensor {
  const op = 'gatherND';
  expectTensor(x, op, 'x');
  return tidy(() => {
    const idx = indexTensor(indices, op, 'indices');
    const { k, lin } = rowNumbers(op, idx, x.shape, 'x');
    const rest = x.shape.slice(k);
    const rows = gatherRows(reshape(x, [sizeOf(x.shape.slice(0, k)), sizeOf(rest)]), lin);
    return reshape(rows, [...idx.shape.slice(0, -1), ...rest]);
  });
}

/**
 * Scatters float32 `updates` into zeros of `shape` at the positions the last axis of int32 `indices`
 * [..., K] addresses (TensorFlow.js's `scatterND`): out[indices[b]] += updates[b], so repeated indices
 * add up, as in TensorFlow.js. updates has shape indices.shape[:-1] + shape[K:]. Gradients flow to updates.
 */
export function scatterND(indices: IndexInput, updates: Tensor, shape: readonly number[]): Tensor {
  const op = 'scatterND';
  expectTensor(updates, op, 'updates');
  expectDType(updates, ['float32'], op, 'updates');
  if (!isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new ArgumentError(`${op}: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  return tidy(() => {
    const idx = indexTensor(indices, op, 'indices');
    const k = idx.shape[idx.rank - 1] ?? 0;
    const want = [...idx.shape.slice(0, -1), ...shape.slice(k)];
    if (k >= 1 && k <= shape.length && !shapesEqual(updates.shape, want)) {
      throw new ShapeError(`${op}: updates ${fmtShape(updates.shape)} must have shape ${fmtShape(want)} for indices ${fmtShape(idx.shape)} into ${fmtShape(shape)}`);
    }
    const { lin } = rowNumbers(op, idx, shape, 'the output');
    const rest = shape.slice(k);
    const out = scatterAddRows(reshape(updates, [lin.size, sizeOf(rest)]), lin, sizeOf(shape.slice(0, k)));
    return reshape(out, shape);
  });
}
