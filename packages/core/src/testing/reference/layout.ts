import { refBroadcastTo } from './broadcast.js';
import { fromFn, normAxis, ravel, sizeOfShape, unravel, type NDArray } from './ndarray.js';

/** transpose(x, perm): out.shape[i] = x.shape[perm[i]]; default perm reverses the axes. */
export function refTranspose(x: NDArray, perm?: readonly number[]): NDArray {
  const r = x.shape.length;
  const p = perm ? perm.map((a) => normAxis(a, r)) : Array.from({ length: r }, (_, i) => r - 1 - i);
  const shape = p.map((a) => x.shape[a]!);
  return fromFn(shape, x.dtype, (flat) => {
    const outIdx = unravel(flat, shape);
    const inIdx = new Array<number>(r).fill(0);
    p.forEach((a, i) => (inIdx[a] = outIdx[i]!));
    return x.data[ravel(inIdx, x.shape)]!;
  });
}

/** The permutation that undoes `perm`. */
export function inversePerm(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length).fill(0);
  perm.forEach((a, i) => (inv[a] = i));
  return inv;
}

/** reshape with at most one -1. Data order is unchanged. */
export function refReshape(x: NDArray, shape: readonly number[]): NDArray {
  const known = shape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  const resolved = shape.map((d) => (d === -1 ? x.data.length / known : d));
  if (sizeOfShape(resolved) !== x.data.length || resolved.some((d) => !Number.isInteger(d))) {
    throw new Error(`reference reshape: [${x.shape.join(',')}] does not fit [${shape.join(',')}]`);
  }
  return { shape: resolved, dtype: x.dtype, data: Float64Array.from(x.data) };
}

/** squeeze: drops the given size-1 axes, or all size-1 axes. */
export function refSqueeze(x: NDArray, axes?: readonly number[]): NDArray {
  const r = x.shape.length;
  const drop = axes ? axes.map((a) => normAxis(a, r)) : x.shape.flatMap((d, i) => (d === 1 ? [i] : []));
  for (const a of drop) if (x.shape[a] !== 1) throw new Error(`reference squeeze: axis ${a} has size ${x.shape[a]}`);
  return refReshape(x, x.shape.filter((_, i) => !drop.includes(i)));
}

/** expandDims: inserts a size-1 axis so that it sits at `axis` of the result (negative counts from the end of the result). */
export function refExpandDims(x: NDArray, axis: number): NDArray {
  const a = normAxis(axis, x.shape.length + 1);
  const shape = [...x.shape];
  shape.splice(a, 0, 1);
  return refReshape(x, shape);
}

/** flatten(x, start, end) with PyTorch semantics: merges axes start..end inclusive. */
export function refFlatten(x: NDArray, startAxis = 0, endAxis = -1): NDArray {
  if (x.shape.length === 0) return refReshape(x, [1]);
  const s = normAxis(startAxis, x.shape.length);
  const e = normAxis(endAxis, x.shape.length);
  const merged = sizeOfShape(x.shape.slice(s, e + 1));
  return refReshape(x, [...x.shape.slice(0, s), merged, ...x.shape.slice(e + 1)]);
}

export { refBroadcastTo };
