import { ArgumentError, CompileError, add, compile, dispose, div, keep, mul, noGrad, tidy, variableGrads, type Tensor, type Variable } from '@scratchnet/core';
import { Optimizer, clipGradNorm } from '../optimizers/index.js';
import { autocast, toFloat32 } from '../mixed-precision/autocast.js';
import { GradScaler, type GradScalerOptions } from '../mixed-precision/grad-scaler.js';
import { isBatchSource, type BatchSource } from '../data/dataset.js';
import type { Module } from '../module.js';
import { evaluate } from './evaluate.js';
import { DeviceLossGuard, type DeviceLossLogs } from './device-loss.js';
import { accuracy } from './metrics.js';
import type { BatchLogs, EpochLogs, LossLike, MetricName, OptimizerLike, SchedulerLike } from './types.js';

/** Options of {@link fit}. */
export interface FitOptions {
  loss: LossLike;
  optimizer: OptimizerLike;
  epochs?: number;
  batchSize?: number;
  /** Shuffle each epoch (default true), reproducibly from `seed`. */
  shuffle?: boolean;
  seed?: number;
  validationData?: BatchSource;
  metrics?: readonly MetricName[];
  /**
   * Gradient accumulation: take one optimizer step per this many batches (default 1), with the
   * gradients of the batches averaged by their sample counts, so that batchSize × accumulateSteps
   * behaves as one batch of that size (for losses that average over samples) while only batchSize
   * samples' activations are ever held. `onBatchEnd` still fires per batch.
   */
  accumulateSteps?: number;
  /** Clip gradients to this global L2 norm before each step. */
  clipNorm?: number;
  /** Stepped at the end of each epoch. */
  scheduler?: SchedulerLike;
  /** Called after each batch; awaited. */
  onBatchEnd?: (logs: BatchLogs) => void | Promise<void>;
  /** Called after each epoch; awaited (switching backend here is fine). */
  onEpochEnd?: (logs: EpochLogs) => void | Promise<void>;
  /** Stops training before the next batch once aborted. */
  signal?: AbortSignal;
  /**
   * When to copy every variable (parameters, buffers, optimizer state) to the host with core's
   * `syncToHost`, so that a lost device (WebGPU) costs only the batches since: every this many
   * batches, or `'epoch'` (each epoch's end); either way also after the first batch. 0 never syncs.
   * Default: `'epoch'` on a backend that can lose its device (WebGPU), 0 elsewhere.
   */
  syncEvery?: number | 'epoch';
  /**
   * The backend to go on with when the device is lost mid-training (a DeviceLostError in a batch):
   * fit calls `setBackend(fallbackBackend)`, which rebuilds every variable from its last synced
   * values, skips the lost batch and continues with the next one (the batches since the sync are not
   * trained again). Without it, fit stops with the DeviceLostError; `await setBackend(name)` then lets
   * you go on from the same synced values yourself.
   */
  fallbackBackend?: string;
  /** Called after fit switched to `fallbackBackend` because the device was lost; awaited. */
  onDeviceLost?: (logs: DeviceLossLogs) => void | Promise<void>;
  /**
   * Run each training step through core's `compile`: recorded once per batch shape and backend, then
   * replayed with no per-op bookkeeping. Default: true when the optimizer is one of layers' optimizers
   * (they keep their changing scalars live under compile), `accumulateSteps` is 1 and `mixedPrecision` is off. A step that
   * cannot be recorded (a loss or model that reads tensor values on the host) falls back to eager
   * training with one warning naming the reason; `compile: false` trains eagerly from the start.
   */
  compile?: boolean;
  /**
   * Mixed-precision training, as PyTorch's AMP: the forward pass runs under {@link autocast} (Linear and
   * Conv2D in float16 with float32 accumulation; the loss in float32), the loss is scaled by a
   * {@link GradScaler} (true: default options; or the options, or your own scaler), the weights and the
   * optimizer stay float32, and a step whose gradients overflowed is skipped (counted in
   * `History.skippedSteps`). Needs `accumulateSteps` 1.
   */
  mixedPrecision?: boolean | GradScalerOptions | GradScaler;
}

/** What {@link fit} returns: per-epoch logs, the same as columns (Keras-style), and whether it was stopped. */
export interface History {
  epochs: EpochLogs[];
  history: Record<string, number[]>;
  stopped: boolean;
  /** Mixed precision only: the optimizer steps skipped for non-finite gradients. */
  skippedSteps?: number;
  /** Mixed precision only: the loss scale at the end. */
  lossScale?: number;
}

function checkOptions(o: FitOptions): void {
  if (!o || typeof o.loss?.forward !== 'function') throw new ArgumentError('fit: options.loss must be a loss such as new CrossEntropyLoss()');
  if (typeof o.optimizer?.step !== 'function') throw new ArgumentError('fit: options.optimizer must be an optimizer such as new Adam(model.parameters())');
  for (const [k, v] of [['epochs', o.epochs ?? 1], ['batchSize', o.batchSize ?? 32], ['accumulateSteps', o.accumulateSteps ?? 1]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new ArgumentError(`fit: ${k} must be a positive integer, got ${String(v)}`);
  }
  if (o.mixedPrecision && (o.accumulateSteps ?? 1) !== 1) {
    throw new ArgumentError(`fit: mixedPrecision needs accumulateSteps 1, got ${String(o.accumulateSteps)}`);
  }
}

function scalerFor(option: FitOptions['mixedPrecision']): GradScaler | null {
  if (!option) return null;
  if (option instanceof GradScaler) return option;
  return new GradScaler(option === true ? {} : option);
}

/** Adds samples × each gradient to the running sums (kept past the batch's scope; the old sums are freed). */
function accumulate(sums: Map<Variable, Tensor>, grads: Map<Variable, Tensor>, samples: number): Map<Variable, Tensor> {
  const next = new Map<Variable, Tensor>();
  for (const [v, g] of grads) {
    const prev = sums.get(v);
    next.set(v, keep(prev ? add(prev, mul(g, samples)) : mul(g, samples)));
  }
  dispose([...sums.values()]);
  return next;
}

/**
 * Trains `model` on `data`: for each epoch, seeded shuffling, batches, forward, loss, gradients,
 * optional clipping, an optimizer step; then validation and callbacks. Every tensor of a step is
 * freed inside it, so memory stays flat across epochs. Returns the history.
 */
export async function fit(model: Module, data: BatchSource, options: FitOptions): Promise<History> {
  if (!isBatchSource(data)) throw new ArgumentError(`fit: data must be a TensorDataset (new TensorDataset(x, y)) or another BatchSource, got ${Array.isArray(data) ? 'an array' : typeof data}`);
  checkOptions(options);
  const guard = new DeviceLossGuard(options);
  const { loss, optimizer, epochs = 1, batchSize = 32, shuffle = true, seed = 0, metrics = [] } = options;
  const wantAccuracy = metrics.includes('accuracy');
  const params = optimizer.params as Variable[];
  const history: History = { epochs: [], history: {}, stopped: false };
  const batches = data.batchCount(batchSize);
  const accumulateSteps = options.accumulateSteps ?? 1;
  const scaler = scalerFor(options.mixedPrecision);
  const step = (grads: Map<Variable, Tensor>): void => {
    optimizer.step(options.clipNorm === undefined ? grads : clipGradNorm(grads, options.clipNorm).grads);
  };
  // Σ (samples × gradient) of the batches since the last step, kept across their scopes.
  let accumulated = new Map<Variable, Tensor>();
  let accumulatedSamples = 0;
  // Mixed precision: the scaled gradients of the last batch, stepped (or skipped) by the scaler after it.
  let scaled: Map<Variable, Tensor> | null = null;
  /** One batch: forward, loss, gradients, and a step (or accumulation); returns the loss and the accuracy. */
  const trainBatch = (x: Tensor, y: Tensor, size: number, stepNow: boolean): readonly [Tensor, Tensor | null] => {
    let prediction: Tensor | null = null;
    try {
      return tidy(() => {
        const { value, grads } = variableGrads(() => {
          // Kept past variableGrads' own scope for the accuracy below; disposed after the step.
          const forward = (): Tensor => (scaler ? toFloat32(autocast(() => model.forward(x))) : model.forward(x));
          prediction = wantAccuracy ? keep(forward()) : forward();
          const l = loss.forward(prediction, y);
          return scaler ? scaler.scaleLoss(l) : l;
        }, params);
        if (scaler) scaled = new Map([...grads].map(([v, g]) => [v, keep(g)]));
        else if (accumulateSteps === 1) step(grads);
        else {
          accumulated = accumulate(accumulated, grads, size);
          accumulatedSamples += size;
          if (stepNow) {
            step(new Map([...accumulated].map(([v, g]) => [v, div(g, accumulatedSamples)])));
            dispose([...accumulated.values()]);
            accumulated = new Map();
            accumulatedSamples = 0;
          }
        }
        const acc = wantAccuracy && prediction ? noGrad(() => accuracy(prediction!, y)) : null;
        return [scaler ? div(value, scaler.scale) : value, acc] as const;
      });
    } finally {
      // Also when the step fails (a lost device): the kept prediction is freed either way.
      if (wantAccuracy) (prediction as Tensor | null)?.dispose();
    }
  };
  // Compiled: one program per batch shape, backend and training mode; the step always applies (accumulateSteps is 1).
  // Mixed precision trains eagerly: the scaler reads the gradients on the host to skip overflowed steps.
  let compiledStep = (options.compile ?? optimizer instanceof Optimizer) && accumulateSteps === 1 && !scaler
    ? compile((x: Tensor, y: Tensor) => trainBatch(x, y, x.shape[0] ?? 0, true), { name: 'fit step', key: () => model.training })
    : null;
  const runStep = (x: Tensor, y: Tensor, size: number, stepNow: boolean): readonly [Tensor, Tensor | null] => {
    if (!compiledStep) return trainBatch(x, y, size, stepNow);
    try {
      return compiledStep(x, y);
    } catch (err) {
      // Not recordable (it stopped before changing any Variable): train eagerly from here on.
      if (!(err instanceof CompileError) || err.assignedVariables) throw err;
      console.warn(`fit: the training step cannot be compiled, training eagerly (pass compile: false to skip the attempt): ${err.message}`);
      compiledStep.dispose();
      compiledStep = null;
      return trainBatch(x, y, size, stepNow);
    }
  };
  for (let epoch = 0; epoch < epochs && !history.stopped; epoch++) {
    model.train();
    const started = performance.now();
    let lossSum = 0;
    let accSum = 0;
    let seen = 0;
    let batch = 0;
    const epochBatches = guard.epochBatches(data, batchSize, { shuffle, seed: seed * 100003 + epoch }, epoch);
    for (let b = await epochBatches.next(); b; b = await epochBatches.next()) {
      if (options.signal?.aborted) {
        history.stopped = true;
        b.x.dispose();
        b.y.dispose();
        break;
      }
      const stepNow = (batch + 1) % accumulateSteps === 0 || batch + 1 === batches;
      let l: number;
      let a: number;
      try {
        const [lossValue, accValue] = runStep(b.x, b.y, b.size, stepNow);
        l = (await lossValue.data())[0]!;
        a = accValue ? (await accValue.data())[0]! : 0;
        lossValue.dispose();
        accValue?.dispose();
        if (scaler && scaled) {
          const grads: Map<Variable, Tensor> = scaled;
          scaled = null;
          try {
            await scaler.step({ step }, grads);
          } finally {
            dispose([...grads.values()]);
          }
        }
        await guard.afterBatch(epoch, batch + 1, epoch === 0 && batch === 0);
      } catch (error) {
        // A lost device (or any failure): free what the batch made, then stop or go on elsewhere.
        if (scaled) dispose([...(scaled as Map<Variable, Tensor>).values()]);
        scaled = null;
        b.x.dispose();
        b.y.dispose();
        dispose([...accumulated.values()]);
        accumulated = new Map();
        accumulatedSamples = 0;
        await guard.recover(error, epoch, batch + 1);
        batch++;
        continue;
      }
      b.x.dispose();
      b.y.dispose();
      lossSum += l * b.size;
      accSum += a * b.size;
      seen += b.size;
      batch++;
      const elapsed = (performance.now() - started) / 1000;
      await options.onBatchEnd?.({
        epoch, batch, batches, loss: l, ...(wantAccuracy ? { accuracy: a } : {}), samples: seen, samplesPerSecond: seen / Math.max(elapsed, 1e-9),
      });
    }
    if (history.stopped || seen === 0) break;
    await guard.attempt(epoch, batch, () => guard.afterEpoch(epoch, batch));
    options.scheduler?.step();
    const millis = performance.now() - started;
    const logs: EpochLogs = { epoch, loss: lossSum / seen, samplesPerSecond: seen / (millis / 1000), millis };
    if (wantAccuracy) logs.accuracy = accSum / seen;
    if (options.validationData) {
      const val = await guard.attempt(epoch, batch, () => evaluate(model, options.validationData!, { loss, batchSize, metrics }));
      logs.valLoss = val.loss;
      if (val.accuracy !== undefined) logs.valAccuracy = val.accuracy;
    }
    history.epochs.push(logs);
    for (const [k, v] of Object.entries(logs)) (history.history[k] ??= []).push(v as number);
    await options.onEpochEnd?.(logs);
    if (options.signal?.aborted) history.stopped = true;
  }
  dispose([...accumulated.values()]); // a stop between accumulated batches leaves sums behind
  compiledStep?.dispose();
  if (scaler) {
    history.skippedSteps = scaler.skippedSteps;
    history.lossScale = scaler.scale;
  }
  return history;
}
