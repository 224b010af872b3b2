import { fromFn, nd, ravel, sizeOfShape, unravel, type NDArray } from './ndarray.js';

/** x reversed along `axes`. */
export function refFlip(x: NDArray, axes: readonly number[]): NDArray {
  return fromFn(x.shape, x.dtype, (i) => {
    const idx = unravel(i, x.shape).map((v, a) => (axes.includes(a) ? x.shape[a]! - 1 - v : v));
    return x.data[ravel(idx, x.shape)]!;
  });
}

/** x repeated reps[i] times along each axis (reps may be longer than the rank). */
export function refTile(x: NDArray, reps: readonly number[]): NDArray {
  const rank = Math.max(reps.length, x.shape.length);
  const shape = [...new Array<number>(rank - x.shape.length).fill(1), ...x.shape];
  const r = [...new Array<number>(rank - reps.length).fill(1), ...reps];
  const out = shape.map((d, i) => d * r[i]!);
  return fromFn(out, x.dtype, (i) => {
    const idx = unravel(i, out).map((v, a) => v % shape[a]!);
    return x.data[ravel(idx, shape)]!;
  });
}

/** Each slice along `axis` repeated counts[j] times in place. */
export function refRepeatInterleave(x: NDArray, counts: readonly number[], axis: number): NDArray {
  const source: number[] = [];
  counts.forEach((c, j) => { for (let k = 0; k < c; k++) source.push(j); });
  const out = x.shape.map((d, a) => (a === axis ? source.length : d));
  return fromFn(out, x.dtype, (i) => {
    const idx = unravel(i, out);
    idx[axis] = source[idx[axis]!]!;
    return x.data[ravel(idx, x.shape)]!;
  });
}

/** out[..., (i + s) mod d, ...] = x[..., i, ...] along each axis. */
export function refRoll(x: NDArray, shifts: readonly number[], axes: readonly number[]): NDArray {
  return fromFn(x.shape, x.dtype, (i) => {
    const idx = unravel(i, x.shape);
    axes.forEach((a, k) => {
      const d = x.shape[a]!;
      idx[a] = (((idx[a]! - shifts[k]!) % d) + d) % d;
    });
    return x.data[ravel(idx, x.shape)]!;
  });
}

/** Keeps elements whose column − row passes `keep` in the last two axes, zero elsewhere. */
export function refTriangle(x: NDArray, keep: (colMinusRow: number) => boolean): NDArray {
  const r = x.shape.length;
  return fromFn(x.shape, x.dtype, (i) => {
    const idx = unravel(i, x.shape);
    return keep(idx[r - 1]! - idx[r - 2]!) ? x.data[i]! : 0;
  });
}

/** torch.diag: 1-D → matrix with x on diagonal k; 2-D → its diagonal k. */
export function refDiag(x: NDArray, k: number): NDArray {
  if (x.shape.length === 1) {
    const n = x.shape[0]! + Math.abs(k);
    return fromFn([n, n], x.dtype, (i) => {
      const row = Math.floor(i / n);
      const col = i % n;
      return col - row === k ? x.data[k >= 0 ? row : col]! : 0;
    });
  }
  const [m, n] = x.shape as [number, number];
  const values: number[] = [];
  for (let row = 0; row < m; row++) {
    const col = row + k;
    if (col >= 0 && col < n) values.push(x.data[row * n + col]!);
  }
  return nd([values.length], values, x.dtype);
}

/** Σ x[i, i]. */
export function refTrace(x: NDArray): NDArray {
  const [m, n] = x.shape as [number, number];
  let s = 0;
  for (let i = 0; i < Math.min(m, n); i++) s += x.data[i * n + i]!;
  return nd([], [s], x.dtype);
}

/** Coordinate grids; 'xy' swaps the roles of the first two inputs. */
export function refMeshgrid(xs: readonly NDArray[], indexing: 'xy' | 'ij'): NDArray[] {
  const lengths = xs.map((x) => x.shape[0]!);
  const swap = indexing === 'xy' && xs.length >= 2;
  const shape = swap ? [lengths[1]!, lengths[0]!, ...lengths.slice(2)] : lengths;
  return xs.map((x, k) => {
    const axis = swap && k < 2 ? 1 - k : k;
    return fromFn(shape, x.dtype, (i) => x.data[unravel(i, shape)[axis]!]!);
  });
}

/** The slices of x along `axis`, each without that axis. */
export function refUnstack(x: NDArray, axis: number): NDArray[] {
  const out = x.shape.filter((_, a) => a !== axis);
  return Array.from({ length: x.shape[axis]! }, (_, j) =>
    fromFn(out, x.dtype, (i) => {
      const idx = unravel(i, out);
      idx.splice(axis, 0, j);
      return x.data[ravel(idx, x.shape)]!;
    }),
  );
}

/** a ⊗ b for 1-D a and b. */
export function refOuter(a: NDArray, b: NDArray): NDArray {
  const m = b.shape[0]!;
  return fromFn([a.shape[0]!, m], 'float32', (i) => a.data[Math.floor(i / m)]! * b.data[i % m]!);
}

/** TensorFlow.js's dot for 1-D / 2-D operands. */
export function refDot(a: NDArray, b: NDArray): NDArray {
  const A = a.shape.length === 1 ? { rows: 1, k: a.shape[0]! } : { rows: a.shape[0]!, k: a.shape[1]! };
  const cols = b.shape.length === 1 ? 1 : b.shape[1]!;
  const shape = [...(a.shape.length === 2 ? [A.rows] : []), ...(b.shape.length === 2 ? [cols] : [])];
  const values = new Array<number>(A.rows * cols).fill(0);
  for (let r = 0; r < A.rows; r++) {
    for (let c = 0; c < cols; c++) {
      for (let j = 0; j < A.k; j++) values[r * cols + c]! += a.data[r * A.k + j]! * b.data[j * cols + c]!;
    }
  }
  return nd(shape, values.slice(0, sizeOfShape(shape)), 'float32');
}

/** out[idx] = x[idx with idx[axis] replaced by indices[idx]]. */
export function refTakeAlongAxis(x: NDArray, indices: NDArray, axis: number): NDArray {
  return fromFn(indices.shape, x.dtype, (i) => {
    const idx = unravel(i, indices.shape);
    idx[axis] = indices.data[i]!;
    return x.data[ravel(idx, x.shape)]!;
  });
}

/** Padding by x's own values: each output coordinate maps back to a source coordinate per axis. */
export function refPadMode(x: NDArray, paddings: readonly (readonly [number, number])[], mode: 'reflect' | 'symmetric' | 'replicate' | 'circular'): NDArray {
  const out = x.shape.map((d, i) => d + paddings[i]![0] + paddings[i]![1]);
  const source = (j: number, d: number): number => {
    if (mode === 'replicate') return Math.min(Math.max(j, 0), d - 1);
    if (mode === 'circular') return ((j % d) + d) % d;
    if (mode === 'reflect') return j < 0 ? -j : j >= d ? 2 * (d - 1) - j : j;
    return j < 0 ? -j - 1 : j >= d ? 2 * d - 1 - j : j;
  };
  return fromFn(out, x.dtype, (i) => {
    const idx = unravel(i, out).map((v, a) => source(v - paddings[a]![0], x.shape[a]!));
    return x.data[ravel(idx, x.shape)]!;
  });
}
