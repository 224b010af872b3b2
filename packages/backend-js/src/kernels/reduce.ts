import type { DType, ReduceOp, TypedArray } from '@scratchnet/core';
import { collapseDims, forEachRow, numElements, rowMajorStrides } from '../broadcast.js';
import { allocFor, dtypeOf } from '../storage.js';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * Reduces `x` (shape `shape`) over `axes` (sorted, unique, non-empty). The output shape is `shape` without
 * those axes. sum / prod give float32 for float32 input and int32 otherwise (int32 wraps like C);
 * max / min keep the input dtype and propagate NaN; argmax / argmin (one axis) give the int32 index of
 * the first extreme (a NaN counts as the extreme). An empty reduction gives the op's identity
 * (−∞ / +∞ for float max / min, the int32 limits for int32, false / true for bool).
 */
export function reduceKernel(op: ReduceOp, x: TypedArray, shape: readonly number[], axes: readonly number[]): TypedArray {
  if (op === 'argmax' || op === 'argmin') return argReduce(op, x, shape, axes[0]!);
  const inDtype = dtypeOf(x);
  const reduced = new Array<boolean>(shape.length).fill(false);
  for (const ax of axes) reduced[ax] = true;
  const outShape = shape.filter((_, i) => !reduced[i]);
  const outSize = numElements(outShape);
  const outDtype: DType = op === 'sum' || op === 'prod' ? (inDtype === 'float32' ? 'float32' : 'int32') : inDtype;

  const intProd = op === 'prod' && outDtype === 'int32';
  const acc: Float64Array | Int32Array = intProd ? new Int32Array(outSize) : new Float64Array(outSize);
  acc.fill(identity(op, inDtype));

  if (numElements(shape) > 0 && outSize > 0) {
    // Walk x in row-major order; the output offset follows strides that are 0 on reduced axes.
    const outStridesKept = rowMajorStrides(outShape);
    const outStrides: number[] = [];
    let k = 0;
    for (let i = 0; i < shape.length; i++) outStrides.push(reduced[i] ? 0 : outStridesKept[k++]!);
    const layout = collapseDims(shape, [rowMajorStrides(shape), outStrides]);
    const last = layout.shape.length - 1;
    const n = layout.shape[last]!;
    const innerReduced = layout.strides[1]![last] === 0;
    forEachRow(layout.shape, layout.strides, [0, 0], (off) => {
      const ix = off[0]!;
      const io = off[1]!;
      if (innerReduced) acc[io] = foldRow(op, intProd, x, ix, n, acc[io]!);
      else foldInto(op, intProd, x, ix, acc, io, n);
    });
  }

  const out = allocFor(outDtype, outSize);
  if (outDtype === 'int32' && op === 'sum') {
    for (let i = 0; i < outSize; i++) out[i] = acc[i]! | 0;
  } else {
    out.set(acc);
  }
  return out;
}

function identity(op: ReduceOp, dtype: DType): number {
  switch (op) {
    case 'sum':
      return 0;
    case 'prod':
      return 1;
    case 'max':
      return dtype === 'float32' ? -Infinity : dtype === 'int32' ? INT32_MIN : 0;
    default:
      return dtype === 'float32' ? Infinity : dtype === 'int32' ? INT32_MAX : 1;
  }
}

/** Folds x[ix .. ix + n) into the single accumulator value `start`. */
function foldRow(op: ReduceOp, intProd: boolean, x: TypedArray, ix: number, n: number, start: number): number {
  const end = ix + n;
  let r = start;
  switch (op) {
    case 'sum':
      for (let i = ix; i < end; i++) r += x[i]!;
      return r;
    case 'prod':
      if (intProd) for (let i = ix; i < end; i++) r = Math.imul(r, x[i]!);
      else for (let i = ix; i < end; i++) r *= x[i]!;
      return r;
    case 'max':
      for (let i = ix; i < end; i++) {
        const v = x[i]!;
        if (v > r || v !== v) r = v;
      }
      return r;
    default:
      for (let i = ix; i < end; i++) {
        const v = x[i]!;
        if (v < r || v !== v) r = v;
      }
      return r;
  }
}

/** Folds x[ix .. ix + n) elementwise into acc[io .. io + n). */
function foldInto(op: ReduceOp, intProd: boolean, x: TypedArray, ix: number, acc: Float64Array | Int32Array, io: number, n: number): void {
  switch (op) {
    case 'sum':
      for (let i = 0; i < n; i++) acc[io + i]! += x[ix + i]!;
      return;
    case 'prod':
      if (intProd) for (let i = 0; i < n; i++) acc[io + i] = Math.imul(acc[io + i]!, x[ix + i]!);
      else for (let i = 0; i < n; i++) acc[io + i]! *= x[ix + i]!;
      return;
    case 'max':
      for (let i = 0; i < n; i++) {
        const v = x[ix + i]!;
        if (v > acc[io + i]! || v !== v) acc[io + i] = v;
      }
      return;
    default:
      for (let i = 0; i < n; i++) {
        const v = x[ix + i]!;
        if (v < acc[io + i]! || v !== v) acc[io + i] = v;
      }
  }
}

/** argmax / argmin over one axis: int32 index of the first extreme; a NaN beats every number. */
function argReduce(op: 'argmax' | 'argmin', x: TypedArray, shape: readonly number[], axis: number): Int32Array {
  const d = shape[axis]!;
  let outer = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i]!;
  let inner = 1;
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i]!;
  const out = new Int32Array(outer * inner);
  if (d === 0 || out.length === 0) return out;
  const isMax = op === 'argmax';
  const best = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    const base = o * d * inner;
    const ob = o * inner;
    for (let i = 0; i < inner; i++) best[i] = x[base + i]!;
    for (let j = 1; j < d; j++) {
      const row = base + j * inner;
      for (let i = 0; i < inner; i++) {
        const v = x[row + i]!;
        const b = best[i]!;
        if (b !== b) continue; // a NaN already won
        if ((isMax ? v > b : v < b) || v !== v) {
          best[i] = v;
          out[ob + i] = j;
        }
      }
    }
  }
  return out;
}
