/**
 * gemmShared, the kernel behind threaded matmuls, called directly: rows come from a shared counter in
 * shrinking claims, rows already claimed are left to their thread, and a thread that starts after every
 * row was taken leaves its scratch and the output alone.
 */
import { describe, expect, it } from 'vitest';
import { createWasmBackend } from '../src/index.js';

describe('gemmShared', () => {
  it('computes C = A·B from rows taken off the counter, and a late thread that finds none packs nothing', async () => {
    const backend = await createWasmBackend({ threads: 1 });
    const rt = backend.runtime;
    const [m, n, k] = [30, 20, 10];
    const workBytes = rt.exports.gemmSharedWorkBytes(n, k);
    const a = rt.heap.alloc(m * k * 4);
    const b = rt.heap.alloc(k * n * 4);
    const c = rt.heap.alloc(m * n * 4);
    const work = rt.heap.alloc(workBytes);
    const counter = rt.heap.alloc(64);
    const f32 = (p: number, len: number): Float32Array => new Float32Array(rt.memory.buffer, p, len);
    f32(a, m * k).forEach((_, i, arr) => (arr[i] = (i % 7) - 3));
    f32(b, k * n).forEach((_, i, arr) => (arr[i] = (i % 5) - 2));
    const call = (): void => rt.exports.gemmShared(m, n, k, a, k, 1, b, n, 1, c, n, 0, work, counter, 12, 2);

    new Int32Array(rt.memory.buffer, counter, 1)[0] = 0;
    call();
    const av = f32(a, m * k);
    const bv = f32(b, k * n);
    const expected = Array.from({ length: m * n }, (_, idx) => {
      const [i, j] = [Math.floor(idx / n), idx % n];
      let s = 0;
      for (let p = 0; p < k; p++) s += av[i * k + p]! * bv[p * n + j]!;
      return s;
    });
    expect(Array.from(f32(c, m * n))).toEqual(expected);

    // Rows before the counter's value were taken by another thread: left alone; the rest computed.
    f32(c, m * n).fill(5);
    new Int32Array(rt.memory.buffer, counter, 1)[0] = 18;
    call();
    expect(Array.from(f32(c, 18 * n)).every((v) => v === 5)).toBe(true);
    expect(Array.from(f32(c + 18 * n * 4, (m - 18) * n))).toEqual(expected.slice(18 * n));
    expect(new Int32Array(rt.memory.buffer, counter, 1)[0]).toBeGreaterThanOrEqual(m);

    // All rows taken: the call must neither pack B into its scratch nor touch C.
    f32(work, Math.floor(workBytes / 4)).fill(-7);
    f32(c, m * n).fill(5);
    new Int32Array(rt.memory.buffer, counter, 1)[0] = m;
    call();
    expect(f32(work, Math.floor(workBytes / 4)).every((v) => v === -7)).toBe(true);
    expect(f32(c, m * n).every((v) => v === 5)).toBe(true);
    backend.shutdown();
  });
});
