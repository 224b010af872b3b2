import type { TypedArray } from '@scratchnet/core';
import { around, numElements } from '../broadcast.js';
import { allocFor, dtypeOf } from '../storage.js';

/** Slices at least this long are moved with TypedArray.set / subarray instead of an element loop. */
const SET_THRESHOLD = 64;

/**
 * Takes slices of x (shape `shape`) along `axis` at `indices` (int32, any shape, in [0, d): core checks):
 * out shape = shape[:axis] + indices.shape + shape[axis+1:].
 */
export function gatherKernel(x: TypedArray, shape: readonly number[], indices: TypedArray, axis: number): TypedArray {
  const [outer, d, inner] = around(shape, axis);
  const j = indices.length;
  const out = allocFor(dtypeOf(x), outer * j * inner);
  let o = 0;
  for (let a = 0; a < outer; a++) {
    const base = a * d * inner;
    for (let t = 0; t < j; t++) {
      const s = base + indices[t]! * inner;
      if (inner >= SET_THRESHOLD) {
        out.set(x.subarray(s, s + inner), o);
        o += inner;
      } else {
        for (let i = 0; i < inner; i++) out[o++] = x[s + i]!;
      }
    }
  }
  return out;
}

/**
 * The adjoint of gather: zeros of `outShape` (float32) plus, for every j, updates[..., j, ...] added into
 * out[..., indices[j], ...] along `axis`. `updates` has gather's output shape for these indices.
 */
export function scatterAddKernel(updates: TypedArray, indices: TypedArray, axis: number, outShape: readonly number[]): Float32Array {
  const [outer, d, inner] = around(outShape, axis);
  const j = indices.length;
  const out = new Float32Array(numElements(outShape));
  if (updates.length === 0) return out;
  let u = 0;
  for (let a = 0; a < outer; a++) {
    const base = a * d * inner;
    for (let t = 0; t < j; t++) {
      const o = base + indices[t]! * inner;
      for (let i = 0; i < inner; i++) out[o + i]! += updates[u++]!;
    }
  }
  return out;
}
