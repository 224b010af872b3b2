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

/**
 * Elementwise unary kernels. The output has the input's shape. The output dtype is given to the kernel;
 * core casts inputs beforehand so that e.g. `exp` only ever sees float32.
 * - int32 inputs: neg abs sign square relu relu6 (output int32).
 * - bool inputs: logicalNot (output bool).
 * - everything else: float32 in, float32 out.
 */
export type UnaryOp =
  | 'neg' | 'abs' | 'sign' | 'exp' | 'expm1' | 'log' | 'log1p' | 'sqrt' | 'rsqrt' | 'square' | 'reciprocal'
  | 'sin' | 'cos' | 'tanh' | 'sigmoid' | 'relu' | 'relu6' | 'leakyRelu' | 'elu' | 'gelu' | 'erf'
  | 'softplus' | 'floor' | 'ceil' | 'round' | 'logicalNot';

/** Attributes of unary kernels: `alpha` is the negative slope of leakyRelu and the scale of elu. */
export interface UnaryAttrs {
  readonly alpha?: number;
}

/**
 * Elementwise binary kernels with NumPy broadcasting. Both inputs have the same dtype (core promotes);
 * `outShape` is the broadcast shape. Arithmetic ops keep the input dtype (int32 arithmetic wraps like C);
 * comparisons output bool; logicalAnd / logicalOr take and give bool.
 * `div` on int32 is never called (core divides in float32).
 */
export type BinaryOp =
  | 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum'
  | 'equal' | 'notEqual' | 'less' | 'lessEqual' | 'greater' | 'greaterEqual'
  | 'logicalAnd' | 'logicalOr';

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
