import { tensor } from '@scratchnet/core';
import { describe, expect, it } from 'vitest';
import {
  AvgPool2D, AvgPool2d, BatchNorm1D, BatchNorm1d, BatchNorm2D, BatchNorm2d, Conv2D, Conv2d, Flatten, Linear, MaxPool2D, MaxPool2d,
  Sequential, deserializeModel, serializeModel,
} from '../src/index.js';
import './backends.js';

describe("PyTorch's spellings", () => {
  it('are the same classes as the D names', () => {
    expect([Conv2d, MaxPool2d, AvgPool2d, BatchNorm1d, BatchNorm2d]).toEqual([Conv2D, MaxPool2D, AvgPool2D, BatchNorm1D, BatchNorm2D]);
  });

  it('build a model that runs, summarises and round-trips under the D names', async () => {
    const m = new Sequential([
      new Conv2d(1, 2, 3, { padding: 1, seed: 1 }), new BatchNorm2d(2), new MaxPool2d(2), new AvgPool2d(1),
      new Flatten(), new Linear(2 * 2 * 2, 3, { seed: 2 }), new BatchNorm1d(3),
    ]);
    const conv: Conv2d = m.children()[0] as Conv2d;
    expect(conv).toBeInstanceOf(Conv2D);
    const y = m.forward(tensor(Array.from({ length: 2 * 16 }, (_, i) => i / 32), [2, 1, 4, 4]));
    expect(y.shape).toEqual([2, 3]);
    expect(m.summary([2, 1, 4, 4])).toMatch(/Conv2D[\s\S]*BatchNorm2D[\s\S]*MaxPool2D/);
    const back = (await deserializeModel(await serializeModel(m))).model;
    expect(back.children()[0]).toBeInstanceOf(Conv2d);
    y.dispose();
    m.dispose();
    back.dispose();
  });
});
