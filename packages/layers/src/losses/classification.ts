import {
  ArgumentError, ShapeError, Tensor, arange, cast, checkValues, div, equal, expandDims, logSoftmax, mul, neg, notEqual, permute,
  reshape, sum, tensor, tidy, add, where, fmtShape, shapesEqual,
} from '@scratchnet/core';
import { Loss, type LossOptions } from './loss.js';

/** Options shared by {@link CrossEntropyLoss} and {@link NLLLoss}. */
export interface ClassificationLossOptions extends LossOptions {
  /** A rescaling weight per class (length C), as PyTorch's `weight`. The `'mean'` reduction divides by the summed weights of the targets. */
  weight?: readonly number[] | Float32Array | Tensor;
  /** Class-index targets equal to this value contribute nothing (default −100, as in PyTorch). */
  ignoreIndex?: number;
}

/** Options of {@link CrossEntropyLoss}. */
export interface CrossEntropyLossOptions extends ClassificationLossOptions {
  /**
   * In [0, 1]: the target becomes a mix of the original one and the uniform distribution,
   * `(1 − ε)·target + ε / C`, as PyTorch's `label_smoothing`. Default 0.
   */
  labelSmoothing?: number;
}

/** Reads a weight option into plain numbers (a Tensor must be readable synchronously). */
function readWeight(loss: string, w: ClassificationLossOptions['weight']): number[] | null {
  if (w === undefined) return null;
  let values: number[];
  if (w instanceof Tensor) {
    if (w.rank !== 1) throw new ShapeError(`${loss}: weight must be 1-D (one value per class), got shape ${fmtShape(w.shape)}`);
    try {
      values = Array.from(w.dataSync());
    } catch (e) {
      throw new ArgumentError(`${loss}: weight could not be read synchronously (${(e as Error).message}); pass it as an array of numbers`);
    }
  } else if (Array.isArray(w) || w instanceof Float32Array) {
    values = Array.from(w as ArrayLike<number>);
  } else {
    throw new ArgumentError(`${loss}: weight must be an array of numbers or a 1-D Tensor`);
  }
  for (const v of values) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new ArgumentError(`${loss}: weight values must be finite numbers, got ${String(v)}`);
  }
  return values;
}

/**
 * Checks class indices against [0, C) (except `ignoreIndex`): at once where they can be read
 * synchronously, otherwise when they arrive, the error then being thrown by the next read of tensor data.
 */
function checkClassIndices(loss: string, target: Tensor, numClasses: number, ignoreIndex: number): void {
  checkValues(target, loss, (values) => {
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v !== ignoreIndex && (v < 0 || v >= numClasses)) {
        return new ArgumentError(`${loss}: target class index ${v} at position ${i} is out of range for ${numClasses} classes (expected 0..${numClasses - 1}${ignoreIndex < 0 || ignoreIndex >= numClasses ? ` or ignoreIndex ${ignoreIndex}` : ''})`);
      }
    }
    return null;
  });
}

/**
 * The shared part of the cross-entropy family: input [N, C, d1, ...] (or unbatched [C]) and a target
 * of class indices [N, d1, ...] or, where allowed, class probabilities of the input's shape.
 */
abstract class ClassificationLoss extends Loss {
  /** Per-class weights, or null. */
  readonly weight: readonly number[] | null;
  /** The class index that is ignored. */
  readonly ignoreIndex: number;

  constructor(options: ClassificationLossOptions = {}) {
    super(options);
    this.weight = readWeight(this.name, options.weight);
    const ignoreIndex = options.ignoreIndex ?? -100;
    if (!Number.isInteger(ignoreIndex)) throw new ArgumentError(`${this.name}: ignoreIndex must be an integer, got ${ignoreIndex}`);
    this.ignoreIndex = ignoreIndex;
  }

  /** Turns the input into log-probabilities along the last axis. */
  protected abstract logProbabilities(x: Tensor): Tensor;

  /** Label smoothing ε (0 for NLLLoss). */
  protected get smoothing(): number {
    return 0;
  }

  /** Whether float probability targets are accepted. */
  protected abstract readonly acceptsProbabilities: boolean;

  /** The settings a saved model records for this loss (class weights, ignored index). */
  protected override getConfig(): Record<string, unknown> {
    return { ...(this.weight ? { weight: [...this.weight] } : {}), ignoreIndex: this.ignoreIndex };
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    this.expectTensor(input, 'input', ['float32']);
    this.expectTensor(target, 'target', this.acceptsProbabilities ? ['int32', 'float32'] : ['int32']);
    if (input.rank < 1) throw new ShapeError(`${this.name}: input must have shape [N, C, ...] or [C], got a scalar`);
    if (input.rank === 1) {
      // Unbatched: [C] with a scalar index or a [C] distribution.
      const targetShape = target.dtype === 'int32' ? [] : input.shape;
      if (!shapesEqual(target.shape, targetShape)) throw this.targetShapeError(input, target);
      return tidy(() => {
        const out = this.forward(reshape(input, [1, input.shape[0]!]), reshape(target, [1, ...target.shape]));
        return this.reduction === 'none' ? reshape(out, []) : out;
      });
    }
    const numClasses = input.shape[1]!;
    const spatial = input.shape.slice(2);
    const indexShape = [input.shape[0]!, ...spatial];
    if (this.weight && this.weight.length !== numClasses) {
      throw new ShapeError(`${this.name}: weight has ${this.weight.length} values but input ${fmtShape(input.shape)} has ${numClasses} classes`);
    }
    if (target.dtype === 'int32') {
      if (!shapesEqual(target.shape, indexShape)) throw this.targetShapeError(input, target);
      checkClassIndices(this.name, target, numClasses, this.ignoreIndex);
    } else if (!shapesEqual(target.shape, input.shape)) {
      throw this.targetShapeError(input, target);
    }
    return tidy(() => {
      // Classes last: [N, d1, ..., C].
      const perm = [0, ...spatial.map((_, i) => i + 2), 1];
      const classesLast = (t: Tensor): Tensor => (spatial.length ? permute(t, perm) : t);
      const logp = this.logProbabilities(classesLast(input));
      const w = this.weight ? tensor(Float32Array.from(this.weight), [numClasses], 'float32') : null;
      const eps = this.smoothing;
      if (target.dtype === 'float32') {
        let p = classesLast(target);
        if (eps > 0) p = add(mul(p, 1 - eps), eps / numClasses);
        const weighted = w ? mul(p, w) : p;
        // PyTorch divides the 'mean' of probability targets by the number of rows, not by the weights.
        return this.reduce(neg(sum(weightedLogProbs(logp, weighted), -1)));
      }
      const valid = cast(notEqual(target, this.ignoreIndex), 'float32');
      const hit = mul(cast(equal(expandDims(target, -1), arange(0, numClasses, 1, 'int32')), 'float32'), expandDims(valid, -1));
      const hitWeighted = w ? mul(hit, w) : hit;
      let perElement = neg(sum(weightedLogProbs(logp, hitWeighted), -1));
      if (eps > 0) {
        const smooth = mul(neg(sum(w ? mul(logp, w) : logp, -1)), valid);
        perElement = add(mul(perElement, 1 - eps), mul(smooth, eps / numClasses));
      }
      if (this.reduction === 'mean') return div(sum(perElement), sum(hitWeighted));
      return this.reduce(perElement);
    });
  }

  private targetShapeError(input: Tensor, target: Tensor): ShapeError {
    const indexShape = input.rank === 1 ? [] : [input.shape[0]!, ...input.shape.slice(2)];
    const expected = this.acceptsProbabilities
      ? `class indices ${fmtShape(indexShape)} (int32) or class probabilities ${fmtShape(input.shape)} (float32)`
      : `class indices ${fmtShape(indexShape)} (int32)`;
    return new ShapeError(`${this.name}: target shape ${fmtShape(target.shape)} (${target.dtype}) does not match input shape ${fmtShape(input.shape)}; expected ${expected}`);
  }
}

/**
 * logp · weights, with 0 wherever the weight is 0: a class whose log-probability underflowed to
 * −∞ (logits near the float32 limit) then contributes nothing instead of 0 · −∞ = NaN.
 */
function weightedLogProbs(logp: Tensor, weights: Tensor): Tensor {
  return where(notEqual(weights, 0), mul(logp, weights), 0);
}

/**
 * Cross entropy from unnormalized logits, as `torch.nn.CrossEntropyLoss`: input [N, C] (or
 * [N, C, d1, ...], or unbatched [C]); target either int32 class indices [N] ([N, d1, ...]) or float32
 * class probabilities (one-hot or soft) of the input's shape. Uses logSoftmax, so logits of
 * magnitude 1e4 stay finite.
 *
 * @example
 * const loss = new CrossEntropyLoss({ labelSmoothing: 0.1 }).forward(logits, labels);
 */
export class CrossEntropyLoss extends ClassificationLoss {
  /** The label-smoothing amount ε. */
  readonly labelSmoothing: number;
  protected readonly acceptsProbabilities = true;

  /** @param options see {@link CrossEntropyLossOptions}. */
  constructor(options: CrossEntropyLossOptions = {}) {
    super(options);
    const ls = options.labelSmoothing ?? 0;
    if (typeof ls !== 'number' || !(ls >= 0 && ls <= 1)) {
      throw new ArgumentError(`CrossEntropyLoss: labelSmoothing must be a number in [0, 1], got ${String(ls)}`);
    }
    this.labelSmoothing = ls;
  }

  protected override get smoothing(): number {
    return this.labelSmoothing;
  }

  protected logProbabilities(x: Tensor): Tensor {
    return logSoftmax(x, -1);
  }

  protected override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), labelSmoothing: this.labelSmoothing };
  }
}

/**
 * Negative log-likelihood of log-probabilities (e.g. the output of logSoftmax), as
 * `torch.nn.NLLLoss`: input [N, C] (or [N, C, d1, ...], or [C]); target int32 class indices
 * [N] ([N, d1, ...]).
 */
export class NLLLoss extends ClassificationLoss {
  protected readonly acceptsProbabilities = false;

  /** @param options see {@link ClassificationLossOptions}. */
  constructor(options: ClassificationLossOptions = {}) {
    super(options);
  }

  protected logProbabilities(x: Tensor): Tensor {
    return x;
  }
}

