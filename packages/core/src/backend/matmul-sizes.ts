import type { MatmulAttrs, TensorRef } from './kernel-types.js';

/** The sizes of one matmul kernel call: C [batch, m, n] = op(A) [ba, m, k] · op(B) [bb, k, n]. */
export interface MatmulSizes {
  /** Batch items of A (1 broadcasts). */
  readonly ba: number;
  /** Batch items of B (1 broadcasts). */
  readonly bb: number;
  /** Batch items of the output: max(ba, bb). */
  readonly batch: number;
  /** Rows of the output. */
  readonly m: number;
  /** The summed dimension. */
  readonly k: number;
  /** Columns of the output. */
  readonly n: number;
}

/** Reads the sizes of a matmul kernel call from its rank-3 operands and transposes (see `Backend.matmul`). */
export function matmulSizes(a: TensorRef, b: TensorRef, attrs: MatmulAttrs): MatmulSizes {
  const [ba, a1, a2] = a.shape as [number, number, number];
  const [bb, b1, b2] = b.shape as [number, number, number];
  return {
    ba, bb, batch: Math.max(ba, bb),
    m: attrs.transposeA ? a2 : a1,
    k: attrs.transposeA ? a1 : a2,
    n: attrs.transposeB ? b1 : b2,
  };
}
