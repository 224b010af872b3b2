import {
  ArgumentError, RandomGenerator, ShapeError, add, arange, cos, exp, fmtShape, mul, randomNormal, reshape, sin, slice, stack, type Tensor,
  type Variable,
} from '@scratchnet/core';
import { Module, expectRank, registerModule } from '../module.js';
import { checkPositiveInt } from './checks.js';

/** Options of the positional modules. */
export interface PositionalOptions {
  /** Input is [batch, length, dModel] (default false: [length, batch, dModel], as PyTorch's transformer layers). */
  batchFirst?: boolean;
  /** Seed for the initial weights (learned embedding only). */
  seed?: number;
}

/** Checks x and returns its sequence length and the shape a [length, dModel] table broadcasts as. */
function sequenceAxis(layer: string, x: Tensor, dModel: number, batchFirst: boolean): { length: number; viewShape: number[] } {
  expectRank(layer, x, [2, 3], batchFirst ? 'a [batch, length, dModel] (or [length, dModel])' : 'a [length, batch, dModel] (or [length, dModel])');
  if (x.shape[x.rank - 1] !== dModel) throw new ShapeError(`${layer}: input ${fmtShape(x.shape)} must have dModel ${dModel} features in its last dimension`);
  const axis = x.rank === 2 || batchFirst ? x.rank - 2 : 0;
  const length = x.shape[axis]!;
  const viewShape = x.rank === 2 ? [length, dModel] : batchFirst ? [1, length, dModel] : [length, 1, dModel];
  return { length, viewShape };
}

function checkOffset(layer: string, offset: unknown): void {
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) throw new ArgumentError(`${layer}: offset must be a non-negative integer, got ${String(offset)}`);
}

/**
 * Learned absolute positions (GPT-style): a [maxLen, dModel] `weight` (N(0, 1), as nn.Embedding)
 * whose first `length` rows are added to the input. Longer inputs than `maxLen` are an error.
 */
export class LearnedPositionalEmbedding extends Module {
  readonly weight: Variable;

  constructor(readonly maxLen: number, readonly dModel: number, readonly options: PositionalOptions = {}) {
    super();
    checkPositiveInt('LearnedPositionalEmbedding', 'maxLen', maxLen);
    checkPositiveInt('LearnedPositionalEmbedding', 'dModel', dModel);
    const gen = options.seed === undefined ? undefined : new RandomGenerator(options.seed);
    this.weight = this.addParameter('weight', randomNormal([maxLen, dModel], { seed: gen }));
  }

  /** Adds positions offset..offset+length−1 (`offset`: positions already seen, e.g. a KV cache's length). */
  forward(x: Tensor, offset = 0): Tensor {
    const { length, viewShape } = sequenceAxis('LearnedPositionalEmbedding', x, this.dModel, this.options.batchFirst ?? false);
    checkOffset('LearnedPositionalEmbedding', offset);
    if (offset + length > this.maxLen) {
      throw new ShapeError(`LearnedPositionalEmbedding: input ${fmtShape(x.shape)} at offset ${offset} reaches position ${offset + length - 1}, beyond maxLen ${this.maxLen}`);
    }
    return add(x, reshape(slice(this.weight, [offset, 0], [length, this.dModel]), viewShape));
  }

  protected getConfig(): Record<string, unknown> {
    return { maxLen: this.maxLen, dModel: this.dModel, ...this.options };
  }
}

/**
 * The fixed sinusoidal encoding of "Attention Is All You Need" (as in PyTorch's transformer
 * tutorial): pe[p, 2i] = sin(p / 10000^(2i/dModel)), pe[p, 2i+1] = cos(p / 10000^(2i/dModel)),
 * added to the input. It has no parameters and no buffer: the [length, dModel] table is computed
 * for each input's length, never for more positions than the input has.
 */
export class SinusoidalPositionalEncoding extends Module {
  constructor(readonly dModel: number, readonly options: PositionalOptions = {}) {
    super();
    checkPositiveInt('SinusoidalPositionalEncoding', 'dModel', dModel);
  }

  /** The [length, dModel] table of positions offset..offset+length−1. */
  table(length: number, offset = 0): Tensor {
    checkPositiveInt('SinusoidalPositionalEncoding', 'length', length);
    checkOffset('SinusoidalPositionalEncoding', offset);
    const half = Math.ceil(this.dModel / 2);
    const position = reshape(arange(offset, offset + length), [length, 1]);
    const invFreq = reshape(exp(mul(arange(0, 2 * half, 2), -Math.log(10000) / this.dModel)), [1, half]);
    const angle = mul(position, invFreq);
    const interleaved = reshape(stack([sin(angle), cos(angle)], 2), [length, 2 * half]);
    return this.dModel % 2 === 0 ? interleaved : slice(interleaved, [0, 0], [length, this.dModel]);
  }

  /** Adds the encodings of positions offset..offset+length−1 (`offset`: positions already seen). */
  forward(x: Tensor, offset = 0): Tensor {
    const { length, viewShape } = sequenceAxis('SinusoidalPositionalEncoding', x, this.dModel, this.options.batchFirst ?? false);
    return add(x, reshape(this.table(length, offset), viewShape));
  }

  protected getConfig(): Record<string, unknown> {
    return { dModel: this.dModel, ...this.options };
  }
}

registerModule('LearnedPositionalEmbedding', LearnedPositionalEmbedding, (c) => new LearnedPositionalEmbedding(c.maxLen as number, c.dModel as number, c));
registerModule('SinusoidalPositionalEncoding', SinusoidalPositionalEncoding, (c) => new SinusoidalPositionalEncoding(c.dModel as number, c));
