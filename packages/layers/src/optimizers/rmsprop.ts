import { ArgumentError, add, div, mul, sqrt, square, sub, type Tensor, type Variable } from '@scratchnet/core';
import { Optimizer, checkNumber, type OptimizerOptions, type StepScalar } from './optimizer.js';

/** Options of {@link RMSprop}. */
export interface RMSpropOptions extends OptimizerOptions {
  /** The learning rate (default 0.01). */
  lr?: number;
  /** Smoothing constant α of the squared-gradient average (default 0.99). */
  alpha?: number;
  /** Added to the denominator for stability (default 1e-8). */
  eps?: number;
  /** L2 penalty λ added to the gradient (default 0). */
  weightDecay?: number;
  /** Momentum factor μ (default 0). */
  momentum?: number;
  /** Normalize by the estimated variance of the gradient instead of its second moment (default false). */
  centered?: boolean;
}

/**
 * RMSprop, as `torch.optim.RMSprop`: g ← g + λ·θ; s ← α·s + (1 − α)·g²; with `centered`
 * a ← α·a + (1 − α)·g and d = √(s − a²) + ε, else d = √s + ε; with momentum
 * b ← μ·b + g/d and θ ← θ − lr·b, else θ ← θ − lr·g/d.
 */
export class RMSprop extends Optimizer {
  /** Smoothing constant α. */
  readonly alpha: number;
  /** Denominator term ε. */
  readonly eps: number;
  /** L2 penalty λ. */
  readonly weightDecay: number;
  /** Momentum factor μ. */
  readonly momentum: number;
  /** Whether the variance is centered. */
  readonly centered: boolean;

  /**
   * @param params the variables to update.
   * @param options see {@link RMSpropOptions}.
   */
  constructor(params: readonly Variable[], options: RMSpropOptions = {}) {
    if (typeof options !== 'object' || options === null) throw new ArgumentError('RMSprop: options must be an object');
    super(params, options.lr ?? 0.01);
    this.alpha = checkNumber('RMSprop', 'alpha', options.alpha ?? 0.99, 0);
    this.eps = checkNumber('RMSprop', 'eps', options.eps ?? 1e-8, 0);
    this.weightDecay = checkNumber('RMSprop', 'weightDecay', options.weightDecay ?? 0, 0);
    this.momentum = checkNumber('RMSprop', 'momentum', options.momentum ?? 0, 0);
    this.centered = options.centered ?? false;
    if (typeof this.centered !== 'boolean') throw new ArgumentError('RMSprop: centered must be a boolean');
  }

  protected slotNames(): readonly string[] {
    return ['squareAvg', ...(this.centered ? ['gradAvg'] : []), ...(this.momentum > 0 ? ['momentumBuffer'] : [])];
  }

  protected hyperparameters(): Record<string, number | boolean> {
    return { alpha: this.alpha, eps: this.eps, weightDecay: this.weightDecay, momentum: this.momentum, centered: this.centered };
  }

  protected update(param: Variable, grad: Tensor, slots: Record<string, Variable>, _step: number, scalar: StepScalar): void {
    const a = this.alpha;
    const g = this.weightDecay !== 0 ? add(grad, mul(param, this.weightDecay)) : grad;
    const s = add(mul(slots.squareAvg!, a), mul(square(g), 1 - a));
    slots.squareAvg!.assign(s);
    let variance = s;
    if (this.centered) {
      const ga = add(mul(slots.gradAvg!, a), mul(g, 1 - a));
      slots.gradAvg!.assign(ga);
      variance = sub(s, square(ga));
    }
    const denom = add(sqrt(variance), this.eps);
    if (this.momentum > 0) {
      const buf = add(mul(slots.momentumBuffer!, this.momentum), div(g, denom));
      slots.momentumBuffer!.assign(buf);
      param.assign(sub(param, mul(buf, scalar((_s, lr) => lr))));
    } else {
      param.assign(sub(param, mul(div(g, denom), scalar((_s, lr) => lr))));
    }
  }
}
