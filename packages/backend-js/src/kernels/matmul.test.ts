import { describe, expect, it } from 'vitest';
import { Harness, expectClose, randomF32 } from '../../test/helpers.js';
import { gemm } from './gemm.js';

/** Naive batched matmul with the backend's layout conventions. */
function naive(
  a: Float32Array, ba: number, b: Float32Array, bb: number, m: number, k: number, n: number, ta: boolean, tb: boolean,
): Float32Array {
  const batch = Math.max(ba, bb);
  const out = new Float32Array(batch * m * n);
  for (let t = 0; t < batch; t++) {
    const ao = (ba === 1 ? 0 : t) * m * k;
    const bo = (bb === 1 ? 0 : t) * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) {
          const av = ta ? a[ao + p * m + i]! : a[ao + i * k + p]!;
          const bv = tb ? b[bo + j * k + p]! : b[bo + p * n + j]!;
          s += av * bv;
        }
        out[(t * m + i) * n + j] = s;
      }
    }
  }
  return out;
}

function run(h: Harness, ba: number, bb: number, m: number, k: number, n: number, ta: boolean, tb: boolean, seed: number): void {
  const av = randomF32([ba, m, k], seed);
  const bv = randomF32([bb, k, n], seed + 1);
  const a = h.t(av, ta ? [ba, k, m] : [ba, m, k]);
  const b = h.t(bv, tb ? [bb, n, k] : [bb, k, n]);
  const out = h.read(h.backend.matmul(a, b, { transposeA: ta, transposeB: tb }));
  expect(out).toBeInstanceOf(Float32Array);
  expectClose(out, naive(av, ba, bv, bb, m, k, n, ta, tb), 1e-5, 1e-5);
}

describe('matmul kernel', () => {
  const h = new Harness();
  const sizes: [number, number, number][] = [
    [1, 1, 1], [1, 7, 1], [3, 1, 5], [7, 13, 3], [4, 4, 4], [13, 7, 17], [5, 300, 6], [67, 33, 9], [130, 5, 70], [8, 9, 784], [2, 300, 50], [300, 40, 2], [3, 20, 300], [1, 64, 1030],
  ];
  for (const [m, k, n] of sizes) {
    it(`[${m}×${k}]·[${k}×${n}] with every transpose combination`, () => {
      let seed = m * 1000 + k * 10 + n;
      for (const ta of [false, true]) for (const tb of [false, true]) run(h, 1, 1, m, k, n, ta, tb, seed++);
    });
  }

  it('crosses every blocking boundary (MC, KC, NC)', () => {
    run(h, 1, 1, 70, 600, 1030, false, false, 5);
    run(h, 1, 1, 70, 600, 1030, true, true, 6);
  });

  it('broadcasts batches both ways and pairs equal batches', () => {
    for (const [ba, bb] of [[3, 3], [1, 4], [4, 1], [2, 1]]) {
      for (const ta of [false, true]) for (const tb of [false, true]) run(h, ba!, bb!, 5, 6, 7, ta, tb, ba! * 10 + bb!);
    }
  });

  it('k = 0 gives zeros; empty m or n gives empty output', () => {
    const out = h.read(h.backend.matmul(h.t([], [2, 3, 0]), h.t([], [2, 0, 4]), { transposeA: false, transposeB: false }));
    expect(Array.from(out)).toEqual(new Array(24).fill(0));
    expect(h.read(h.backend.matmul(h.t([], [1, 0, 3]), h.t(randomF32([3, 2], 1), [1, 3, 2]), { transposeA: false, transposeB: false })).length).toBe(0);
  });

  it('propagates NaN and Infinity', () => {
    const out = h.read(h.backend.matmul(h.t([NaN, 1, Infinity, 1], [1, 2, 2]), h.t([1, 0, 0, 1], [1, 2, 2]), { transposeA: false, transposeB: false }));
    expectClose(out, [NaN, NaN, Infinity, NaN]); // ∞·0 = NaN, as in a naive loop
  });
});

describe('gemm', () => {
  it('accumulates into a strided destination without touching the gaps', () => {
    const m = 5, n = 6, k = 9, ldc = 10;
    const a = randomF32([m, k], 1);
    const b = randomF32([k, n], 2);
    const c = new Float32Array(m * ldc).fill(1);
    gemm(m, n, k, { data: a, offset: 0, rowStride: k, colStride: 1 }, { data: b, offset: 0, rowStride: n, colStride: 1 }, c, 0, ldc, true);
    const ref = naive(a, 1, b, 1, m, k, n, false, false);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < ldc; j++) {
        const want = j < n ? ref[i * n + j]! + 1 : 1;
        expect(Math.abs(c[i * ldc + j]! - want)).toBeLessThan(1e-5);
      }
    }
  });
});
