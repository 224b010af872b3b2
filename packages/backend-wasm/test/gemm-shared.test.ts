/**
 * gemmShared, the kernel behind threaded matmuls, called directly: rows come from a shared counter in
 * shrinking claims, rows already claimed are left to their thread, and a thread that starts after every
 * row was taken leaves its scratch and the output alone; on two threads, a worker call not yet taken
 * when the calling thread has done every row is withdrawn.
 */
import { describe, expect, it } from 'vitest';
import { createWasmBackend } from '../src/index.js';
import { sharedGemmFixture } from './shared-gemm-fixture.js';

describe('gemmShared', () => {
  it('computes C = A·B from rows taken off the counter, and a late thread that finds none packs nothing', async () => {
    const backend = await createWasmBackend({ threads: 1 });
    const rt = backend.runtime;
    const [m, n, k] = [30, 20, 10];
    const workBytes = rt.exports.gemmSharedWorkBytes(n, k);
    const { a, b, c, work, counter, f32, setCounter, counterValue, expected: product } = sharedGemmFixture(rt, m, n, k, workBytes);
    const call = (): void => rt.exports.gemmShared(m, n, k, a, k, 1, b, n, 1, c, n, 0, work, counter, 12, 2);

    setCounter(0);
    call();
    const expected = product(k, 1);
    expect(Array.from(f32(c, m * n))).toEqual(expected);

    // Rows before the counter's value were taken by another thread: left alone; the rest computed.
    f32(c, m * n).fill(5);
    setCounter(18);
    call();
    expect(Array.from(f32(c, 18 * n)).every((v) => v === 5)).toBe(true);
    expect(Array.from(f32(c + 18 * n * 4, (m - 18) * n))).toEqual(expected.slice(18 * n));
    expect(counterValue()).toBeGreaterThanOrEqual(m);

    // All rows taken: the call must neither pack B into its scratch nor touch C.
    f32(work, Math.floor(workBytes / 4)).fill(-7);
    f32(c, m * n).fill(5);
    setCounter(m);
    call();
    expect(f32(work, Math.floor(workBytes / 4)).every((v) => v === -7)).toBe(true);
    expect(f32(c, m * n).every((v) => v === 5)).toBe(true);
    backend.shutdown();
  });

  it('on two threads: a worker call that is not taken by the time the calling thread has done every row is withdrawn, and the result is whole', async () => {
    const backend = await createWasmBackend({ threads: 2 });
    const rt = backend.runtime;
    const pool = rt.pool!;
    expect(rt.threads).toBe(2);
    const [m, n, k] = [12, 16, 8];
    const stride = Math.ceil(rt.exports.gemmSharedWorkBytes(n, k) / 64) * 64;
    const a = rt.heap.alloc(m * k * 4);
    const b = rt.heap.alloc(k * n * 4);
    const c = rt.heap.alloc(m * n * 4);
    const work = rt.heap.alloc(stride * 2);
    const counter = rt.heap.alloc(64);
    new Float32Array(rt.memory.buffer, a, m * k).fill(1);
    new Float32Array(rt.memory.buffer, b, k * n).fill(2);
    const before = pool.withdrawn;
    for (let i = 0; i < 200; i++) {
      new Float32Array(rt.memory.buffer, c, m * n).fill(0);
      new Int32Array(rt.memory.buffer, counter, 1)[0] = 0;
      const list = (w: number): number[] => [m, n, k, a, k, 1, b, n, 1, c, n, 0, work + w * stride, counter, 12, 2];
      rt.runLists('gemmShared', [list(0), list(1)], true);
      expect(new Float32Array(rt.memory.buffer, c, m * n).every((v) => v === 2 * k)).toBe(true);
    }
    // A 12-row product takes the calling thread about a microsecond, a wake-up several: most are withdrawn.
    expect(pool.withdrawn - before).toBeGreaterThan(0);
    // The worker is still in service afterwards: a call it must take (not shared) still completes.
    const lists = [[0, 0, 0, 0], [0, 0, 0, 0]];
    rt.runLists('addInto', lists);
    backend.shutdown();
  });
});

