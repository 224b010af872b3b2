/**
 * Shape and stride helpers shared by the kernels: element counts, row-major strides, broadcast strides,
 * dimension collapsing and a row-wise multi-operand index walker.
 */

import { broadcastStrides, sizeOf as numElements, stridesOf as rowMajorStrides } from '@scratchnet/core';

export { broadcastStrides, numElements, rowMajorStrides };


/** A shape plus one stride list per operand, as produced by {@link collapseDims}. */
export interface CollapsedLayout {
  readonly shape: number[];
  readonly strides: number[][];
}

/**
 * Simplifies an iteration space walked by several operands: drops size-1 axes and merges neighbouring
 * axes that every operand steps through contiguously (stride[i] = stride[i + 1] · shape[i + 1]).
 * The result always has at least one axis.
 */
export function collapseDims(shape: readonly number[], strides: readonly (readonly number[])[]): CollapsedLayout {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let ax = 0; ax < shape.length; ax++) {
    const d = shape[ax]!;
    if (d === 1) continue;
    const last = outShape.length - 1;
    let merge = last >= 0;
    if (merge) {
      for (let o = 0; o < strides.length; o++) {
        if (outStrides[o]![last] !== strides[o]![ax]! * d) {
          merge = false;
          break;
        }
      }
    }
    if (merge) {
      outShape[last] = outShape[last]! * d;
      for (let o = 0; o < strides.length; o++) outStrides[o]![last] = strides[o]![ax]!;
    } else {
      outShape.push(d);
      for (let o = 0; o < strides.length; o++) outStrides[o]!.push(strides[o]![ax]!);
    }
  }
  if (outShape.length === 0) {
    outShape.push(1);
    for (const s of outStrides) s.push(0);
  }
  return { shape: outShape, strides: outStrides };
}

/**
 * Walks an iteration space row by row: for every index of all axes but the last, calls
 * `visit(offsets)` where `offsets[o]` is operand o's element offset at the start of that row
 * (starting from `baseOffsets`). The visitor walks the row itself using the last axis' length and strides.
 * Nothing is visited when the space is empty. `offsets` is reused between calls.
 */
export function forEachRow(
  shape: readonly number[],
  strides: readonly (readonly number[])[],
  baseOffsets: readonly number[],
  visit: (offsets: Float64Array) => void,
): void {
  const rank = shape.length;
  if (numElements(shape) === 0) return;
  const nOps = strides.length;
  const offsets = new Float64Array(nOps);
  for (let o = 0; o < nOps; o++) offsets[o] = baseOffsets[o] ?? 0;
  if (rank <= 1) {
    visit(offsets);
    return;
  }
  const outer = rank - 1;
  const counter = new Int32Array(outer);
  let rows = 1;
  for (let ax = 0; ax < outer; ax++) rows *= shape[ax]!;
  for (let r = 0; r < rows; r++) {
    visit(offsets);
    for (let ax = outer - 1; ax >= 0; ax--) {
      const d = shape[ax]!;
      counter[ax]!++;
      if (counter[ax]! < d) {
        for (let o = 0; o < nOps; o++) offsets[o]! += strides[o]![ax]!;
        break;
      }
      counter[ax] = 0;
      for (let o = 0; o < nOps; o++) offsets[o]! -= strides[o]![ax]! * (d - 1);
    }
  }
}
