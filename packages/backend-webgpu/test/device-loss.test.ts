/**
 * A lost WebGPU device, for real: `device.destroy()` on Dawn (lavapipe here) while tensors are in
 * flight and in the middle of training. Every op, write and read then fails with a DeviceLostError
 * naming the op and the device's reason (a pending read rejects, it does not hang), and training goes
 * on on another backend from the variables' last synced values, its loss carrying on where it was.
 */
import { describe, expect, it } from 'vitest';
import * as sn from '@scratchnet/core';
import '@scratchnet/backend-js';
import '../src/index.js';
import type { WebGpuBackend } from '../src/index.js';
import { gpuTestsEnabled } from './adapter.js';

function gpu(): WebGpuBackend {
  return sn.getBackend() as WebGpuBackend;
}

/** Mean squared error of a linear model w·x + b against y, as one scalar tensor. */
function lossOf(w: sn.Tensor, b: sn.Tensor, x: sn.Tensor, y: sn.Tensor): sn.Tensor {
  return sn.mean(sn.square(sn.sub(sn.add(sn.matmul(x, w), b), y)));
}

if (gpuTestsEnabled('device loss: webgpu')) {
  describe('a lost WebGPU device', () => {
    it('fails every kernel, write and read with a DeviceLostError naming the op and the reason; a pending read rejects', async () => {
      await sn.setBackend('webgpu');
      const backend = gpu();
      const a = sn.randomNormal([64, 64], { seed: 1 });
      const product = sn.matmul(a, a);
      const pending = product.data(); // submitted, not yet mapped when the device goes
      (backend.device as GPUDevice).destroy();
      const readError = await pending.then(() => null, (e: unknown) => e);
      expect(readError).toBeInstanceOf(sn.DeviceLostError);
      expect((readError as sn.DeviceLostError).message).toMatch(/^read: the webgpu device was lost \(reason 'destroyed': /);
      expect(backend.deviceLost()).toEqual({ reason: 'destroyed', message: expect.any(String) as string });
      // Through core: the op's own name.
      expect(() => sn.matmul(a, a)).toThrow(/^matmul: the webgpu device was lost \(reason 'destroyed': .*await setBackend\('js'\)/);
      expect(() => sn.tensor([1, 2])).toThrow(/^tensor: the webgpu device was lost/);
      await expect(product.data()).rejects.toThrow(/^data: the webgpu device was lost .*the host has no copy/);
      // The backend itself, for code that calls it directly.
      expect(() => backend.write(new Float32Array([1]), 'float32')).toThrow(/^write: the webgpu device was lost/);
      await expect(backend.sync()).rejects.toThrow(/^sync: the webgpu device was lost/);
      expect(sn.getBackendName()).toBe('webgpu');
      await sn.setBackend('js');
      await expect(product.data()).rejects.toThrow(sn.DeviceLostError);
      sn.dispose([a, product]);
      // Selecting webgpu again asks for a new device, which works.
      await sn.setBackend('webgpu');
      expect(gpu()).not.toBe(backend);
      const t = sn.tidy(() => sn.add(sn.tensor([1, 2]), 1));
      expect(Array.from(await t.data())).toEqual([2, 3]);
      t.dispose();
    });

    it('destroyed mid-training: the step fails naming the loss and the op, and training goes on on js from the last synced weights', async () => {
      await sn.setBackend('webgpu');
      const backend = gpu();
      const n = 64;
      const xs = Float32Array.from({ length: n * 4 }, (_, i) => Math.sin(i * 0.7));
      const trueW = [0.5, -1, 2, 0.25];
      const ys = Float32Array.from({ length: n }, (_, r) => trueW.reduce((s, wj, j) => s + wj * xs[r * 4 + j]!, 0.3));
      const [w, b] = sn.tidy(() => [sn.variable(sn.zeros([4, 1]), { name: 'w' }), sn.variable(sn.zeros([1]), { name: 'b' })]);
      const lr = 0.1;
      /** One SGD step on the active backend; returns the loss before the step. */
      const step = async (): Promise<number> => {
        const value = sn.tidy(() => {
          const x = sn.tensor(xs, [n, 4]);
          const y = sn.tensor(ys, [n, 1]);
          const { value: v, grads } = sn.variableGrads(() => lossOf(w, b, x, y), [w, b]);
          w.assign(sn.sub(w, sn.mul(grads.get(w)!, lr)));
          b.assign(sn.sub(b, sn.mul(grads.get(b)!, lr)));
          return v;
        });
        const l = (await value.data())[0]!;
        value.dispose();
        return l;
      };
      const losses: number[] = [];
      let syncedAfter = 0;
      let failure: unknown = null;
      for (let i = 0; i < 12 && !failure; i++) {
        try {
          if (i === 6) (backend.device as GPUDevice).destroy(); // several steps in
          losses.push(await step());
          if (losses.length % 2 === 0) {
            await sn.syncToHost([w, b]); // the sync point: every second step
            syncedAfter = losses.length;
          }
        } catch (e) {
          failure = e;
        }
      }
      expect(failure).toBeInstanceOf(sn.DeviceLostError);
      const lostError = failure as sn.DeviceLostError;
      expect(lostError.backend).toBe('webgpu');
      expect(lostError.info.reason).toBe('destroyed');
      expect(lostError.message).toMatch(/^\w+: the webgpu device was lost \(reason 'destroyed'/);
      expect(['tensor', 'matmul', 'data', 'read']).toContain(lostError.op);
      expect([losses.length, syncedAfter]).toEqual([6, 6]);

      await sn.setBackend('js');
      expect([w.backendName, b.backendName]).toEqual(['js', 'js']);
      const resumed: number[] = [];
      for (let i = 0; i < 4; i++) resumed.push(await step());
      // The first loss on js is the one after the last synced step, not the loss of fresh weights.
      const fresh = losses[0]!;
      expect(resumed[0]!).toBeLessThan(losses[syncedAfter - 1]!);
      expect(resumed[0]!).toBeLessThan(fresh * 0.5);
      for (let i = 1; i < resumed.length; i++) expect(resumed[i]!).toBeLessThan(resumed[i - 1]!);
      sn.dispose([w, b]);
    });
  });
}
