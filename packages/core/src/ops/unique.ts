/**
 * unique: the distinct values of a tensor. The number of results depends on the data, so this op reads
 * x back and works on the host (hence async), then writes its results to the active backend.
 */
import { ArgumentError } from '../errors.js';
import { allocArray } from '../dtype.js';
import type { Tensor } from '../tensor.js';
import { expectTensor } from './convert.js';
import { tensor } from './creation.js';

/** Options of {@link unique}. */
export interface UniqueOptions {
  /** True (default): values ascending. False: in the order of their first occurrence. */
  sorted?: boolean;
  /** Also return `inverse` (default false). */
  returnInverse?: boolean;
  /** Also return `counts` (default false). */
  returnCounts?: boolean;
}

/** What {@link unique} resolves to. */
export interface UniqueResult {
  /** The distinct values, 1-D, x's dtype. */
  readonly values: Tensor;
  /** With `returnInverse`: int32 of x's shape, the position in `values` of each element of x. */
  readonly inverse?: Tensor;
  /** With `returnCounts`: int32 [values.length], how often each value occurs. */
  readonly counts?: Tensor;
}

/** Ascending order with every NaN equal and largest, −0 equal to +0. */
function compareValues(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  if (Number.isNaN(b)) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The distinct values of x (flattened), as torch.unique / NumPy's unique: ascending unless
 * `sorted: false` (then in order of first occurrence), with optional `inverse` and `counts`. All NaNs
 * count as one value (NumPy's `equal_nan`), sorted last; −0 and +0 are one value, stored as whichever
 * occurs first in x. Host-side: reads x (async on every backend), so it is not differentiable and not
 * for use inside a traced computation.
 */
export async function unique(x: Tensor, options: UniqueOptions = {}): Promise<UniqueResult> {
  expectTensor(x, 'unique', 'x');
  if (typeof options !== 'object' || options === null) throw new ArgumentError(`unique: options must be an object, got ${String(options)}`);
  for (const name of ['sorted', 'returnInverse', 'returnCounts'] as const) {
    const v = options[name];
    if (v !== undefined && typeof v !== 'boolean') throw new ArgumentError(`unique: ${name} must be a boolean, got ${String(v)}`);
  }
  const { sorted = true, returnInverse = false, returnCounts = false } = options;
  const data = await x.data();
  const n = data.length;
  // Stable ascending order, then runs of equal values: the first of each run is its first occurrence.
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => compareValues(data[a]!, data[b]!) || a - b);
  const groupOf = new Int32Array(n);
  const firsts: number[] = [];
  const groupCounts: number[] = [];
  for (let r = 0; r < n; r++) {
    const i = order[r]!;
    if (r === 0 || compareValues(data[order[r - 1]!]!, data[i]!) !== 0) {
      firsts.push(i);
      groupCounts.push(0);
    }
    groupOf[i] = firsts.length - 1;
    groupCounts[firsts.length - 1]!++;
  }
  // Output rank of each group: ascending, or by first occurrence.
  const rankOf = firsts.map((_, g) => g);
  if (!sorted) {
    const byFirst = firsts.map((_, g) => g).sort((a, b) => firsts[a]! - firsts[b]!);
    byFirst.forEach((g, r) => (rankOf[g] = r));
  }
  const u = firsts.length;
  const values = allocArray(x.dtype, u);
  const counts = new Int32Array(u);
  firsts.forEach((i, g) => {
    values[rankOf[g]!] = data[i]!;
    counts[rankOf[g]!] = groupCounts[g]!;
  });
  const result: { values: Tensor; inverse?: Tensor; counts?: Tensor } = { values: tensor(values, [u], x.dtype) };
  if (returnInverse) result.inverse = tensor(Int32Array.from(groupOf, (g) => rankOf[g]!), x.shape, 'int32');
  if (returnCounts) result.counts = tensor(counts, [u], 'int32');
  return result;
}
