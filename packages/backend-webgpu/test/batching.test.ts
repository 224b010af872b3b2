/**
 * How the runtime batches work, read through the counters in `info()`: dispatches recorded into one
 * command buffer and submitted once per read (or per DISPATCHES_PER_SUBMIT), uniform blocks written
 * once and found again by content, bind groups created once and reused when a step repeats, pooled
 * buffers handed out so that a repeated step meets the same ones; and that results stay right when
 * the uniform store fills up and starts over.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as sn from '@scratchnet/core';
import '../src/index.js';
import type { WebGpuBackend } from '../src/index.js';
import { gpuTestsEnabled } from './adapter.js';
import { BufferPool } from '../src/buffer-pool.js';
import { GpuCounters } from '../src/counters.js';
import { DISPATCHES_PER_SUBMIT } from '../src/runtime.js';
import { UniformStore } from '../src/uniform-store.js';

function backend(): WebGpuBackend {
  return sn.getBackend() as WebGpuBackend;
}

/** The change of each counter in `info()` across `work`. */
async function deltas(work: () => Promise<void> | void): Promise<Record<string, number>> {
  const before = backend().info();
  await work();
  const after = backend().info();
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(after)) if (typeof v === 'number' && typeof before[k] === 'number') out[k] = v - before[k];
  return out;
}

/** `n` chained elementwise ops on `x` (no read in between); returns the last result. */
function chain(x: sn.Tensor, n: number): sn.Tensor {
  return sn.tidy(() => {
    let y = x;
    for (let k = 0; k < n; k++) y = k % 2 === 0 ? sn.mul(y, x) : sn.sub(y, x);
    return y;
  });
}

if (gpuTestsEnabled('batching: webgpu')) {
  describe('webgpu runtime batching', () => {
    let x: sn.Tensor;
    beforeAll(async () => {
      await sn.setBackend('webgpu');
      x = sn.tensor([1, 2, 3, 4]);
      await x.data();
    });

    it('records a chain of elementwise ops without submitting, then submits once for the read', async () => {
      const n = 40;
      expect(n).toBeLessThan(DISPATCHES_PER_SUBMIT);
      let y: sn.Tensor | undefined;
      const recorded = await deltas(() => {
        y = chain(x, n);
      });
      expect(recorded.dispatches).toBe(n);
      expect(recorded.submits).toBe(0);
      const read = await deltas(async () => {
        await y!.data();
      });
      expect(read.submits).toBe(1);
      expect(read.dispatches).toBe(0);
      y!.dispose();
    });

    it('submits on its own once every DISPATCHES_PER_SUBMIT dispatches', async () => {
      const n = 3 * DISPATCHES_PER_SUBMIT + 5;
      const d = await deltas(async () => {
        const y = chain(x, n);
        await y.data();
        y.dispose();
      });
      expect(d.dispatches).toBe(n);
      expect(d.submits).toBe(4);
    });

    it('a repeated step writes no uniforms and creates no bind groups or buffers', async () => {
      const step = async (): Promise<void> => {
        const y = chain(x, 30);
        await y.data();
        y.dispose();
      };
      await step();
      await step();
      const d = await deltas(step);
      expect(d.dispatches).toBe(30);
      expect(d.uniformHits).toBe(30);
      expect(d.bindGroupHits).toBe(30);
      expect(d.bindGroups).toBe(0);
      expect(d.writeBuffers).toBe(0);
      // The read-back staging buffer comes from its own pool too: nothing is created.
      expect(d.bufferCreates).toBe(0);
      expect(d.poolMisses).toBe(0);
    });

    it('reuses read-back staging buffers: reads of several sizes, interleaved and concurrent, give their own values', async () => {
      const sizes = [1, 3, 64, 1031, 70000];
      const tensors = sizes.map((n, k) => sn.tensor(Float32Array.from({ length: n }, (_, i) => i * (k + 1) + 0.5)));
      const readAll = async (): Promise<void> => {
        const got = await Promise.all(tensors.map((t) => t.data()));
        got.forEach((values, k) => {
          expect(values.length).toBe(sizes[k]);
          expect(values[sizes[k]! - 1]).toBe((sizes[k]! - 1) * (k + 1) + 0.5);
          expect(values[0]).toBe(0.5);
        });
      };
      await readAll();
      const d = await deltas(async () => {
        for (let r = 0; r < 3; r++) await readAll();
      });
      expect(d.bufferCreates).toBe(0);
      sn.dispose(tensors);
    });

    it('stays right when the uniform store fills and starts over (thousands of distinct uniform blocks)', async () => {
      const n = 4500;
      const v = sn.tensor(Float32Array.from({ length: n }, (_, i) => i));
      const d = await deltas(async () => {
        const total = sn.tidy(() => {
          let acc = sn.zeros([1]);
          for (let k = 0; k < n; k++) acc = sn.add(acc, sn.slice(v, [k], [1]));
          return acc;
        });
        expect(Array.from(await total.data())).toEqual([(n * (n - 1)) / 2]);
        total.dispose();
      });
      expect(d.dispatches).toBeGreaterThanOrEqual(n);
      expect(d.uniformResets).toBeGreaterThanOrEqual(1);
      v.dispose();
    });
  });

  describe('uniform store and buffer pool', () => {
    beforeAll(async () => {
      await sn.setBackend('webgpu');
    });

    it('keeps one slot per distinct block, reports full, and refills after a reset', () => {
      const device = backend().device as GPUDevice;
      const store = new UniformStore(device, new GpuCounters(), 256);
      const block = (k: number): ArrayBuffer => Int32Array.from([k, 0, 0, 0]).buffer;
      const first = store.slot(block(0))!;
      expect(store.slot(block(0))).toBe(first);
      let made = 1;
      while (store.slot(block(made))) made++;
      expect(made).toBe((16 * 64 * 1024) / 256);
      store.flush();
      store.reset();
      const again = store.slot(block(7))!;
      expect(again.key).toBe(first.key);
      store.destroy();
    });

    it('hands out the oldest free buffer of a class whatever the release order', () => {
      const pool = new BufferPool(backend().device as GPUDevice, GPUBufferUsage.STORAGE, 1 << 20);
      const [a, b, c] = [pool.acquire(1000), pool.acquire(1000), pool.acquire(1000)];
      pool.release(c);
      pool.release(a);
      pool.release(b);
      expect(pool.acquire(1000)).toBe(a);
      expect(pool.acquire(1000)).toBe(b);
      expect(pool.acquire(1000)).toBe(c);
      pool.clear();
    });

    it('with keepPeak, keeps idle up to the peak of live bytes, so the same work finds its buffers again', () => {
      const device = backend().device as GPUDevice;
      const sizes = [4096, 4096, 8192];
      for (const keepPeak of [false, true]) {
        const pool = new BufferPool(device, GPUBufferUsage.STORAGE, 4096, { keepPeak });
        const first = sizes.map((b) => pool.acquire(b));
        for (const b of first) pool.release(b);
        expect(pool.stats().idleBytes).toBe(keepPeak ? 16384 : 0);
        const again = sizes.map((b) => pool.acquire(b));
        expect(pool.stats().poolMisses).toBe(keepPeak ? 3 : 6);
        for (const b of again) pool.release(b);
        pool.clear();
      }
    });
  });
}
