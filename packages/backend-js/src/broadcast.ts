/**
 * Shape and stride helpers shared by the kernels: core's element counts, strides, axis merging and
 * `around` (one copy for every backend), plus a row-wise multi-operand index walker.
 */

import { around, broadcastStrides, mergeAxes, sizeOf as numElements, stridesOf as rowMajorStrides } from '@scratchnet/core';

export { around, broadcastStrides, mergeAxes, numElements, rowMajorStrides };


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
