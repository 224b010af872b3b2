/**
 * float16 particular to WebGPU: the adapter feature `shader-f16` is requested when present (lavapipe has
 * it), native float16 kernels are declared, and a device without the feature gives a clear error at the
 * first float16 data instead of wrong numbers. (The float16 conformance cases run in conformance.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as sn from '@scratchnet/core';
import { createWebGpuBackend, type WebGpuBackend } from '../src/index.js';
import { gpuTestsEnabled } from './adapter.js';

if (gpuTestsEnabled('float16: webgpu')) {
  describe('float16 on webgpu', () => {
    let plain: WebGpuBackend;
    beforeAll(async () => {
      plain = await createWebGpuBackend({ float16: false });
      sn.registerBackend('webgpu-no-f16', () => plain, { priority: -10 });
      await sn.setBackend('webgpu');
    });
    afterAll(async () => {
      await sn.setBackend('webgpu');
      await sn.removeBackend('webgpu-no-f16');
    });

    it('computes elementwise kernels in float16 where the adapter has shader-f16', async () => {
      const b = sn.getBackend() as WebGpuBackend;
      expect((b.device as unknown as GPUDevice).features.has('shader-f16')).toBe(true);
      expect([...b.float16Kernels]).toEqual(expect.arrayContaining(['unary', 'binary', 'where', 'copy']));
      const x = sn.tensor([1, 2.5, -65504, 0.1], [4], 'float16');
      const y = sn.mul(x, 2);
      expect(y.dtype).toBe('float16');
      expect(Array.from(await y.data())).toEqual([2, 5, -Infinity, 0.199951171875]);
      sn.dispose([x, y]);
    });

    it('names the missing feature on a device without shader-f16, and float32 still works there', async () => {
      await sn.setBackend('webgpu-no-f16');
      expect(plain.float16Kernels.size).toBe(0);
      const x = sn.tensor([1, 2, 3]);
      expect(() => sn.cast(x, 'float16')).toThrow(/float16 data needs the adapter feature 'shader-f16'/);
      expect(() => sn.tensor([1], [1], 'float16')).toThrow(/shader-f16/);
      expect(Array.from(await sn.mul(x, 2).data())).toEqual([2, 4, 6]);
      x.dispose();
    });
  });
}
