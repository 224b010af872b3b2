/** The CLI's work: choosing backends, loading data, training, testing, comparing backends. */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { getBackendName, listBackends, memory, setBackend } from '@scratchnet/core';
import {
  CosineAnnealingLR, CrossEntropyLoss, FileFormatError, fit, loadModel, saveModel, type Module, type Optimizer, type LoadedModel,
} from '@scratchnet/layers';
import { probeWebGpuInChild } from '../node/webgpu-probe.js';
import { probeBackends, firstLine, describeInfo, isSoftwareGpu, pickDefault, type BackendStatus } from '../shared/backends.js';
import { CLASSES, shiftAugment, splitPerDigit, takeDigits, toDataset, type DigitSet } from '../shared/data.js';
import { buildModel, classify, confusionMatrix, makeOptimizer } from '../shared/model.js';
import { loadIdxDir, InputError } from '../node/idx-dir.js';
import { loadImageFolder } from '../node/images.js';
import { loadMnistPackage } from '../node/mnist-package.js';
import type { CliOptions } from './args.js';
import { confusionTable, percent, seconds, table, thousands } from './format.js';
import { EpochProgress } from './progress.js';

/** Digits the default run holds out for testing. */
export const TEST_DIGITS = 2000;

/** Where output goes (stdout by default; tests pass their own). */
export type Print = (line: string) => void;

interface Data {
  train: DigitSet;
  test: DigitSet;
  side: number;
  classNames: string[];
  source: string;
}

async function loadData(o: CliOptions): Promise<Data> {
  let data: Data;
  if (o.images) {
    const imgs = loadImageFolder(o.images, o.imageSize, 0.2, o.seed);
    data = { train: imgs.train, test: imgs.validation, side: imgs.size, classNames: [...imgs.classes], source: `${o.images} (PNG folder)` };
  } else if (o.data) {
    const full = await loadIdxDir(o.data);
    data = { ...full, side: 28, classNames: digitNames(), source: `${o.data} (full MNIST)` };
  } else {
    const split = splitPerDigit(await loadMnistPackage(), TEST_DIGITS, o.seed);
    data = { ...split, side: 28, classNames: digitNames(), source: "the 'mnist' package" };
  }
  if (o.limit !== null) {
    data.train = takeDigits(data.train, o.limit);
    data.test = takeDigits(data.test, o.limit);
  }
  if (o.maxBatches !== null && !o.compare) data.train = takeDigits(data.train, o.maxBatches * o.batchSize);
  return data;
}

const digitNames = (): string[] => Array.from({ length: CLASSES }, (_, i) => String(i));

/** Moves the model and its optimizer to `backend` and makes it active. */
async function switchTo(backend: string, model: Module, optimizer: Optimizer): Promise<void> {
  await setBackend(backend);
  await model.to(backend);
  await optimizer.to(backend);
}

interface EpochRecord {
  epoch: number;
  backend: string;
  millis: number;
  samplesPerSecond: number;
}

/**
 * Runs the CLI as `o` asks: trains (or loads) a model, tests it, and prints progress, per-epoch
 * summaries, the test accuracy, a confusion matrix and the time per epoch.
 */
export async function run(o: CliOptions, print: Print): Promise<void> {
  // Everything about the input is checked before any backend starts (a GPU backend's driver may
  // print its own lines when it starts), so that bad input gives one line and nothing else.
  const wanted: [string, string][] = [...(o.backend ? [['--backend', o.backend] as [string, string]] : []), ...o.switches.map((s) => ['--switch-backend', s.backend] as [string, string])];
  const registered = listBackends();
  for (const [flag, name] of wanted) {
    if (!registered.includes(name)) throw new InputError(`${flag}: unknown backend '${name}'; registered here: ${registered.join(', ')}`);
  }
  if (o.save && !existsSync(dirname(resolve(o.save)))) throw new InputError(`--save ${o.save}: the directory ${dirname(resolve(o.save))} does not exist`);
  const data = await loadData(o);
  let loaded: LoadedModel | null = null;
  if (o.load) {
    try {
      // Loads onto the synchronous fallback backend; the model moves to the chosen one below.
      loaded = await loadModel(o.load);
    } catch (e) {
      if (e instanceof FileFormatError) throw new InputError(`--load: ${firstLine(e)}`);
      throw e;
    }
  }

  // Only the backends asked for start; without --backend, WebGPU is probed in a child process (see webgpu-probe.ts).
  const status = await probeBackends(o.backend ? { only: wanted.map(([, name]) => name) } : { probeElsewhere: { webgpu: probeWebGpuInChild } });
  for (const [flag, name] of wanted) {
    const s = status.find((b) => b.name === name);
    if (s && !s.available) throw new InputError(`${flag}: backend '${name}' is not available here: ${s.reason ?? 'unknown reason'}`);
  }
  const best = o.backend ?? pickDefault(status)?.name;
  if (!best) throw new InputError(`no backend can start here: ${status.map((b) => `${b.name}: ${b.reason ?? '?'}`).join('; ')}`);
  await setBackend(best);
  if (o.compare) return compare(o, data, status, print);

  const trainSet = toDataset(data.train, data.side);
  const testSet = toDataset(data.test, data.side);
  const model: Module = loaded ? await loaded.model.to(best) : buildModel(o.model, o.seed, data.side, 1, data.classNames.length);
  const optimizerState = loaded?.optimizerState;
  const optimizer = makeOptimizer(o.optimizer, model, o.lr);
  if (optimizerState && optimizerState.className.toLowerCase() === o.optimizer) {
    try {
      optimizer.loadStateDict(optimizerState);
    } catch {
      // Hyperparameters differ (another --lr): train on with a fresh optimizer.
    }
  }
  for (const t of Object.values(optimizerState?.slots ?? {}).flat()) t.dispose();

  const backendInfo = describeInfo(status.find((b) => b.name === getBackendName())?.info);
  print(`ScratchNet MNIST demo: ${o.load ? `model from ${o.load}` : o.model} (${thousands(model.parameterCount())} parameters)`);
  print(`data: ${thousands(data.train.count)} training / ${thousands(data.test.count)} test images from ${data.source}`);
  const listed = status.map((b) => (b.skipped ? b.name : !b.available ? `${b.name} (not here: ${b.reason ?? '?'})` : isSoftwareGpu(b) ? `${b.name} (software adapter: not chosen by default)` : b.name));
  print(`backend: ${getBackendName()}${backendInfo ? ` (${backendInfo})` : ''}; registered: ${listed.join(', ')}`);
  if (o.epochs > 0) {
    const sw = o.switches.map((s) => `, epoch ${s.epoch} on ${s.backend}`).join('');
    print(`training: ${o.epochs} epoch(s), batch ${o.batchSize}, ${o.optimizer} lr ${o.lr}${o.schedule === 'cosine' ? ' (cosine decay)' : ''}${o.augment ? `, shifts of up to ${o.augment} px` : ''}, seed ${o.seed}${sw}`);
  }

  const records: EpochRecord[] = [];
  const loss = new CrossEntropyLoss();
  const progress = new EpochProgress(o.epochs);
  const batches = trainSet.batchCount(o.batchSize);
  const started = performance.now();
  if (o.epochs > 0) {
    const scheduler = o.schedule === 'cosine' ? new CosineAnnealingLR(optimizer, { tMax: o.epochs }) : undefined;
    try {
      // One fit call per epoch, so that each epoch can see freshly shifted images.
      for (let epoch = 0; epoch < o.epochs; epoch++) {
        const epochSet = o.augment > 0 ? toDataset(shiftAugment(data.train, o.augment, o.seed * 7919 + epoch, data.side), data.side) : trainSet;
        await fit(model, epochSet, {
          loss, optimizer, epochs: 1, batchSize: o.batchSize, seed: o.seed * 1009 + epoch, metrics: ['accuracy'], validationData: testSet,
          ...(scheduler ? { scheduler } : {}),
          onBatchEnd: (b) => {
            if (b.batch === 1) progress.start(epoch, batches, getBackendName());
            progress.update(b);
          },
          onEpochEnd: async (e) => {
            progress.stop();
            records.push({ epoch: epoch + 1, backend: getBackendName(), millis: e.millis, samplesPerSecond: e.samplesPerSecond });
            print(
              `epoch ${epoch + 1}/${o.epochs} [${getBackendName()}]  loss ${e.loss.toFixed(4)}  accuracy ${percent(e.accuracy ?? 0)}  ` +
                `test loss ${(e.valLoss ?? NaN).toFixed(4)}  test accuracy ${percent(e.valAccuracy ?? 0)}  ` +
                `${seconds(e.millis)}  ${thousands(e.samplesPerSecond)} samples/s`,
            );
            const next = o.switches.find((s) => s.epoch === epoch + 2);
            if (next && next.backend !== getBackendName()) {
              const from = getBackendName();
              await switchTo(next.backend, model, optimizer);
              print(`switched backend: ${from} → ${next.backend} (training goes on from epoch ${next.epoch})`);
            }
          },
        });
      }
    } finally {
      progress.stop();
    }
  }
  const trainMillis = performance.now() - started;

  const result = await classify(model, testSet);
  print('');
  print(`test accuracy: ${percent(result.accuracy)} (${thousands(result.accuracy * data.test.count)} of ${thousands(data.test.count)})`);
  print('');
  print('confusion matrix (rows: true class, columns: predicted class):');
  print(confusionTable(confusionMatrix(result, data.classNames.length), data.classNames));
  if (records.length) {
    print('');
    print('time per epoch (training only; the test pass after each epoch is not counted):');
    print(table([['epoch', 'backend', 'time', 'samples/s'], ...records.map((r) => [String(r.epoch), r.backend, seconds(r.millis), thousands(r.samplesPerSecond)])]));
    print('');
    const byBackend = new Map<string, { millis: number; samples: number; epochs: number }>();
    for (const r of records) {
      const s = byBackend.get(r.backend) ?? { millis: 0, samples: 0, epochs: 0 };
      s.millis += r.millis;
      s.samples += (r.samplesPerSecond * r.millis) / 1000;
      s.epochs += 1;
      byBackend.set(r.backend, s);
    }
    const parts = [...byBackend].map(([b, s]) => `${s.epochs} epoch(s) on ${b} in ${seconds(s.millis)} (${thousands((s.samples * 1000) / s.millis)} training samples/s)`);
    print(`done: ${parts.join('; ')}; ${seconds(trainMillis)} in all with the test passes; test accuracy ${percent(result.accuracy)}.`);
  }
  if (o.save) {
    try {
      await saveModel(model, o.save, { optimizer: optimizer.stateDict() });
    } catch (e) {
      if (e instanceof FileFormatError) throw new InputError(`--save: ${firstLine(e)}`);
      throw e;
    }
    print(`saved the model to ${o.save}`);
  }
  if (process.env.MNIST_DEMO_DEBUG_MEMORY) print(`live tensors: ${memory().numTensors}`);
}

/**
 * `--compare`: trains the same batches of the same freshly initialised network on every available
 * backend and prints samples/s (after the first batch, which pays for warm-up) and final loss.
 */
async function compare(o: CliOptions, data: Data, status: readonly BackendStatus[], print: Print): Promise<void> {
  const nBatches = o.maxBatches ?? 20;
  const train = toDataset(takeDigits(data.train, nBatches * o.batchSize), data.side);
  const names = o.backend ? [o.backend] : status.filter((b) => b.available).map((b) => b.name);
  print(`comparing backends: ${o.model}, ${train.batchCount(o.batchSize)} batches of ${o.batchSize}, ${o.optimizer} lr ${o.lr}, seed ${o.seed}`);
  for (const b of status.filter((s) => !s.available)) print(`  (${b.name} is not available here: ${b.reason ?? '?'})`);
  const rows: string[][] = [['backend', 'batches', 'samples/s', 'first loss', 'final loss', 'time']];
  const progress = new EpochProgress(1);
  for (const name of names) {
    await setBackend(name);
    const model = buildModel(o.model, o.seed, data.side, 1, data.classNames.length);
    const optimizer = makeOptimizer(o.optimizer, model, o.lr);
    let firstLoss = NaN;
    let lastLoss = NaN;
    let afterFirst = 0;
    let samplesAfterFirst = 0;
    const started = performance.now();
    await fit(model, train, {
      loss: new CrossEntropyLoss(), optimizer, epochs: 1, batchSize: o.batchSize, seed: o.seed, metrics: ['accuracy'],
      onBatchEnd: (b) => {
        if (b.batch === 1) {
          firstLoss = b.loss;
          afterFirst = performance.now();
          samplesAfterFirst = b.samples;
          progress.start(0, b.batches, name);
        }
        lastLoss = b.loss;
        progress.update(b);
      },
    });
    progress.stop();
    const millis = performance.now() - started;
    const steady = performance.now() - afterFirst;
    const sps = train.size > samplesAfterFirst && steady > 0 ? (train.size - samplesAfterFirst) / (steady / 1000) : train.size / (millis / 1000);
    rows.push([name, String(train.batchCount(o.batchSize)), thousands(sps), firstLoss.toFixed(4), lastLoss.toFixed(4), seconds(millis)]);
    optimizer.dispose();
    model.dispose();
  }
  print(table(rows));
  print('(samples/s leaves out the first batch, which pays for warm-up and kernel compilation)');
}
