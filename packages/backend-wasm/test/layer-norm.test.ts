/**
 * The layerNorm and layerNormGrad kernels split over two threads (enough rows to be split) against one
 * thread (bitwise: rows are independent) and against backend-js's kernels (float64 accumulation), on
 * row lengths around the SIMD widths and rows that are constant.
 */
import { describe, expect, it } from 'vitest';
import type { DType, TensorRef } from '@scratchnet/core';
import { createJsBackend } from '@scratchnet/backend-js';
import { threadPair } from './thread-pair.js';

function values(count: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32) * 6 - 3;
  }
  return out;
}

interface LayerNormKernels {
  write(v: Float32Array, d: DType): unknown;
  layerNorm(x: TensorRef, eps: number): unknown;
  layerNormGrad(x: TensorRef, dy: TensorRef, eps: number): unknown;
  readSync?(id: never): unknown;
}

describe('wasm layerNorm', () => {
  const pair = threadPair();
  const js = createJsBackend();
  const run = (b: LayerNormKernels, x: Float32Array, dy: Float32Array, shape: number[]): [Float32Array, Float32Array] => {
    const ref = (v: Float32Array): TensorRef => ({ id: b.write(v, 'float32'), shape, dtype: 'float32' }) as TensorRef;
    const xr = ref(x);
    const read = (id: unknown): Float32Array => b.readSync!(id as never) as Float32Array;
    return [read(b.layerNorm(xr, 1e-5)), read(b.layerNormGrad(xr, ref(dy), 1e-5))];
  };

  for (const [rows, n] of [[2048, 128], [700, 131], [9000, 7], [40, 3001]] as const) {
    it(`[${rows},${n}]: two threads = one thread bitwise, and match backend-js`, () => {
      const x = values(rows * n, rows + n);
      // Every fifth row constant: its normalised values are exact zeros on every path.
      for (let r = 0; r < rows; r += 5) x.fill(x[r * n]!, r * n, (r + 1) * n);
      const dy = values(rows * n, 7 * rows + n);
      const [ys, gs] = run(pair.st, x, dy, [rows, n]);
      const [ym, gm] = run(pair.mt, x, dy, [rows, n]);
      expect(ym).toEqual(ys);
      expect(gm).toEqual(gs);
      const [yj, gj] = run(js, x, dy, [rows, n]);
      for (let r = 0; r < rows; r += 5) expect(Array.from(ys.subarray(r * n, (r + 1) * n)).every((v) => v === 0)).toBe(true);
      // Worst difference relative to the largest magnitude (short rows of close values have large gradients).
      const worst = (a: Float32Array, b: Float32Array): number =>
        a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0) / b.reduce((m, v) => Math.max(m, Math.abs(v)), 1);
      expect(worst(ys, yj)).toBeLessThan(1e-5);
      expect(worst(gs, gj)).toBeLessThan(1e-5);
    });
  }
});
