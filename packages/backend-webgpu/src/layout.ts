/** Shape arithmetic on the host side: sizes, strides, broadcasting, and merging of axes. */

import { broadcastStrides as stridesBroadcastTo, sizeOf, stridesOf as contiguousStrides } from '@scratchnet/core';

export { contiguousStrides, sizeOf, stridesBroadcastTo };

/**
 * Reduces an iteration space walked by several operands to fewer axes: size-1 axes are dropped and an
 * axis merges into the previous one when every operand's stride allows it. Returns at least one axis.
 */
export function mergeAxes(shape: readonly number[], strides: readonly (readonly number[])[]): { shape: number[]; strides: number[][] } {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  shape.forEach((d, ax) => {
    if (d === 1) return;
    const k = outShape.length - 1;
    const mergeable = k >= 0 && strides.every((s, o) => outStrides[o]![k] === s[ax]! * d);
    if (mergeable) {
      outShape[k] = outShape[k]! * d;
      strides.forEach((s, o) => (outStrides[o]![k] = s[ax]!));
    } else {
      outShape.push(d);
      strides.forEach((s, o) => outStrides[o]!.push(s[ax]!));
    }
  });
  if (outShape.length === 0) {
    outShape.push(1);
    outStrides.forEach((s) => s.push(0));
  }
  return { shape: outShape, strides: outStrides };
}
