import { binaryDef, type BinaryOp, type DType, type TypedArray } from '@scratchnet/core';
import { broadcastStrides, mergeAxes, forEachRow, numElements, rowMajorStrides } from '../broadcast.js';
import { allocFor } from '../storage.js';
import { testLoop, zipLoop, type ZipLoop } from './specialize.js';

/** One specialised row loop per op and form, built on first use. */
const rows = new Map<string, ZipLoop>();

function rowFor(op: BinaryOp, int: boolean): ZipLoop {
  const key = `${op}|${int ? 'int' : 'float'}`;
  let row = rows.get(key);
  if (row === undefined) {
    const def = binaryDef(op);
    if (def.kind !== 'arith') row = testLoop(def.ts);
    else row = zipLoop(int && def.int ? def.tsInt : def.ts);
    rows.set(key, row);
  }
  return row;
}

/**
 * Elementwise binary kernel with NumPy broadcasting of `a` (shape `aShape`) and `b` (shape `bShape`)
 * to `outShape`, applying core's TypeScript form of `op`: the int32 form for int32 arithmetic, the
 * double-precision form otherwise. Both inputs share a dtype; the output has `outDtype`.
 */
export function binaryKernel(
  op: BinaryOp,
  a: TypedArray, aShape: readonly number[],
  b: TypedArray, bShape: readonly number[],
  outShape: readonly number[], outDtype: DType,
): TypedArray {
  const row = rowFor(op, a instanceof Int32Array);
  const size = numElements(outShape);
  const out = allocFor(outDtype, size);
  if (size === 0) return out;
  if (a.length === size && b.length === size) {
    row(a, 0, 1, b, 0, 1, out, 0, size);
  } else if (a.length === 1 && b.length === size) {
    row(a, 0, 0, b, 0, 1, out, 0, size);
  } else if (b.length === 1 && a.length === size) {
    row(a, 0, 1, b, 0, 0, out, 0, size);
  } else {
    const layout = mergeAxes(outShape, [rowMajorStrides(outShape), broadcastStrides(aShape, outShape), broadcastStrides(bShape, outShape)]);
    const [, sa, sb] = layout.strides as [number[], number[], number[]];
    const last = layout.shape.length - 1;
    const n = layout.shape[last]!;
    const saL = sa[last]!;
    const sbL = sb[last]!;
    forEachRow(layout.shape, layout.strides, [0, 0, 0], (off) => {
      row(a, off[1]!, saL, b, off[2]!, sbL, out, off[0]!, n);
    });
  }
  return out;
}

/**
 * Selects a where `cond` (bool) is non-zero, else b; all three broadcast to `outShape`. The output has
 * a's dtype (a and b share it).
 */
export function whereKernel(
  cond: TypedArray, condShape: readonly number[],
  a: TypedArray, aShape: readonly number[],
  b: TypedArray, bShape: readonly number[],
  outShape: readonly number[],
): TypedArray {
  const size = numElements(outShape);
  const out = allocFor(a instanceof Float32Array ? 'float32' : a instanceof Int32Array ? 'int32' : 'bool', size);
  if (size === 0) return out;
  if (cond.length === size && a.length === size && b.length === size) {
    for (let i = 0; i < size; i++) out[i] = cond[i] !== 0 ? a[i]! : b[i]!;
    return out;
  }
  const layout = mergeAxes(outShape, [
    rowMajorStrides(outShape), broadcastStrides(condShape, outShape), broadcastStrides(aShape, outShape), broadcastStrides(bShape, outShape),
  ]);
  const [, sc, sa, sb] = layout.strides as [number[], number[], number[], number[]];
  const last = layout.shape.length - 1;
  const n = layout.shape[last]!;
  const scL = sc[last]!;
  const saL = sa[last]!;
  const sbL = sb[last]!;
  forEachRow(layout.shape, layout.strides, [0, 0, 0, 0], (off) => {
    let ic = off[1]!;
    let ia = off[2]!;
    let ib = off[3]!;
    const end = off[0]! + n;
    for (let o = off[0]!; o < end; o++, ic += scL, ia += saL, ib += sbL) out[o] = cond[ic] !== 0 ? a[ia]! : b[ib]!;
  });
  return out;
}
