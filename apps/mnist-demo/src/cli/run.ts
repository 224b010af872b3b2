/** The CLI's work: choosing backends, loading data, training, testing, comparing backends. */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { getBackendName, listBackends, memory, setBackend } from '@scratchnet/core';
import {
  CosineAnnealingLR, CrossEntropyLoss, FileFormatError, GradScaler, fit, loadModel, saveModel, type ImagePreprocessing, type ImageTransform, type Module, type Optimizer,
  type LoadedModel,
} from '@scratchnet/layers';
import { probeCliBackends } from './probe.js';
import { deviceLossLine, fallbackFor, firstLine, describeInfo, isSoftwareGpu, pickDefault, type BackendStatus } from '../shared/backends.js';
import { CLASSES, shiftAugment, splitPerDigit, takeDigits, toDataset, type DigitSet } from '../shared/data.js';
import { augmentedDataset, imageAugmentation, smallDataDefaults } from '../shared/images.js';
import { MNIST_SIGNATURE, modelMetadata, savedPreprocessing, signatureMismatch, type DataSignature } from '../shared/model-meta.js';
import { buildModel, classify, confusionMatrix, makeOptimizer } from '../shared/model.js';
import { loadIdxDir, InputError } from '../node/idx-dir.js';
import { loadMnistPackage } from '../node/mnist-package.js';
import { readImageFolder } from './image-data.js';
import { predictFiles } from './predict.js';
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
  channels: number;
  classNames: string[];
  source: string;
  /** How raw images become inputs (MNIST's digits: 1 channel, 28×28). */
  preprocessing: ImagePreprocessing;
  /** Lines about what was read, resized and skipped (--images). */
  report: string[];
}

const MNIST_PREPROCESSING: ImagePreprocessing = { channels: 1, size: 28, fit: 'pad' };

/**
 * How `--images` are prepared: as the user asked, and otherwise, with `--load`, as the loaded
 * model was trained (its metadata), and otherwise the defaults.
 */
function imagePreprocessingFor(o: CliOptions, loaded: LoadedModel | null): ImagePreprocessing {
  const saved = savedPreprocessing(loaded?.metadata);
  return {
    channels: o.channelsGiven || !saved ? o.channels : saved.channels,
    size: o.imageSizeGiven || !saved ? o.imageSize : saved.size,
    fit: o.fitGiven || !saved ? o.fit : saved.fit,
  };
}

async function loadData(o: CliOptions, pre: ImagePreprocessing): Promise<Data> {
  let data: Data;
  if (o.images) {
    const imgs = await readImageFolder(o.images, pre, o.seed);
    data = {
      train: imgs.train, test: imgs.test, side: pre.size, channels: pre.channels, classNames: imgs.classNames, source: `${o.images} (image folder)`,
      preprocessing: pre, report: imgs.report,
    };
  } else if (o.data) {
    const full = await loadIdxDir(o.data);
    data = { ...full, side: 28, channels: 1, classNames: digitNames(), source: `${o.data} (full MNIST)`, preprocessing: MNIST_PREPROCESSING, report: [] };
  } else {
    const split = splitPerDigit(await loadMnistPackage(), TEST_DIGITS, o.seed);
    data = { ...split, side: 28, channels: 1, classNames: digitNames(), source: "the 'mnist' package", preprocessing: MNIST_PREPROCESSING, report: [] };
  }
  const per = data.channels * data.side * data.side;
  if (o.limit !== null) {
    data.train = takeDigits(data.train, o.limit, per);
    data.test = takeDigits(data.test, o.limit, per);
  }
  if (o.maxBatches !== null && !o.compare) data.train = takeDigits(data.train, o.maxBatches * o.batchSize, per);
  return data;
}

const signatureOf = (data: Data): DataSignature => ({ classNames: data.classNames, inputShape: [data.channels, data.side, data.side] });

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
  let loaded: LoadedModel | null = null;
  if (o.load) {
    try {
      // Loads onto the js backend (no other backend has started yet: starting the default one here would
      // wake a GPU driver before the probe); the model moves to the chosen backend below.
      await setBackend('js');
      loaded = await loadModel(o.load);
    } catch (e) {
      if (e instanceof FileFormatError) throw new InputError(`--load: ${firstLine(e)}`);
      throw e;
    }
  }
  if (loaded && o.predict.length && !o.images && !o.data && !o.epochsGiven) return predictOnly(o, loaded, print);
  const data = await loadData(o, o.images ? imagePreprocessingFor(o, loaded) : MNIST_PREPROCESSING);
  if (loaded) {
    const why = signatureMismatch(loaded.model, loaded.metadata, signatureOf(data));
    if (why) {
      const hint = o.images ? '' : '; test it on its own kind of images with --images DIR, or classify files with --predict FILE...';
      throw new InputError(`--load ${o.load}: ${why} (${data.source})${hint}`);
    }
  }
  // Small image sets get settings of their own unless the user chose them (MNIST's would give a
  // few hundred images only a few dozen steps).
  let transform: ImageTransform | null = null;
  if (o.images) {
    const d = smallDataDefaults(data.train.count, data.side, o.batchSizeGiven ? o.batchSize : null);
    const chosen: string[] = [];
    if (!o.epochsGiven && !o.load) {
      o.epochs = d.epochs;
      chosen.push(`${d.epochs} epochs`);
    }
    if (!o.batchSizeGiven) {
      o.batchSize = d.batchSize;
      chosen.push(`batch ${d.batchSize}`);
    }
    if (o.augmentGiven) {
      transform = o.augment > 0 ? imageAugmentation(o.augment, 0) : null;
    } else {
      transform = imageAugmentation(d.shift, d.degrees);
      chosen.push(`shifts of up to ${d.shift} px and rotations of up to ${d.degrees}° each epoch`);
    }
    if (chosen.length && o.epochs > 0) {
      data.report.push(`settings for ${thousands(data.train.count)} training images: ${chosen.join(', ')} (MNIST's defaults are 6 epochs, batch 64, 2-px shifts; set --epochs, --batch-size or --augment N to choose)`);
    }
  }

  // Only the backends asked for start; without --backend, WebGPU is probed in a child process (see webgpu-probe.ts).
  const status = await probeCliBackends(o.backend ? wanted.map(([, name]) => name) : undefined);
  for (const [flag, name] of wanted) {
    const s = status.find((b) => b.name === name);
    if (s && !s.available) throw new InputError(`${flag}: backend '${name}' is not available here: ${s.reason ?? 'unknown reason'}`);
  }
  const best = o.backend ?? pickDefault(status)?.name;
  if (!best) throw new InputError(`no backend can start here: ${status.map((b) => `${b.name}: ${b.reason ?? '?'}`).join('; ')}`);
  await setBackend(best);
  if (o.compare) return compare(o, data, status, print);

  const trainSet = toDataset(data.train, data.side, data.channels);
  const testSet = toDataset(data.test, data.side, data.channels);
  const model: Module = loaded ? await loaded.model.to(best) : buildModel(o.model, o.seed, data.side, data.channels, data.classNames.length);
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
  for (const line of data.report) print(line);
  const listed = status.map((b) => (b.skipped ? b.name : !b.available ? `${b.name} (not here: ${b.reason ?? '?'})` : isSoftwareGpu(b) ? `${b.name} (software adapter: not chosen by default)` : b.name));
  print(`backend: ${getBackendName()}${backendInfo ? ` (${backendInfo})` : ''}; registered: ${listed.join(', ')}`);
  if (o.epochs > 0) {
    const sw = o.switches.map((s) => `, epoch ${s.epoch} on ${s.backend}`).join('');
    const aug = o.images ? (transform ? ', augmented' : '') : o.augment ? `, shifts of up to ${o.augment} px` : '';
    print(`training: ${o.epochs} epoch(s), batch ${o.batchSize}, ${o.optimizer} lr ${o.lr}${o.schedule === 'cosine' ? ' (cosine decay)' : ''}${aug}, seed ${o.seed}${sw}`);
  }

  const records: EpochRecord[] = [];
  const loss = new CrossEntropyLoss();
  const progress = new EpochProgress(o.epochs);
  const batches = trainSet.batchCount(o.batchSize);
  const started = performance.now();
  if (o.epochs > 0) {
    const scheduler = o.schedule === 'cosine' ? new CosineAnnealingLR(optimizer, { tMax: o.epochs }) : undefined;
    // One loss scaler across the per-epoch fit calls, so its scale carries over as in one long run.
    const scaler = o.mixedPrecision ? new GradScaler() : null;
    try {
      // One fit call per epoch, so that each epoch can see freshly shifted images.
      for (let epoch = 0; epoch < o.epochs; epoch++) {
        const epochSeed = o.seed * 7919 + epoch;
        const epochSet = o.images
          ? transform
            ? augmentedDataset(data.train, data.side, data.channels, transform, epochSeed)
            : trainSet
          : o.augment > 0
            ? toDataset(shiftAugment(data.train, o.augment, epochSeed, data.side), data.side)
            : trainSet;
        await fit(model, epochSet, {
          loss, optimizer, epochs: 1, batchSize: o.batchSize, seed: o.seed * 1009 + epoch, metrics: ['accuracy'], validationData: testSet,
          ...(scheduler ? { scheduler } : {}),
          // A lost GPU device: go on on the next best backend from the last synced weights.
          fallbackBackend: fallbackFor(status, getBackendName()),
          syncEvery: 50,
          onDeviceLost: (l) => {
            progress.stop();
            print(deviceLossLine(l));
          },
          ...(scaler ? { mixedPrecision: scaler } : {}),
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
            if (scaler) print(`  mixed precision: loss scale ${scaler.scale}, ${scaler.skippedSteps} step(s) skipped for overflow so far`);
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
      const metadata = modelMetadata(signatureOf(data), data.preprocessing, { dataset: o.images ? 'images' : 'mnist' });
      await saveModel(model, o.save, { optimizer: optimizer.stateDict(), metadata });
    } catch (e) {
      if (e instanceof FileFormatError) throw new InputError(`--save: ${firstLine(e)}`);
      throw e;
    }
    print(`saved the model to ${o.save}`);
  }
  if (o.predict.length) await predictFiles(model, o.predict, data.preprocessing, data.classNames, print);
  if (process.env.MNIST_DEMO_DEBUG_MEMORY) print(`live tensors: ${memory().numTensors}`);
}

/** `--load FILE --predict FILE…` alone: no data set, no test pass; the model's own preprocessing. */
async function predictOnly(o: CliOptions, loaded: LoadedModel, print: Print): Promise<void> {
  const meta = loaded.metadata;
  const pre = savedPreprocessing(meta) ?? MNIST_PREPROCESSING;
  const classNames = meta?.classNames ?? MNIST_SIGNATURE.classNames;
  const why = signatureMismatch(loaded.model, meta, { classNames, inputShape: [pre.channels, pre.size, pre.size] });
  if (why) throw new InputError(`--load ${o.load}: ${why}; the file records no preprocessing that fits it`);
  const status = await probeCliBackends(o.backend ? [o.backend] : undefined);
  const best = o.backend ?? pickDefault(status)?.name;
  if (!best) throw new InputError(`no backend can start here: ${status.map((b) => `${b.name}: ${b.reason ?? '?'}`).join('; ')}`);
  await setBackend(best);
  const model = await loaded.model.to(best);
  for (const t of Object.values(loaded.optimizerState?.slots ?? {}).flat()) t.dispose();
  print(`ScratchNet demo: model from ${o.load} (${thousands(model.parameterCount())} parameters; classes: ${classNames.join(', ')}) on ${getBackendName()}`);
  if (!meta) print('(the file records no classes or preprocessing: taken as an MNIST model, 28×28 grayscale digits, white on black)');
  await predictFiles(model, o.predict, pre, classNames, print);
}

/**
 * `--compare`: trains the same batches of the same freshly initialised network on every available
 * backend and prints samples/s (after the first batch, which pays for warm-up) and final loss.
 */
async function compare(o: CliOptions, data: Data, status: readonly BackendStatus[], print: Print): Promise<void> {
  const nBatches = o.maxBatches ?? 20;
  const train = toDataset(takeDigits(data.train, nBatches * o.batchSize, data.channels * data.side * data.side), data.side, data.channels);
  const names = o.backend ? [o.backend] : status.filter((b) => b.available).map((b) => b.name);
  print(`comparing backends: ${o.model}, ${train.batchCount(o.batchSize)} batches of ${o.batchSize}, ${o.optimizer} lr ${o.lr}, seed ${o.seed}`);
  for (const b of status.filter((s) => !s.available)) print(`  (${b.name} is not available here: ${b.reason ?? '?'})`);
  const rows: string[][] = [['backend', 'batches', 'samples/s', 'first loss', 'final loss', 'time']];
  const progress = new EpochProgress(1);
  for (const name of names) {
    await setBackend(name);
    const model = buildModel(o.model, o.seed, data.side, data.channels, data.classNames.length);
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
