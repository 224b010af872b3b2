import type { TypedArray } from '@scratchnet/core';
import { gemm } from './gemm.js';
import type { MatrixView } from './gemm.js';

/**
 * Batched float32 matmul: a is [ba, m, k] ([ba, k, m] when transposeA), b is [bb, k, n] ([bb, n, k] when
 * transposeB), ba and bb equal or one of them 1; returns [max(ba, bb), m, n].
 */
export function matmulKernel(
  a: TypedArray, aShape: readonly number[], b: TypedArray, bShape: readonly number[],
  transposeA: boolean, transposeB: boolean,
): Float32Array {
  const A = asFloat32(a);
  const B = asFloat32(b);
  const ba = aShape[0]!;
  const bb = bShape[0]!;
  const m = transposeA ? aShape[2]! : aShape[1]!;
  const k = transposeA ? aShape[1]! : aShape[2]!;
  const n = transposeB ? bShape[1]! : bShape[2]!;
  const batch = Math.max(ba, bb);
  const out = new Float32Array(batch * m * n);
  const aRs = transposeA ? 1 : k;
  const aCs = transposeA ? m : 1;
  const bRs = transposeB ? 1 : n;
  const bCs = transposeB ? k : 1;
  if (bb === 1 && !transposeA) {
    // Every batch of a shares b: stack a's batches into one tall matrix so b is packed once.
    gemm(ba * m, n, k, view(A, 0, aRs, aCs), view(B, 0, bRs, bCs), out, 0, n, false);
    return out;
  }
  for (let i = 0; i < batch; i++) {
    const av = view(A, ba === 1 ? 0 : i * m * k, aRs, aCs);
    const bv = view(B, bb === 1 ? 0 : i * k * n, bRs, bCs);
    gemm(m, n, k, av, bv, out, i * m * n, n, false);
  }
  return out;
}

function view(data: Float32Array, offset: number, rowStride: number, colStride: number): MatrixView {
  return { data, offset, rowStride, colStride };
}

/** The float32 data of an operand (other dtypes are converted; core only sends float32). */
export function asFloat32(x: TypedArray): Float32Array {
  return x instanceof Float32Array ? x : Float32Array.from(x);
}
