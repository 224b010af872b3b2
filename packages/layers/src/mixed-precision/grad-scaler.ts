/**
 * Dynamic loss scaling, as PyTorch's `torch.amp.GradScaler`: float16 gradients of small losses
 * underflow to zero, so the loss is multiplied by a large scale before the backward pass and the
 * (float32) weight gradients are divided by it afterwards. When a step's gradients hold an Infinity or
 * NaN (the scale made a float16 gradient overflow) the step is skipped and the scale halves; after
 * `growthInterval` good steps in a row it doubles.
 */
import { ArgumentError, add, dispose, div, keep, mul, sum, tidy, zeros, type Tensor, type Variable } from '@scratchnet/core';

/** Options of {@link GradScaler} (PyTorch's names and defaults). */
export interface GradScalerOptions {
  /** The first scale. Default 2^16. */
  readonly initScale?: number;
  /** Factor the scale grows by after `growthInterval` good steps. Default 2. */
  readonly growthFactor?: number;
  /** Factor the scale shrinks by after a step with non-finite gradients. Default 0.5. */
  readonly backoffFactor?: number;
  /** Good steps in a row before the scale grows. Default 2000. */
  readonly growthInterval?: number;
}

/** What {@link GradScaler.step} did. */
export interface ScalerStep {
  /** False when the gradients held Infinity or NaN and the optimizer step was skipped. */
  readonly stepped: boolean;
  /** The scale after the update. */
  readonly scale: number;
}

/** An optimizer as the scaler needs it. */
interface Steppable {
  step(grads: Map<Variable, Tensor>): void;
}

function positive(name: string, v: number, op = 'GradScaler'): number {
  if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) throw new ArgumentError(`${op}: ${name} must be a finite number > 0, got ${String(v)}`);
  return v;
}

/** Scales losses, unscales gradients, skips overflowing steps and adapts the scale. */
export class GradScaler {
  private current: number;
  private goodSteps = 0;
  private skipped = 0;
  /** Factor the scale grows by after `growthInterval` good steps. */
  readonly growthFactor: number;
  /** Factor the scale shrinks by after a skipped step. */
  readonly backoffFactor: number;
  /** Good steps in a row before the scale grows. */
  readonly growthInterval: number;

  /** Makes a scaler; throws an ArgumentError naming a bad option. */
  constructor(options: GradScalerOptions = {}) {
    this.current = positive('initScale', options.initScale ?? 2 ** 16);
    this.growthFactor = positive('growthFactor', options.growthFactor ?? 2);
    this.backoffFactor = positive('backoffFactor', options.backoffFactor ?? 0.5);
    const interval = options.growthInterval ?? 2000;
    if (!Number.isInteger(interval) || interval < 1) throw new ArgumentError(`GradScaler: growthInterval must be a positive integer, got ${String(interval)}`);
    this.growthInterval = interval;
    if (this.growthFactor <= 1) throw new ArgumentError(`GradScaler: growthFactor must be > 1, got ${this.growthFactor}`);
    if (this.backoffFactor >= 1) throw new ArgumentError(`GradScaler: backoffFactor must be < 1, got ${this.backoffFactor}`);
  }

  /** The scale now. */
  get scale(): number {
    return this.current;
  }

  /** How many steps were skipped so far. */
  get skippedSteps(): number {
    return this.skipped;
  }

  /** The loss times the scale (differentiate this one). */
  scaleLoss(loss: Tensor): Tensor {
    return mul(loss, this.current);
  }

  /**
   * Divides each gradient by the scale and returns the unscaled gradients (kept: the caller disposes
   * them) with a float32 scalar that is 0 when every gradient is finite and NaN otherwise (0 · ±∞ and
   * 0 · NaN are NaN; no sum can overflow).
   */
  unscale(grads: Map<Variable, Tensor>): { grads: Map<Variable, Tensor>; check: Tensor } {
    return tidy(() => {
      const out = new Map<Variable, Tensor>();
      let check: Tensor | null = null;
      for (const [v, g] of grads) {
        const u = keep(div(g, this.current));
        out.set(v, u);
        const probe = sum(mul(u, 0));
        check = check ? add(check, probe) : probe;
      }
      return { grads: out, check: keep(check ?? zeros([])) };
    });
  }

  /**
   * Records a step's outcome: a non-finite step multiplies the scale by `backoffFactor` and resets the
   * run of good steps; `growthInterval` good steps in a row multiply it by `growthFactor`.
   */
  update(finite: boolean): void {
    if (!finite) {
      this.current *= this.backoffFactor;
      this.goodSteps = 0;
      this.skipped++;
      return;
    }
    if (++this.goodSteps >= this.growthInterval) {
      this.current *= this.growthFactor;
      this.goodSteps = 0;
    }
  }

  /**
   * Unscales `grads` (gradients of {@link GradScaler.scaleLoss}'s output), steps `optimizer` with them
   * when all are finite, skips the step otherwise, and updates the scale. Reads one scalar back (async,
   * so it works on backends that only read asynchronously). Does not dispose `grads`.
   */
  async step(optimizer: Steppable, grads: Map<Variable, Tensor>): Promise<ScalerStep> {
    const { grads: unscaled, check } = this.unscale(grads);
    try {
      const finite = Number.isFinite((await check.data())[0]!);
      if (finite) tidy(() => optimizer.step(unscaled));
      this.update(finite);
      return { stepped: finite, scale: this.current };
    } finally {
      dispose([check, ...unscaled.values()]);
    }
  }
}
