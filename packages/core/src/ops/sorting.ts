/**
 * Sorting and selection along an axis: argsort (the backend's one sorting kernel), sort and topk
 * (values picked through takeAlongAxis, so their gradient scatters back through the indices).
 * Order: NaN is larger than every number (last ascending, first descending), −0 equals +0, and equal
 * values keep their lower index first in both directions (stable).
 */
import { tidy } from '../engine/engine.js';
import { ArgumentError, fmtShape } from '../errors.js';
import { normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { expectTensor } from './convert.js';
import { takeAlongAxis } from './indexing.js';
import { runKernel } from './kernel-call.js';
import { reshape } from './reshape.js';
import { slice } from './slicing.js';
import { transpose } from './transpose.js';

/** Options of {@link sort} and {@link argsort}. */
export interface SortOptions {
  /** The axis to sort along (default -1, the last). */
  axis?: number;
  /** Largest first (default false). Equal values still keep their lower index first. */
  descending?: boolean;
}

/** Options of {@link topk}. */
export interface TopkOptions {
  /** The axis to select along (default -1, the last). */
  axis?: number;
  /** The k largest (default true) or the k smallest. */
  largest?: boolean;
  /**
   * True (default): the k entries in sorted order (largest first when `largest`). False: in the order
   * they stand along the axis.
   */
  sorted?: boolean;
}

/** What {@link topk} returns. */
export interface TopkResult {
  /** The selected values, x's dtype, with the axis cut to k. */
  readonly values: Tensor;
  /** Their int32 positions along the axis. */
  readonly indices: Tensor;
}

function checkOptions(op: string, options: unknown): void {
  if (typeof options !== 'object' || options === null) throw new ArgumentError(`${op}: options must be an object, got ${String(options)}`);
}

function checkFlag(op: string, name: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'boolean') throw new ArgumentError(`${op}: ${name} must be a boolean, got ${typeof value} ${JSON.stringify(value) ?? ''}`);
}

/** The permutation that moves `axis` last, and its inverse. */
function axisLast(rank: number, axis: number): { perm: number[]; inverse: number[] } {
  const perm = [...Array(rank).keys()].filter((i) => i !== axis).concat(axis);
  const inverse = perm.map((_, i) => perm.indexOf(i));
  return { perm, inverse };
}

/** Stable sort order along `axis` (already normalised) of a tensor of rank ≥ 1, through the argsort kernel (core-internal). */
export function argsortAlong(op: string, x: Tensor, axis: number, descending: boolean): Tensor {
  return tidy(() => {
    const keys = x.dtype === 'bool' ? cast(x, 'int32') : x;
    const { perm, inverse } = axisLast(x.rank, axis);
    const moved = axis === x.rank - 1 ? keys : transpose(keys, perm);
    const n = x.shape[axis]!;
    const outer = n === 0 ? 0 : x.size / n;
    const rows = reshape(moved, [outer, n]);
    const order = runKernel(op, [rows], ['x'], [outer, n], 'int32', (b, [r]) => b.argsort(r!, descending));
    const back = reshape(order, moved.shape);
    return axis === x.rank - 1 ? back : transpose(back, inverse);
  });
}

function resolveAxis(op: string, x: Tensor, axis: number): number {
  return normalizeAxis(axis, Math.max(x.rank, 1), op);
}

/**
 * The int32 indices that sort x along `axis` (stable: equal values keep their lower index first, also
 * when `descending`). NaN sorts as the largest value; bool sorts as 0 / 1. A scalar gives 0.
 */
export function argsort(x: Tensor, options: SortOptions = {}): Tensor {
  expectTensor(x, 'argsort', 'x');
  checkOptions('argsort', options);
  checkFlag('argsort', 'descending', options.descending);
  const axis = resolveAxis('argsort', x, options.axis ?? -1);
  if (x.rank === 0) return tidy(() => reshape(argsortAlong('argsort', reshape(x, [1]), 0, false), []));
  return argsortAlong('argsort', x, axis, options.descending ?? false);
}

/**
 * x's values sorted along `axis` (ascending unless `descending`; NaN last ascending, first descending).
 * Differentiable: the gradient goes back to each value's original position.
 */
export function sort(x: Tensor, options: SortOptions = {}): Tensor {
  expectTensor(x, 'sort', 'x');
  checkOptions('sort', options);
  checkFlag('sort', 'descending', options.descending);
  const axis = resolveAxis('sort', x, options.axis ?? -1);
  if (x.rank === 0) return tidy(() => reshape(x, []));
  return tidy(() => takeAlongAxis(x, argsortAlong('sort', x, axis, options.descending ?? false), axis));
}

/**
 * The k largest (or, with `largest: false`, smallest) entries of x along `axis` and their int32 indices;
 * ties go to the lower index, NaN counts as the largest value. k may be 0 or the axis length. The
 * values are differentiable (the gradient flows to the selected positions).
 */
export function topk(x: Tensor, k: number, options: TopkOptions = {}): TopkResult {
  expectTensor(x, 'topk', 'x');
  checkOptions('topk', options);
  checkFlag('topk', 'largest', options.largest);
  checkFlag('topk', 'sorted', options.sorted);
  if (x.rank === 0) throw new ArgumentError('topk: x must have rank ≥ 1, got a scalar (shape [])');
  const axis = resolveAxis('topk', x, options.axis ?? -1);
  const n = x.shape[axis]!;
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 0 || k > n) {
    throw new ArgumentError(`topk: k must be an integer in 0..${n} (the length of axis ${axis} of x ${fmtShape(x.shape)}), got ${String(k)}`);
  }
  const { largest = true, sorted = true } = options;
  return tidy(() => {
    const begin = x.shape.map(() => 0);
    const size = x.shape.map((d, i) => (i === axis ? k : d));
    let indices = slice(argsortAlong('topk', x, axis, largest), begin, size);
    if (!sorted && k > 1) indices = takeAlongAxis(indices, argsortAlong('topk', indices, axis, false), axis);
    return { values: takeAlongAxis(x, indices, axis), indices };
  });
}
