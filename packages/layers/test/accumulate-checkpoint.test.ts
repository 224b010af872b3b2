import { checkpoint, memory, setBackend, sum, tensor, tidy, valueAndGrad, variableGrads, type Tensor } from '@scratchnet/core';
import { describe, expect, it } from 'vitest';
import { CrossEntropyLoss, Dropout, Linear, ReLU, SGD, Sequential, TensorDataset, fit } from '../src/index.js';
import { testBackends } from './backends.js';

const mlp = (seed: number): Sequential => new Sequential([new Linear(6, 24, { seed }), new ReLU(), new Linear(24, 3, { seed: seed + 1 })]);

/** 64 samples of 6 features in 3 classes (a fixed linear rule), ordered so that no shuffle is needed. */
function toyData(): TensorDataset {
  const x = Float32Array.from({ length: 64 * 6 }, (_, i) => Math.sin(i * 1.7) * 2);
  const y = Int32Array.from({ length: 64 }, (_, n) => (x[n * 6]! + x[n * 6 + 1]! > 0 ? 0 : x[n * 6 + 2]! > 0 ? 1 : 2));
  return new TensorDataset({ data: x, shape: [64, 6] }, { data: y, shape: [64], dtype: 'int32' });
}

async function weightsOf(m: Sequential): Promise<number[]> {
  const out: number[] = [];
  for (const p of m.parameters()) out.push(...(await p.data()));
  return out;
}

describe('gradient accumulation in fit', () => {
  for (const backend of testBackends()) {
    it(`4 batches of 8 accumulated give the weights of batches of 32 on '${backend}' (and a last short group steps too)`, async () => {
      await setBackend(backend);
      const run = async (batchSize: number, accumulateSteps: number): Promise<number[]> => {
        const model = mlp(3);
        const optimizer = new SGD(model.parameters(), { lr: 0.2, momentum: 0.9 });
        await fit(model, toyData(), { loss: new CrossEntropyLoss(), optimizer, epochs: 2, batchSize, accumulateSteps, shuffle: false });
        const w = await weightsOf(model);
        optimizer.dispose();
        model.dispose();
        return w;
      };
      const big = await run(32, 1);
      const small = await run(8, 4);
      const untouched = await weightsOf(mlp(3));
      expect(small.some((v, i) => v !== untouched[i])).toBe(true);
      for (let i = 0; i < big.length; i++) expect(Math.abs(small[i]! - big[i]!)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(big[i]!)));
      // 64 = 3 × 20 + 4: groups of 3 batches of 20 and a last group of one batch of 4 match batches of 60 and 4.
      const uneven = await run(20, 3);
      const reference = await run(60, 1);
      for (let i = 0; i < reference.length; i++) expect(Math.abs(uneven[i]! - reference[i]!)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(reference[i]!)));
      await setBackend('js');
    });
  }

  it('rejects a non-integer accumulateSteps', async () => {
    const model = mlp(1);
    await expect(fit(model, toyData(), { loss: new CrossEntropyLoss(), optimizer: new SGD(model.parameters(), { lr: 0.1 }), accumulateSteps: 1.5 }))
      .rejects.toThrow(/accumulateSteps must be a positive integer, got 1.5/);
    model.dispose();
  });
});

describe('activation checkpointing', () => {
  const deep = (): Sequential => new Sequential(Array.from({ length: 6 }, (_, i) => [new Linear(32, 32, { seed: 40 + i }), new ReLU(), new Dropout(0.2)]).flat());

  it('gives a module the gradients of the plain run, with its dropout masks', async () => {
    await setBackend('js');
    const net = deep();
    const x = tensor(Float32Array.from({ length: 8 * 32 }, (_, i) => Math.cos(i)), [8, 32]);
    const params = net.parameters();
    const gradsWith = (forward: (t: Tensor) => Tensor): Promise<number[][]> => {
      const { value, grads } = variableGrads(() => sum(forward(x)), params);
      value.dispose();
      return Promise.all(params.map(async (p) => Array.from(await grads.get(p)!.data())));
    };
    const { setGlobalSeed } = await import('@scratchnet/core');
    setGlobalSeed(9);
    const plain = await gradsWith((t) => net.forward(t));
    setGlobalSeed(9);
    const checked = await gradsWith(checkpoint(net));
    for (let k = 0; k < plain.length; k++) for (let i = 0; i < plain[k]!.length; i++) expect(checked[k]![i]!).toBeCloseTo(plain[k]![i]!, 6);
    x.dispose();
    net.dispose();
  });

  it('keeps fewer tensors alive between the forward and the backward pass', () => {
    const net = deep();
    const x = tensor(Float32Array.from({ length: 8 * 32 }, (_, i) => Math.sin(i)), [8, 32]);
    const liveAfterForward = (forward: (t: Tensor) => Tensor): number => {
      let live = 0;
      const { value, grads } = valueAndGrad((t: Tensor) => {
        const y = forward(t);
        live = memory().numTensors;
        return sum(y);
      })(x);
      tidy(() => [value, ...grads]).forEach((t) => t.dispose());
      return live;
    };
    const plain = liveAfterForward((t) => net.forward(t));
    const checked = liveAfterForward(checkpoint(net));
    expect(checked).toBeLessThan(plain - 20);
    x.dispose();
    net.dispose();
  });
});
