import {
  ArgumentError, ShapeError, Tensor, abs, add, broadcastShapes, cast, exp, log1p, maximum, mul, neg, square, sub, tensor, tidy, fmtShape,
} from '@scratchnet/core';
import { Loss, type LossOptions } from './loss.js';

/**
 * Mean squared error, as `torch.nn.MSELoss`: `(prediction − target)²` per element, then the
 * reduction. Prediction and target must have the same shape; an int32 target is cast to float32.
 */
export class MSELoss extends Loss {
  /** @param options see {@link LossOptions}. */
  constructor(options: LossOptions = {}) {
    super(options);
  }

  override forward(prediction: Tensor, target: Tensor): Tensor {
    this.expectTensor(prediction, 'prediction', ['float32']);
    this.expectTensor(target, 'target', ['float32', 'int32']);
    this.expectSameShape(prediction, target);
    return tidy(() => this.reduce(square(sub(prediction, cast(target, 'float32')))));
  }
}

/** A per-element factor broadcast against the input: a number, an array (along the last axis) or a Tensor. */
export type BroadcastWeight = number | readonly number[] | Float32Array | Tensor | { values: readonly number[]; shape: readonly number[] };

/** Options of {@link BCEWithLogitsLoss}. */
export interface BCEWithLogitsLossOptions extends LossOptions {
  /**
   * The weight of positive examples, broadcast against the input (an array runs along the last
   * axis: one value per class), as PyTorch's `pos_weight`. > 1 raises recall, < 1 precision.
   */
  posWeight?: BroadcastWeight;
  /** A rescaling weight of each element's loss, broadcast against the input, as PyTorch's `weight`. */
  weight?: BroadcastWeight;
}

interface StoredWeight {
  values: Float32Array;
  shape: number[];
}

function readBroadcastWeight(loss: string, arg: string, w: BroadcastWeight | undefined): StoredWeight | null {
  if (w === undefined) return null;
  let stored: StoredWeight;
  if (typeof w === 'number') stored = { values: Float32Array.of(w), shape: [] };
  else if (w instanceof Tensor) {
    let data: ArrayLike<number>;
    try {
      data = w.dataSync();
    } catch (e) {
      throw new ArgumentError(`${loss}: ${arg} could not be read synchronously (${(e as Error).message}); pass it as an array of numbers`);
    }
    stored = { values: Float32Array.from(data), shape: [...w.shape] };
  } else if (Array.isArray(w) || w instanceof Float32Array) {
    stored = { values: Float32Array.from(w as ArrayLike<number>), shape: [(w as ArrayLike<number>).length] };
  } else if (typeof w === 'object' && w !== null && 'values' in w && 'shape' in w && Array.isArray(w.values) && Array.isArray(w.shape)) {
    const shape = [...(w.shape as readonly number[])];
    const size = shape.reduce((n, d) => n * d, 1);
    stored = { values: Float32Array.from(w.values as readonly number[]), shape };
    if (stored.values.length !== size) {
      throw new ShapeError(`${loss}: ${arg} has ${stored.values.length} values, its shape ${fmtShape(shape)} needs ${size}`);
    }
  } else {
    throw new ArgumentError(`${loss}: ${arg} must be a number, an array of numbers, { values, shape } or a Tensor`);
  }
  for (const v of stored.values) {
    if (!Number.isFinite(v)) throw new ArgumentError(`${loss}: ${arg} values must be finite numbers, got ${v}`);
  }
  return stored;
}

/**
 * Binary cross entropy of logits against targets in [0, 1], as `torch.nn.BCEWithLogitsLoss`,
 * computed stably as `max(x, 0) − x·y + log1p(exp(−|x|))` (with `posWeight` p:
 * `(1 − y)·x + (1 + (p − 1)·y)·(max(−x, 0) + log1p(exp(−|x|)))`).
 */
export class BCEWithLogitsLoss extends Loss {
  private readonly posWeight: StoredWeight | null;
  private readonly weight: StoredWeight | null;

  /** @param options see {@link BCEWithLogitsLossOptions}. */
  constructor(options: BCEWithLogitsLossOptions = {}) {
    super(options);
    this.posWeight = readBroadcastWeight(this.name, 'posWeight', options.posWeight);
    this.weight = readBroadcastWeight(this.name, 'weight', options.weight);
  }

  override forward(prediction: Tensor, target: Tensor): Tensor {
    this.expectTensor(prediction, 'prediction', ['float32']);
    this.expectTensor(target, 'target', ['float32', 'int32', 'bool']);
    this.expectSameShape(prediction, target);
    for (const [arg, w] of [['posWeight', this.posWeight], ['weight', this.weight]] as const) {
      if (!w) continue;
      try {
        const out = broadcastShapes(prediction.shape, w.shape, this.name, ['prediction', arg]);
        if (out.length !== prediction.rank || out.some((d, i) => d !== prediction.shape[i])) throw new Error('grows');
      } catch {
        throw new ShapeError(`${this.name}: ${arg} of shape ${fmtShape(w.shape)} does not broadcast to prediction shape ${fmtShape(prediction.shape)}`);
      }
    }
    return tidy(() => {
      const x = prediction;
      const y = cast(target, 'float32');
      const logTerm = log1p(exp(neg(abs(x)))); // log(1 + e^−|x|) ≤ log 2: never overflows
      let perElement: Tensor;
      if (this.posWeight) {
        const p = tensor(this.posWeight.values, this.posWeight.shape, 'float32');
        const logWeight = add(mul(sub(p, 1), y), 1);
        perElement = add(mul(sub(1, y), x), mul(logWeight, add(maximum(neg(x), 0), logTerm)));
      } else {
        perElement = add(sub(maximum(x, 0), mul(x, y)), logTerm);
      }
      if (this.weight) perElement = mul(perElement, tensor(this.weight.values, this.weight.shape, 'float32'));
      return this.reduce(perElement);
    });
  }

  protected override getConfig(): Record<string, unknown> {
    // The same forms the constructor accepts, so `new BCEWithLogitsLoss(toConfig().config)` rebuilds it.
    const cfg = (w: StoredWeight): unknown => (w.shape.length === 0 ? w.values[0] : { values: Array.from(w.values), shape: [...w.shape] });
    return {
      ...(this.posWeight ? { posWeight: cfg(this.posWeight) } : {}),
      ...(this.weight ? { weight: cfg(this.weight) } : {}),
    };
  }
}
