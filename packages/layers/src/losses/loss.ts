import { ArgumentError, DTypeError, ShapeError, Tensor, fmtShape, mean, shapesEqual, sum, type DType } from '@scratchnet/core';

/** How a loss combines its per-element values: their mean, their sum, or none (one value per element). */
export type Reduction = 'mean' | 'sum' | 'none';

/** Options every loss accepts. */
export interface LossOptions {
  /** `'mean'` (default) averages the per-element losses, `'sum'` adds them, `'none'` returns them. */
  reduction?: Reduction;
}

/** A JSON description of a loss: its class name and the options that rebuild it. */
export interface LossConfig {
  className: string;
  config: Record<string, unknown>;
}

const REDUCTIONS: readonly Reduction[] = ['mean', 'sum', 'none'];

/**
 * The base of every loss, as `torch.nn.modules.loss._Loss`: `forward(prediction, target)` returns a
 * scalar for `'mean'` / `'sum'` reductions, or the unreduced per-element losses for `'none'`.
 */
export abstract class Loss {
  /** How the per-element losses are combined. */
  readonly reduction: Reduction;

  /** @param options see {@link LossOptions}. */
  constructor(options: LossOptions = {}) {
    if (typeof options !== 'object' || options === null) {
      throw new ArgumentError(`${this.constructor.name}: options must be an object, got ${String(options)}`);
    }
    const reduction = options.reduction ?? 'mean';
    if (!REDUCTIONS.includes(reduction)) {
      throw new ArgumentError(`${this.constructor.name}: reduction must be 'mean', 'sum' or 'none', got ${JSON.stringify(reduction)}`);
    }
    this.reduction = reduction;
  }

  /** The loss's class name, used in errors and saved configs. */
  get name(): string {
    return this.constructor.name;
  }

  /** Computes the loss of `prediction` against `target`. */
  abstract forward(prediction: Tensor, target: Tensor): Tensor;

  /** Same as {@link Loss.forward}, reads like PyTorch's `loss_fn(input, target)`. */
  call(prediction: Tensor, target: Tensor): Tensor {
    return this.forward(prediction, target);
  }

  /** The constructor options that rebuild this loss, beyond `reduction`. */
  protected getConfig(): Record<string, unknown> {
    return {};
  }

  /** A JSON-able description: `{ className, config }` with the constructor options. */
  toConfig(): LossConfig {
    return { className: this.name, config: { reduction: this.reduction, ...this.getConfig() } };
  }

  /** Applies the reduction to per-element losses. */
  protected reduce(perElement: Tensor): Tensor {
    if (this.reduction === 'none') return perElement;
    return this.reduction === 'sum' ? sum(perElement) : mean(perElement);
  }

  /** Throws unless `t` is a Tensor with one of the `allowed` dtypes; the error names the loss and the argument. */
  protected expectTensor(t: unknown, arg: string, allowed: readonly DType[]): Tensor {
    if (!(t instanceof Tensor)) throw new ArgumentError(`${this.name}: ${arg} must be a Tensor, got ${describe(t)}`);
    if (!allowed.includes(t.dtype)) {
      throw new DTypeError(`${this.name}: ${arg} must have dtype ${allowed.join(' or ')}, got ${t.dtype} (shape ${fmtShape(t.shape)})`);
    }
    return t;
  }

  /** Throws a ShapeError naming both shapes unless prediction and target have the same shape. */
  protected expectSameShape(prediction: Tensor, target: Tensor): void {
    if (!shapesEqual(prediction.shape, target.shape)) {
      throw new ShapeError(`${this.name}: target shape ${fmtShape(target.shape)} does not match prediction shape ${fmtShape(prediction.shape)}`);
    }
  }
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array (wrap it with tensor(...))';
  return typeof x;
}
