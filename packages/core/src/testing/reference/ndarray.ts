import { refRoundHalf } from './half.js';

/**
 * The conformance reference's array: float64 storage for every dtype plus a dtype tag. int32 data
 * holds integers in int32 range, bool data holds 0 or 1. Nothing here uses core.
 */
export type RefDType = 'float32' | 'float16' | 'int32' | 'bool';

export interface NDArray {
  readonly shape: readonly number[];
  readonly dtype: RefDType;
  readonly data: Float64Array;
}

/** Builds an NDArray, checking that the data length matches the shape. */
export function nd(shape: readonly number[], data: ArrayLike<number>, dtype: RefDType = 'float32'): NDArray {
  const n = sizeOfShape(shape);
  if (data.length !== n) throw new Error(`reference: ${data.length} values do not fill shape [${shape.join(',')}]`);
  return { shape: [...shape], dtype, data: Float64Array.from(data) };
}

/** An NDArray of `shape` filled by `f(flatIndex)`. */
export function fromFn(shape: readonly number[], dtype: RefDType, f: (i: number) => number): NDArray {
  const n = sizeOfShape(shape);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = f(i);
  return { shape: [...shape], dtype, data };
}

export function sizeOfShape(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides. */
export function stridesOfShape(shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length).fill(0);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    out[i] = s;
    s *= shape[i]!;
  }
  return out;
}

/** Multi-index of a flat row-major index. */
export function unravel(flat: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length).fill(0);
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i]!;
    idx[i] = flat % d;
    flat = Math.floor(flat / d);
  }
  return idx;
}

/** Flat row-major index of a multi-index. */
export function ravel(idx: readonly number[], shape: readonly number[]): number {
  let flat = 0;
  for (let i = 0; i < shape.length; i++) flat = flat * shape[i]! + idx[i]!;
  return flat;
}

/** Value at a multi-index. */
export function at(x: NDArray, idx: readonly number[]): number {
  return x.data[ravel(idx, x.shape)]!;
}

/** Normalises a possibly negative axis against a rank; throws on out of range. */
export function normAxis(axis: number, rank: number): number {
  if (axis < -rank || axis >= rank) throw new Error(`reference: axis ${axis} out of range for rank ${rank}`);
  return axis < 0 ? axis + rank : axis;
}

/** Stores a float64 value as `dtype` would: int32 wraps (ToInt32 of the truncated value), bool is x ≠ 0, float16 rounds to the nearest half. */
export function storeAs(value: number, dtype: RefDType): number {
  if (dtype === 'int32') return Math.trunc(value) | 0;
  if (dtype === 'float16') return refRoundHalf(value);
  if (dtype === 'bool') return value !== 0 ? 1 : 0; // NaN is truthy, as in NumPy
  return value;
}

/** Converts to another dtype (float → int truncates toward zero; → bool is x ≠ 0). */
export function castTo(x: NDArray, dtype: RefDType): NDArray {
  return fromFn(x.shape, dtype, (i) => storeAs(x.data[i]!, dtype));
}

/** Nested JS arrays → NDArray (for hand-written test values). */
export function fromNested(values: unknown, dtype: RefDType = 'float32'): NDArray {
  const shape: number[] = [];
  let probe: unknown = values;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0];
  }
  const flat = (Array.isArray(values) ? (values as unknown[]).flat(Infinity) : [values]) as (number | boolean)[];
  return nd(shape, flat.map((v) => Number(v)), dtype);
}
