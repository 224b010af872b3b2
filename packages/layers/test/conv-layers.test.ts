import {
  adaptiveAvgPool2d, conv2dTranspose, dispose, interpolate, ones, randomNormal, setBackend, tensor, tidy, type Tensor,
} from '@scratchnet/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Conv1D, Conv1d, ConvTranspose2D, ConvTranspose2d, Conv2D, ReLU, Sequential, Upsample, deserializeModel, fans, serializeModel,
} from '../src/index.js';
import './backends.js';

beforeAll(async () => {
  await setBackend('js');
});

describe('Conv1D, ConvTranspose2D and Upsample', () => {
  it("have PyTorch's parameter names, shapes and output sizes", () => {
    const c1 = new Conv1D(4, 6, 5, { groups: 2, seed: 1 });
    expect(c1.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([['weight', [6, 2, 5]], ['bias', [6]]]);
    const ct = new ConvTranspose2D(16, 8, 3, { stride: 2, padding: 1, outputPadding: 1, seed: 2 });
    expect(ct.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([['weight', [16, 8, 3, 3]], ['bias', [8]]]);
    tidy(() => {
      // nn.ConvTranspose2d(16, 8, 3, stride=2, padding=1, output_padding=1) doubles 7×7 to 14×14.
      expect(ct.forward(randomNormal([2, 16, 7, 7])).shape).toEqual([2, 8, 14, 14]);
      // nn.Conv1d(4, 6, 5, groups=2) on length 20: 16.
      expect(c1.forward(randomNormal([3, 4, 20])).shape).toEqual([3, 6, 16]);
      expect(new Upsample({ scaleFactor: 2, mode: 'bilinear' }).forward(randomNormal([1, 3, 5, 6])).shape).toEqual([1, 3, 10, 12]);
      expect(new Upsample({ size: 9 }).forward(randomNormal([1, 3, 4])).shape).toEqual([1, 3, 9]);
    });
    [c1, ct].forEach((m) => m.dispose());
  });

  it('initialise Kaiming-uniform over the fan-in PyTorch computes (weight dimension 1 × kernel), bias zero', async () => {
    const ct = new ConvTranspose2D(4, 6, 3, { groups: 2, seed: 3 });
    expect(fans(ct.weight.shape).fanIn).toBe(3 * 3 * 3);
    const bound = Math.sqrt(6 / 27);
    const w = await ct.weight.data();
    expect(Math.max(...Array.from(w, Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...Array.from(w, Math.abs))).toBeGreaterThan(bound * 0.8);
    expect(Array.from(await ct.bias!.data())).toEqual(new Array(6).fill(0));
    ct.dispose();
  });

  it("PyTorch's spellings are the same classes", () => {
    expect([Conv1d, ConvTranspose2d]).toEqual([Conv1D, ConvTranspose2D]);
  });

  it('round-trip through save / load with the same outputs', async () => {
    const model = new Sequential([
      new Conv2D(2, 4, 3, { padding: 1, seed: 4 }), new ReLU(),
      new ConvTranspose2D(4, 3, [3, 2], { stride: [2, 1], padding: [1, 0], outputPadding: [1, 0], groups: 1, seed: 5 }),
      new Upsample({ size: [10, 9], mode: 'bilinear', alignCorners: true }),
    ]);
    const seq = new Sequential([new Conv1D(3, 5, 3, { stride: 2, padding: 'same', seed: 6 }), new Upsample({ scaleFactor: 1.5, mode: 'linear' })]);
    for (const [m, shape] of [[model, [2, 2, 4, 5]], [seq, [2, 3, 8]]] as const) {
      const x = randomNormal([...shape], { seed: 7 });
      const y = tidy(() => m.forward(x));
      const back = (await deserializeModel(await serializeModel(m))).model;
      const y2 = tidy(() => back.forward(x));
      expect(Array.from(await y2.data())).toEqual(Array.from(await y.data()));
      expect(back.children().map((c) => c.className)).toEqual(m.children().map((c) => c.className));
      dispose([x, y, y2]);
      back.dispose();
      m.dispose();
    }
  });

  it('reject bad arguments and inputs naming the layer and the shapes', () => {
    expect(() => new Conv1D(3, 4, 0)).toThrow('Conv1D: kernelSize must be a positive integer, got 0');
    expect(() => new ConvTranspose2D(3, 4, 3, { groups: 2 })).toThrow('ConvTranspose2D: inChannels 3 and outChannels 4 must both be divisible by groups 2');
    expect(() => new Upsample({})).toThrow('Upsample: give exactly one of size and scaleFactor, got neither');
    const c1 = new Conv1D(3, 4, 3);
    const ct = new ConvTranspose2D(3, 4, 3, { stride: 2, outputPadding: 2 });
    tidy(() => {
      expect(() => c1.forward(randomNormal([2, 8, 3]))).toThrow(/Conv1D: input \[2,8,3\] has 8 channels, expected inChannels 3.*channels-last/);
      expect(() => c1.forward(randomNormal([2, 3]))).toThrow('Conv1D: expected an NCL input of rank 3, got shape [2,3]');
      expect(() => ct.forward(randomNormal([1, 3, 4, 4]))).toThrow(/conv2dTranspose: outputPadding must be smaller than stride or dilation/);
      expect(() => new Upsample({ size: 4, mode: 'linear' }).forward(randomNormal([1, 3, 4, 4]))).toThrow(/upsample: mode 'linear' needs 3-D input/);
    });
    [c1, ct].forEach((m) => m.dispose());
  });
});

/** Values rounded to 4 decimals, for comparing with PyTorch's printed outputs. */
async function rounded(t: Tensor): Promise<number[]> {
  return Array.from(await t.data(), (v) => Math.round(v * 1e4) / 1e4);
}

describe("the functional ops give PyTorch's documented outputs", () => {
  it('F.interpolate: nearest 1.5×, bilinear 2× with and without align_corners', async () => {
    const seq = tensor([1, 2, 3, 4], [1, 1, 4]);
    const grid = tensor([1, 2, 3, 4], [1, 1, 2, 2]);
    const [near, half, corners] = tidy(() => [
      interpolate(seq, { scaleFactor: 1.5 }),
      interpolate(grid, { scaleFactor: 2, mode: 'bilinear' }),
      interpolate(grid, { size: 4, mode: 'bilinear', alignCorners: true }),
    ]);
    expect(await rounded(near)).toEqual([1, 1, 2, 3, 3, 4]);
    expect(await rounded(half)).toEqual([1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3, 3.25, 3.75, 4]);
    expect(await rounded(corners)).toEqual([
      1, 1.3333, 1.6667, 2, 1.6667, 2, 2.3333, 2.6667, 2.3333, 2.6667, 3, 3.3333, 3, 3.3333, 3.6667, 4,
    ]);
    dispose([seq, grid, near, half, corners]);
  });

  it('F.conv_transpose2d of ones (2×2 input, 3×3 kernel, stride 2) and F.adaptive_avg_pool2d 5 → 3', async () => {
    const [y, a] = tidy(() => [
      conv2dTranspose(ones([1, 1, 2, 2]), ones([1, 1, 3, 3]), { stride: 2 }),
      adaptiveAvgPool2d(tensor([1, 2, 3, 4, 5], [1, 1, 1, 5]), [1, 3]),
    ]);
    expect(y.shape).toEqual([1, 1, 5, 5]);
    expect(await rounded(y)).toEqual([1, 1, 2, 1, 1, 1, 1, 2, 1, 1, 2, 2, 4, 2, 2, 1, 1, 2, 1, 1, 1, 1, 2, 1, 1]);
    expect(await rounded(a)).toEqual([1.5, 3, 4.5]);
    dispose([y, a]);
  });
});
