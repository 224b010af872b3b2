/**
 * The engine half of the backend contract on 'webgpu': core's engine suite (which reads
 * asynchronously, so it runs on an async-only backend), plus what is particular to this backend:
 * migration both ways, memory figures, the pipeline cache, batching of dispatches, the bounded pool,
 * the storage size limit, and the behaviour without an adapter.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import * as sn from '@scratchnet/core';
import { runEngineSuite } from '@scratchnet/core/testing';
import '@scratchnet/backend-js';
import '../src/index.js';
import type { WebGpuBackend } from '../src/index.js';
import { isAvailable } from '../src/index.js';
import { gpuTestsEnabled } from './adapter.js';
import { BufferPool } from '../src/buffer-pool.js';

const run = promisify(execFile);

function backend(): WebGpuBackend {
  return sn.getBackend() as WebGpuBackend;
}

if (gpuTestsEnabled('engine: webgpu')) {
  runEngineSuite({ backend: 'webgpu' });

  describe('engine on webgpu (async reads)', () => {
    beforeAll(async () => {
      await sn.setBackend('webgpu');
    });

    it('is registered, available, and the best backend by priority', async () => {
      expect(sn.listBackends()[0]).toBe('webgpu');
      expect(await isAvailable()).toBe(true);
      expect(sn.getBackendName()).toBe('webgpu');
    });

    it('round-trips every dtype, empty tensors included', async () => {
      const f = sn.tensor([1.5, -2, Infinity, NaN]);
      const i = sn.tensor(Int32Array.from([-2147483648, 7, 0]), [3], 'int32');
      const b = sn.tensor([true, false, true]);
      const e = sn.zeros([0, 3]);
      expect(Array.from(await f.data())).toEqual([1.5, -2, Infinity, NaN]);
      expect(Array.from(await i.data())).toEqual([-2147483648, 7, 0]);
      const bv = await b.data();
      expect(bv).toBeInstanceOf(Uint8Array);
      expect(Array.from(bv)).toEqual([1, 0, 1]);
      expect((await e.data()).length).toBe(0);
      sn.dispose([f, i, b, e]);
    });

    it('refuses a synchronous read with a message that says to await data()', () => {
      const t = sn.ones([2]);
      expect(() => t.dataSync()).toThrow(/can only be read asynchronously; use `await t\.data\(\)`/);
      t.dispose();
    });

    it('tidy follows async code and frees intermediates', async () => {
      const before = sn.memory().numTensors;
      const out = await sn.tidy(async () => {
        const a = sn.ones([3]);
        const b = sn.add(a, 1);
        const v = await b.data();
        return sn.mul(b, v[0]!);
      });
      expect(Array.from(await out.data())).toEqual([4, 4, 4]);
      out.dispose();
      expect(sn.memory().numTensors).toBe(before);
    });

    it('migrates tensors from js and back through setBackend', async () => {
      await sn.setBackend('js');
      const onJs = sn.tensor([1, 2, 3]);
      await sn.setBackend('webgpu');
      const doubled = sn.mul(onJs, 2);
      expect(onJs.backendName).toBe('webgpu');
      expect(Array.from(await doubled.data())).toEqual([2, 4, 6]);
      await sn.setBackend('js');
      expect(Array.from(sn.add(doubled, 1).dataSync())).toEqual([3, 5, 7]);
      expect(doubled.backendName).toBe('js');
      await sn.setBackend('webgpu');
      sn.dispose([onJs, doubled]);
    });

    it('reports logical bytes per dtype and returns to the baseline on dispose', () => {
      const before = backend().memory();
      const f = sn.zeros([10]);
      const b = sn.zeros([10], 'bool');
      const m = backend().memory();
      expect(m.bytes).toBe(before.bytes + 40 + 10);
      expect(m.buffers).toBe(before.buffers + 2);
      sn.dispose([f, b]);
      expect(backend().memory().bytes).toBe(before.bytes);
    });

    it('compiles a pipeline once per shader and specialisation', async () => {
      const a = sn.ones([5]);
      const b = sn.tidy(() => sn.exp(a));
      await b.data();
      const count = backend().info().pipelines as number;
      const c = sn.tidy(() => sn.exp(sn.exp(a)));
      await c.data();
      expect(backend().info().pipelines).toBe(count);
      sn.dispose([a, b, c]);
    });

    it('records many dispatches per submission', async () => {
      const info0 = backend().info();
      let x = sn.ones([64]);
      for (let k = 0; k < 40; k++) {
        const y = sn.add(x, 1);
        x.dispose();
        x = y;
      }
      expect((await x.data())[0]).toBe(41);
      const info1 = backend().info();
      const dispatches = (info1.dispatches as number) - (info0.dispatches as number);
      const submits = (info1.submits as number) - (info0.submits as number);
      expect(dispatches).toBeGreaterThanOrEqual(40);
      expect(submits).toBeLessThanOrEqual(2);
      x.dispose();
    });

    it('reuses pooled buffers: repeating the same work allocates nothing new', async () => {
      const step = async (k: number): Promise<void> => {
        const t = sn.tidy(() => sn.add(sn.ones([1000]), k));
        await t.data();
        t.dispose();
      };
      await step(0);
      const allocated = backend().memory().allocatedBytes;
      for (let k = 1; k < 10; k++) await step(k);
      expect(backend().memory().allocatedBytes).toBe(allocated);
    });

    it('keeps the idle pool under its byte bound, destroying the oldest buffers first', () => {
      const pool = new BufferPool(backend().device as GPUDevice, GPUBufferUsage.STORAGE, 4096);
      const bufs = [1000, 1000, 2000, 3000].map((b) => pool.acquire(b));
      expect(bufs.map((b) => b.size)).toEqual([1024, 1024, 2048, 4096]);
      for (const b of bufs) pool.release(b);
      const s = pool.stats();
      expect(s.idleBytes).toBeLessThanOrEqual(4096);
      expect(s.idleBuffers).toBe(1);
      expect(pool.acquire(3500)).toBe(bufs[3]);
      pool.clear();
    });

    it('rejects a tensor larger than maxStorageBufferBindingSize, naming the limit', () => {
      const limit = backend().info().maxStorageBufferBindingSize as number;
      const x = sn.ones([4]);
      const huge = { id: (x as unknown as { handleOrNull: { id: object } }).handleOrNull.id, shape: [Math.ceil(limit / 4) + 1], dtype: 'float32' as const };
      expect(() => backend().unary('neg', huge, 'float32', {})).toThrow(/exceeds this device's maxStorageBufferBindingSize of \d+ bytes/);
      x.dispose();
    });

    it('matmul is exact on integers for shapes around the 64×64 tile', async () => {
      for (const [m, k, n] of [[1, 1, 1], [63, 17, 65], [64, 64, 64], [130, 3, 1], [1, 200, 129]] as const) {
        const a = sn.tidy(() => sn.floor(sn.mul(sn.randomUniform([m, k], { seed: m + k }), 5)));
        const b = sn.tidy(() => sn.floor(sn.mul(sn.randomUniform([k, n], { seed: k + n }), 5)));
        const got = sn.matmul(a, b);
        const [av, bv, gv] = await Promise.all([a.data(), b.data(), got.data()]);
        for (let r = 0; r < m; r += Math.max(1, m >> 2)) {
          for (let c = 0; c < n; c += Math.max(1, n >> 2)) {
            let s = 0;
            for (let q = 0; q < k; q++) s += av[r * k + q]! * bv[q * n + c]!;
            expect(gv[r * n + c]).toBe(s);
          }
        }
        sn.dispose([a, b, got]);
      }
    });

    it('conv2d filter gradient with a long K (split into chunks, then summed) matches backend-js', async () => {
      const f = (x: sn.Tensor, w: sn.Tensor): sn.Tensor => sn.sum(sn.mul(sn.conv2d(x, w, { padding: 1, stride: 1 }), sn.cos(sn.conv2d(x, w, { padding: 1 }))));
      const results: Float32Array[][] = [];
      for (const name of ['webgpu', 'js']) {
        await sn.setBackend(name);
        const x = sn.randomNormal([16, 3, 20, 20], { seed: 11 });
        const w = sn.randomNormal([4, 3, 3, 3], { seed: 12 });
        const grads = sn.grad(f)(x, w);
        results.push((await Promise.all(grads.map((g) => g.data()))) as Float32Array[]);
        sn.dispose([x, w, grads]);
      }
      await sn.setBackend('webgpu');
      const [gpu, js] = results as [Float32Array[], Float32Array[]];
      for (let k = 0; k < 2; k++) {
        const a = gpu[k]!;
        const b = js[k]!;
        const scale = b.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
        for (let j = 0; j < b.length; j++) expect(Math.abs(a[j]! - b[j]!)).toBeLessThanOrEqual(1e-4 * scale + 1e-5);
      }
    });
  });
}

describe('without an adapter', () => {
  const fixture = fileURLToPath(new URL('./fixtures/no-adapter.mjs', import.meta.url));
  const built = existsSync(fileURLToPath(new URL('../dist/index.js', import.meta.url)));
  it.skipIf(!built)('registering breaks nothing; isAvailable is false; setBackend rejects with the reason; ready falls back', async () => {
    const { stdout } = await run(process.execPath, [fixture], { env: { ...process.env, VK_ICD_FILENAMES: '/nonexistent/no-driver.json' } });
    const r = JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>;
    expect(r.listed).toEqual(['webgpu', 'js']);
    expect(r.available).toBe(false);
    expect(r.setBackend).toMatch(/backend 'webgpu' is not available here: webgpu: .*no adapter/);
    expect(r.fallback).toBe('js');
    expect(r.sum).toEqual([2, 3]);
  });
});
