import { registerBackend, removeBackend, setBackend, tensor, tidy } from '@scratchnet/core';
import { JsBackend } from '@scratchnet/backend-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchNorm2D, Conv2D, Flatten, Linear, MaxPool2D, ReLU, Sequential, moduleFromConfig } from '../src/index.js';
import './backends.js';

const cnn = (): Sequential =>
  new Sequential([
    new Conv2D(1, 8, 3, { padding: 1, seed: 1 }), new MaxPool2D(2), new ReLU(), new BatchNorm2D(8),
    new Conv2D(8, 16, 3, { padding: 1, seed: 2 }), new MaxPool2D(2), new ReLU(), new BatchNorm2D(16),
    new Flatten(), new Linear(16 * 7 * 7, 10, { seed: 3 }),
  ]);

describe('Module', () => {
  beforeAll(() => registerBackend('js-other', () => new JsBackend(), { priority: -10 }));
  afterAll(async () => {
    await setBackend('js');
    await removeBackend('js-other');
  });

  it('names parameters and buffers by path and counts them', () => {
    const m = cnn();
    expect(m.namedParameters().map(([n]) => n)).toEqual([
      '0.weight', '0.bias', '3.weight', '3.bias', '4.weight', '4.bias', '7.weight', '7.bias', '9.weight', '9.bias',
    ]);
    expect(m.namedBuffers().map(([n]) => n)).toEqual(['3.runningMean', '3.runningVar', '7.runningMean', '7.runningVar']);
    expect(m.parameterCount()).toBe(8 * 9 + 8 + 16 + 16 * 8 * 9 + 16 + 32 + 784 * 10 + 10);
    expect(m.children()).toHaveLength(10);
    m.dispose();
  });

  it('summary prints layers, output shapes and parameter counts', () => {
    const m = cnn();
    const text = m.summary([1, 1, 28, 28]);
    expect(text).toContain('Sequential');
    expect(text).toMatch(/0\s+Conv2D\s+\[1, 8, 28, 28\]\s+80/);
    expect(text).toMatch(/5\s+MaxPool2D\s+\[1, 16, 7, 7\]\s+0/);
    expect(text).toMatch(/9\s+Linear\s+\[1, 10\]\s+7,850/);
    expect(text).toContain(`trainable parameters: ${m.parameterCount().toLocaleString('en-US')}`);
    expect(m.training).toBe(true);
    m.dispose();
  });

  it('to(backend) moves parameters and buffers eagerly, and predictions stay the same', async () => {
    await setBackend('js');
    const m = cnn().eval();
    const x = tensor(new Float32Array(2 * 784).map((_, i) => Math.sin(i / 7)), [2, 1, 28, 28]);
    const before = tidy(() => m.forward(x));
    await m.to('js-other');
    expect(m.parameters().every((p) => p.backendName === 'js-other')).toBe(true);
    expect(m.namedBuffers().every(([, b]) => b.backendName === 'js-other')).toBe(true);
    await setBackend('js-other');
    const after = tidy(() => m.forward(x));
    expect(Array.from(await after.data())).toEqual(Array.from(await before.data()));
    [x, before, after].forEach((t) => t.dispose());
    m.dispose();
    await setBackend('js');
  });

  it('rebuilds the same architecture from its config', () => {
    const m = cnn();
    const copy = moduleFromConfig(JSON.parse(JSON.stringify(m.toConfig())) as ReturnType<typeof m.toConfig>);
    expect(copy.namedParameters().map(([n, p]) => `${n}:${p.shape.join('x')}`)).toEqual(m.namedParameters().map(([n, p]) => `${n}:${p.shape.join('x')}`));
    expect(() => moduleFromConfig({ className: 'Nope', config: {} })).toThrow(/moduleFromConfig: unknown module class 'Nope'/);
    m.dispose();
    copy.dispose();
  });

  it('loadStateDict rejects missing names and wrong shapes', () => {
    const a = new Linear(3, 2);
    const b = new Linear(4, 2);
    expect(() => a.loadStateDict(b.stateDict())).toThrow("loadStateDict: 'weight' has shape [2,4], the model expects [2,3]");
    expect(() => a.loadStateDict(new Map())).toThrow(/missing: weight, bias/);
    a.dispose();
    b.dispose();
  });
});
