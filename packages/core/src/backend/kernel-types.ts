import type { DType } from '../dtype.js';

/**
 * An opaque handle to data held by a backend. Only the backend that made it can interpret it.
 */
export type DataId = object | number | string;

/** What a kernel receives for each input: the data handle plus its shape and dtype. Data is always contiguous, row-major. */
export interface TensorRef {
  readonly id: DataId;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

export type { UnaryGradOp, UnaryOp } from '../ops/defs/unary-defs.js';

/** Attributes of unary kernels: `alpha` is the negative slope of leakyRelu and the scale of elu (core always passes it to the ops whose definition has `alpha`). */
export interface UnaryAttrs {
  readonly alpha?: number;
}

export type { BinaryOp } from '../ops/defs/binary-defs.js';

/** Reduction kernels, derived from core's table (see REDUCE_DEFS in ops/defs/reduce-defs.ts). */
export type { ReduceOp } from '../ops/defs/reduce-defs.js';

/** A strided view of a contiguous buffer: out[i0..ik] = x[offset + Σ ij·strides[j]]. Strides may be 0 (broadcast) or negative. */
export interface StridedView {
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
}

/**
 * Geometry of a 2-D convolution or pooling window over NCHW tensors; core computes every field
 * (including the output size) so that all backends agree.
 */
export interface Conv2dInfo {
  readonly batch: number;
  readonly inChannels: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly outChannels: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly kernelHeight: number;
  readonly kernelWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly dilationHeight: number;
  readonly dilationWidth: number;
  /** Zero rows added above the input (the bottom padding follows from the output size). */
  readonly padTop: number;
  /** Zero columns added left of the input. */
  readonly padLeft: number;
  /** Channel groups: 1 for an ordinary convolution, inChannels for depthwise. Pooling: 1. */
  readonly groups: number;
}

/** Pooling kinds. Average pooling divides by the number of window cells inside the input (padding excluded). */
export type PoolKind = 'max' | 'avg';

/** Matmul options: each operand may be read transposed in its last two dimensions. */
export interface MatmulAttrs {
  readonly transposeA: boolean;
  readonly transposeB: boolean;
}
