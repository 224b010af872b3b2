import { fromFn, ravel, sizeOfShape, unravel, type NDArray } from './ndarray.js';

function copyOf(x: NDArray): NDArray {
  return { shape: [...x.shape], dtype: x.dtype, data: Float64Array.from(x.data) };
}

/** torch.scatter / scatter_add: for each position of indices, out[..idx along axis..] = (or +=) src at that position. */
export function refScatter(x: NDArray, axis: number, indices: NDArray, src: NDArray | number, add: boolean): NDArray {
  const out = copyOf(x);
  for (let p = 0; p < indices.data.length; p++) {
    const pos = unravel(p, indices.shape);
    const v = typeof src === 'number' ? src : src.data[ravel(pos, src.shape)]!;
    const target = [...pos];
    target[axis] = indices.data[p]!;
    const t = ravel(target, x.shape);
    out.data[t] = add ? out.data[t]! + v : v;
  }
  return out;
}

/** torch.index_put: index arrays broadcast to B; x[i0[b], ..., ik[b], ...rest] = (or +=) values broadcast to B + rest. */
export function refIndexPut(x: NDArray, indices: readonly NDArray[], values: NDArray | number, accumulate: boolean): NDArray {
  const out = copyOf(x);
  const k = indices.length;
  const bRank = Math.max(...indices.map((t) => t.shape.length));
  const b = Array.from({ length: bRank }, (_, i) => Math.max(...indices.map((t) => t.shape[t.shape.length - bRank + i] ?? 1)));
  const rest = x.shape.slice(k);
  const full = [...b, ...rest];
  const readBroadcast = (t: NDArray, idx: readonly number[]): number => {
    const own = idx.slice(idx.length - t.shape.length).map((v, i) => (t.shape[i] === 1 ? 0 : v));
    return t.data[ravel(own, t.shape)]!;
  };
  for (let f = 0; f < sizeOfShape(full); f++) {
    const idx = unravel(f, full);
    const bIdx = idx.slice(0, bRank);
    const lead = indices.map((t, j) => {
      const v = readBroadcast(t, bIdx);
      return v < 0 ? v + x.shape[j]! : v;
    });
    const t = ravel([...lead, ...idx.slice(bRank)], x.shape);
    const v = typeof values === 'number' ? values : readBroadcast(values, idx);
    out.data[t] = accumulate ? out.data[t]! + v : v;
  }
  return out;
}

/** tfjs gatherND: out[b, ...rest] = x[indices[b, 0..K-1], ...rest]. */
export function refGatherND(x: NDArray, indices: NDArray): NDArray {
  const k = indices.shape[indices.shape.length - 1]!;
  const batch = indices.shape.slice(0, -1);
  const rest = x.shape.slice(k);
  const shape = [...batch, ...rest];
  return fromFn(shape, x.dtype, (flat) => {
    const idx = unravel(flat, shape);
    const bFlat = ravel(idx.slice(0, batch.length), batch);
    const lead = Array.from({ length: k }, (_, j) => indices.data[bFlat * k + j]!);
    return x.data[ravel([...lead, ...idx.slice(batch.length)], x.shape)]!;
  });
}

/** tfjs scatterND: zeros of `shape`, then out[indices[b], ...rest] += updates[b, ...rest]. */
export function refScatterND(indices: NDArray, updates: NDArray, shape: readonly number[]): NDArray {
  const out = fromFn(shape, updates.dtype, () => 0);
  const k = indices.shape[indices.shape.length - 1]!;
  const batch = indices.shape.slice(0, -1);
  for (let f = 0; f < updates.data.length; f++) {
    const idx = unravel(f, updates.shape);
    const bFlat = ravel(idx.slice(0, batch.length), batch);
    const lead = Array.from({ length: k }, (_, j) => indices.data[bFlat * k + j]!);
    const t = ravel([...lead, ...idx.slice(batch.length)], shape);
    out.data[t] = out.data[t]! + updates.data[f]!;
  }
  return out;
}
