import { fromFn, ravel, unravel, type NDArray, type RefDType } from './ndarray.js';

/** A running combination along `axis` in float64 (or exact int32 wrap for int32 sums / products). */
export function refScan(
  x: NDArray, axis: number, combine: (acc: number, v: number) => number, identity: number,
  options: { exclusive?: boolean; reverse?: boolean } = {}, dtype?: RefDType,
): NDArray {
  const outDtype = dtype ?? (x.dtype === 'bool' ? 'int32' : x.dtype);
  if (x.shape.length === 0) return fromFn([], outDtype, () => x.data[0]!);
  const n = x.shape[axis]!;
  return fromFn(x.shape, outDtype, (i) => {
    const idx = unravel(i, x.shape);
    const at = idx[axis]!;
    let acc = identity;
    const from = options.reverse ? n - 1 : 0;
    const step = options.reverse ? -1 : 1;
    const count = options.reverse ? n - 1 - at : at;
    for (let k = 0, j = from; k < count + (options.exclusive ? 0 : 1); k++, j += step) {
      const src = idx.slice();
      src[axis] = j;
      acc = combine(acc, x.data[ravel(src, x.shape)]!);
    }
    return acc;
  });
}

/** Float64 reductions of truth values and p-norms over `axes`. */
export function refReduceWith(x: NDArray, axes: readonly number[], dtype: RefDType, init: number, f: (acc: number, v: number) => number, done: (acc: number) => number = (a) => a): NDArray {
  const outShape = x.shape.filter((_, i) => !axes.includes(i));
  const acc = new Array<number>(outShape.reduce((a, d) => a * d, 1)).fill(init);
  for (let i = 0; i < x.data.length; i++) {
    const idx = unravel(i, x.shape).filter((_, d) => !axes.includes(d));
    const o = outShape.length ? ravel(idx, outShape) : 0;
    acc[o] = f(acc[o]!, x.data[i]!);
  }
  return fromFn(outShape, dtype, (i) => done(acc[i]!));
}
