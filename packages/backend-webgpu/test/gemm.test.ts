/**
 * The register-tiled GEMM behind matmul and the convolutions, on both of its code paths: with subgroup
 * broadcasts (the default device, where the adapter has a fixed subgroup size) and without (a device
 * requested without the 'subgroups' feature), against backend-js. The shapes reach what the conformance
 * suite's small cases do not: more than one tile of rows (M > 16) and of columns (N > 256), odd sizes
 * at every edge, batch broadcasting, and convolutions with many channels, strides, dilation and groups.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as sn from '@scratchnet/core';
import '@scratchnet/backend-js';
import '../src/index.js';
import { createWebGpuBackend, type WebGpuBackend } from '../src/index.js';
import { requestAdapter } from '../src/gpu.js';
import { gpuTestsEnabled } from './adapter.js';

const PLAIN = 'webgpu-no-subgroups';

/** Seeded values in [-1, 1). */
function values(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

/** Runs `f` on fresh tensors of `shapes` on `backend`; returns every output's values. */
async function outputs(backend: string, shapes: readonly number[][], f: (...xs: sn.Tensor[]) => sn.Tensor[]): Promise<Float32Array[]> {
  await sn.setBackend(backend);
  const xs = shapes.map((shape, k) => sn.tensor(values(shape.reduce((a, b) => a * b, 1), 17 + k), shape));
  const ys = f(...xs);
  const data = await Promise.all(ys.map(async (y) => (await y.data()) as Float32Array));
  sn.dispose([...xs, ...ys]);
  return data;
}

/** Expects every backend's outputs to match backend-js's within `tol` (relative to the largest magnitude). */
async function agree(shapes: readonly number[][], f: (...xs: sn.Tensor[]) => sn.Tensor[], tol = 1e-4): Promise<void> {
  const want = await outputs('js', shapes, f);
  for (const backend of ['webgpu', PLAIN]) {
    const got = await outputs(backend, shapes, f);
    for (let o = 0; o < want.length; o++) {
      const w = want[o]!;
      const g = got[o]!;
      expect(g.length, `${backend} output ${o} length`).toBe(w.length);
      const scale = w.reduce((m, v) => Math.max(m, Math.abs(v)), 1);
      let worst = 0;
      let at = -1;
      for (let i = 0; i < w.length; i++) {
        const d = Math.abs(g[i]! - w[i]!);
        if (!(d <= worst)) {
          worst = d;
          at = i;
        }
      }
      expect(worst / scale, `${backend} output ${o}: worst at ${at} (got ${g[at]}, want ${w[at]})`).toBeLessThan(tol);
    }
  }
}

/** conv2d and both its gradients (the output weighted by a fixed random tensor, so dy is not uniform). */
function convAndGrads(opts: sn.Conv2dOptions) {
  return (x: sn.Tensor, w: sn.Tensor, r: sn.Tensor): sn.Tensor[] => {
    const y = sn.conv2d(x, w, opts);
    const grads = sn.grad((xx: sn.Tensor, ww: sn.Tensor) => sn.sum(sn.mul(sn.conv2d(xx, ww, opts), r)))(x, w);
    return [y, ...grads];
  };
}

if (gpuTestsEnabled('gemm: webgpu')) {
  describe('GEMM kernels with and without subgroups', () => {
    beforeAll(async () => {
      const found = await requestAdapter();
      if (!found.adapter) throw new Error('no adapter');
      const device = await found.adapter.requestDevice();
      sn.registerBackend(PLAIN, () => createWebGpuBackend({ device }), { priority: -50 });
      await sn.setBackend(PLAIN);
      expect(((sn.getBackend() as WebGpuBackend).device as GPUDevice).features.has('subgroups')).toBe(false);
      await sn.setBackend('webgpu');
      const subgroups = found.adapter.features.has('subgroups');
      expect(((sn.getBackend() as WebGpuBackend).device as GPUDevice).features.has('subgroups')).toBe(subgroups);
    });

    it('matmul over several row and column tiles, odd sizes, transposes and batch broadcast', async () => {
      await agree([[37, 29], [29, 301]], (a, b) => [sn.matmul(a, b)]);
      await agree([[29, 37], [301, 29]], (a, b) => [sn.matmul(a, b, { transposeA: true, transposeB: true })]);
      await agree([[3, 17, 5], [1, 5, 9]], (a, b) => [sn.matmul(a, b)]);
      await agree([[1, 2, 19, 4], [3, 1, 4, 70]], (a, b) => [sn.matmul(a, b)]);
      await agree([[1, 300], [300, 1]], (a, b) => [sn.matmul(a, b)]);
      await agree([[2, 7], [7, 300]], (a, b) => [sn.matmul(a, b)]);
    });

    it('matmul with more row tiles than one dispatch may have workgroups along y (65535)', async () => {
      await agree([[1_100_000, 3], [3, 2]], (a, b) => [sn.matmul(a, b)]);
    });

    it('conv2d forward and both gradients, many channels, padding, stride, dilation and groups', async () => {
      await agree([[2, 3, 11, 9], [20, 3, 3, 3], [2, 20, 11, 9]], convAndGrads({ padding: 1 }));
      await agree([[3, 4, 13, 10], [6, 2, 3, 2], [3, 6, 7, 6]], convAndGrads({ stride: 2, padding: 1, groups: 2 }));
      await agree([[2, 5, 12, 12], [18, 5, 3, 3], [2, 18, 8, 8]], convAndGrads({ dilation: 2 }));
      await agree([[5, 1, 9, 9], [8, 1, 3, 3], [5, 8, 9, 9]], convAndGrads({ padding: 'same' }));
    });
  });
}
