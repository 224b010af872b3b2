/**
 * gemmSharedCols, the kernel behind threaded matmuls wider than tall (n > m), called directly: columns
 * come from a shared counter in shrinking claims of whole 8-column panels, columns already claimed are
 * left to their thread, and a thread that starts after every column was taken leaves its scratch and the
 * output alone.
 */
import { describe, expect, it } from 'vitest';
import { createWasmBackend } from '../src/index.js';

describe('gemmSharedCols', () => {
  for (const transposeA of [false, true]) {
    it(`computes C = A·B from columns taken off the counter${transposeA ? ' (A transposed)' : ''}, and a late thread packs nothing`, async () => {
      const backend = await createWasmBackend({ threads: 1 });
      const rt = backend.runtime;
      const [m, n, k] = [13, 70, 300];
      const workBytes = rt.exports.gemmSharedColsWorkBytes(m, k);
      const a = rt.heap.alloc(m * k * 4);
      const b = rt.heap.alloc(k * n * 4);
      const c = rt.heap.alloc(m * n * 4);
      const work = rt.heap.alloc(workBytes);
      const counter = rt.heap.alloc(64);
      const f32 = (p: number, len: number): Float32Array => new Float32Array(rt.memory.buffer, p, len);
      f32(a, m * k).forEach((_, i, arr) => (arr[i] = (i % 7) - 3));
      f32(b, k * n).forEach((_, i, arr) => (arr[i] = (i % 5) - 2));
      const [rsa, csa] = transposeA ? [1, m] : [k, 1];
      const call = (): void => rt.exports.gemmSharedCols(m, n, k, a, rsa, csa, b, n, 1, c, n, 0, work, counter, 16, 2);
      const setCounter = (v: number): void => {
        new Int32Array(rt.memory.buffer, counter, 1)[0] = v;
      };

      setCounter(0);
      call();
      const av = f32(a, m * k);
      const bv = f32(b, k * n);
      const expected = Array.from({ length: m * n }, (_, idx) => {
        const [i, j] = [Math.floor(idx / n), idx % n];
        let s = 0;
        for (let p = 0; p < k; p++) s += av[i * rsa + p * csa]! * bv[p * n + j]!;
        return s;
      });
      expect(Array.from(f32(c, m * n))).toEqual(expected);

      // Columns before the counter's value were taken by another thread: left alone; the rest computed.
      f32(c, m * n).fill(5);
      setCounter(24);
      call();
      const out = f32(c, m * n);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) expect(out[i * n + j]).toBe(j < 24 ? 5 : expected[i * n + j]);
      }
      expect(new Int32Array(rt.memory.buffer, counter, 1)[0]).toBeGreaterThanOrEqual(n);

      // All columns taken: the call must neither pack A into its scratch nor touch C.
      f32(work, Math.floor(workBytes / 4)).fill(-7);
      f32(c, m * n).fill(5);
      setCounter(n);
      call();
      expect(f32(work, Math.floor(workBytes / 4)).every((v) => v === -7)).toBe(true);
      expect(f32(c, m * n).every((v) => v === 5)).toBe(true);
      backend.shutdown();
    });
  }
});
