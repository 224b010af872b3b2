import { fromFn, normAxis, ravel, unravel, type NDArray } from './ndarray.js';

/** gather(x, indices, axis): out.shape = x.shape[:axis] + indices.shape + x.shape[axis+1:]. */
export function refGather(x: NDArray, indices: NDArray, axis = 0): NDArray {
  const a = normAxis(axis, x.shape.length);
  const q = indices.shape.length;
  const shape = [...x.shape.slice(0, a), ...indices.shape, ...x.shape.slice(a + 1)];
  return fromFn(shape, x.dtype, (flat) => {
    const idx = unravel(flat, shape);
    const j = indices.data[ravel(idx.slice(a, a + q), indices.shape)]!;
    const src = [...idx.slice(0, a), j, ...idx.slice(a + q)];
    return x.data[ravel(src, x.shape)]!;
  });
}

/** oneHot(indices, depth): float32 of shape [...indices.shape, depth]. */
export function refOneHot(indices: NDArray, depth: number, onValue = 1, offValue = 0): NDArray {
  const shape = [...indices.shape, depth];
  return fromFn(shape, 'float32', (flat) => (indices.data[Math.floor(flat / depth)] === flat % depth ? onValue : offValue));
}
