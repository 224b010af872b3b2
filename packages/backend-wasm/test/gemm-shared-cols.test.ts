/**
 * gemmSharedCols, the kernel behind threaded matmuls wider than tall (n > m), called directly: columns
 * come from a shared counter in shrinking claims of whole 8-column panels, columns already claimed are
 * left to their thread, and a thread that starts after every column was taken leaves its scratch and the
 * output alone.
 */
import { describe, expect, it } from 'vitest';
import { createWasmBackend } from '../src/index.js';
import { sharedGemmFixture } from './shared-gemm-fixture.js';

describe('gemmSharedCols', () => {
  for (const transposeA of [false, true]) {
    it(`computes C = A·B from columns taken off the counter${transposeA ? ' (A transposed)' : ''}, and a late thread packs nothing`, async () => {
      const backend = await createWasmBackend({ threads: 1 });
      const rt = backend.runtime;
      const [m, n, k] = [13, 70, 300];
      const workBytes = rt.exports.gemmSharedColsWorkBytes(m, k);
      const { a, b, c, work, counter, f32, setCounter, counterValue, expected: product } = sharedGemmFixture(rt, m, n, k, workBytes);
      const [rsa, csa] = transposeA ? [1, m] : [k, 1];
      const call = (): void => rt.exports.gemmSharedCols(m, n, k, a, rsa, csa, b, n, 1, c, n, 0, work, counter, 16, 2);

      setCounter(0);
      call();
      const expected = product(rsa, csa);
      expect(Array.from(f32(c, m * n))).toEqual(expected);

      // Columns before the counter's value were taken by another thread: left alone; the rest computed.
      f32(c, m * n).fill(5);
      setCounter(24);
      call();
      const out = f32(c, m * n);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) expect(out[i * n + j]).toBe(j < 24 ? 5 : expected[i * n + j]);
      }
      expect(counterValue()).toBeGreaterThanOrEqual(n);

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
