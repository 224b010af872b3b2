import type { WasmBackend } from '../src/index.js';

/** Buffers on a backend's heap for calling a shared-counter gemm kernel (gemmShared, gemmSharedCols) directly. */
export interface SharedGemmFixture {
  /** A [m, k] (or its transpose) holding (i % 7) − 3, B [k, n] holding (i % 5) − 2, C [m, n]. */
  readonly a: number;
  readonly b: number;
  readonly c: number;
  /** The kernel's scratch, `workBytes` long. */
  readonly work: number;
  /** The shared claim counter (a cache line of its own). */
  readonly counter: number;
  /** A float32 view of `len` elements at byte `p` (made afresh: memory may have grown). */
  readonly f32: (p: number, len: number) => Float32Array;
  readonly setCounter: (v: number) => void;
  readonly counterValue: () => number;
  /** C = A·B summed in float64 over p in order, A read with row stride `rsa` and column stride `csa`. */
  readonly expected: (rsa: number, csa: number) => number[];
}

/** Allocates and fills the operands, output, scratch and counter of an m×n×k shared-counter gemm. */
export function sharedGemmFixture(rt: WasmBackend['runtime'], m: number, n: number, k: number, workBytes: number): SharedGemmFixture {
  const a = rt.heap.alloc(m * k * 4);
  const b = rt.heap.alloc(k * n * 4);
  const c = rt.heap.alloc(m * n * 4);
  const work = rt.heap.alloc(workBytes);
  const counter = rt.heap.alloc(64);
  const f32 = (p: number, len: number): Float32Array => new Float32Array(rt.memory.buffer, p, len);
  f32(a, m * k).forEach((_, i, arr) => (arr[i] = (i % 7) - 3));
  f32(b, k * n).forEach((_, i, arr) => (arr[i] = (i % 5) - 2));
  return {
    a, b, c, work, counter, f32,
    setCounter: (v) => {
      new Int32Array(rt.memory.buffer, counter, 1)[0] = v;
    },
    counterValue: () => new Int32Array(rt.memory.buffer, counter, 1)[0]!,
    expected: (rsa, csa) => {
      const av = f32(a, m * k);
      const bv = f32(b, k * n);
      return Array.from({ length: m * n }, (_, idx) => {
        const [i, j] = [Math.floor(idx / n), idx % n];
        let s = 0;
        for (let p = 0; p < k; p++) s += av[i * rsa + p * csa]! * bv[p * n + j]!;
        return s;
      });
    },
  };
}
