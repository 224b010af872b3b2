import type { StridedView, TypedArray } from '@scratchnet/core';
import { mergeAxes, forEachRow, numElements, rowMajorStrides } from '../broadcast.js';
import { allocFor, dtypeOf } from '../storage.js';

/** Rows at least this long are moved with TypedArray.set instead of an element loop. */
const SET_THRESHOLD = 64;

/** Copies `n` elements with source stride `ss` into contiguous `out` at `o`. */
function copyRow(x: TypedArray, s: number, ss: number, out: TypedArray, o: number, n: number): void {
  if (ss === 1 && n >= SET_THRESHOLD) {
    out.set(x.subarray(s, s + n), o);
    return;
  }
  const end = o + n;
  for (; o < end; o++, s += ss) out[o] = x[s]!;
}

/**
 * Materialises a strided view: out[i0..ik] = x[offset + Σ ij·strides[j]] in row-major order of
 * `view.shape` (non-empty; strides ≥ 0, 0 broadcasting).
 */
export function copyKernel(x: TypedArray, view: StridedView): TypedArray {
  const out = allocFor(dtypeOf(x), numElements(view.shape));
  const layout = mergeAxes(view.shape, [rowMajorStrides(view.shape), view.strides]);
  const last = layout.shape.length - 1;
  const n = layout.shape[last]!;
  const ss = layout.strides[1]![last]!;
  forEachRow(layout.shape, layout.strides, [0, view.offset], (off) => {
    copyRow(x, off[1]!, ss, out, off[0]!, n);
  });
  return out;
}

/**
 * Pads each axis of x (shape `shape`) by [before, after] ≥ 0 elements filled with `value` (stored as the
 * dtype stores it: truncated for int32, ≠ 0 for bool).
 */
export function padKernel(
  x: TypedArray, shape: readonly number[], paddings: readonly (readonly [number, number])[], value: number,
): TypedArray {
  const rank = shape.length;
  const outShape = shape.map((d, i) => d + paddings[i]![0] + paddings[i]![1]);
  const dtype = dtypeOf(x);
  const out = allocFor(dtype, numElements(outShape));
  const fill = dtype === 'bool' ? (value !== 0 ? 1 : 0) : value;
  if (fill !== 0) out.fill(fill);
  if (x.length === 0) return out;
  // x lands at offset Σ before_i · outStride_i of the output.
  const xStrides = rowMajorStrides(shape);
  const oStrides = rowMajorStrides(outShape);
  let dstOffset = 0;
  for (let i = 0; i < rank; i++) dstOffset += paddings[i]![0] * oStrides[i]!;
  const layout = mergeAxes(shape, [oStrides, xStrides]);
  const last = layout.shape.length - 1;
  const n = layout.shape[last]!;
  const ss = layout.strides[1]![last]!;
  const os = layout.strides[0]![last]!;
  forEachRow(layout.shape, layout.strides, [dstOffset, 0], (off) => {
    if (os === 1) {
      copyRow(x, off[1]!, ss, out, off[0]!, n);
    } else {
      for (let i = 0, o = off[0]!, s = off[1]!; i < n; i++, o += os, s += ss) out[o] = x[s]!;
    }
  });
  return out;
}

/** Joins two or more arrays (one dtype) along `axis`; `outShape` is the joined shape. */
export function concatKernel(xs: readonly TypedArray[], shapes: readonly (readonly number[])[], axis: number, outShape: readonly number[]): TypedArray {
  const out = allocFor(dtypeOf(xs[0]!), numElements(outShape));
  let outer = 1;
  for (let i = 0; i < axis; i++) outer *= outShape[i]!;
  const outInner = numElements(outShape.slice(axis));
  let column = 0;
  for (let t = 0; t < xs.length; t++) {
    const x = xs[t]!;
    const inner = numElements(shapes[t]!.slice(axis));
    if (inner === 0) continue;
    for (let o = 0; o < outer; o++) copyRow(x, o * inner, 1, out, o * outInner + column, inner);
    column += inner;
  }
  return out;
}
