/**
 * Float64 references of the sorting ops: each row along the axis sorted by a plain comparator (NaN
 * largest, −0 = +0) with the index as the tie-breaker, so the order is total and stable by definition.
 */
import { fromFn, nd, sizeOfShape, stridesOfShape, type NDArray } from './ndarray.js';

/** −1 / 0 / 1: ascending order of numbers with every NaN equal and above everything. */
export function refCompare(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  if (Number.isNaN(b)) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Calls `f(base, stride)` for every line of x along `axis`. */
function forEachLine(shape: readonly number[], axis: number, f: (base: number, stride: number) => void): void {
  const strides = stridesOfShape(shape);
  const n = shape[axis]!;
  const total = sizeOfShape(shape);
  if (total === 0) return;
  const stride = strides[axis]!;
  for (let flat = 0; flat < total; flat++) {
    if (Math.floor(flat / stride) % n === 0) f(flat, stride);
  }
}

/** The stable sort order of x along `axis` (int32 indices, x's shape). */
export function refArgsort(x: NDArray, axis: number, descending = false): NDArray {
  const out = new Float64Array(x.data.length);
  const n = x.shape[axis]!;
  forEachLine(x.shape, axis, (base, stride) => {
    const at = (i: number): number => x.data[base + i * stride]!;
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (descending ? -refCompare(at(a), at(b)) : refCompare(at(a), at(b))) || a - b);
    order.forEach((v, j) => (out[base + j * stride] = v));
  });
  return nd(x.shape, out, 'int32');
}

/** Picks x's values at `idx` along `axis` (idx has x's shape except along axis). */
export function refTakeAlong(x: NDArray, idx: NDArray, axis: number): NDArray {
  const xs = stridesOfShape(x.shape);
  const is = stridesOfShape(idx.shape);
  return fromFn(idx.shape, x.dtype, (flat) => {
    let off = 0;
    for (let d = 0; d < idx.shape.length; d++) {
      const c = Math.floor(flat / is[d]!) % idx.shape[d]!;
      off += (d === axis ? idx.data[flat]! : c) * xs[d]!;
    }
    return x.data[off]!;
  });
}

/** x sorted along `axis`. */
export function refSort(x: NDArray, axis: number, descending = false): NDArray {
  return refTakeAlong(x, refArgsort(x, axis, descending), axis);
}

/** The first k of the sort order along `axis` (largest first when `largest`), as [values, indices]. */
export function refTopk(x: NDArray, k: number, axis: number, largest = true, sorted = true): [NDArray, NDArray] {
  const order = refArgsort(x, axis, largest);
  const shape = x.shape.map((d, i) => (i === axis ? k : d));
  const os = stridesOfShape(x.shape);
  const ks = stridesOfShape(shape);
  const idx = fromFn(shape, 'int32', (flat) => {
    let off = 0;
    for (let d = 0; d < shape.length; d++) off += (Math.floor(flat / ks[d]!) % shape[d]!) * os[d]!;
    return order.data[off]!;
  });
  const picked = sorted ? idx : refTakeAlong(idx, refArgsort(idx, axis), axis);
  return [refTakeAlong(x, picked, axis), picked];
}

/** NumPy's searchsorted over the last axis: per row, how many sequence elements are < v (≤ v when right). */
export function refSearchSorted(seq: NDArray, values: NDArray, right = false): NDArray {
  const n = seq.shape[seq.shape.length - 1]!;
  const m = seq.shape.length === 1 ? values.data.length : values.shape[values.shape.length - 1]!;
  return fromFn(values.shape, 'int32', (flat) => {
    const row = seq.shape.length === 1 ? 0 : Math.floor(flat / m);
    const v = values.data[flat]!;
    let count = 0;
    for (let j = 0; j < n; j++) {
      const c = refCompare(seq.data[row * n + j]!, v);
      if (c < 0 || (right && c === 0)) count++;
    }
    return count;
  });
}
