/**
 * A compiled training step (forward, loss, gradients, optimizer update) must train exactly as the
 * eager step: same losses and weights step by step, with the optimizers' changing scalars (bias
 * corrections, scheduled learning rates) and dropout masks re-made at every replay.
 */
import '@scratchnet/backend-js';
import { compile, dispose, memory, setBackend, tensor, tidy, variableGrads, randomNormal, randint, type Tensor } from '@scratchnet/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { CrossEntropyLoss } from '../losses/index.js';
import { Dropout, Linear, ReLU } from '../index.js';
import { Adam, AdamW, RMSprop, SGD, type Optimizer } from '../optimizers/index.js';
import { Sequential } from '../sequential.js';

beforeAll(async () => {
  await setBackend('js');
});

function makeModel(withDropout: boolean): Sequential {
  return new Sequential([
    new Linear(6, 16, { seed: 1 }), new ReLU(), ...(withDropout ? [new Dropout(0.3, { seed: 5 })] : []), new Linear(16, 3, { seed: 2 }),
  ]);
}

function trainer(model: Sequential, opt: Optimizer): (x: Tensor, y: Tensor) => Tensor {
  const loss = new CrossEntropyLoss();
  return (x, y) => tidy(() => {
    const { value, grads } = variableGrads(() => loss.forward(model.forward(x), y), opt.params);
    opt.step(grads);
    return value;
  });
}

async function run(optimizerOf: (m: Sequential) => Optimizer, compiled: boolean, withDropout: boolean, steps: number): Promise<{ losses: number[]; weights: number[][] }> {
  const model = makeModel(withDropout);
  const opt = optimizerOf(model);
  const step = trainer(model, opt);
  const fn = compiled ? compile(step) : step;
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    const x = randomNormal([8, 6], { seed: 100 + i });
    const y = randint(0, 3, [8], { seed: 200 + i });
    const l = fn(x, y);
    losses.push((await l.data())[0]!);
    dispose([l, x, y]);
  }
  const weights = model.parameters().map((p) => Array.from(p.dataSync()));
  if (compiled) (fn as ReturnType<typeof compile>).dispose();
  opt.dispose();
  dispose(model.parameters());
  return { losses, weights };
}

const OPTIMIZERS: [string, (m: Sequential) => Optimizer][] = [
  ['Adam', (m) => new Adam(m.parameters(), { lr: 0.01 })],
  ['AdamW', (m) => new AdamW(m.parameters(), { lr: 0.01, weightDecay: 0.1 })],
  ['SGD with momentum', (m) => new SGD(m.parameters(), { lr: 0.05, momentum: 0.9 })],
  ['RMSprop', (m) => new RMSprop(m.parameters(), { lr: 0.01 })],
];

describe('compiled training step', () => {
  for (const [name, make] of OPTIMIZERS) {
    it(`${name}: 30 compiled steps give bitwise the eager losses and weights`, async () => {
      const eager = await run(make, false, false, 30);
      const compiled = await run(make, true, false, 30);
      expect(compiled.losses).toEqual(eager.losses);
      expect(compiled.weights).toEqual(eager.weights);
    });
  }

  it('with dropout: replayed steps draw fresh masks from the same stream as eager (bitwise equal runs)', async () => {
    const make = (m: Sequential): Optimizer => new Adam(m.parameters(), { lr: 0.01 });
    const eager = await run(make, false, true, 12);
    const compiled = await run(make, true, true, 12);
    expect(compiled.losses).toEqual(eager.losses);
    expect(compiled.weights).toEqual(eager.weights);
  });

  it('a scheduled learning rate reaches the replayed step', () => {
    const model = makeModel(false);
    const opt = new SGD(model.parameters(), { lr: 0.1 });
    const step = compile(trainer(model, opt));
    const x = tensor([[1, 2, 3, 4, 5, 6]]);
    const y = tensor([1], undefined, 'int32');
    for (let i = 0; i < 3; i++) step(x, y).dispose();
    const before = Array.from(model.parameters()[0]!.dataSync());
    opt.lr = 0;
    step(x, y).dispose();
    expect(Array.from(model.parameters()[0]!.dataSync())).toEqual(before);
    step.dispose();
    dispose([x, y, ...model.parameters()]);
    opt.dispose();
  });

  it('keeps tensors and backend buffers flat over replayed steps', () => {
    const model = makeModel(true);
    const opt = new Adam(model.parameters(), { lr: 0.01 });
    const step = compile(trainer(model, opt));
    const x = randomNormal([8, 6], { seed: 1 });
    const y = randint(0, 3, [8], { seed: 2 });
    for (let i = 0; i < 3; i++) step(x, y).dispose();
    const before = memory();
    for (let i = 0; i < 50; i++) step(x, y).dispose();
    const after = memory();
    expect([after.numTensors, after.numBytes, after.backends.js!.backend!.buffers]).toEqual([before.numTensors, before.numBytes, before.backends.js!.backend!.buffers]);
    step.dispose();
    opt.dispose();
    dispose([x, y, ...model.parameters()]);
  });
});

describe('fit with compile', () => {
  it('trains to the same losses and weights as fit with compile: false (dropout, Adam, a short last batch, accuracy)', async () => {
    const { fit } = await import('./fit.js');
    const { TensorDataset } = await import('../data/dataset.js');
    const runFit = async (compiled: boolean): Promise<{ losses: number[]; acc: number[]; weights: number[][] }> => {
      const model = makeModel(true);
      const opt = new Adam(model.parameters(), { lr: 0.01 });
      const xt = randomNormal([37, 6], { seed: 3 });
      const yt = randint(0, 3, [37], { seed: 4 });
      const x = { data: xt.dataSync(), shape: [37, 6] };
      const y = { data: yt.dataSync(), shape: [37], dtype: 'int32' as const };
      dispose([xt, yt]);
      const losses: number[] = [];
      const history = await fit(model, new TensorDataset(x, y), {
        loss: new CrossEntropyLoss(), optimizer: opt, epochs: 3, batchSize: 8, metrics: ['accuracy'], compile: compiled,
        onBatchEnd: (logs) => void losses.push(logs.loss),
      });
      const weights = model.parameters().map((p) => Array.from(p.dataSync()));
      opt.dispose();
      dispose(model.parameters());
      return { losses, acc: history.history.accuracy!, weights };
    };
    const before = memory().numTensors;
    const eager = await runFit(false);
    const compiled = await runFit(true);
    expect(compiled.losses).toEqual(eager.losses);
    expect(compiled.acc).toEqual(eager.acc);
    expect(compiled.weights).toEqual(eager.weights);
    expect(memory().numTensors).toBe(before);
  });

  it('falls back to eager training, warning once, when the loss reads tensor values on the host', async () => {
    const { fit } = await import('./fit.js');
    const { TensorDataset } = await import('../data/dataset.js');
    const { vi } = await import('vitest');
    const base = new CrossEntropyLoss();
    const hostReadingLoss = { forward: (p: Tensor, t: Tensor): Tensor => (p.dataSync()[0]! > 1e9 ? base.forward(p, t) : base.forward(p, t)) };
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const run = async (compiled: boolean): Promise<number[]> => {
      const model = makeModel(false);
      const opt = new Adam(model.parameters(), { lr: 0.01 });
      const x = { data: Float32Array.from({ length: 16 * 6 }, (_, i) => Math.sin(i)), shape: [16, 6] };
      const y = { data: Int32Array.from({ length: 16 }, (_, i) => i % 3), shape: [16], dtype: 'int32' as const };
      const losses: number[] = [];
      await fit(model, new TensorDataset(x, y), { loss: hostReadingLoss, optimizer: opt, epochs: 2, batchSize: 8, compile: compiled, onBatchEnd: (l) => void losses.push(l.loss) });
      opt.dispose();
      dispose(model.parameters());
      return losses;
    };
    const eager = await run(false);
    expect(warn).not.toHaveBeenCalled();
    const compiled = await run(true);
    expect(compiled).toEqual(eager);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(/fit: the training step cannot be compiled.*dataSync\(\)/);
    warn.mockRestore();
  });
});
