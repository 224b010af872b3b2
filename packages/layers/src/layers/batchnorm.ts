import {
  ShapeError, add, fmtShape, full, mean, mul, noGrad, reshape, rsqrt, square, sub, tidy, type Tensor, type Variable,
} from '@scratchnet/core';
import { Module, expectRank, registerModule } from '../module.js';
import { checkPositiveInt, checkRange } from './checks.js';

/** Options of the BatchNorm layers (PyTorch's defaults). */
export interface BatchNormOptions {
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
  /** Weight of the new batch statistic in the running average (default 0.1). */
  momentum?: number;
  /** Learn a per-channel scale and shift (default true). */
  affine?: boolean;
}

/**
 * Shared BatchNorm: normalises each channel (axis 1) over every other axis. In training it uses
 * the batch's mean and biased variance and updates running statistics
 * (running = (1 − momentum)·running + momentum·batch, with the unbiased variance), as PyTorch does;
 * in eval mode it uses the running statistics.
 */
abstract class BatchNormBase extends Module {
  readonly weight: Variable | null;
  readonly bias: Variable | null;
  readonly runningMean: Variable;
  readonly runningVar: Variable;
  readonly eps: number;
  readonly momentum: number;

  protected constructor(
    private readonly layer: string,
    readonly numFeatures: number,
    private readonly ranks: readonly number[],
    readonly options: BatchNormOptions,
  ) {
    super();
    checkPositiveInt(layer, 'numFeatures', numFeatures);
    this.eps = options.eps ?? 1e-5;
    this.momentum = options.momentum ?? 0.1;
    checkRange(layer, 'eps', this.eps, 0, Infinity);
    checkRange(layer, 'momentum', this.momentum, 0, 1);
    const affine = options.affine ?? true;
    this.weight = affine ? this.addParameter('weight', full([numFeatures], 1)) : null;
    this.bias = affine ? this.addParameter('bias', full([numFeatures], 0)) : null;
    this.runningMean = this.addBuffer('runningMean', full([numFeatures], 0));
    this.runningVar = this.addBuffer('runningVar', full([numFeatures], 1));
  }

  forward(x: Tensor): Tensor {
    expectRank(this.layer, x, this.ranks, 'a');
    if (x.shape[1] !== this.numFeatures) {
      throw new ShapeError(`${this.layer}: input ${fmtShape(x.shape)} has ${x.shape[1]} channels on axis 1, expected numFeatures ${this.numFeatures}`);
    }
    const axes = x.shape.map((_, i) => i).filter((i) => i !== 1);
    const channelShape = x.shape.map((d, i) => (i === 1 ? d : 1));
    let m: Tensor;
    let v: Tensor;
    if (this.training) {
      m = mean(x, axes, true);
      v = mean(square(sub(x, m)), axes, true);
      const count = x.size / this.numFeatures;
      noGrad(() =>
        tidy(() => {
          const unbiased = mul(reshape(v, [this.numFeatures]), count / Math.max(count - 1, 1));
          this.runningMean.assign(add(mul(this.runningMean, 1 - this.momentum), mul(reshape(m, [this.numFeatures]), this.momentum)));
          this.runningVar.assign(add(mul(this.runningVar, 1 - this.momentum), mul(unbiased, this.momentum)));
        }),
      );
    } else {
      m = reshape(this.runningMean, channelShape);
      v = reshape(this.runningVar, channelShape);
    }
    let y = mul(sub(x, m), rsqrt(add(v, this.eps)));
    if (this.weight && this.bias) y = add(mul(y, reshape(this.weight, channelShape)), reshape(this.bias, channelShape));
    return y;
  }

  protected getConfig(): Record<string, unknown> {
    return { numFeatures: this.numFeatures, ...this.options };
  }
}

/** BatchNorm over [N, C] or [N, C, L] input. */
export class BatchNorm1D extends BatchNormBase {
  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super('BatchNorm1D', numFeatures, [2, 3], options);
  }
}

/** BatchNorm over [N, C, H, W] input. */
export class BatchNorm2D extends BatchNormBase {
  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super('BatchNorm2D', numFeatures, [4], options);
  }
}

registerModule('BatchNorm1D', BatchNorm1D, (c) => new BatchNorm1D(c.numFeatures as number, c));
registerModule('BatchNorm2D', BatchNorm2D, (c) => new BatchNorm2D(c.numFeatures as number, c));
