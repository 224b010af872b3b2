import { tidy } from '../engine/engine.js';
import type { Tensor } from '../tensor.js';
import { tensor } from './creation.js';
import { matmul } from './matmul.js';
import { reshape } from './reshape.js';

/**
 * A linear map along one axis, as a dense [out, in] float32 matrix (row o holds the weights output
 * cell o gives the input cells), or null for the identity. Small: one row per output cell.
 */
export type AxisMatrix = Float32Array | null;

/** Applies `m` ([out, in], or null for none) along the last axis of x [..., in]. */
export function alongLastAxis(x: Tensor, m: AxisMatrix, out: number): Tensor {
  if (m === null) return x;
  const inSize = x.shape[x.rank - 1]!;
  return tidy(() => {
    const rows = x.size / Math.max(inSize, 1);
    const y = matmul(reshape(x, [rows, inSize]), tensor(m, [out, inSize]), { transposeB: true });
    return reshape(y, [...x.shape.slice(0, -1), out]);
  });
}

/** Applies `m` ([out, in], or null for none) along the second-to-last axis of x [..., in, W]. */
export function alongRowAxis(x: Tensor, m: AxisMatrix, out: number): Tensor {
  if (m === null) return x;
  const [inSize, w] = x.shape.slice(-2) as [number, number];
  return tidy(() => {
    const planes = x.size / Math.max(inSize * w, 1);
    const y = matmul(tensor(m, [out, inSize]), reshape(x, [planes, inSize, w]));
    return reshape(y, [...x.shape.slice(0, -2), out, w]);
  });
}
