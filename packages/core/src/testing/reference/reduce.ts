import { fromFn, normAxis, sizeOfShape, unravel, type NDArray, type RefDType } from './ndarray.js';

/** Sorted unique axes; undefined means all. */
export function refAxes(axes: number | readonly number[] | undefined, rank: number): number[] {
  if (axes === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axes === 'number' ? [axes] : [...axes];
  return [...new Set(list.map((a) => normAxis(a, rank)))].sort((x, y) => x - y);
}

/** The output shape of reducing `axes` (with or without kept size-1 dims). */
export function reducedShape(shape: readonly number[], axes: readonly number[], keepDims: boolean): number[] {
  const out: number[] = [];
  shape.forEach((d, i) => {
    if (!axes.includes(i)) out.push(d);
    else if (keepDims) out.push(1);
  });
  return out;
}

/**
 * Groups the input's values by output position: groups[o] lists, in row-major order, every value
 * that reduces into output element o.
 */
export function groupByOutput(x: NDArray, axes: readonly number[]): { shape: number[]; groups: number[][] } {
  const shape = reducedShape(x.shape, axes, false);
  const groups: number[][] = Array.from({ length: sizeOfShape(shape) }, () => []);
  const n = sizeOfShape(x.shape);
  for (let i = 0; i < n; i++) {
    const idx = unravel(i, x.shape);
    let o = 0;
    for (let d = 0; d < idx.length; d++) if (!axes.includes(d)) o = o * x.shape[d]! + idx[d]!;
    groups[o]!.push(x.data[i]!);
  }
  return { shape, groups };
}

export type RefReduceOp = 'sum' | 'mean' | 'max' | 'min' | 'prod' | 'logSumExp';

function fold(op: RefReduceOp, dtype: RefDType, vals: number[]): number {
  const isInt = dtype === 'int32';
  switch (op) {
    case 'sum': {
      let s = 0;
      for (const v of vals) s = isInt ? (s + v) | 0 : s + v;
      return s;
    }
    case 'mean': {
      let s = 0;
      for (const v of vals) s += v;
      return s / vals.length;
    }
    case 'prod': {
      let p = 1;
      for (const v of vals) p = isInt ? Math.imul(p, v) : p * v;
      return p;
    }
    case 'max': {
      let m = -Infinity;
      for (const v of vals) if (v > m || Number.isNaN(v)) m = v;
      return m;
    }
    case 'min': {
      let m = Infinity;
      for (const v of vals) if (v < m || Number.isNaN(v)) m = v;
      return m;
    }
    case 'logSumExp': {
      let m = -Infinity;
      for (const v of vals) if (v > m) m = v;
      if (m === -Infinity) return -Infinity;
      let s = 0;
      for (const v of vals) s += Math.exp(v - m);
      return m + Math.log(s);
    }
  }
}

/** The output dtype of a reduction: sum/prod of int32 or bool → int32; mean/logSumExp → float32; max/min keep. */
export function reduceDType(op: RefReduceOp, dtype: RefDType): RefDType {
  if (op === 'sum' || op === 'prod') return dtype === 'float32' ? 'float32' : 'int32';
  if (op === 'mean' || op === 'logSumExp') return 'float32';
  return dtype;
}

/** sum / mean / max / min / prod / logSumExp over axes (undefined = all), optionally keeping dims. */
export function refReduce(op: RefReduceOp, x: NDArray, axes?: number | readonly number[], keepDims = false): NDArray {
  const ax = refAxes(axes, x.shape.length);
  const { groups } = groupByOutput(x, ax);
  const dtype = reduceDType(op, x.dtype);
  const shape = reducedShape(x.shape, ax, keepDims);
  return fromFn(shape, dtype, (o) => fold(op, dtype, groups[o]!));
}

/** Variance with `correction` (0 = population, 1 = unbiased): Σ(x - mean)² / (n - correction). */
export function refVariance(x: NDArray, axes?: number | readonly number[], keepDims = false, correction = 0): NDArray {
  const ax = refAxes(axes, x.shape.length);
  const { groups } = groupByOutput(x, ax);
  return fromFn(reducedShape(x.shape, ax, keepDims), 'float32', (o) => {
    const g = groups[o]!;
    const mean = g.reduce((s, v) => s + v, 0) / g.length;
    return g.reduce((s, v) => s + (v - mean) * (v - mean), 0) / (g.length - correction);
  });
}

/** argmax / argmin along one axis (undefined: over the flattened tensor); first index on ties; int32. */
export function refArgExtreme(kind: 'argmax' | 'argmin', x: NDArray, axis?: number): NDArray {
  const flat = axis === undefined;
  const src: NDArray = flat ? { shape: [x.data.length], dtype: x.dtype, data: x.data } : x;
  const ax = flat ? 0 : normAxis(axis, x.shape.length);
  const { shape, groups } = groupByOutput(src, [ax]);
  return fromFn(shape, 'int32', (o) => {
    const g = groups[o]!;
    let best = 0;
    for (let i = 1; i < g.length; i++) {
      if (kind === 'argmax' ? g[i]! > g[best]! : g[i]! < g[best]!) best = i;
    }
    return best;
  });
}
