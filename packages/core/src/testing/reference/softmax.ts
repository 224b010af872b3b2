import { fromFn, normAxis, sizeOfShape, unravel, type NDArray } from './ndarray.js';

/** Applies `f` to every 1-D lane of x along `axis` (lane values in order), writing its results back in place. */
function mapLanes(x: NDArray, axis: number, f: (lane: number[]) => number[]): NDArray {
  const ax = normAxis(axis, x.shape.length);
  const n = x.shape[ax]!;
  const stride = sizeOfShape(x.shape.slice(ax + 1));
  const out = fromFn(x.shape, 'float32', () => 0);
  const data = out.data;
  const total = sizeOfShape(x.shape);
  for (let i = 0; i < total; i++) {
    if (unravel(i, x.shape)[ax] !== 0) continue;
    const lane: number[] = [];
    for (let j = 0; j < n; j++) lane.push(x.data[i + j * stride]!);
    const res = f(lane);
    for (let j = 0; j < n; j++) data[i + j * stride] = res[j]!;
  }
  return out;
}

/** Stable softmax along `axis`: exp(x - max) / Σ exp(x - max). */
export function refSoftmax(x: NDArray, axis = -1): NDArray {
  return mapLanes(x, axis, (lane) => {
    const m = Math.max(...lane);
    const e = lane.map((v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / s);
  });
}

/** Stable logSoftmax along `axis`: x - max - log Σ exp(x - max). */
export function refLogSoftmax(x: NDArray, axis = -1): NDArray {
  return mapLanes(x, axis, (lane) => {
    const m = Math.max(...lane);
    const lse = m + Math.log(lane.reduce((a, v) => a + Math.exp(v - m), 0));
    return lane.map((v) => v - lse);
  });
}
