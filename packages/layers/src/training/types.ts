import type { Tensor, Variable } from '@scratchnet/core';

/** What the training loop needs of a loss: `forward(prediction, target)` → a scalar tensor. */
export interface LossLike {
  /** The loss of `prediction` against `target`, as a scalar tensor. */
  forward(prediction: Tensor, target: Tensor): Tensor;
}

/** What the training loop needs of an optimizer. */
export interface OptimizerLike {
  readonly params: readonly Variable[];
  /** Updates the parameters from their gradients. */
  step(grads: ReadonlyMap<Variable, Tensor>): void;
}

/** A learning-rate schedule stepped once per epoch. */
export interface SchedulerLike {
  /** Moves the schedule on by one epoch. */
  step(): void;
}

/** Metrics `fit` and `evaluate` can compute besides the loss. */
export type MetricName = 'accuracy';

/** Loss and metrics of one epoch (validation ones prefixed with `val`). */
export interface EpochLogs {
  epoch: number;
  loss: number;
  accuracy?: number;
  valLoss?: number;
  valAccuracy?: number;
  /** Training samples per second over the epoch. */
  samplesPerSecond: number;
  /** Wall time of the epoch in milliseconds. */
  millis: number;
}

/** What `onBatchEnd` receives. */
export interface BatchLogs {
  epoch: number;
  batch: number;
  batches: number;
  loss: number;
  accuracy?: number;
  /** Samples seen so far in this epoch. */
  samples: number;
  samplesPerSecond: number;
}
