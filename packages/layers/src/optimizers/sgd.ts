import { ArgumentError, add, mul, sub, type Tensor, type Variable } from '@scratchnet/core';
import { Optimizer, checkNumber, type OptimizerOptions, type StepScalar } from './optimizer.js';

/** Options of {@link SGD}. */
export interface SGDOptions extends OptimizerOptions {
  /** The learning rate (required). */
  lr: number;
  /** Momentum factor μ (default 0: plain SGD). */
  momentum?: number;
  /** Dampening τ of the momentum (default 0). */
  dampening?: number;
  /** L2 penalty λ added to the gradient (default 0). */
  weightDecay?: number;
  /** Nesterov momentum (needs momentum > 0 and dampening 0). */
  nesterov?: boolean;
}

/**
 * Stochastic gradient descent, exactly as `torch.optim.SGD`:
 * g ← g + λ·θ; with momentum b ← g on the first step, then b ← μ·b + (1 − τ)·g, and
 * g ← g + μ·b (Nesterov) or g ← b; finally θ ← θ − lr·g.
 *
 * @example
 * const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 */
export class SGD extends Optimizer {
  /** Momentum factor. */
  readonly momentum: number;
  /** Momentum dampening. */
  readonly dampening: number;
  /** L2 penalty. */
  readonly weightDecay: number;
  /** Whether the momentum is Nesterov's. */
  readonly nesterov: boolean;

  /**
   * @param params the variables to update.
   * @param options see {@link SGDOptions}; `lr` is required.
   */
  constructor(params: readonly Variable[], options: SGDOptions) {
    if (typeof options !== 'object' || options === null || options.lr === undefined) {
      throw new ArgumentError('SGD: options.lr is required, e.g. new SGD(model.parameters(), { lr: 0.01 })');
    }
    super(params, options.lr);
    this.momentum = checkNumber('SGD', 'momentum', options.momentum ?? 0, 0);
    this.dampening = checkNumber('SGD', 'dampening', options.dampening ?? 0, 0);
    this.weightDecay = checkNumber('SGD', 'weightDecay', options.weightDecay ?? 0, 0);
    this.nesterov = options.nesterov ?? false;
    if (typeof this.nesterov !== 'boolean') throw new ArgumentError(`SGD: nesterov must be a boolean, got ${String(options.nesterov)}`);
    if (this.nesterov && (this.momentum <= 0 || this.dampening !== 0)) {
      throw new ArgumentError(`SGD: Nesterov momentum requires momentum > 0 and dampening 0, got momentum ${this.momentum}, dampening ${this.dampening}`);
    }
  }

  protected slotNames(): readonly string[] {
    return this.momentum !== 0 ? ['momentumBuffer'] : [];
  }

  protected hyperparameters(): Record<string, number | boolean> {
    return { momentum: this.momentum, dampening: this.dampening, weightDecay: this.weightDecay, nesterov: this.nesterov };
  }

  protected update(param: Variable, grad: Tensor, slots: Record<string, Variable>, step: number, scalar: StepScalar): void {
    let d = this.weightDecay !== 0 ? add(grad, mul(param, this.weightDecay)) : grad;
    if (this.momentum !== 0) {
      const buf = slots.momentumBuffer!;
      const next = step === 1 ? d : add(mul(buf, this.momentum), mul(d, 1 - this.dampening));
      buf.assign(next);
      d = this.nesterov ? add(d, mul(next, this.momentum)) : next;
    }
    param.assign(sub(param, mul(d, scalar((_s, lr) => lr))));
  }
}
