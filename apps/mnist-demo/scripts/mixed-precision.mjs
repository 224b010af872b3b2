// Mixed precision vs float32 on the MNIST CNN (the demo's `cnn` model, Adam 3e-3), same seed, same
// data, one after the other in this process: test accuracy, median step time and peak tensor memory.
// Needs a build (`pnpm --filter @scratchnet/layers build`, then `tsc -p tsconfig.build.json` here).
//   node scripts/mixed-precision.mjs [--backend webgpu] [--data ../../../shared/mnist] [--train 6000]
//        [--test 2000] [--epochs 3] [--batch 64] [--seed 1] [--json out.json]
import { writeFileSync } from 'node:fs';
import * as sn from '@scratchnet/core';
import '@scratchnet/backend-js';
import '@scratchnet/backend-wasm';
import '@scratchnet/backend-webgpu';
import { Adam, CrossEntropyLoss, evaluate, fit } from '@scratchnet/layers';
import { loadIdxDir } from '../dist/node/node/idx-dir.js';
import { takeDigits, toDataset } from '../dist/node/shared/data.js';
import { buildModel } from '../dist/node/shared/model.js';

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const backend = arg('backend', 'webgpu');
const dataDir = arg('data', new URL('../../../../shared/mnist', import.meta.url).pathname);
const trainN = Number(arg('train', '6000'));
const testN = Number(arg('test', '2000'));
const epochs = Number(arg('epochs', '3'));
const batchSize = Number(arg('batch', '64'));
const seed = Number(arg('seed', '1'));
const jsonOut = arg('json', null);

await sn.setBackend(backend);
const split = await loadIdxDir(dataDir);
const train = toDataset(takeDigits(split.train, trainN));
const test = toDataset(takeDigits(split.test, testN));
const info = sn.getBackend().info?.() ?? {};
console.log(`MNIST CNN, ${trainN} training / ${testN} test digits, ${epochs} epochs, batch ${batchSize}, Adam 3e-3, on '${backend}' (${info.vendor ?? ''} ${info.architecture ?? ''})`);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function run(mixedPrecision) {
  const model = buildModel('cnn', seed);
  const optimizer = new Adam(model.parameters(), { lr: 3e-3 });
  const stepMs = [];
  let last = performance.now();
  let peak = 0;
  sn.resetPeakMemory();
  const history = await fit(model, train, {
    loss: new CrossEntropyLoss(), optimizer, epochs, batchSize, seed, mixedPrecision,
    onBatchEnd: ({ epoch, batch }) => {
      const now = performance.now();
      // Epoch 0's first batches compile shaders: time the steps after the first 5.
      if (epoch > 0 || batch > 5) stepMs.push(now - last);
      last = now;
      peak = Math.max(peak, sn.memory().peakBytes);
    },
    onEpochEnd: (logs) => console.log(`  ${mixedPrecision ? 'mixed' : 'float32'} epoch ${logs.epoch + 1}: loss ${logs.loss.toFixed(4)}, ${(logs.millis / 1000).toFixed(1)} s`),
  });
  const result = await evaluate(model, test, { loss: new CrossEntropyLoss(), metrics: ['accuracy'], batchSize: 500 });
  optimizer.dispose();
  model.dispose();
  return {
    mode: mixedPrecision ? 'mixed' : 'float32', testAccuracy: result.accuracy, testLoss: result.loss,
    trainLoss: history.history.loss.at(-1), medianStepMs: median(stepMs), peakBytes: peak,
    skippedSteps: history.skippedSteps ?? 0, lossScale: history.lossScale ?? null,
  };
}

const f32 = await run(false);
const mixed = await run(true);
for (const r of [f32, mixed]) {
  console.log(`${r.mode.padEnd(8)} test accuracy ${(100 * r.testAccuracy).toFixed(2)}%  loss ${r.testLoss.toFixed(4)}  step ${r.medianStepMs.toFixed(1)} ms  peak tensors ${(r.peakBytes / 2 ** 20).toFixed(2)} MiB${r.mode === 'mixed' ? `  skipped steps ${r.skippedSteps}, final loss scale ${r.lossScale}` : ''}`);
}
const summary = {
  backend, trainN, testN, epochs, batchSize, seed, f32, mixed,
  accuracyGapPoints: 100 * (f32.testAccuracy - mixed.testAccuracy),
  stepTimeRatio: mixed.medianStepMs / f32.medianStepMs,
  peakMemoryRatio: mixed.peakBytes / f32.peakBytes,
};
console.log(`accuracy gap ${summary.accuracyGapPoints.toFixed(2)} points (target ≤ 0.3); step time mixed/f32 ${summary.stepTimeRatio.toFixed(2)}×; peak memory mixed/f32 ${summary.peakMemoryRatio.toFixed(2)}×`);
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(summary, null, 2));
