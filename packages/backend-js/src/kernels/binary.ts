import type { BinaryOp, DType, TypedArray } from '@scratchnet/core';
import { broadcastStrides, mergeAxes, forEachRow, numElements, rowMajorStrides } from '../broadcast.js';
import { allocFor } from '../storage.js';
import { intPow, powC } from '../math.js';
import { castKernel } from './cast.js';

const COMPARISONS: ReadonlySet<BinaryOp> = new Set<BinaryOp>(['equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual']);

/**
 * A row routine: out[io + i] = a[ia + i·sa] ∘ b[ib + i·sb] for i < n. One routine per output family so
 * that each inner loop stays monomorphic in its output array.
 */
type RowFn = (
  op: BinaryOp, a: TypedArray, ia: number, sa: number, b: TypedArray, ib: number, sb: number,
  out: TypedArray, io: number, n: number,
) => void;

/**
 * Elementwise binary kernel with NumPy broadcasting of `a` (shape `aShape`) and `b` (shape `bShape`)
 * to `outShape`. Both inputs share a dtype. Arithmetic keeps it (int32 wraps like C), comparisons and
 * logical ops produce bool. When `outDtype` differs from that natural dtype the result is cast.
 */
export function binaryKernel(
  op: BinaryOp,
  a: TypedArray, aShape: readonly number[],
  b: TypedArray, bShape: readonly number[],
  outShape: readonly number[], outDtype: DType,
): TypedArray {
  let natural: DType;
  let row: RowFn;
  if (op === 'logicalAnd' || op === 'logicalOr') {
    natural = 'bool';
    row = logicalRow;
  } else if (COMPARISONS.has(op)) {
    natural = 'bool';
    row = compareRow;
  } else if (a instanceof Float32Array) {
    natural = 'float32';
    row = floatRow;
  } else {
    // int32 arithmetic; bool arithmetic (not expected from core) is done in int32 and cast below.
    natural = 'int32';
    row = intRow;
  }
  const size = numElements(outShape);
  const out = allocFor(natural, size);
  if (size > 0) {
    if (a.length === size && b.length === size) {
      row(op, a, 0, 1, b, 0, 1, out, 0, size);
    } else if (a.length === 1 && b.length === size) {
      row(op, a, 0, 0, b, 0, 1, out, 0, size);
    } else if (b.length === 1 && a.length === size) {
      row(op, a, 0, 1, b, 0, 0, out, 0, size);
    } else {
      const layout = mergeAxes(outShape, [rowMajorStrides(outShape), broadcastStrides(aShape, outShape), broadcastStrides(bShape, outShape)]);
      const [so, sa, sb] = layout.strides as [number[], number[], number[]];
      const last = layout.shape.length - 1;
      const n = layout.shape[last]!;
      const soL = so[last]!;
      const saL = sa[last]!;
      const sbL = sb[last]!;
      if (soL !== 1) throw new Error('binary: internal layout error');
      forEachRow(layout.shape, [so, sa, sb], [0, 0, 0], (off) => {
        row(op, a, off[1]!, saL, b, off[2]!, sbL, out, off[0]!, n);
      });
    }
  }
  return natural === outDtype ? out : castKernel(out, outDtype);
}

const floatRow: RowFn = (op, a, ia, sa, b, ib, sb, out, io, n) => {
  const end = io + n;
  switch (op) {
    case 'add':
      for (let o = io; o < end; o++, ia += sa, ib += sb) out[o] = a[ia]! + b[ib]!;
      return;
    case 'sub':
      for (let o = io; o < end; o++, ia += sa, ib += sb) out[o] = a[ia]! - b[ib]!;
      return;
    case 'mul':
      for (let o = io; o < end; o++, ia += sa, ib += sb) out[o] = a[ia]! * b[ib]!;
      return;
    case 'div':
      for (let o = io; o < end; o++, ia += sa, ib += sb) out[o] = a[ia]! / b[ib]!;
      return;
    case 'pow':
      for (let o = io; o < end; o++, ia += sa, ib += sb) out[o] = powC(a[ia]!, b[ib]!);
      return;
    case 'maximum':
      for (let o = io; o < end; o++, ia += sa, ib += sb) out[o] = Math.max(a[ia]!, b[ib]!);
      return;
    case 'minimum':
      for (let o = io; o < end; o++, ia += sa, ib += sb) out[o] = Math.min(a[ia]!, b[ib]!);
      return;
    default:
      throw new Error(`binary: ${op} is not an arithmetic op`);
  }
};

const intRow: RowFn = (op, a, ia, sa, b, ib, sb, out, io, n) => {
  const end = io + n;
  switch (op) {
    case 'add':
      for (let o = io; o < end; o++, ia += sa, ib += sb) out[o] = (a[ia]! + b[ib]!) | 0;
      return;
    case 'sub':
      for (let o = io; o < end; o++, ia += sa, ib += sb) out[o] = (a[ia]! - b[ib]!) | 0;
      return;
    case 'mul':
      for (let o = io; o < end; o++, ia += sa, ib += sb) out[o] = Math.imul(a[ia]!, b[ib]!);
      return;
    case 'div':
      // Never called by core (it divides in float32); truncating division like C, 0 for x / 0.
      for (let o = io; o < end; o++, ia += sa, ib += sb) {
        const d = b[ib]!;
        out[o] = d === 0 ? 0 : (a[ia]! / d) | 0;
      }
      return;
    case 'pow':
      for (let o = io; o < end; o++, ia += sa, ib += sb) out[o] = intPow(a[ia]!, b[ib]!);
      return;
    case 'maximum':
      for (let o = io; o < end; o++, ia += sa, ib += sb) out[o] = Math.max(a[ia]!, b[ib]!);
      return;
    case 'minimum':
      for (let o = io; o < end; o++, ia += sa, ib += sb) out[o] = Math.min(a[ia]!, b[ib]!);
      return;
    default:
      throw new Error(`binary: ${op} is not an arithmetic op`);
  }
};

const compareRow: RowFn = (op, a, ia, sa, b, ib, sb, out, io, n) => {
  const end = io + n;
  switch (op) {
    case 'equal':
      for (let o = io; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] === b[ib] ? 1 : 0;
      return;
    case 'notEqual':
      for (let o = io; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] !== b[ib] ? 1 : 0;
      return;
    case 'less':
      for (let o = io; o < end; o++, ia += sa, ib += sb) out[o] = a[ia]! < b[ib]! ? 1 : 0;
      return;
    case 'lessEqual':
      for (let o = io; o < end; o++, ia += sa, ib += sb) out[o] = a[ia]! <= b[ib]! ? 1 : 0;
      return;
    case 'greater':
      for (let o = io; o < end; o++, ia += sa, ib += sb) out[o] = a[ia]! > b[ib]! ? 1 : 0;
      return;
    case 'greaterEqual':
      for (let o = io; o < end; o++, ia += sa, ib += sb) out[o] = a[ia]! >= b[ib]! ? 1 : 0;
      return;
    default:
      throw new Error(`binary: ${op} is not a comparison`);
  }
};

const logicalRow: RowFn = (op, a, ia, sa, b, ib, sb, out, io, n) => {
  const end = io + n;
  if (op === 'logicalAnd') {
    for (let o = io; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] !== 0 && b[ib] !== 0 ? 1 : 0;
  } else {
    for (let o = io; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] !== 0 || b[ib] !== 0 ? 1 : 0;
  }
};

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
