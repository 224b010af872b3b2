import { ArgumentError, Tensor, concat, noGrad, slice, tidy } from '@scratchnet/core';
import { TensorDataset, isBatchSource, type BatchSource } from '../data/dataset.js';
import type { Module } from '../module.js';
import { accuracy } from './metrics.js';
import type { LossLike, MetricName } from './types.js';

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  loss: LossLike;
  batchSize?: number;
  metrics?: readonly MetricName[];
}

/** Mean loss (and metrics) over a data set, in evaluation mode; the model's mode is restored after. */
export async function evaluate(model: Module, data: BatchSource, options: EvaluateOptions): Promise<{ loss: number; accuracy?: number }> {
  if (!isBatchSource(data)) throw new ArgumentError(`evaluate: data must be a TensorDataset (new TensorDataset(x, y)) or another BatchSource, got ${Array.isArray(data) ? 'an array' : typeof data}`);
  if (typeof options?.loss?.forward !== 'function') throw new ArgumentError('evaluate: options.loss must be a loss such as new CrossEntropyLoss()');
  const wasTraining = model.training;
  model.eval();
  let lossSum = 0;
  let accSum = 0;
  let seen = 0;
  const wantAccuracy = options.metrics?.includes('accuracy') ?? false;
  try {
    for (const b of data.batches(options.batchSize ?? 256)) {
      const [l, a] = noGrad(() =>
        tidy(() => {
          const p = model.forward(b.x);
          return [options.loss.forward(p, b.y), wantAccuracy ? accuracy(p, b.y) : null] as const;
        }),
      );
      lossSum += (await l.data())[0]! * b.size;
      if (a) accSum += (await a.data())[0]! * b.size;
      seen += b.size;
      l.dispose();
      a?.dispose();
      b.x.dispose();
      b.y.dispose();
    }
  } finally {
    model.train(wasTraining);
  }
  const result: { loss: number; accuracy?: number } = { loss: lossSum / seen };
  if (wantAccuracy) result.accuracy = accSum / seen;
  return result;
}

/**
 * The model's outputs for every sample of `x` (a tensor whose first axis is the batch, or a data
 * set), computed in batches in evaluation mode and joined into one tensor.
 */
export function predict(model: Module, x: Tensor | TensorDataset, options: { batchSize?: number } = {}): Tensor {
  if (!(x instanceof Tensor) && !(x instanceof TensorDataset)) {
    const got = Array.isArray(x) ? 'an array' : x === null ? 'null' : typeof x;
    throw new ArgumentError(`predict: x must be a Tensor or a TensorDataset, got ${got}${Array.isArray(x) ? '; wrap it with tensor(...) first' : ''}`);
  }
  const batchSize = options.batchSize ?? 256;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ArgumentError(`predict: batchSize must be a positive integer, got ${batchSize}`);
  const wasTraining = model.training;
  model.eval();
  const parts: Tensor[] = [];
  const run = (input: Tensor): void => void parts.push(noGrad(() => tidy(() => model.forward(input))));
  try {
    if (x instanceof TensorDataset) {
      for (const b of x.batches(batchSize)) {
        run(b.x);
        b.x.dispose();
        b.y.dispose();
      }
    } else {
      const n = x.shape[0] ?? 0;
      for (let start = 0; start < n; start += batchSize) {
        const part = slice(x, [start], [Math.min(batchSize, n - start)]);
        run(part);
        part.dispose();
      }
    }
    if (parts.length === 0) throw new ArgumentError('predict: no samples to predict');
    return parts.length === 1 ? parts.pop()! : tidy(() => concat(parts));
  } finally {
    model.train(wasTraining);
    for (const p of parts) p.dispose();
  }
}
