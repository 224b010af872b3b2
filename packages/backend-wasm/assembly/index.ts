// Entry point of the kernel module: every export here is called by the host (src/) or by a worker.
export { gemm, gemmWorkBytes, gemmShared, gemmSharedWorkBytes } from './gemm';
export { unary } from './unary';
export { binary, where4 } from './binary';
export { reduce } from './generated/reduce-dispatch';
export { pool2d, pool2dBack } from './pool';
export { conv2d, conv2dBackInput, conv2dBackFilter, convWorkBytes, addInto } from './conv';
export { copy4, copy1 } from './layout';
export { fill } from './simd';

/** First free byte after the module's static data: the host's allocator starts here. */
export function heapBase(): usize {
  return __heap_base;
}

/** Which instruction set this build uses: 0 scalar, 1 SIMD, 2 relaxed SIMD (FMA). */
export function isa(): i32 {
  if (ASC_FEATURE_RELAXED_SIMD) return 2;
  if (ASC_FEATURE_SIMD) return 1;
  return 0;
}

// The SIMD peak microbenchmark (bench only).
export { peak } from './peak';
