/**
 * searchSorted: insertion points of values into sorted rows (NumPy's `searchsorted`, PyTorch's
 * `torch.searchsorted`), through the sorting kernel rather than a comparison of every pair: the values
 * and the sequence are sorted together, and each value's insertion point is the number of sequence
 * elements sorted before it: its rank in the joint order less its rank among the values.
 */
import { tidy } from '../engine/engine.js';
import { ArgumentError, DTypeError, ShapeError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { sub } from './binary.js';
import { cast } from './cast.js';
import { expectTensor } from './convert.js';
import { zeros } from './creation.js';
import { reshape } from './reshape.js';
import { concat, slice } from './slicing.js';
import { argsortAlong } from './sorting.js';

/** Options of {@link searchSorted}. */
export interface SearchSortedOptions {
  /** False (default): the first position whose element is ≥ the value; true: the first whose element is > it. */
  right?: boolean;
}

/**
 * For each value, the int32 index at which inserting it into `sortedSequence` keeps the order (along
 * the last axis). `sortedSequence` is 1-D (searched for every value, any shape of `values`) or has
 * `values`' rank and leading dims (each row searched for the values of the same row, as
 * torch.searchsorted). The sequence is assumed ascending and not checked (for an unsorted one the
 * result is the count of elements smaller than the value, ≤ it with `right`, not NumPy's bisection
 * position); NaN counts as the largest value, as in {@link sort}. float32 and int32 mix
 * (compared in float32); the result has `values`' shape.
 */
export function searchSorted(sortedSequence: Tensor, values: Tensor, options: SearchSortedOptions = {}): Tensor {
  const op = 'searchSorted';
  expectTensor(sortedSequence, op, 'sortedSequence');
  expectTensor(values, op, 'values');
  if (typeof options !== 'object' || options === null) throw new ArgumentError(`${op}: options must be an object, got ${String(options)}`);
  if (options.right !== undefined && typeof options.right !== 'boolean') throw new ArgumentError(`${op}: right must be a boolean, got ${String(options.right)}`);
  for (const [name, t] of [['sortedSequence', sortedSequence], ['values', values]] as const) {
    if (t.dtype === 'bool') throw new DTypeError(`${op}: ${name} must have dtype float32 or int32, got bool (shape ${fmtShape(t.shape)})`);
  }
  const seq = sortedSequence;
  if (seq.rank === 0) throw new ShapeError(`${op}: sortedSequence must have rank ≥ 1, got a scalar (shape [])`);
  const n = seq.shape[seq.rank - 1]!;
  const lead = seq.shape.slice(0, -1);
  if (seq.rank > 1 && (values.rank !== seq.rank || lead.some((d, i) => d !== values.shape[i]))) {
    throw new ShapeError(
      `${op}: values ${fmtShape(values.shape)} must have the leading dims of sortedSequence ${fmtShape(seq.shape)} (${fmtShape(lead)}) and the same rank`,
    );
  }
  const right = options.right ?? false;
  return tidy(() => {
    if (n === 0 || values.size === 0) return zeros(values.shape, 'int32');
    const rows = seq.rank === 1 ? 1 : lead.reduce((a, b) => a * b, 1);
    const m = values.size / rows;
    const dtype = seq.dtype === values.dtype ? seq.dtype : 'float32';
    const s = reshape(cast(seq, dtype), [rows, n]);
    const v = reshape(cast(values, dtype), [rows, m]);
    // Ties sort in concatenation order: values first counts only smaller elements (left), last counts
    // the equal ones too (right).
    const joined = right ? concat([s, v], 1) : concat([v, s], 1);
    // A value's rank in the joint order minus its rank among the values alone (ties among values keep
    // index order in both) is the number of sequence elements sorted before it.
    const inJoined = argsortAlong(op, argsortAlong(op, joined, 1, false), 1, false);
    const inValues = argsortAlong(op, argsortAlong(op, v, 1, false), 1, false);
    return reshape(sub(slice(inJoined, [0, right ? n : 0], [rows, m]), inValues), values.shape);
  });
}
