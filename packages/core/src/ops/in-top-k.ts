import { tidy } from '../engine/engine.js';
import { ArgumentError, ShapeError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { greater, less, logicalAnd } from './binary.js';
import { cast } from './cast.js';
import { expectDType, expectTensor } from './convert.js';
import { checkIndexRange } from './index-checks.js';
import { takeAlongAxis } from './indexing.js';
import { isFinite } from './arithmetic.js';
import { sum } from './reduce.js';
import { expandDims, squeeze } from './reshape.js';

/**
 * Whether each target class is among the k highest predictions of its row (tfjs's `inTopKAsync`,
 * TensorFlow's `in_top_k`): bool [batch] from predictions [batch, classes] and int32 targets [batch].
 * Classes tied with the k-th value all count as in the top k (fewer than k strictly larger
 * predictions); a non-finite target prediction is never in the top k. Targets must lie in
 * [0, classes) (the same error on every backend).
 */
export function inTopK(predictions: Tensor, targets: Tensor, k = 1): Tensor {
  const op = 'inTopK';
  expectTensor(predictions, op, 'predictions');
  expectTensor(targets, op, 'targets');
  expectDType(targets, ['int32'], op, 'targets');
  if (predictions.rank !== 2) throw new ShapeError(`${op}: predictions must be [batch, classes], got ${fmtShape(predictions.shape)}`);
  if (targets.rank !== 1 || targets.shape[0] !== predictions.shape[0]) {
    throw new ShapeError(`${op}: targets ${fmtShape(targets.shape)} must be [${predictions.shape[0]}], one per row of predictions ${fmtShape(predictions.shape)}`);
  }
  if (!Number.isInteger(k) || k < 1) throw new ArgumentError(`${op}: k must be a positive integer, got ${k}`);
  const classes = predictions.shape[1]!;
  checkIndexRange(targets, op, () => ({ low: 0, high: classes, what: `the ${classes} classes of predictions ${fmtShape(predictions.shape)}` }));
  return tidy(() => {
    const p = cast(predictions, 'float32');
    const own = takeAlongAxis(p, expandDims(targets, 1), 1);
    const larger = sum(cast(greater(p, own), 'int32'), 1, true);
    return squeeze(logicalAnd(less(larger, k), isFinite(own)), 1);
  });
}
