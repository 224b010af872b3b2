import { fromFn, storeAs, type NDArray, type RefDType } from './ndarray.js';

/** full(shape, value, dtype). */
export function refFull(shape: readonly number[], value: number, dtype: RefDType = 'float32'): NDArray {
  return fromFn(shape, dtype, () => storeAs(value, dtype));
}

/** arange(start, stop, step): ceil((stop - start) / step) values start + i·step; one argument means [0, start). */
export function refArange(start: number, stop?: number, step = 1, dtype: RefDType = 'float32'): NDArray {
  const [lo, hi] = stop === undefined ? [0, start] : [start, stop];
  const n = Math.max(0, Math.ceil((hi - lo) / step));
  return fromFn([n], dtype, (i) => storeAs(lo + i * step, dtype));
}

/** linspace(start, stop, num): num evenly spaced values including both ends. */
export function refLinspace(start: number, stop: number, num: number): NDArray {
  return fromFn([num], 'float32', (i) => (num === 1 ? start : start + (i * (stop - start)) / (num - 1)));
}

/** eye(n, m): ones on the main diagonal. */
export function refEye(n: number, m = n, dtype: RefDType = 'float32'): NDArray {
  return fromFn([n, m], dtype, (i) => (Math.floor(i / m) === i % m ? 1 : 0));
}
