/**
 * ONNX export round trip: models exported with exportOnnx run in onnxruntime-web's wasm build (in
 * Node) and give ScratchNet's outputs within 1e-4 — the MNIST CNN after a few training steps (so
 * BatchNorm's running statistics are not the defaults), and one model per remaining layer option.
 */
import '@scratchnet/backend-js';
import { randomNormal, type Tensor } from '@scratchnet/core';
import { describe, expect, it } from 'vitest';
import { largestDifference, ort, runOnnx, useOnnxRuntime } from './onnx-runtime.js';
import {
  Adam, AvgPool2D, BatchNorm1D, BatchNorm2D, Conv2D, CrossEntropyLoss, Dropout, Flatten, GELU, LeakyReLU, Linear,
  MaxPool2D, ReLU, Sequential, Sigmoid, Softmax, Tanh, TensorDataset, exportOnnx, exportOnnxAsync, fit,
} from '../src/index.js';
import { Module as LayersModule } from '../src/module.js';

useOnnxRuntime();

/** Runs the exported model in onnxruntime and returns the largest |onnx − scratchnet| over `x`. */
async function maxDifference(model: LayersModule, x: Tensor): Promise<number> {
  model.eval();
  const expected = model.forward(x).dataSync();
  return largestDifference((await runOnnx(exportOnnx(model), x)).data, expected);
}

describe('exportOnnx', () => {
  it('the MNIST CNN (after training steps) runs in onnxruntime with outputs within 1e-4', async () => {
    const model = new Sequential([
      new Conv2D(1, 8, 3, { padding: 1, seed: 1 }), new MaxPool2D(2), new ReLU(), new BatchNorm2D(8),
      new Conv2D(8, 16, 3, { padding: 1, seed: 2 }), new MaxPool2D(2), new ReLU(), new BatchNorm2D(16),
      new Flatten(), new Linear(784, 10, { seed: 3 }),
    ]);
    const n = 32;
    const images = randomNormal([n, 1, 28, 28], { seed: 4 }).dataSync() as Float32Array;
    const labels = Int32Array.from({ length: n }, (_, i) => i % 10);
    const data = new TensorDataset({ data: images, shape: [n, 1, 28, 28] }, { data: labels, shape: [n], dtype: 'int32' });
    await fit(model, data, { loss: new CrossEntropyLoss(), optimizer: new Adam(model.parameters(), { lr: 0.01 }), epochs: 2, batchSize: 8 });

    const x = randomNormal([8, 1, 28, 28], { seed: 5 });
    const diff = await maxDifference(model, x);
    console.log(`exportOnnx: MNIST CNN, onnxruntime-web ${ort.env.versions.web ?? ''} vs ScratchNet: max |difference| ${diff.toExponential(2)}`);
    expect(diff).toBeLessThan(1e-4);
  });

  it('dense layers, every activation, BatchNorm1D and Dropout', async () => {
    const model = new Sequential([
      new Linear(6, 12, { seed: 1 }), new GELU(), new BatchNorm1D(12), new LeakyReLU(0.2), new Dropout(0.5),
      new Linear(12, 12, { seed: 2 }), new Sigmoid(), new Linear(12, 8, { seed: 3, bias: false }), new Tanh(),
      new Sequential([new Linear(8, 5, { seed: 4 }), new Softmax()]),
    ]);
    const bn = model.layers[2] as BatchNorm1D;
    bn.runningMean.assign(randomNormal([12], { seed: 6 }));
    bn.runningVar.assign(randomNormal([12], { seed: 7 }).abs().add(0.5));
    bn.weight!.assign(randomNormal([12], { seed: 8 }));
    expect(await maxDifference(model, randomNormal([7, 6], { seed: 9 }))).toBeLessThan(1e-5);
  });

  it('convolution options (stride, dilation, groups, same padding) and average pooling with padding', async () => {
    const model = new Sequential([
      new Conv2D(2, 6, [3, 2], { stride: [2, 1], dilation: [1, 2], padding: [1, 2], groups: 2, seed: 1 }),
      new AvgPool2D(3, { stride: 2, padding: 1 }),
      new Conv2D(6, 4, 3, { padding: 'same', bias: false, seed: 2 }),
      new MaxPool2D([2, 3], { stride: 1, padding: 'same' }),
      new BatchNorm2D(4, { affine: false }),
    ]);
    expect(await maxDifference(model, randomNormal([3, 2, 11, 9], { seed: 3 }))).toBeLessThan(1e-5);
  });

  it('names the module that has no ONNX mapping', () => {
    class Custom extends LayersModule {
      forward(x: Tensor): Tensor {
        return x;
      }
      protected getConfig(): Record<string, unknown> {
        return {};
      }
    }
    expect(() => exportOnnx(new Sequential([new Linear(2, 2), new Custom()]))).toThrow(/Custom at '1' has no ONNX mapping/);
    expect(() => exportOnnx(new Sequential([new Flatten(2)]))).toThrow(/only Flatten\(1, -1\)/);
    expect(() => exportOnnx(new Linear(2, 2), { opsetVersion: 12 })).toThrow(/opsetVersion/);
  });

  it('exportOnnxAsync writes the same bytes', async () => {
    const model = new Sequential([new Linear(3, 4, { seed: 1 }), new ReLU()]);
    expect(await exportOnnxAsync(model)).toEqual(exportOnnx(model));
  });
});
