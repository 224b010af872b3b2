import { ArgumentError, add, div, maximum, mul, sqrt, square, sub, type Tensor, type Variable } from '@scratchnet/core';
import { Optimizer, checkNumber, type OptimizerOptions, type StepScalar } from './optimizer.js';

/** Options of {@link Adam} and {@link AdamW}. */
export interface AdamOptions extends OptimizerOptions {
  /** The learning rate (default 1e-3). */
  lr?: number;
  /** Decay rates (β1, β2) of the first and second moment estimates, each in [0, 1) (default [0.9, 0.999]). */
  betas?: readonly [number, number];
  /** Added to the denominator for stability (default 1e-8). */
  eps?: number;
  /** Weight decay λ: an L2 penalty added to the gradient in Adam (default 0), decoupled in AdamW (default 0.01). */
  weightDecay?: number;
  /** Use the maximum of past second moments (AMSGrad), as PyTorch's `amsgrad` (default false). */
  amsgrad?: boolean;
}

/** The shared update of Adam and AdamW; `decoupled` picks AdamW's weight decay. */
abstract class AdamBase extends Optimizer {
  /** β1, β2. */
  readonly betas: readonly [number, number];
  /** Denominator term ε. */
  readonly eps: number;
  /** Weight decay λ. */
  readonly weightDecay: number;
  /** Whether AMSGrad is used. */
  readonly amsgrad: boolean;
  protected abstract readonly decoupled: boolean;

  constructor(name: string, params: readonly Variable[], options: AdamOptions, defaultWeightDecay: number) {
    if (typeof options !== 'object' || options === null) throw new ArgumentError(`${name}: options must be an object`);
    super(params, options.lr ?? 1e-3);
    const betas = options.betas ?? [0.9, 0.999];
    if (!Array.isArray(betas) || betas.length !== 2) throw new ArgumentError(`${name}: betas must be a pair [beta1, beta2], got ${JSON.stringify(betas)}`);
    this.betas = [checkNumber(name, 'betas[0]', betas[0], 0, 1), checkNumber(name, 'betas[1]', betas[1], 0, 1)];
    this.eps = checkNumber(name, 'eps', options.eps ?? 1e-8, 0);
    this.weightDecay = checkNumber(name, 'weightDecay', options.weightDecay ?? defaultWeightDecay, 0);
    this.amsgrad = options.amsgrad ?? false;
    if (typeof this.amsgrad !== 'boolean') throw new ArgumentError(`${name}: amsgrad must be a boolean`);
  }

  protected slotNames(): readonly string[] {
    return this.amsgrad ? ['expAvg', 'expAvgSq', 'maxExpAvgSq'] : ['expAvg', 'expAvgSq'];
  }

  protected hyperparameters(): Record<string, number | boolean> {
    return { beta1: this.betas[0], beta2: this.betas[1], eps: this.eps, weightDecay: this.weightDecay, amsgrad: this.amsgrad };
  }

  protected update(param: Variable, grad: Tensor, slots: Record<string, Variable>, _step: number, scalar: StepScalar): void {
    const [b1, b2] = this.betas;
    const wd = this.weightDecay;
    let theta: Tensor = param;
    let g = grad;
    if (wd !== 0) {
      if (this.decoupled) theta = mul(param, scalar((_s, lr) => 1 - lr * wd));
      else g = add(g, mul(param, this.weightDecay));
    }
    const m = add(mul(slots.expAvg!, b1), mul(g, 1 - b1));
    const v = add(mul(slots.expAvgSq!, b2), mul(square(g), 1 - b2));
    slots.expAvg!.assign(m);
    slots.expAvgSq!.assign(v);
    let second = v;
    if (this.amsgrad) {
      second = maximum(slots.maxExpAvgSq!, v);
      slots.maxExpAvgSq!.assign(second);
    }
    // Bias corrections 1 − βᵗ change every step: host scalars, re-evaluated by a compiled step.
    const denom = add(div(sqrt(second), scalar((step) => Math.sqrt(1 - b2 ** step))), this.eps);
    param.assign(sub(theta, mul(div(m, denom), scalar((step, lr) => lr / (1 - b1 ** step)))));
  }
}

/**
 * Adam, as `torch.optim.Adam`: with g ← g + λ·θ (L2 weight decay),
 * m ← β1·m + (1 − β1)·g, v ← β2·v + (1 − β2)·g², and
 * θ ← θ − lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + ε).
 *
 * @example
 * const opt = new Adam(model.parameters(), { lr: 1e-3 });
 */
export class Adam extends AdamBase {
  protected readonly decoupled = false;

  /**
   * @param params the variables to update.
   * @param options see {@link AdamOptions} (weightDecay defaults to 0).
   */
  constructor(params: readonly Variable[], options: AdamOptions = {}) {
    super('Adam', params, options, 0);
  }
}

/**
 * AdamW, as `torch.optim.AdamW`: Adam with decoupled weight decay, θ ← θ·(1 − lr·λ) before the
 * Adam step (the gradient itself is not changed).
 */
export class AdamW extends AdamBase {
  protected readonly decoupled = true;

  /**
   * @param params the variables to update.
   * @param options see {@link AdamOptions} (weightDecay defaults to 0.01).
   */
  constructor(params: readonly Variable[], options: AdamOptions = {}) {
    super('AdamW', params, options, 0.01);
  }
}
