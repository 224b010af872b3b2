import {
  mul, randomNormal, setBackend, sum, tensor, tidy, variable, variableGrads, dispose, memory, type Tensor,
} from '@scratchnet/core';
import { reference } from '@scratchnet/core/testing';
import { describe, expect, it } from 'vitest';
import { testBackends } from './backends.js';
import { numericGradient, worstError } from './gradcheck.js';
import { convLayerCases } from './conv-layer-cases.js';
import { layerCases } from './layer-cases.js';
import type { NDArray } from './ref-types.js';

async function toNd(t: Tensor): Promise<NDArray> {
  return reference.nd(t.shape, await t.data());
}

for (const backend of testBackends()) {
  describe(`layers on backend '${backend}'`, () => {
    [...layerCases, ...convLayerCases].forEach((c, k) => {
      it(`${c.name}: forward matches the float64 reference and gradients match central differences`, async () => {
        await setBackend(backend);
        const before = memory().numTensors;
        const layer = c.make();
        layer.train(c.training ?? false);
        const x0 = randomNormal(c.input, { seed: 100 + k });
        const x = variable(x0);
        x0.dispose();
        const params = layer.parameters();
        const xNd = await toNd(x);
        const pNd = await Promise.all(params.map(toNd));
        const want = c.ref(xNd, ...pNd);
        const y = tidy(() => layer.forward(x));
        expect(y.shape).toEqual([...want.shape]);
        const got = await y.data();
        const fwd = worstError(got, want.data, 1e-4, 1e-5);
        expect(fwd.ratio, `forward worst at ${fwd.index}: got ${got[fwd.index]}, want ${want.data[fwd.index]}`).toBeLessThanOrEqual(1);

        const c0 = randomNormal(want.shape, { seed: 200 + k });
        const cNd = await toNd(c0);
        const watched = [x, ...params];
        const { value, grads } = variableGrads(() => sum(mul(layer.forward(x), c0)), watched);
        const all = [xNd, ...pNd];
        for (let i = 0; i < watched.length; i++) {
          const g = await grads.get(watched[i]!)!.data();
          const num = numericGradient(c.ref, all, cNd, i);
          const scale = Math.max(1, ...Array.from(num.data, Math.abs));
          const e = worstError(g, num.data, 2e-3, 2e-4 * scale);
          expect(e.ratio, `gradient of ${i === 0 ? 'the input' : layer.namedParameters()[i - 1]![0]} worst at ${e.index}: got ${g[e.index]}, want ${num.data[e.index]}`).toBeLessThanOrEqual(1);
        }
        dispose([value, grads, y, c0, x]);
        layer.dispose();
        expect(memory().numTensors).toBe(before);
      });
    });
  });
}

describe('layer behaviour', () => {
  it('BatchNorm2D updates running statistics as PyTorch does (unbiased variance, momentum 0.1)', async () => {
    const { BatchNorm2D } = await import('../src/layers/batchnorm.js');
    const bn = new BatchNorm2D(1);
    const x = tensor([1, 2, 3, 6], [2, 1, 2, 1]);
    tidy(() => bn.forward(x));
    // mean 3, unbiased variance ((4+1+0+9)/3) = 14/3
    expect((await bn.runningMean.data())[0]).toBeCloseTo(0.3, 6);
    expect((await bn.runningVar.data())[0]).toBeCloseTo(0.9 + 0.1 * (14 / 3), 5);
    const one = tensor([5], [1, 1, 1, 1]);
    const y = tidy(() => bn.forward(one));
    expect(Number.isNaN((await y.data())[0])).toBe(false);
    expect(Number.isNaN((await bn.runningVar.data())[0])).toBe(false);
    dispose([x, one, y]);
    bn.dispose();
  });

  it('Dropout zeroes about p of the inputs in training, scales survivors, and repeats with its seed', async () => {
    const { Dropout } = await import('../src/layers/shape-layers.js');
    const ones = tensor(new Float32Array(4000).fill(1), [4000]);
    const a = tidy(() => new Dropout(0.25, { seed: 9 }).forward(ones));
    const b = tidy(() => new Dropout(0.25, { seed: 9 }).forward(ones));
    const va = await a.data();
    const zeros = va.filter((v) => v === 0).length / va.length;
    expect(zeros).toBeGreaterThan(0.2);
    expect(zeros).toBeLessThan(0.3);
    expect(va.every((v) => v === 0 || Math.abs(v - 1 / 0.75) < 1e-6)).toBe(true);
    expect(Array.from(await b.data())).toEqual(Array.from(va));
    dispose([ones, a, b]);
  });

  it('layers reject inputs of the wrong shape with the layer name and the shapes', async () => {
    const { Linear } = await import('../src/layers/linear.js');
    const { Conv2D } = await import('../src/layers/conv2d.js');
    const { BatchNorm2D } = await import('../src/layers/batchnorm.js');
    const lin = new Linear(4, 2);
    const conv = new Conv2D(3, 2, 3);
    const bn = new BatchNorm2D(5);
    tidy(() => {
      expect(() => lin.forward(tensor([[1, 2, 3]]))).toThrow('Linear: input [1,3] has 3 features in its last dimension, expected inFeatures 4');
      expect(() => conv.forward(tensor([[1, 2, 3]]))).toThrow('Conv2D: expected an NCHW input of rank 4, got shape [1,3]');
      expect(() => bn.forward(randomNormal([2, 3, 4, 4]))).toThrow(/BatchNorm2D: input \[2,3,4,4\] has 3 channels on axis 1, expected numFeatures 5/);
    });
    expect(() => new Linear(0, 2)).toThrow('Linear: inFeatures must be a positive integer, got 0');
    [lin, conv, bn].forEach((m) => m.dispose());
  });
});
