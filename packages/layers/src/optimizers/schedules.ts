import { ArgumentError } from '@scratchnet/core';
import { Optimizer, checkNumber } from './optimizer.js';

/** A snapshot of a schedule (see {@link LRScheduler.stateDict}). */
export interface SchedulerState {
  className: string;
  lastEpoch: number;
  baseLr: number;
}

/**
 * The base of learning-rate schedules, as `torch.optim.lr_scheduler.LRScheduler`: made after the
 * optimizer, it remembers the optimizer's lr as `baseLr`; call {@link LRScheduler.step} once per
 * epoch (after that epoch's optimizer steps) and it sets `optimizer.lr` to the schedule's value
 * for the next epoch. The value is computed in closed form from `baseLr` and the epoch count, so
 * an lr set by hand is overwritten at the next `step()`.
 */
export abstract class LRScheduler {
  /** The optimizer whose lr this schedule sets. */
  readonly optimizer: Optimizer;
  /** The optimizer's lr when the schedule was made (the lr of epoch 0). */
  baseLr: number;
  /** Epochs stepped so far. */
  lastEpoch = 0;
  private last: number;

  /** @param optimizer the optimizer whose `lr` to set. */
  constructor(optimizer: Optimizer) {
    if (!(optimizer instanceof Optimizer)) throw new ArgumentError(`${this.constructor.name}: optimizer must be an Optimizer such as new SGD(...)`);
    this.optimizer = optimizer;
    this.baseLr = optimizer.lr;
    this.last = optimizer.lr;
  }

  /** The lr of `epoch` (epoch 0 gives `baseLr`). */
  protected abstract lrAt(epoch: number): number;

  /** The learning rate the last `step()` set (the base lr before any). */
  get lastLr(): number {
    return this.last;
  }

  /** Advances one epoch and sets the optimizer's lr. */
  step(): void {
    this.lastEpoch++;
    const lr = this.lrAt(this.lastEpoch);
    this.optimizer.lr = lr;
    this.last = lr;
  }

  /** The schedule's position, to save next to the optimizer's state. */
  stateDict(): SchedulerState {
    return { className: this.constructor.name, lastEpoch: this.lastEpoch, baseLr: this.baseLr };
  }

  /** Restores the position from {@link LRScheduler.stateDict} and sets the optimizer's lr to match. */
  loadStateDict(state: SchedulerState): void {
    const name = this.constructor.name;
    if (typeof state !== 'object' || state === null || state.className !== name) {
      throw new ArgumentError(`${name}.loadStateDict: state was saved by ${String((state as Partial<SchedulerState> | null)?.className)}, not ${name}`);
    }
    if (!Number.isInteger(state.lastEpoch) || state.lastEpoch < 0) throw new ArgumentError(`${name}.loadStateDict: lastEpoch must be a non-negative integer, got ${state.lastEpoch}`);
    this.baseLr = checkNumber(`${name}.loadStateDict`, 'baseLr', state.baseLr, 0);
    this.lastEpoch = state.lastEpoch;
    this.last = this.lastEpoch === 0 ? this.baseLr : this.lrAt(this.lastEpoch);
    this.optimizer.lr = this.last;
  }
}

/** Options of {@link StepLR}. */
export interface StepLROptions {
  /** Epochs between decays (a positive integer). */
  stepSize: number;
  /** Multiplicative factor of each decay (default 0.1). */
  gamma?: number;
}

/** Decays the lr by `gamma` every `stepSize` epochs, as PyTorch's StepLR: lr = base · γ^⌊epoch / stepSize⌋. */
export class StepLR extends LRScheduler {
  /** Epochs between decays. */
  readonly stepSize: number;
  /** Decay factor. */
  readonly gamma: number;

  /**
   * @param optimizer the optimizer whose lr to set.
   * @param options see {@link StepLROptions}.
   */
  constructor(optimizer: Optimizer, options: StepLROptions) {
    super(optimizer);
    if (!Number.isInteger(options?.stepSize) || options.stepSize < 1) {
      throw new ArgumentError(`StepLR: stepSize must be a positive integer, got ${String(options?.stepSize)}`);
    }
    this.stepSize = options.stepSize;
    this.gamma = checkNumber('StepLR', 'gamma', options.gamma ?? 0.1, 0);
  }

  protected lrAt(epoch: number): number {
    return this.baseLr * this.gamma ** Math.floor(epoch / this.stepSize);
  }
}

/** Options of {@link ExponentialLR}. */
export interface ExponentialLROptions {
  /** Multiplicative factor per epoch. */
  gamma: number;
}

/** Decays the lr by `gamma` every epoch, as PyTorch's ExponentialLR: lr = base · γ^epoch. */
export class ExponentialLR extends LRScheduler {
  /** Decay factor per epoch. */
  readonly gamma: number;

  /**
   * @param optimizer the optimizer whose lr to set.
   * @param options see {@link ExponentialLROptions}.
   */
  constructor(optimizer: Optimizer, options: ExponentialLROptions) {
    super(optimizer);
    this.gamma = checkNumber('ExponentialLR', 'gamma', options?.gamma, 0);
  }

  protected lrAt(epoch: number): number {
    return this.baseLr * this.gamma ** epoch;
  }
}

/** Options of {@link CosineAnnealingLR}. */
export interface CosineAnnealingLROptions {
  /** Epochs of the half cosine period (a positive integer). */
  tMax: number;
  /** The lr reached at epoch `tMax` (default 0). */
  etaMin?: number;
}

/**
 * Anneals the lr along a cosine, as PyTorch's CosineAnnealingLR (without restarts):
 * lr = ηmin + (base − ηmin)·(1 + cos(π·epoch / tMax)) / 2. Past `tMax` the cosine continues
 * (the lr rises again), as in PyTorch.
 */
export class CosineAnnealingLR extends LRScheduler {
  /** Half period in epochs. */
  readonly tMax: number;
  /** Minimum lr. */
  readonly etaMin: number;

  /**
   * @param optimizer the optimizer whose lr to set.
   * @param options see {@link CosineAnnealingLROptions}.
   */
  constructor(optimizer: Optimizer, options: CosineAnnealingLROptions) {
    super(optimizer);
    if (!Number.isInteger(options?.tMax) || options.tMax < 1) {
      throw new ArgumentError(`CosineAnnealingLR: tMax must be a positive integer, got ${String(options?.tMax)}`);
    }
    this.tMax = options.tMax;
    this.etaMin = checkNumber('CosineAnnealingLR', 'etaMin', options.etaMin ?? 0, 0);
  }

  protected lrAt(epoch: number): number {
    return this.etaMin + ((this.baseLr - this.etaMin) * (1 + Math.cos((Math.PI * epoch) / this.tMax))) / 2;
  }
}
