/**
 * fit on a WebGPU device that is destroyed mid-training (Dawn on lavapipe here): it stops with a
 * DeviceLostError naming the loss and the op, or, with `fallbackBackend`, goes on on js from the
 * variables' last synced values, its loss carrying on where it was rather than starting again.
 */
import { DeviceLostError, getBackend, getBackendName, setBackend, type Tensor } from '@scratchnet/core';
import type { WebGpuBackend } from '@scratchnet/backend-webgpu';
import { describe, expect, it } from 'vitest';
import { Adam, CrossEntropyLoss, Linear, ReLU, Sequential, fit, type DeviceLossLogs } from '../src/index.js';
import { testBackends } from './backends.js';
import { ringAndBlob } from './toy-data.js';

const mlp = (seed: number): Sequential => new Sequential([new Linear(2, 16, { seed }), new ReLU(), new Linear(16, 2, { seed: seed + 1 })]);

/** Every parameter's values, in order. */
async function snapshot(params: readonly Tensor[]): Promise<number[][]> {
  return Promise.all(params.map(async (p) => Array.from(await p.data())));
}

function destroyDevice(): void {
  ((getBackend() as WebGpuBackend).device as GPUDevice).destroy();
}

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

describe('fit and a lost device', () => {
  it('checks syncEvery and fallbackBackend', async () => {
    await setBackend('js');
    const model = mlp(1);
    const optimizer = new Adam(model.parameters());
    const base = { loss: new CrossEntropyLoss(), optimizer };
    await expect(fit(model, ringAndBlob(1), { ...base, syncEvery: -1 })).rejects.toThrow(/^fit: syncEvery must be a non-negative integer \(batches\) or 'epoch', got -1/);
    await expect(fit(model, ringAndBlob(1), { ...base, fallbackBackend: '' })).rejects.toThrow(/^fit: fallbackBackend must be a backend name/);
    model.dispose();
  });

  if (testBackends().includes('webgpu')) {
    it('with fallbackBackend: destroyed mid-training on webgpu, goes on on js from the last synced weights, the loss carrying on', async () => {
      await setBackend('webgpu');
      const data = ringAndBlob(1); // 200 points: 10 batches of 20 per epoch
      const model = mlp(30);
      const optimizer = new Adam(model.parameters(), { lr: 0.03 });
      const losses: { epoch: number; batch: number; loss: number; backend: string }[] = [];
      let atSync: number[][] = [];
      let afterSwitch: number[][] = [];
      const lost: DeviceLossLogs[] = [];
      const history = await fit(model, data, {
        loss: new CrossEntropyLoss(), optimizer, epochs: 2, batchSize: 20, seed: 5, syncEvery: 4, fallbackBackend: 'js',
        onBatchEnd: async (b) => {
          losses.push({ epoch: b.epoch, batch: b.batch, loss: b.loss, backend: getBackendName() });
          if (b.epoch === 0 && b.batch === 4) atSync = await snapshot(model.parameters()); // synced just before this callback
          if (b.epoch === 0 && b.batch === 6) destroyDevice(); // several steps in; batch 7 meets the loss
        },
        onDeviceLost: async (logs) => {
          lost.push(logs);
          afterSwitch = await snapshot(model.parameters());
        },
      });
      expect(lost.length).toBe(1);
      const [info] = lost;
      expect(info!.error).toBeInstanceOf(DeviceLostError);
      expect(info!.error.message).toMatch(/^\w+: the webgpu device was lost \(reason 'destroyed'/);
      expect(info!.error.op).toMatch(/^\w+$/);
      expect([info!.from, info!.to, info!.epoch, info!.batch, info!.syncedInEpoch, info!.syncedAfterBatch]).toEqual(['webgpu', 'js', 0, 7, 0, 4]);
      // The model goes on from exactly the values synced after batch 4.
      expect(afterSwitch).toEqual(atSync);
      expect(model.parameters().every((p) => p.backendName === 'js')).toBe(true);
      expect(history.epochs.length).toBe(2);
      const onJs = losses.filter((l) => l.backend === 'js').map((l) => l.loss);
      const first = losses.slice(0, 3).map((l) => l.loss);
      expect(losses.filter((l) => l.backend === 'webgpu').length).toBe(6);
      // Batch 7 trains on js unless the loss struck while it was training on webgpu (then it is skipped).
      expect(onJs.length).toBe(info!.skipped ? 13 : 14);
      // Not reset: the first batches on js are well below the first batches of training.
      expect(mean(onJs.slice(0, 3))).toBeLessThan(0.85 * mean(first));
      expect(mean(onJs.slice(-3))).toBeLessThan(mean(onJs.slice(0, 3)));
      optimizer.dispose();
      model.dispose();
    });

    it('with fallbackBackend: lost between the last batch and validation, validates on js', async () => {
      await setBackend('webgpu'); // a fresh device
      const data = ringAndBlob(3);
      const model = mlp(50);
      const optimizer = new Adam(model.parameters(), { lr: 0.03 });
      const lost: DeviceLossLogs[] = [];
      // The scheduler steps after the epoch's batches and its sync, just before validation.
      const history = await fit(model, data, {
        loss: new CrossEntropyLoss(), optimizer, epochs: 1, batchSize: 20, seed: 8, validationData: ringAndBlob(4), fallbackBackend: 'js',
        scheduler: { step: destroyDevice }, onDeviceLost: (l) => void lost.push(l),
      });
      expect(lost.map((l) => [l.from, l.to, l.batch, l.skipped, l.syncedAfterBatch])).toEqual([['webgpu', 'js', 10, false, 10]]);
      expect(history.epochs[0]!.valLoss).toBeGreaterThan(0);
      expect(history.epochs[0]!.valLoss).toBeLessThan(0.7);
      optimizer.dispose();
      model.dispose();
    });

    it('without fallbackBackend: stops with the DeviceLostError; setBackend then goes on from the epoch-end sync', async () => {
      await setBackend('webgpu'); // a fresh device
      const data = ringAndBlob(2);
      const model = mlp(40);
      const optimizer = new Adam(model.parameters(), { lr: 0.03 });
      let atEpochEnd: number[][] = [];
      const run = fit(model, data, {
        loss: new CrossEntropyLoss(), optimizer, epochs: 3, batchSize: 20, seed: 6,
        onEpochEnd: async (e) => {
          if (e.epoch === 0) atEpochEnd = await snapshot(model.parameters()); // the default sync ('epoch') ran just before
        },
        onBatchEnd: (b) => {
          if (b.epoch === 1 && b.batch === 3) destroyDevice();
        },
      });
      const error = await run.then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(DeviceLostError);
      expect((error as DeviceLostError).message).toMatch(/^\w+: the webgpu device was lost \(reason 'destroyed'.*await setBackend\('/);
      await setBackend('js');
      expect(await snapshot(model.parameters())).toEqual(atEpochEnd);
      const more = await fit(model, data, { loss: new CrossEntropyLoss(), optimizer, epochs: 1, batchSize: 20, seed: 7 });
      expect(more.epochs.length).toBe(1);
      optimizer.dispose();
      model.dispose();
    });
  }
});
