import { memory, registerBackend, removeBackend, setBackend, tensor } from '@scratchnet/core';
import { JsBackend } from '@scratchnet/backend-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CrossEntropyLoss, Linear, ReLU, SGD, Adam, Sequential, evaluate, fit, predict, Conv2D, MaxPool2D, BatchNorm2D, Flatten, TensorDataset,
} from '../src/index.js';
import { testBackends } from './backends.js';
import { ringAndBlob } from './toy-data.js';

const mlp = (seed: number): Sequential => new Sequential([new Linear(2, 16, { seed }), new ReLU(), new Linear(16, 2, { seed: seed + 1 })]);

describe('training', () => {
  beforeAll(() => {
    // A second, separate instance of the JS backend, so that backend switches move real data.
    registerBackend('js-second', () => new JsBackend(), { priority: -10 });
  });
  afterAll(async () => {
    await setBackend('js');
    await removeBackend('js-second');
  });

  for (const backend of testBackends()) {
    it(`learns the ring-and-blob toy problem to ≥ 97% training accuracy with SGD on '${backend}'`, async () => {
      await setBackend(backend);
      const data = ringAndBlob(1);
      const model = mlp(10);
      const optimizer = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
      const history = await fit(model, data, { loss: new CrossEntropyLoss(), optimizer, epochs: 40, batchSize: 20, seed: 3, metrics: ['accuracy'] });
      const final = await evaluate(model, data, { loss: new CrossEntropyLoss(), metrics: ['accuracy'] });
      expect(history.history.loss!.at(-1)!).toBeLessThan(history.history.loss![0]!);
      expect(final.accuracy).toBeGreaterThanOrEqual(0.97);
      optimizer.dispose();
      model.dispose();
    });
  }

  it('continues training after a backend switch between epochs, matching the run without the switch within 1e-4', async () => {
    const run = async (switchTo: string | null): Promise<number[]> => {
      await setBackend('js');
      const model = mlp(20);
      const optimizer = new Adam(model.parameters(), { lr: 0.01 });
      const history = await fit(model, ringAndBlob(2), {
        loss: new CrossEntropyLoss(), optimizer, epochs: 4, batchSize: 16, seed: 5,
        onEpochEnd: async (logs) => {
          if (switchTo && logs.epoch === 1) await setBackend(switchTo);
        },
      });
      if (switchTo) expect(model.parameters()[0]!.backendName).toBe(switchTo);
      optimizer.dispose();
      model.dispose();
      await setBackend('js');
      return history.history.loss!;
    };
    const plain = await run(null);
    const switched = await run('js-second');
    for (let e = 0; e < plain.length; e++) expect(Math.abs(switched[e]! - plain[e]!)).toBeLessThanOrEqual(1e-4);
  });

  it('keeps the live tensor count flat between epoch 1 and epoch 5 (CNN with BatchNorm, Adam)', async () => {
    await setBackend('js');
    const n = 32;
    const images = new Float32Array(n * 1 * 8 * 8).map((_, i) => Math.sin(i));
    const labels = Int32Array.from({ length: n }, (_, i) => i % 3);
    const data = new TensorDataset({ data: images, shape: [n, 1, 8, 8] }, { data: labels, shape: [n], dtype: 'int32' });
    const model = new Sequential([new Conv2D(1, 4, 3, { padding: 1, seed: 1 }), new MaxPool2D(2), new ReLU(), new BatchNorm2D(4), new Flatten(), new Linear(4 * 4 * 4, 3, { seed: 2 })]);
    const optimizer = new Adam(model.parameters());
    const counts: number[] = [];
    await fit(model, data, {
      loss: new CrossEntropyLoss(), optimizer, epochs: 5, batchSize: 8, validationData: data, metrics: ['accuracy'],
      onEpochEnd: () => void counts.push(memory().numTensors),
    });
    expect(counts[4]).toBe(counts[0]);
    optimizer.dispose();
    model.dispose();
  });

  it('stops through an AbortSignal and reports batches and epochs to callbacks', async () => {
    await setBackend('js');
    const model = mlp(30);
    const optimizer = new SGD(model.parameters(), { lr: 0.05 });
    const controller = new AbortController();
    const seen: string[] = [];
    const history = await fit(model, ringAndBlob(3), {
      loss: new CrossEntropyLoss(), optimizer, epochs: 10, batchSize: 50, signal: controller.signal,
      onBatchEnd: (b) => {
        seen.push(`${b.epoch}:${b.batch}/${b.batches}`);
        if (b.epoch === 1 && b.batch === 2) controller.abort();
      },
    });
    expect(history.stopped).toBe(true);
    expect(history.epochs).toHaveLength(1);
    expect(seen).toEqual(['0:1/4', '0:2/4', '0:3/4', '0:4/4', '1:1/4', '1:2/4']);
    optimizer.dispose();
    model.dispose();
  });

  it('predicts in batches in eval mode and gives the same outputs as one forward pass', async () => {
    await setBackend('js');
    const model = mlp(40);
    const x = tensor(new Float32Array(2 * 37).map((_, i) => Math.cos(i)), [37, 2]);
    const all = predict(model, x, { batchSize: 10 });
    const once = predict(model, x, { batchSize: 100 });
    expect(all.shape).toEqual([37, 2]);
    expect(Array.from(await all.data())).toEqual(Array.from(await once.data()));
    expect(model.training).toBe(true);
    [x, all, once].forEach((t) => t.dispose());
    model.dispose();
  });

  it('rejects bad options with the argument named', async () => {
    const model = mlp(50);
    await expect(fit(model, ringAndBlob(), { loss: new CrossEntropyLoss(), optimizer: new SGD(model.parameters(), { lr: 0.1 }), epochs: 0 })).rejects.toThrow(
      'fit: epochs must be a positive integer, got 0',
    );
    model.dispose();
  });
});
