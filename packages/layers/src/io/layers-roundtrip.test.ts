import '@scratchnet/backend-js';
import { createJsBackend } from '@scratchnet/backend-js';
import {
  getBackendName, listBackends, mean, randomNormal, registerBackend, setBackend, square, sub, tidy, variableGrads,
  type Tensor,
} from '@scratchnet/core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchNorm2D } from '../layers/batchnorm.js';
import { Conv2D } from '../layers/conv2d.js';
import { Linear } from '../layers/linear.js';
import { MaxPool2D } from '../layers/pooling.js';
import { ReLU } from '../layers/activations.js';
import { Flatten } from '../layers/shape-layers.js';
import type { Module } from '../module.js';
import { Adam } from '../optimizers/index.js';
import { Sequential } from '../sequential.js';
import { loadModel, saveModel } from './storage.js';

registerBackend('js-twin', () => createJsBackend(), { priority: 0 });

function buildCnn(): Sequential {
  return new Sequential([
    new Conv2D(1, 4, 3, { padding: 1 }), new MaxPool2D(2), new ReLU(), new BatchNorm2D(4),
    new Flatten(), new Linear(4 * 4 * 4, 3),
  ]);
}

function trainStep(model: Module, opt: Adam, x: Tensor, y: Tensor): void {
  tidy(() => {
    const { grads } = variableGrads(() => mean(square(sub(model.forward(x), y))), model.parameters());
    opt.step(grads);
  });
}

async function values(ts: Iterable<Tensor>): Promise<number[]> {
  const out: number[] = [];
  for (const t of ts) out.push(...(await t.data()));
  return out;
}

let dir = '';
let initial = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scratchnet-cnn-'));
  initial = getBackendName();
});
afterAll(async () => {
  await setBackend(initial);
  await rm(dir, { recursive: true, force: true });
});

describe('save on one backend, load on another (the MNIST-style CNN with BatchNorm and Adam)', () => {
  it('eval predictions agree within 1e-6 and training resumes with the same next step', async () => {
    const backends = listBackends();
    expect(backends.length).toBeGreaterThanOrEqual(2);
    const saveOn = backends[0]!;
    for (const loadOn of backends) {
      await setBackend(saveOn);
      const x = randomNormal([4, 1, 8, 8], { seed: 1 });
      const y = randomNormal([4, 3], { seed: 2 });
      const model = buildCnn();
      const opt = new Adam(model.parameters(), { lr: 0.01 });
      trainStep(model, opt, x, y);
      trainStep(model, opt, x, y);
      model.eval();
      const want = await values([tidy(() => model.forward(x))]);
      const path = join(dir, `cnn-${loadOn}.safetensors`);
      const state = opt.stateDict();
      await saveModel(model, path, { optimizer: state });
      for (const list of Object.values(state.slots)) for (const t of list) t.dispose();
      model.train();
      trainStep(model, opt, x, y);
      const wantAfter = await values(model.stateDict().values());

      await setBackend(loadOn);
      const { model: loaded, optimizerState } = await loadModel(path);
      for (const v of loaded.stateDict().values()) expect(v.backendName).toBe(loadOn);
      loaded.eval();
      const got = await values([tidy(() => loaded.forward(x))]);
      expect(got).toHaveLength(want.length);
      got.forEach((g, i) => expect(Math.abs(g - want[i]!)).toBeLessThanOrEqual(1e-6));
      expect(optimizerState?.className).toBe('Adam');
      expect(optimizerState?.step).toBe(2);
      expect(optimizerState?.paramSteps).toEqual(loaded.parameters().map(() => 2));
      const opt2 = new Adam(loaded.parameters(), { lr: 0.01 });
      opt2.loadStateDict(optimizerState!);
      loaded.train();
      trainStep(loaded, opt2, x, y);
      const gotAfter = await values(loaded.stateDict().values());
      gotAfter.forEach((g, i) => expect(Math.abs(g - wantAfter[i]!)).toBeLessThanOrEqual(1e-6));
      for (const list of Object.values(optimizerState!.slots)) for (const t of list) t.dispose();
      for (const t of [x, y]) t.dispose();
      model.dispose();
      loaded.dispose();
    }
  });
});
