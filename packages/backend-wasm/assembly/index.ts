// Entry point of the kernel module: every export here is called by the host (src/) or by a worker.
export { gemm, gemmBatch, gemmWorkBytes, gemmShared, gemmSharedCols, gemmSharedColsWorkBytes, gemmSharedWorkBytes } from './gemm';
export { unaryOp as unary, unaryGradOp as unaryGrad } from './generated/elementwise-dispatch';
import { ELEMENTWISE_ABI } from './generated/elementwise-forms';
export { binary, where4 } from './binary';
export { reduce } from './generated/reduce-dispatch';
export { pool2d, pool2dBack } from './pool';
export { conv2d, conv2dBackInput, conv2dBackFilter, convWorkBytes, addInto } from './conv';
export { copy4, copy1 } from './layout';
export { argsort } from './argsort';
export { fused } from './fused';
export { layerNorm, layerNormGrad } from './layer-norm';

/** First free byte after the module's static data: the host's allocator starts here. */
export function heapBase(): usize {
  return __heap_base;
}

/** The fingerprint of core's op tables this build was generated from (see elementwiseAbiHash). */
export function elementwiseAbi(): i32 {
  return ELEMENTWISE_ABI;
}

/** Which instruction set this build uses: 0 scalar, 1 SIMD, 2 relaxed SIMD (FMA). */
export function isa(): i32 {
  if (ASC_FEATURE_RELAXED_SIMD) return 2;
  if (ASC_FEATURE_SIMD) return 1;
  return 0;
}

// The SIMD peak microbenchmark (bench only).
export { peak } from './peak';
