/**
 * ONNX export of the convolution-family layers: Conv1D, ConvTranspose2D and Upsample (with a scale
 * factor) run in onnxruntime-web's wasm build and give ScratchNet's outputs.
 */
import '@scratchnet/backend-js';
import { randomNormal, type Tensor } from '@scratchnet/core';
import { describe, expect, it } from 'vitest';
import { largestDifference, runOnnx, useOnnxRuntime } from './onnx-runtime.js';
import { Conv1D, ConvTranspose2D, ReLU, Sequential, Upsample, exportOnnx } from '../src/index.js';
import type { Module } from '../src/module.js';

useOnnxRuntime();

/** Largest |onnxruntime − ScratchNet| over the outputs of `model` on `x` (shapes must agree). */
async function maxDifference(model: Module, x: Tensor): Promise<number> {
  model.eval();
  const y = model.forward(x);
  const expected = y.dataSync();
  const out = await runOnnx(exportOnnx(model), x);
  expect(out.dims).toEqual([...y.shape]);
  return largestDifference(out.data, expected);
}

describe('exportOnnx of the convolution family', () => {
  it('ConvTranspose2D (stride, padding, outputPadding, dilation, groups) and 2-D Upsample (bilinear, alignCorners, nearest)', async () => {
    const model = new Sequential([
      new ConvTranspose2D(4, 6, 3, { stride: 2, padding: 1, outputPadding: 1, seed: 1 }), new ReLU(),
      new ConvTranspose2D(6, 4, [2, 3], { stride: [1, 2], dilation: [2, 1], groups: 2, bias: false, seed: 2 }),
      new Upsample({ scaleFactor: 2, mode: 'bilinear' }),
      new Upsample({ scaleFactor: [1.5, 0.5], mode: 'bilinear', alignCorners: true }),
      new Upsample({ scaleFactor: [2, 3] }),
    ]);
    expect(await maxDifference(model, randomNormal([2, 4, 5, 6], { seed: 3 }))).toBeLessThan(1e-4);
  });

  it('Conv1D (padding, same, groups, dilation) and 1-D Upsample (linear, nearest)', async () => {
    const model = new Sequential([
      new Conv1D(3, 6, 5, { padding: 2, stride: 2, seed: 4 }), new ReLU(),
      new Conv1D(6, 4, 4, { padding: 'same', groups: 2, seed: 5 }),
      new Conv1D(4, 2, 3, { dilation: 2, bias: false, seed: 6 }),
      new Upsample({ scaleFactor: 2.5, mode: 'linear' }), new Upsample({ scaleFactor: [1.5] }),
    ]);
    expect(await maxDifference(model, randomNormal([2, 3, 23], { seed: 7 }))).toBeLessThan(1e-5);
  });

  it('Upsample with an output size, or nearest with one factor for all axes, says why it cannot be exported', () => {
    expect(() => exportOnnx(new Sequential([new Conv1D(1, 1, 1), new Upsample({ size: 8 })]))).toThrow(/Upsample at '1' gives an output size; only Upsample with a scaleFactor can be exported/);
    expect(() => exportOnnx(new Sequential([new Conv1D(1, 1, 1), new Upsample({ scaleFactor: 2 })]))).toThrow(/Upsample at '1' has mode 'nearest' and one scaleFactor.*\[2, 2\]/);
  });
});
