/**
 * The packed gemm called directly on every build, against a float64 triple loop: row counts that leave
 * each possible remainder of the micro-tile height (full tiles, the 4-row edge tile that skips padding
 * rows, shorter ones), columns with and without a ragged edge, a depth that crosses the depth block
 * (KC = 512: the tiles that accumulate into C) and one that does not, transposed operands, and
 * accumulate = 1 on top of existing values.
 */
import { describe, expect, it } from 'vitest';
import { createWasmBackend } from '../src/index.js';
import { randomValues } from './random-values.js';

const ISAS = ['relaxed-simd', 'simd', 'scalar'] as const;

describe('gemm across micro-tile edges and depth blocks', () => {
  for (const isa of ISAS) {
    it(`${isa}: every row remainder, ragged columns, one and two depth blocks, transposes, accumulate`, async () => {
      const backend = await createWasmBackend({ threads: 1, isa });
      const rt = backend.runtime;
      const ex = rt.exports;
      const work = rt.heap.alloc(ex.gemmWorkBytes());
      let checked = 0;
      for (const m of [1, 2, 3, 4, 5, 6, 10, 12, 16, 100]) {
        for (const [k, n] of [[7, 16], [600, 9], [513, 24]] as const) {
          for (const [tA, tB, accumulate] of [[false, false, 0], [true, false, 1], [false, true, 1], [true, true, 0]] as const) {
            const av = randomValues(m * k, m + k);
            const bv = randomValues(k * n, n + 7);
            const cv = randomValues(m * n, 3);
            const a = rt.heap.alloc(m * k * 4);
            const b = rt.heap.alloc(k * n * 4);
            const c = rt.heap.alloc(m * n * 4);
            new Float32Array(rt.memory.buffer, a, m * k).set(av);
            new Float32Array(rt.memory.buffer, b, k * n).set(bv);
            new Float32Array(rt.memory.buffer, c, m * n).set(cv);
            const [rsa, csa] = tA ? [1, m] : [k, 1];
            const [rsb, csb] = tB ? [1, k] : [n, 1];
            ex.gemm(m, n, k, a, rsa, csa, b, rsb, csb, c, n, accumulate, work);
            const got = new Float32Array(rt.memory.buffer, c, m * n);
            for (let i = 0; i < m; i++) {
              for (let j = 0; j < n; j++) {
                let s = accumulate ? cv[i * n + j]! : 0;
                for (let p = 0; p < k; p++) s += av[i * rsa + p * csa]! * bv[p * rsb + j * csb]!;
                expect(Math.abs(got[i * n + j]! - s), `m ${m} k ${k} n ${n} tA ${tA} tB ${tB} acc ${accumulate} at (${i}, ${j})`).toBeLessThan(1e-4 * Math.sqrt(k) + 1e-5);
              }
            }
            for (const p of [a, b, c]) rt.heap.release(p);
            checked++;
          }
        }
      }
      expect(checked).toBe(120);
      backend.shutdown();
    });
  }
});
