import * as sn from '../../index.js';
import type { Tensor } from '../../index.js';
import type { NDArray } from '../reference/ndarray.js';
import { refArgsort, refCompare, refSearchSorted, refSort, refTopk } from '../reference/sorting.js';
import { ensure, ensureSame, valuesOf } from './check.js';
import { bool, f32, i32 } from './helpers.js';
import type { ConformanceCase, PropertyCase } from './types.js';

/** Two rows of 11 with ties, NaN, ±Infinity and both zeros. */
const SPECIAL = [
  1, NaN, -0, 0, Infinity, -Infinity, 1, NaN, -2, 0, -0,
  3, 3, -Infinity, NaN, 2, -0, 0, Infinity, 3, 1, -0,
];
const INT_EXTREMES = [2147483647, -2147483648, 0, -1, 1, 2147483647, -2147483648, 7, -7, 0];

const argsortCases: ConformanceCase[] = [
  { kind: 'compare', op: 'argsort', name: 'last axis of [3,17]', inputs: [f32([3, 17])], run: (x: Tensor) => sn.argsort(x), ref: (x: NDArray) => refArgsort(x, 1), tol: 'exact' },
  { kind: 'compare', op: 'argsort', name: 'descending, axis 0 of int32 [9,4] with ties (stable)', inputs: [i32([9, 4])], run: (x: Tensor) => sn.argsort(x, { axis: 0, descending: true }), ref: (x: NDArray) => refArgsort(x, 0, true), tol: 'exact' },
  { kind: 'compare', op: 'argsort', name: 'NaN, ±Infinity, ±0 and ties, ascending', inputs: [f32([2, 11], { values: SPECIAL })], run: (x: Tensor) => sn.argsort(x), ref: (x: NDArray) => refArgsort(x, 1), tol: 'exact' },
  { kind: 'compare', op: 'argsort', name: 'NaN, ±Infinity, ±0 and ties, descending', inputs: [f32([2, 11], { values: SPECIAL })], run: (x: Tensor) => sn.argsort(x, { descending: true }), ref: (x: NDArray) => refArgsort(x, 1, true), tol: 'exact' },
  { kind: 'compare', op: 'argsort', name: 'int32 extremes, both directions', inputs: [i32([10], { values: INT_EXTREMES })], run: (x: Tensor) => [sn.argsort(x), sn.argsort(x, { descending: true })], ref: (x: NDArray) => [refArgsort(x, 0), refArgsort(x, 0, true)], tol: 'exact' },
  { kind: 'compare', op: 'argsort', name: 'middle axis of a transposed [4,5,3]', inputs: [f32([4, 5, 3], 'normal', 'transposed')], run: (x: Tensor) => sn.argsort(x, { axis: 1 }), ref: (x: NDArray) => refArgsort(x, 1), tol: 'exact' },
  { kind: 'compare', op: 'argsort', name: 'bool sorts as 0 / 1', inputs: [bool([13])], run: (x: Tensor) => sn.argsort(x, { descending: true }), ref: (x: NDArray) => refArgsort(x, 0, true), tol: 'exact' },
  { kind: 'compare', op: 'argsort', name: 'long rows [2,1500] of int32 with many ties', inputs: [i32([2, 1500], 'indices<40')], run: (x: Tensor) => sn.argsort(x), ref: (x: NDArray) => refArgsort(x, 1), tol: 'exact' },
  { kind: 'compare', op: 'argsort', name: 'long row [1,5000] float32, descending', inputs: [f32([1, 5000])], run: (x: Tensor) => sn.argsort(x, { descending: true }), ref: (x: NDArray) => refArgsort(x, 1, true), tol: 'exact' },
  { kind: 'compare', op: 'argsort', name: 'empty axis [3,0] and empty batch [0,4]', inputs: [f32([3, 0]), f32([0, 4])], run: (a: Tensor, b: Tensor) => [sn.argsort(a), sn.argsort(b)], ref: (a: NDArray, b: NDArray) => [refArgsort(a, 1), refArgsort(b, 1)], tol: 'exact' },
  { kind: 'compare', op: 'argsort', name: 'a scalar gives 0', inputs: [f32([])], run: (x: Tensor) => sn.argsort(x), ref: () => ({ shape: [], dtype: 'int32', data: Float64Array.of(0) }), tol: 'exact' },
  { kind: 'compare', op: 'argsort', name: 'Tensor method', inputs: [f32([6, 5])], run: (x: Tensor) => x.argsort({ axis: 0 }), ref: (x: NDArray) => refArgsort(x, 0), tol: 'exact' },
];

const sortCases: ConformanceCase[] = [
  { kind: 'compare', op: 'sort', name: 'last axis of [4,9], with gradients', inputs: [f32([4, 9], 'distinct')], run: (x: Tensor) => sn.sort(x), ref: (x: NDArray) => refSort(x, 1), tol: 'exact', grad: true },
  { kind: 'compare', op: 'sort', name: 'descending, axis 0 of a sliced [7,3], with gradients', inputs: [f32([7, 3], 'distinct', 'sliced')], run: (x: Tensor) => sn.sort(x, { axis: 0, descending: true }), ref: (x: NDArray) => refSort(x, 0, true), tol: 'exact', grad: true },
  { kind: 'compare', op: 'sort', name: 'NaN last ascending, first descending; ±Infinity; ±0', inputs: [f32([2, 11], { values: SPECIAL })], run: (x: Tensor) => [sn.sort(x), sn.sort(x, { descending: true })], ref: (x: NDArray) => [refSort(x, 1), refSort(x, 1, true)], tol: 'exact' },
  { kind: 'compare', op: 'sort', name: 'int32 with ties keeps int32', inputs: [i32([5, 8])], run: (x: Tensor) => sn.sort(x), ref: (x: NDArray) => refSort(x, 1), tol: 'exact' },
  { kind: 'compare', op: 'sort', name: 'empty axis [2,0]', inputs: [f32([2, 0])], run: (x: Tensor) => sn.sort(x), ref: (x: NDArray) => refSort(x, 1), tol: 'exact' },
  { kind: 'compare', op: 'sort', name: 'Tensor method, descending', inputs: [f32([3, 7])], run: (x: Tensor) => x.sort({ descending: true }), ref: (x: NDArray) => refSort(x, 1, true), tol: 'exact' },
];

const topkCases: ConformanceCase[] = [
  { kind: 'compare', op: 'topk', name: 'k = 4 of [3,10], with gradients', inputs: [f32([3, 10], 'distinct')], run: (x: Tensor) => { const r = sn.topk(x, 4); return [r.values, r.indices]; }, ref: (x: NDArray) => refTopk(x, 4, 1), tol: 'exact', grad: true },
  { kind: 'compare', op: 'topk', name: 'k = 3 smallest along axis 0 of [6,5], with gradients', inputs: [f32([6, 5], 'distinct')], run: (x: Tensor) => { const r = sn.topk(x, 3, { axis: 0, largest: false }); return [r.values, r.indices]; }, ref: (x: NDArray) => refTopk(x, 3, 0, false), tol: 'exact', grad: true },
  { kind: 'compare', op: 'topk', name: 'ties go to the lower index (int32, both directions)', inputs: [i32([4, 13], 'indices<4')], run: (x: Tensor) => [sn.topk(x, 5).indices, sn.topk(x, 5, { largest: false }).indices], ref: (x: NDArray) => [refTopk(x, 5, 1)[1], refTopk(x, 5, 1, false)[1]], tol: 'exact' },
  { kind: 'compare', op: 'topk', name: 'k = 0 and k = n', inputs: [f32([3, 7])], run: (x: Tensor) => [sn.topk(x, 0).values, sn.topk(x, 0).indices, sn.topk(x, 7).values, sn.topk(x, 7).indices], ref: (x: NDArray) => [...refTopk(x, 0, 1), ...refTopk(x, 7, 1)], tol: 'exact' },
  { kind: 'compare', op: 'topk', name: 'k = 0 of an empty axis [3,0]; k = 1 of int32 along axis 0', inputs: [f32([3, 0]), i32([5, 2])], run: (e: Tensor, x: Tensor) => [sn.topk(e, 0).values, sn.topk(e, 0).indices, sn.topk(x, 1, { axis: 0 }).values, sn.topk(x, 1, { axis: 0 }).indices], ref: (e: NDArray, x: NDArray) => [...refTopk(e, 0, 1), ...refTopk(x, 1, 0)], tol: 'exact' },
  { kind: 'compare', op: 'topk', name: 'NaN counts as the largest', inputs: [f32([2, 11], { values: SPECIAL })], run: (x: Tensor) => { const r = sn.topk(x, 4); return [r.values, r.indices]; }, ref: (x: NDArray) => refTopk(x, 4, 1), tol: 'exact' },
  { kind: 'compare', op: 'topk', name: 'sorted: false keeps the order along the axis', inputs: [f32([3, 12])], run: (x: Tensor) => { const r = sn.topk(x, 5, { sorted: false }); return [r.values, r.indices]; }, ref: (x: NDArray) => refTopk(x, 5, 1, true, false), tol: 'exact' },
  { kind: 'compare', op: 'topk', name: 'long row [2,3001], Tensor method', inputs: [f32([2, 3001])], run: (x: Tensor) => { const r = x.topk(10); return [r.values, r.indices]; }, ref: (x: NDArray) => refTopk(x, 10, 1), tol: 'exact' },
];

const SORTED_SEQ = [-3, -1, -1, 0, 2, 2, 2, 5];
const PROBES = [-4, -3, -1, -0.5, 0, -0, 2, 3, 5, 6, NaN, Infinity];

const searchCases: ConformanceCase[] = [
  { kind: 'compare', op: 'searchSorted', name: 'left: 1-D sequence with repeats, probes [3,4] on and between them', inputs: [f32([8], { values: SORTED_SEQ }), f32([3, 4], { values: PROBES })], run: (s: Tensor, v: Tensor) => sn.searchSorted(s, v), ref: (s: NDArray, v: NDArray) => refSearchSorted(s, v), tol: 'exact' },
  { kind: 'compare', op: 'searchSorted', name: 'right: 1-D sequence with repeats', inputs: [f32([8], { values: SORTED_SEQ }), f32([12], { values: PROBES })], run: (s: Tensor, v: Tensor) => sn.searchSorted(s, v, { right: true }), ref: (s: NDArray, v: NDArray) => refSearchSorted(s, v, true), tol: 'exact' },
  { kind: 'compare', op: 'searchSorted', name: 'batched rows [2,3,5] with values [2,3,4], both sides', inputs: [i32([2, 3, 5], { values: Array.from({ length: 30 }, (_, i) => Math.floor(i / 5) * 3 + (i % 5)) }), i32([2, 3, 4], 'indices<20')], run: (s: Tensor, v: Tensor) => [sn.searchSorted(s, v), sn.searchSorted(s, v, { right: true })], ref: (s: NDArray, v: NDArray) => [refSearchSorted(s, v), refSearchSorted(s, v, true)], tol: 'exact' },
  { kind: 'compare', op: 'searchSorted', name: 'sorted int32 rows [2,200] with many repeats, values [2,50], both sides', inputs: [i32([2, 200], 'indices<30'), i32([2, 50], 'indices<32')], run: (s: Tensor, v: Tensor) => [sn.searchSorted(sn.sort(s), v), sn.searchSorted(sn.sort(s), v, { right: true })], ref: (s: NDArray, v: NDArray) => [refSearchSorted(refSort(s, 1), v), refSearchSorted(refSort(s, 1), v, true)], tol: 'exact' },
  { kind: 'compare', op: 'searchSorted', name: 'sorted float32 [300] against values [7,11]', inputs: [f32([300]), f32([7, 11])], run: (s: Tensor, v: Tensor) => sn.searchSorted(sn.sort(s), v), ref: (s: NDArray, v: NDArray) => refSearchSorted(refSort(s, 0), v), tol: 'exact' },
  { kind: 'compare', op: 'searchSorted', name: 'int32 sequence, float32 values', inputs: [i32([6], { values: [-5, -2, 0, 0, 3, 9] }), f32([9], 'uniform')], run: (s: Tensor, v: Tensor) => sn.searchSorted(s, v), ref: (s: NDArray, v: NDArray) => refSearchSorted(s, v), tol: 'exact' },
  { kind: 'compare', op: 'searchSorted', name: 'a scalar value, an empty sequence, empty values', inputs: [f32([8], { values: SORTED_SEQ }), f32([], { values: [2] }), f32([0]), f32([3], 'normal')], run: (s: Tensor, v: Tensor, e: Tensor, w: Tensor) => [sn.searchSorted(s, v, { right: true }), sn.searchSorted(e, w), sn.searchSorted(s, e)], ref: (s: NDArray, v: NDArray, e: NDArray, w: NDArray) => [refSearchSorted(s, v, true), refSearchSorted(e, w), refSearchSorted(s, e)], tol: 'exact' },
];

/** The NumPy-style unique of a flat list: [values, inverse, counts] (NaNs one value, −0 = +0, first occurrence kept). */
function refUnique(data: readonly number[], sorted: boolean): [number[], number[], number[]] {
  const firsts: number[] = [];
  const groupOf = data.map((v, i) => {
    const g = firsts.findIndex((f) => refCompare(data[f]!, v) === 0);
    if (g >= 0) return g;
    firsts.push(i);
    return firsts.length - 1;
  });
  const order = firsts.map((_, g) => g);
  if (sorted) order.sort((a, b) => refCompare(data[firsts[a]!]!, data[firsts[b]!]!));
  const rank = new Array<number>(firsts.length);
  order.forEach((g, r) => (rank[g] = r));
  return [order.map((g) => data[firsts[g]!]!), groupOf.map((g) => rank[g]!), order.map((g) => groupOf.filter((h) => h === g).length)];
}

function uniqueCase(name: string, make: () => Tensor, sorted: boolean): PropertyCase {
  return {
    kind: 'property', op: 'unique', name,
    check: async () => {
      const x = make();
      const data = await valuesOf(x);
      const r = await sn.unique(x, { sorted, returnInverse: true, returnCounts: true });
      const [values, inverse, counts] = refUnique(data, sorted);
      ensure(r.values.dtype === x.dtype && r.inverse?.dtype === 'int32' && r.counts?.dtype === 'int32', `unique: dtypes ${r.values.dtype}, ${r.inverse?.dtype}, ${r.counts?.dtype}`);
      ensure(r.inverse!.shape.join(',') === x.shape.join(','), `unique: inverse shape [${r.inverse!.shape.join(',')}], expected [${x.shape.join(',')}]`);
      const got = await valuesOf(r.values);
      ensureSame(got, values, `unique(sorted ${sorted}) values`);
      ensure(got.every((v, i) => Object.is(v, values[i])), `unique: ${got.join(',')} differs in the sign of a zero from ${values.join(',')} (the first occurrence is kept)`);
      ensureSame(await valuesOf(r.inverse!), inverse, `unique(sorted ${sorted}) inverse`);
      ensureSame(await valuesOf(r.counts!), counts, `unique(sorted ${sorted}) counts`);
      const plain = await sn.unique(x);
      ensure(plain.inverse === undefined && plain.counts === undefined, 'unique: inverse / counts returned without being asked for');
      sn.dispose([x, r.values, r.inverse!, r.counts!, plain.values]);
    },
  };
}

const uniqueCases: ConformanceCase[] = [
  uniqueCase('float32 [3,5] with NaNs, ±0 and repeats, sorted', () => sn.tensor([[2, NaN, -0, 1, 2], [0, NaN, 1, -1, 3], [3, 2, -0, 1, -1]]), true),
  uniqueCase('float32 [3,5] with NaNs, ±0 and repeats, first-occurrence order', () => sn.tensor([[2, NaN, -0, 1, 2], [0, NaN, 1, -1, 3], [3, 2, -0, 1, -1]]), false),
  uniqueCase('int32 [40] of few values', () => sn.tensor(Int32Array.from({ length: 40 }, (_, i) => (i * 7) % 5 - 2), [40], 'int32'), true),
  uniqueCase('bool [6]', () => sn.tensor([1, 0, 0, 1, 1, 0], [6], 'bool'), false),
  uniqueCase('empty [0,3]', () => sn.zeros([0, 3]), true),
];

const sortingErrors: ConformanceCase[] = [
  { kind: 'error', op: 'sort', name: 'axis out of range', inputs: [f32([3, 4])], run: (x: Tensor) => sn.sort(x, { axis: 2 }), error: 'ArgumentError', message: ['axis 2', 'rank 2'] },
  { kind: 'error', op: 'argsort', name: 'axis out of range (negative)', inputs: [f32([3, 4])], run: (x: Tensor) => sn.argsort(x, { axis: -3 }), error: 'ArgumentError', message: ['axis -3', 'rank 2'] },
  { kind: 'error', op: 'argsort', name: 'descending is not a boolean', inputs: [f32([3])], run: (x: Tensor) => sn.argsort(x, { descending: 1 as unknown as boolean }), error: 'ArgumentError', message: ['descending'] },
  { kind: 'error', op: 'topk', name: 'k larger than the axis', inputs: [f32([2, 5])], run: (x: Tensor) => sn.topk(x, 6), error: 'ArgumentError', message: ['k', '0..5', '[2,5]', '6'] },
  { kind: 'error', op: 'topk', name: 'k not an integer', inputs: [f32([5])], run: (x: Tensor) => sn.topk(x, 1.5), error: 'ArgumentError', message: ['k', '1.5'] },
  { kind: 'error', op: 'topk', name: 'axis out of range', inputs: [f32([2, 5])], run: (x: Tensor) => sn.topk(x, 1, { axis: 2 }), error: 'ArgumentError', message: ['axis 2'] },
  { kind: 'error', op: 'topk', name: 'a scalar', inputs: [f32([])], run: (x: Tensor) => sn.topk(x, 0), error: 'ArgumentError', message: ['rank', '[]'] },
  { kind: 'error', op: 'searchSorted', name: 'bool sequence', inputs: [bool([4]), f32([2])], run: (s: Tensor, v: Tensor) => sn.searchSorted(s, v), error: 'DTypeError', message: ['sortedSequence', 'bool'] },
  { kind: 'error', op: 'searchSorted', name: 'leading dims differ', inputs: [f32([2, 5]), f32([3, 4])], run: (s: Tensor, v: Tensor) => sn.searchSorted(s, v), error: 'ShapeError', message: ['[3,4]', '[2,5]'] },
  { kind: 'error', op: 'searchSorted', name: 'a scalar sequence', inputs: [f32([]), f32([2])], run: (s: Tensor, v: Tensor) => sn.searchSorted(s, v), error: 'ShapeError', message: ['rank', '[]'] },
];

/** Cases of argsort, sort, topk, searchSorted and unique. */
export const sortingCases: ConformanceCase[] = [...argsortCases, ...sortCases, ...topkCases, ...searchCases, ...uniqueCases, ...sortingErrors];
