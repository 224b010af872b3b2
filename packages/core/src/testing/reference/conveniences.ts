import { at, fromFn, nd, ravel, unravel, type NDArray } from './ndarray.js';

/** Elementwise sum of same-shaped arrays. */
export function refAddN(xs: readonly NDArray[]): NDArray {
  return fromFn(xs[0]!.shape, xs[0]!.dtype, (i) => xs.reduce((s, x) => s + x.data[i]!, 0));
}

/** Heaviside step with `alpha` at and below 0, NaN for NaN. */
export function refStep(x: NDArray, alpha: number): NDArray {
  return fromFn(x.shape, 'float32', (i) => {
    const v = x.data[i]!;
    return Number.isNaN(v) ? NaN : v > 0 ? 1 : alpha;
  });
}

/** Mean and population variance over `axes`, written as two passes of explicit sums. */
export function refMoments(x: NDArray, axes: readonly number[], keepDims: boolean): [NDArray, NDArray] {
  const outShape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const count = axes.reduce((n, a) => n * x.shape[a]!, 1);
  const sums = new Float64Array(outShape.reduce((p, d) => p * d, 1));
  const key = (i: number): number => ravel(unravel(i, x.shape).map((v, k) => (axes.includes(k) ? 0 : v)), outShape);
  x.data.forEach((v, i) => { const k = key(i); sums[k] = sums[k]! + v; });
  const means = sums.map((s) => s / count);
  const sq = new Float64Array(sums.length);
  x.data.forEach((v, i) => { const k = key(i); sq[k] = sq[k]! + (v - means[k]!) ** 2; });
  const shape = keepDims ? outShape : x.shape.filter((_, i) => !axes.includes(i));
  return [nd(shape, means), nd(shape, sq.map((s) => s / count))];
}

/** tfjs's localResponseNormalization over `axis`, one output element at a time. */
export function refLocalResponseNorm(x: NDArray, axis: number, r: number, bias: number, alpha: number, beta: number): NDArray {
  const c = x.shape[axis]!;
  return fromFn(x.shape, 'float32', (i) => {
    const idx = unravel(i, x.shape);
    let s = 0;
    for (let k = Math.max(0, idx[axis]! - r); k <= Math.min(c - 1, idx[axis]! + r); k++) {
      const j = idx.slice();
      j[axis] = k;
      s += at(x, j) ** 2;
    }
    return x.data[i]! / (bias + alpha * s) ** beta;
  });
}

/** Counts (or weight sums, or presence) of each value below `size`, per row of a 1-D or 2-D array. */
export function refBincount(x: NDArray, size: number, weights?: NDArray, binary = false): NDArray {
  const rows = x.shape.length === 2 ? x.shape[0]! : 1;
  const n = x.shape[x.shape.length - 1]!;
  const out = new Float64Array(rows * size);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < n; j++) {
      const v = x.data[r * n + j]!;
      if (v < size) out[r * size + v] = out[r * size + v]! + (binary ? 1 : weights ? weights.data[r * n + j]! : 1);
    }
  }
  return nd(x.shape.length === 2 ? [rows, size] : [size], binary ? out.map((v) => (v > 0 ? 1 : 0)) : out);
}

/** tfjs's spaceToBatchND from its definition: out[(k₁…k_M, b), i₁…i_M, rest] = padded[b, i₁·B₁+k₁, …, rest]. */
export function refSpaceToBatch(x: NDArray, block: readonly number[], paddings: readonly (readonly [number, number])[]): NDArray {
  const m = block.length;
  const batch = x.shape[0]!;
  const padded = x.shape.map((d, i) => (i >= 1 && i <= m ? d + paddings[i - 1]![0] + paddings[i - 1]![1] : d));
  const outShape = [batch * block.reduce((p, b) => p * b, 1), ...block.map((b, k) => padded[k + 1]! / b), ...x.shape.slice(m + 1)];
  return fromFn(outShape, x.dtype, (i) => {
    const idx = unravel(i, outShape);
    let rest = idx[0]!;
    const b = rest % batch;
    rest = Math.floor(rest / batch);
    const ks = new Array<number>(m);
    for (let k = m - 1; k >= 0; k--) {
      ks[k] = rest % block[k]!;
      rest = Math.floor(rest / block[k]!);
    }
    const src = [b];
    for (let k = 0; k < m; k++) {
      const p = idx[k + 1]! * block[k]! + ks[k]! - paddings[k]![0];
      if (p < 0 || p >= x.shape[k + 1]!) return 0;
      src.push(p);
    }
    return at(x, [...src, ...idx.slice(m + 1)]);
  });
}

/** tfjs's batchToSpaceND from its definition: the inverse arrangement of refSpaceToBatch, then the crops. */
export function refBatchToSpace(x: NDArray, block: readonly number[], crops: readonly (readonly [number, number])[]): NDArray {
  const m = block.length;
  const blocks = block.reduce((p, b) => p * b, 1);
  const batch = x.shape[0]! / blocks;
  const outShape = [batch, ...block.map((b, k) => x.shape[k + 1]! * b - crops[k]![0] - crops[k]![1]), ...x.shape.slice(m + 1)];
  return fromFn(outShape, x.dtype, (i) => {
    const idx = unravel(i, outShape);
    let blockIndex = 0;
    const src: number[] = [];
    for (let k = 0; k < m; k++) {
      const p = idx[k + 1]! + crops[k]![0];
      blockIndex = blockIndex * block[k]! + (p % block[k]!);
      src.push(Math.floor(p / block[k]!));
    }
    return at(x, [blockIndex * batch + idx[0]!, ...src, ...idx.slice(m + 1)]);
  });
}

/** x with the slices at the rows of idx [n, K] (leading K axes) replaced by updates [n, ...rest]. */
export function refTensorScatterUpdate(x: NDArray, idx: NDArray, updates: NDArray): NDArray {
  const k = idx.shape[1]!;
  const rest = x.shape.slice(k).reduce((p, d) => p * d, 1);
  const data = Float64Array.from(x.data);
  for (let j = 0; j < idx.shape[0]!; j++) {
    let row = 0;
    for (let a = 0; a < k; a++) row = row * x.shape[a]! + idx.data[j * k + a]!;
    for (let r = 0; r < rest; r++) data[row * rest + r] = updates.data[j * rest + r]!;
  }
  return nd(x.shape, data, x.dtype);
}

/** Segment sums of x's rows by ids into `count` segments. */
export function refSegmentSum(x: NDArray, ids: NDArray, count: number): NDArray {
  const rest = x.shape.slice(1).reduce((p, d) => p * d, 1);
  const out = new Float64Array(count * rest);
  for (let i = 0; i < x.shape[0]!; i++) for (let r = 0; r < rest; r++) out[ids.data[i]! * rest + r] = out[ids.data[i]! * rest + r]! + x.data[i * rest + r]!;
  return nd([count, ...x.shape.slice(1)], out);
}
