import { fromFn, normAxis, ravel, sizeOfShape, unravel, type NDArray, type RefDType } from './ndarray.js';
import { promote } from './binary.js';

/** slice(x, begin, size): size -1 runs to the end; begin/size shorter than the rank cover the leading axes. */
export function refSlice(x: NDArray, begin: readonly number[], size?: readonly number[]): NDArray {
  const b = x.shape.map((_, i) => begin[i] ?? 0);
  const shape = x.shape.map((d, i) => {
    const s = size?.[i] ?? -1;
    return s === -1 ? d - b[i]! : s;
  });
  return fromFn(shape, x.dtype, (flat) => at(x, unravel(flat, shape).map((v, i) => v + b[i]!)));
}

function at(x: NDArray, idx: readonly number[]): number {
  return x.data[ravel(idx, x.shape)]!;
}

/** concat along `axis`; dtypes promote. */
export function refConcat(xs: readonly NDArray[], axis = 0): NDArray {
  const first = xs[0]!;
  const a = normAxis(axis, first.shape.length);
  const shape = [...first.shape];
  shape[a] = xs.reduce((s, x) => s + x.shape[a]!, 0);
  const dtype = xs.reduce<RefDType>((d, x) => promote(d, x.dtype), 'bool');
  return fromFn(shape, dtype, (flat) => {
    const idx = unravel(flat, shape);
    let k = idx[a]!;
    for (const x of xs) {
      if (k < x.shape[a]!) {
        idx[a] = k;
        return at(x, idx);
      }
      k -= x.shape[a]!;
    }
    throw new Error('reference concat: index bookkeeping');
  });
}

/** stack along a new `axis` (negative counts in the result's rank). */
export function refStack(xs: readonly NDArray[], axis = 0): NDArray {
  const first = xs[0]!;
  const a = normAxis(axis, first.shape.length + 1);
  const shape = [...first.shape];
  shape.splice(a, 0, xs.length);
  return fromFn(shape, first.dtype, (flat) => {
    const idx = unravel(flat, shape);
    const which = idx.splice(a, 1)[0]!;
    return at(xs[which]!, idx);
  });
}

/** split into `num` equal parts or parts of the given sizes along `axis`. */
export function refSplit(x: NDArray, numOrSizes: number | readonly number[], axis = 0): NDArray[] {
  const a = normAxis(axis, x.shape.length);
  const d = x.shape[a]!;
  const sizes = typeof numOrSizes === 'number' ? new Array<number>(numOrSizes).fill(d / numOrSizes) : [...numOrSizes];
  const out: NDArray[] = [];
  let start = 0;
  for (const s of sizes) {
    const begin = x.shape.map((_, i) => (i === a ? start : 0));
    const size = x.shape.map((dd, i) => (i === a ? s : dd));
    out.push(refSlice(x, begin, size));
    start += s;
  }
  return out;
}

/** pad each axis by [before, after] cells of `value`. */
export function refPad(x: NDArray, paddings: readonly (readonly [number, number])[], value = 0): NDArray {
  const shape = x.shape.map((d, i) => d + paddings[i]![0] + paddings[i]![1]);
  return fromFn(shape, x.dtype, (flat) => {
    const idx = unravel(flat, shape).map((v, i) => v - paddings[i]![0]);
    return idx.every((v, i) => v >= 0 && v < x.shape[i]!) ? at(x, idx) : value;
  });
}

export { sizeOfShape };
