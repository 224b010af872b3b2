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
import { cast } from './cast.js';
import { expectDType, expectTensor } from './convert.js';
import { full, tensor } from './creation.js';
import { checkIndexRange, checkNoRepeats, indexTensor, type IndexInput } from './index-checks.js';
import { sum } from './reduce.js';
import { reshape } from './reshape.js';
import { gatherRows, scatterAddRows, writeRows } from './scatter-rows.js';

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

/**
 * A copy of x with the slices addressed by the last axis of int32 `indices` [..., K] replaced by
 * `updates` (TensorFlow.js's `tensorScatterUpdate`; updates has shape indices.shape[:-1] + x.shape[K:]).
 * Two index positions addressing the same slice are an ArgumentError (tfjs leaves the result
 * undefined), as with `scatter`. Any dtype; gradients flow to x (outside the written slices) and to updates.
 */
export function tensorScatterUpdate(x: Tensor, indices: IndexInput, updates: Tensor): Tensor {
  const op = 'tensorScatterUpdate';
  expectTensor(x, op, 'x');
  expectTensor(updates, op, 'updates');
  return tidy(() => {
    const idx = indexTensor(indices, op, 'indices');
    const { k, lin } = rowNumbers(op, idx, x.shape, 'x');
    const want = [...idx.shape.slice(0, -1), ...x.shape.slice(k)];
    if (!shapesEqual(updates.shape, want)) {
      throw new ShapeError(`${op}: updates ${fmtShape(updates.shape)} must have shape ${fmtShape(want)} for indices ${fmtShape(idx.shape)} into x ${fmtShape(x.shape)}`);
    }
    checkNoRepeats(lin, op, (row) => `the slice at row ${row} of x ${fmtShape(x.shape)} (flattened over its first ${k} axes)`, 'tensorScatterUpdate writes each slice once');
    const rest = sizeOf(x.shape.slice(k));
    const written = writeRows(reshape(x, [sizeOf(x.shape.slice(0, k)), rest]), lin, reshape(cast(updates, x.dtype), [lin.size, rest]), op);
    return reshape(written, x.shape);
  });
}

/**
 * A dense tensor of `outputShape` filled with `defaultValue`, with `sparseValues` at `sparseIndices`
 * (TensorFlow.js's `sparseToDense`): indices [n] address a 1-D output, [n, r] an r-D one; values are
 * [n] or one number. A position given twice is an ArgumentError. Gradients flow to the values.
 */
export function sparseToDense(sparseIndices: IndexInput, sparseValues: Tensor | number, outputShape: readonly number[], defaultValue = 0): Tensor {
  const op = 'sparseToDense';
  if (!isArray(outputShape) || !outputShape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new ArgumentError(`${op}: outputShape must be an array of non-negative integers, got ${JSON.stringify(outputShape)}`);
  }
  return tidy(() => {
    const idx0 = indexTensor(sparseIndices, op, 'sparseIndices');
    const idx = idx0.rank === 1 ? reshape(idx0, [idx0.size, 1]) : idx0;
    if (idx.rank !== 2 || idx.shape[1] !== outputShape.length) {
      throw new ShapeError(`${op}: sparseIndices ${fmtShape(idx0.shape)} must be [n] or [n, ${outputShape.length}] for outputShape ${fmtShape(outputShape)}`);
    }
    const n = idx.shape[0]!;
    const dtype = typeof sparseValues === 'number' ? 'float32' : sparseValues.dtype === 'bool' ? 'float32' : sparseValues.dtype;
    const values = typeof sparseValues === 'number' ? full([n], sparseValues, dtype) : sparseValues;
    if (values.rank !== 1 || values.shape[0] !== n) {
      throw new ShapeError(`${op}: sparseValues ${fmtShape(values.shape)} must be [${n}] (one per index row) or a number`);
    }
    return tensorScatterUpdate(full(outputShape, defaultValue, dtype), idx, values);
  });
}

/**
 * Sums the rows of float32 x (along axis 0) into `numSegments` segments by int32 `segmentIds` [x.shape[0]]
 * (TensorFlow.js's `unsortedSegmentSum`): out[s] = Σ x[i] over i with segmentIds[i] = s; empty segments
 * are 0. Each id must lie in [0, numSegments). Gradients flow to x.
 */
export function unsortedSegmentSum(x: Tensor, segmentIds: IndexInput, numSegments: number): Tensor {
  const op = 'unsortedSegmentSum';
  expectTensor(x, op, 'x');
  if (!Number.isInteger(numSegments) || numSegments < 0) throw new ArgumentError(`${op}: numSegments must be a non-negative integer, got ${numSegments}`);
  if (x.rank === 0) throw new ShapeError(`${op}: x must have at least one axis, got a scalar`);
  return tidy(() => {
    const ids = indexTensor(segmentIds, op, 'segmentIds');
    if (ids.rank !== 1 || ids.shape[0] !== x.shape[0]) throw new ShapeError(`${op}: segmentIds ${fmtShape(ids.shape)} must be [${x.shape[0]}], one per row of x ${fmtShape(x.shape)}`);
    checkIndexRange(ids, op, () => ({ low: 0, high: numSegments, what: `${numSegments} segments` }));
    return scatterND(reshape(ids, [ids.size, 1]), cast(x, 'float32'), [numSegments, ...x.shape.slice(1)]);
  });
}
