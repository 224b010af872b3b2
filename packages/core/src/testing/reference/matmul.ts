import { broadcastShape } from './broadcast.js';
import { fromFn, sizeOfShape, unravel, type NDArray } from './ndarray.js';

/** Flat offset of the matrix at batch multi-index `batch` in a rank ≥ 2 operand (size-1 batch dims broadcast). */
function matrixOffset(x: NDArray, batch: readonly number[]): number {
  const r = x.shape.length;
  const xb = x.shape.slice(0, r - 2);
  const offset = batch.length - xb.length;
  let flat = 0;
  for (let d = 0; d < xb.length; d++) flat = flat * xb[d]! + (xb[d] === 1 ? 0 : batch[offset + d]!);
  return flat * x.shape[r - 2]! * x.shape[r - 1]!;
}

/**
 * NumPy matmul with optional transposes of the last two axes: a rank-1 a gains a leading 1 and b a
 * trailing 1, which are dropped from the result; batch dims broadcast.
 */
export function refMatmul(a: NDArray, b: NDArray, transposeA = false, transposeB = false): NDArray {
  const aVec = a.shape.length === 1;
  const bVec = b.shape.length === 1;
  const A: NDArray = aVec ? { ...a, shape: [1, a.shape[0]!] } : a;
  const B: NDArray = bVec ? { ...b, shape: [b.shape[0]!, 1] } : b;
  const ra = A.shape.length;
  const rb = B.shape.length;
  const m = transposeA ? A.shape[ra - 1]! : A.shape[ra - 2]!;
  const k = transposeA ? A.shape[ra - 2]! : A.shape[ra - 1]!;
  const kb = transposeB ? B.shape[rb - 1]! : B.shape[rb - 2]!;
  const n = transposeB ? B.shape[rb - 2]! : B.shape[rb - 1]!;
  if (k !== kb) throw new Error(`reference matmul: inner dimensions ${k} vs ${kb}`);
  const batch = broadcastShape(A.shape.slice(0, ra - 2), B.shape.slice(0, rb - 2));
  const full = [...batch, m, n];
  const res = fromFn(full, 'float32', (flat) => {
    const idx = unravel(flat, full);
    const bi = idx.slice(0, batch.length);
    const i = idx[batch.length]!;
    const j = idx[batch.length + 1]!;
    // A[i, p] and B[p, j] of the (possibly transposed) matrices, as offsets + strides into row-major storage.
    const colsA = A.shape[ra - 1]!;
    const colsB = B.shape[rb - 1]!;
    const a0 = matrixOffset(A, bi) + (transposeA ? i : i * colsA);
    const aStep = transposeA ? colsA : 1;
    const b0 = matrixOffset(B, bi) + (transposeB ? j * colsB : j);
    const bStep = transposeB ? 1 : colsB;
    let s = 0;
    for (let p = 0; p < k; p++) s += A.data[a0 + p * aStep]! * B.data[b0 + p * bStep]!;
    return s;
  });
  let shape = full;
  if (aVec) shape = [...batch, n];
  if (bVec) shape = aVec ? [...batch] : [...batch, m];
  if (sizeOfShape(shape) !== res.data.length) throw new Error('reference matmul: shape bookkeeping');
  return { shape, dtype: 'float32', data: res.data };
}
