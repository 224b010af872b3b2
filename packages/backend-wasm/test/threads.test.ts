/**
 * Threaded kernels against the same kernels on one thread, on sizes large enough to be split, and
 * checks that no other tensor is touched while workers run (each worker must get all its arguments,
 * its own scratch, its own output range).
 */
import { describe, expect, it } from 'vitest';
import type { Conv2dInfo, TensorRef } from '@scratchnet/core';
import { createWasmBackend, type WasmBackend } from '../src/index.js';
import { CTRL_HEADER, CTRL_SLOT } from '../src/worker-source.js';
import { MAX_WORKER_POLL_US, WORKER_POLL_US, pollWindowUs } from '../src/threads.js';
import { threadPair } from './thread-pair.js';
import { randomValues } from './random-values.js';

describe('threaded kernels match the single-threaded ones', () => {
  const pair = threadPair();

  const upload = (b: WasmBackend, values: Float32Array, shape: number[]): TensorRef => ({ id: b.write(values, 'float32'), shape, dtype: 'float32' });

  it('runs on two threads', () => {
    expect(pair.mt.info().threads).toBe(2);
  });

  it('setThreads(1) parks the worker rather than ending it: going back to 2 threads starts none', async () => {
    const b = await createWasmBackend({ threads: 2 });
    await b.setThreads(1);
    expect(b.threads).toBe(1);
    void b.setThreads(2);
    expect(b.threads).toBe(2); // at once: no worker has to start
    const n = 300;
    const v = randomValues(n * n, 9);
    const a = upload(b, v, [1, n, n]);
    const threaded = b.readSync(b.matmul(a, a, { transposeA: false, transposeB: false }));
    const single = pair.st.readSync(pair.st.matmul(upload(pair.st, v, [1, n, n]), upload(pair.st, v, [1, n, n]), { transposeA: false, transposeB: false }));
    expect(Array.from(threaded)).toEqual(Array.from(single));
    b.shutdown();
  });

  for (const [m, k, n, ta, tb] of [
    [300, 200, 250, false, false], [129, 300, 301, true, false], [40, 500, 900, false, true],
    // rows handed out through the shared counter: several depth blocks, two column blocks, ragged edges
    [1100, 600, 1030, false, true], [700, 300, 513, true, false],
  ] as const) {
    it(`matmul ${m}×${k}×${n}${ta ? ' transposeA' : ''}${tb ? ' transposeB' : ''}, and a bystander tensor stays intact`, () => {
      const av = randomValues(m * k, 1);
      const bv = randomValues(k * n, 2);
      const bystander = Float32Array.from({ length: 1000 }, (_, i) => i);
      const results = [pair.mt, pair.st].map((b) => {
        const keep = b.write(bystander, 'float32');
        const a = upload(b, av, ta ? [1, k, m] : [1, m, k]);
        const bb = upload(b, bv, tb ? [1, n, k] : [1, k, n]);
        const out = b.readSync(b.matmul(a, bb, { transposeA: ta, transposeB: tb }));
        expect(Array.from(b.readSync(keep))).toEqual(Array.from(bystander));
        return out;
      });
      expect(Array.from(results[0]!)).toEqual(Array.from(results[1]!));
    });
  }

  it('batched matmul with rows handed out per batch item (the shared counters are reset each time)', () => {
    const [batch, m, k, n] = [3, 260, 270, 150];
    const av = randomValues(batch * m * k, 3);
    const bv = randomValues(batch * k * n, 4);
    const results = [pair.mt, pair.st].map((b) => b.readSync(b.matmul(upload(b, av, [batch, m, k]), upload(b, bv, [batch, k, n]), { transposeA: false, transposeB: false })));
    expect(Array.from(results[0]!)).toEqual(Array.from(results[1]!));
  });

  for (const [batch, ba, bb, m, k, n, tb] of [[64, 64, 64, 40, 50, 40, false], [96, 96, 1, 33, 70, 29, true], [64, 1, 64, 40, 64, 37, false]] as const) {
    it(`batched matmul of ${batch} small items (A batch ${ba}, B batch ${bb}${tb ? ', transposeB' : ''}): the items split across threads`, () => {
      const av = randomValues(ba * m * k, 5);
      const bv = randomValues(bb * k * n, 6);
      const results = [pair.mt, pair.st].map((b) =>
        b.readSync(b.matmul(upload(b, av, [ba, m, k]), upload(b, bv, tb ? [bb, n, k] : [bb, k, n]), { transposeA: false, transposeB: tb })));
      expect(Array.from(results[0]!)).toEqual(Array.from(results[1]!));
      // and against a plain triple loop for one item near the end
      const i = batch - 2;
      const row = 3;
      const col = 5;
      let s = 0;
      for (let p = 0; p < k; p++) s += av[(ba === 1 ? 0 : i) * m * k + row * k + p]! * bv[(bb === 1 ? 0 : i) * k * n + (tb ? col * k + p : p * n + col)]!;
      expect(results[0]![i * m * n + row * n + col]).toBeCloseTo(s, 4);
    });
  }

  it('hands calls over both to a worker still polling after its last call and to one asleep after a pause', async () => {
    const rt = pair.mt.runtime;
    const len = 4096;
    const dst = rt.heap.alloc(len * 4);
    const src = rt.heap.alloc(len * 4);
    new Float32Array(rt.memory.buffer, dst, len).fill(0);
    new Float32Array(rt.memory.buffer, src, len).fill(1);
    // Not shared: the call returns only after the worker has added its half (len/2..len).
    const add = (): void => rt.runLists('addInto', [[dst, src, 0, len / 2], [dst, src, len / 2, len]]);
    let calls = 0;
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 50; i++, calls++) add(); // back to back: the worker is still polling
      // Longer than the worker polls, so it sleeps and must be woken for the next call.
      await new Promise((resolve) => setTimeout(resolve, 5));
      add();
      calls++;
      const out = new Float32Array(rt.memory.buffer, dst, len);
      expect(out[0]).toBe(calls);
      expect(out.every((v) => v === calls)).toBe(true);
    }
    rt.heap.release(dst);
    rt.heap.release(src);
  });

  it('turns polling off for a while when a worker it believed polling missed 4 of the last 8 judged calls (a sleeping worker\'s call is not judged), and back on later', async () => {
    const b = await createWasmBackend({ threads: 2 });
    const rt = b.runtime;
    const pool = rt.pool!;
    expect(pool.polling).toBe(true);
    const n = 96;
    const stride = Math.ceil(rt.exports.gemmSharedWorkBytes(n, n) / 4096) * 4096;
    const [a, bb, c, work, counter] = [n * n * 4, n * n * 4, n * n * 4, stride * 2, 64].map((bytes) => rt.heap.alloc(bytes));
    new Float32Array(rt.memory.buffer, a, n * n).fill(1);
    new Float32Array(rt.memory.buffer, bb, n * n).fill(0.5);
    const product = (): boolean => {
      new Int32Array(rt.memory.buffer, counter, 1)[0] = 0;
      new Float32Array(rt.memory.buffer, c, n * n).fill(0);
      const list = (w: number): number[] => [n, n, n, a!, n, 1, bb!, n, 1, c!, n, 0, work! + w * stride, counter!, 12, 2];
      rt.runLists('gemmShared', [list(0), list(1)], true);
      return new Float32Array(rt.memory.buffer, c, n * n).every((v) => v === n / 2);
    };
    const ctrl = (pool as unknown as { ctrl: Int32Array }).ctrl;
    const sleepingAt = CTRL_HEADER + 0 * CTRL_SLOT + 3;
    // Let the worker finish polling and fall asleep, then make the pool believe it still polls (its
    // sleeping flag, the 4th entry of its slot in the private control block, cleared): it is not
    // notified, so it cannot take the call, as a polling worker without a core would not.
    const missedCall = async (): Promise<void> => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(Atomics.load(ctrl, sleepingAt)).toBe(1);
      Atomics.store(ctrl, sleepingAt, 0);
      expect(product()).toBe(true); // the calling thread did every row; the worker's call was withdrawn
      Atomics.store(ctrl, sleepingAt, 1); // the truth again
    };
    for (let i = 0; i < 3; i++) await missedCall();
    expect(pool.polling).toBe(true); // a few misses are moments, not a loaded machine
    // A call to a worker that really sleeps is not judged: it neither counts as a miss nor clears one.
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(product()).toBe(true);
    expect(pool.polling).toBe(true);
    await missedCall(); // the 4th of the last 8 judged calls
    expect(pool.polling).toBe(false);
    expect(product()).toBe(true); // the next call notifies the worker
    // Tried again once the back-off is over.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(pool.polling).toBe(true);
    expect(product()).toBe(true);
    b.shutdown();
  });

  it('sizes the workers\' poll window from the gaps between calls', () => {
    expect(pollWindowUs(0)).toBe(WORKER_POLL_US);
    expect(pollWindowUs(0.3)).toBe(650);
    expect(pollWindowUs(50)).toBe(MAX_WORKER_POLL_US);
  });

  it('conv2d and both gradients over a batch split across threads', () => {
    const info: Conv2dInfo = {
      batch: 16, inChannels: 4, inHeight: 20, inWidth: 20, outChannels: 8, outHeight: 20, outWidth: 20, kernelHeight: 3,
      kernelWidth: 3, strideHeight: 1, strideWidth: 1, dilationHeight: 1, dilationWidth: 1, padTop: 1, padLeft: 1, groups: 1,
    };
    const xv = randomValues(16 * 4 * 400, 3);
    const wv = randomValues(8 * 4 * 9, 4);
    const dyv = randomValues(16 * 8 * 400, 5);
    const [a, b] = [pair.mt, pair.st].map((be) => {
      const x = upload(be, xv, [16, 4, 20, 20]);
      const w = upload(be, wv, [8, 4, 3, 3]);
      const dy = upload(be, dyv, [16, 8, 20, 20]);
      return [be.conv2d(x, w, info), be.conv2dBackInput(dy, w, info), be.conv2dBackFilter(x, dy, info)].map((id) => Array.from(be.readSync(id)));
    });
    expect(a![0]).toEqual(b![0]);
    expect(a![1]).toEqual(b![1]);
    // the filter gradient sums per-thread partials in another order: equal up to rounding
    a![2]!.forEach((v, i) => expect(v).toBeCloseTo(b![2]![i]!, 3));
  });
});
