/**
 * Mixed precision (autocast + GradScaler + fit({ mixedPrecision })) on every backend here: js and wasm
 * compute the float16 products in float32 on float16-rounded data (core's fallback), webgpu in WGSL.
 */
import { dispose, randomNormal, randint, setBackend, variableGrads, type Tensor, type Variable } from '@scratchnet/core';
import { describe, expect, it } from 'vitest';
import {
  Conv2D, CrossEntropyLoss, Flatten, GradScaler, Linear, MaxPool2D, ReLU, SGD, Sequential, autocast, fit, isAutocastEnabled, toFloat32,
} from '../src/index.js';
import { testBackends } from './backends.js';
import { ringAndBlob } from './toy-data.js';

const cnn = (seed: number): Sequential => new Sequential([
  new Conv2D(1, 4, 3, { padding: 1, seed }), new ReLU(), new MaxPool2D(2), new Flatten(), new Linear(4 * 4 * 4, 10, { seed: seed + 1 }),
]);

async function gradsOf(model: Sequential, x: Tensor, y: Tensor, mixed: boolean): Promise<Map<Variable, Float32Array>> {
  const lossFn = new CrossEntropyLoss();
  const { value, grads } = variableGrads(() => {
    const out = mixed ? toFloat32(autocast(() => model.forward(x))) : model.forward(x);
    return lossFn.forward(out, y);
  }, model.parameters());
  const out = new Map<Variable, Float32Array>();
  for (const [v, g] of grads) {
    expect(g.dtype).toBe('float32');
    out.set(v, (await g.data()) as Float32Array);
  }
  dispose([value, ...grads.values()]);
  return out;
}

describe('mixed precision', () => {
  it('autocast is a synchronous scope that nests and can be switched off inside', () => {
    expect(isAutocastEnabled()).toBe(false);
    autocast(() => {
      expect(isAutocastEnabled()).toBe(true);
      autocast(() => expect(isAutocastEnabled()).toBe(false), { enabled: false });
      expect(isAutocastEnabled()).toBe(true);
    });
    expect(() => autocast(() => { throw new Error('boom'); })).toThrow('boom');
    expect(isAutocastEnabled()).toBe(false);
  });

  it('GradScaler validates its options', () => {
    expect(() => new GradScaler({ initScale: 0 })).toThrow(/initScale must be a finite number > 0/);
    expect(() => new GradScaler({ growthFactor: 1 })).toThrow(/growthFactor must be > 1/);
    expect(() => new GradScaler({ growthInterval: 1.5 })).toThrow(/growthInterval must be a positive integer/);
  });

  for (const backend of testBackends()) {
    it(`runs Conv2D and Linear in float16 with float32 master weights, and its gradients match float32 within half precision on '${backend}'`, async () => {
      await setBackend(backend);
      const model = cnn(5);
      const x = randomNormal([6, 1, 8, 8], { seed: 11 });
      const y = randint(0, 10, [6], { seed: 12 });
      const out = autocast(() => model.forward(x));
      expect(out.dtype).toBe('float16');
      for (const p of model.parameters()) expect(p.dtype).toBe('float32');
      out.dispose();
      const g32 = await gradsOf(model, x, y, false);
      const g16 = await gradsOf(model, x, y, true);
      for (const [v, want] of g32) {
        const got = g16.get(v)!;
        const scale = Math.max(...Array.from(want, Math.abs));
        for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThanOrEqual(1e-2 * scale + 1e-4);
      }
      dispose([x, y]);
      model.dispose();
    });

    it(`skips a step whose float16 gradients overflow, halves the scale, and grows it after good steps on '${backend}'`, async () => {
      await setBackend(backend);
      const model = cnn(7);
      const x = randomNormal([4, 1, 8, 8], { seed: 21 });
      const y = randint(0, 10, [4], { seed: 22 });
      const optimizer = new SGD(model.parameters(), { lr: 0.1 });
      const before = await Promise.all(model.parameters().map((p) => p.data()));
      // 2^40 · dL/dlogits is far past float16's 65504: the backward pass overflows to Infinity.
      const scaler = new GradScaler({ initScale: 2 ** 40, growthInterval: 2 });
      const stepOnce = async (scaler: GradScaler): Promise<boolean> => {
        const lossFn = new CrossEntropyLoss();
        const { value, grads } = variableGrads(() => scaler.scaleLoss(lossFn.forward(toFloat32(autocast(() => model.forward(x))), y)), model.parameters());
        const { stepped } = await scaler.step(optimizer, grads);
        dispose([value, ...grads.values()]);
        return stepped;
      };
      expect(await stepOnce(scaler)).toBe(false);
      expect(scaler.scale).toBe(2 ** 39);
      expect(scaler.skippedSteps).toBe(1);
      const after = await Promise.all(model.parameters().map((p) => p.data()));
      after.forEach((a, i) => expect(Array.from(a)).toEqual(Array.from(before[i]!)));
      // A sane scale steps, and two good steps in a row double it.
      const sane = new GradScaler({ initScale: 256, growthInterval: 2 });
      expect(await stepOnce(sane)).toBe(true);
      expect(sane.scale).toBe(256);
      expect(await stepOnce(sane)).toBe(true);
      expect(sane.scale).toBe(512);
      expect(sane.skippedSteps).toBe(0);
      const moved = await Promise.all(model.parameters().map((p) => p.data()));
      expect(moved.some((m, i) => m.some((v, j) => v !== before[i]![j]))).toBe(true);
      optimizer.dispose();
      dispose([x, y]);
      model.dispose();
    });
  }

  it('fit({ mixedPrecision: true }) trains the toy problem like float32 does', async () => {
    await setBackend('js');
    const data = ringAndBlob(1);
    const run = async (mixedPrecision: boolean): Promise<{ acc: number; skipped: number | undefined }> => {
      const model = new Sequential([new Linear(2, 16, { seed: 3 }), new ReLU(), new Linear(16, 2, { seed: 4 })]);
      const optimizer = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
      const h = await fit(model, data, { loss: new CrossEntropyLoss(), optimizer, epochs: 30, batchSize: 20, seed: 3, metrics: ['accuracy'], mixedPrecision });
      optimizer.dispose();
      model.dispose();
      return { acc: h.history.accuracy!.at(-1)!, skipped: h.skippedSteps };
    };
    const f32 = await run(false);
    const mixed = await run(true);
    expect(f32.skipped).toBeUndefined();
    expect(mixed.skipped).toBeGreaterThanOrEqual(0);
    expect(mixed.acc).toBeGreaterThan(0.9);
    expect(Math.abs(mixed.acc - f32.acc)).toBeLessThan(0.05);
  });

  it('fit rejects mixedPrecision with gradient accumulation', async () => {
    const model = new Linear(2, 2, { seed: 1 });
    const data = ringAndBlob(1);
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    await expect(fit(model, data, { loss: new CrossEntropyLoss(), optimizer, accumulateSteps: 2, mixedPrecision: true })).rejects.toThrow(/mixedPrecision needs accumulateSteps 1/);
    optimizer.dispose();
    model.dispose();
  });
});
