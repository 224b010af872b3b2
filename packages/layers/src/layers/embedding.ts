import {
  ArgumentError, DTypeError, RandomGenerator, add, any, arange, div, equal, fmtShape, gather, greater, logicalAnd, mul, noGrad,
  norm, oneHot, randomNormal, reshape, scalar, tidy, where, type Tensor, type Variable,
} from '@scratchnet/core';
import { Module, registerModule } from '../module.js';
import { checkPositiveInt, checkRange } from './checks.js';

/** Options of {@link Embedding} (PyTorch's defaults). */
export interface EmbeddingOptions {
  /**
   * An index whose row starts at zero and receives no gradient (e.g. the padding token). Negative
   * values count from the end, as in PyTorch.
   */
  paddingIdx?: number;
  /**
   * When set, every row that a forward pass looks up is first rescaled in place (without a
   * gradient) so that its `normType`-norm is at most `maxNorm`, as PyTorch does.
   */
  maxNorm?: number;
  /** The norm `maxNorm` bounds (default 2). */
  normType?: number;
  /** Seed for the initial weights. */
  seed?: number;
}

/**
 * A lookup table, as PyTorch's nn.Embedding: row `i` of `weight` ([numEmbeddings, embeddingDim],
 * initialised from N(0, 1)) is the vector of index `i`. `forward` takes an int32 tensor of any
 * shape and returns its rows with `embeddingDim` appended to the shape. An index outside
 * [0, numEmbeddings) is an error on every backend (core's gather checks it).
 *
 * With `paddingIdx`, that row starts at zero and receives no gradient (its lookups pass the row's
 * value through without recording it). With `maxNorm`, the rows looked up are renormalised in
 * the weight itself before the lookup, exactly when PyTorch would do it: this modifies the weight
 * during forward. It finds the rows through a one-hot of the indices, which costs
 * (number of indices × numEmbeddings) memory for that step.
 */
export class Embedding extends Module {
  readonly weight: Variable;
  readonly paddingIdx: number | null;

  constructor(readonly numEmbeddings: number, readonly embeddingDim: number, readonly options: EmbeddingOptions = {}) {
    super();
    checkPositiveInt('Embedding', 'numEmbeddings', numEmbeddings);
    checkPositiveInt('Embedding', 'embeddingDim', embeddingDim);
    const pad = options.paddingIdx;
    if (pad !== undefined && (!Number.isInteger(pad) || pad < -numEmbeddings || pad >= numEmbeddings)) {
      throw new ArgumentError(`Embedding: paddingIdx must be an integer in [${-numEmbeddings}, ${numEmbeddings - 1}], got ${String(pad)}`);
    }
    if (options.maxNorm !== undefined) checkRange('Embedding', 'maxNorm', options.maxNorm, 0, Infinity);
    if (options.normType !== undefined) checkRange('Embedding', 'normType', options.normType, Number.MIN_VALUE, Infinity);
    this.paddingIdx = pad === undefined ? null : pad < 0 ? pad + numEmbeddings : pad;
    const gen = options.seed === undefined ? undefined : new RandomGenerator(options.seed);
    const initial = tidy(() => {
      const w = randomNormal([numEmbeddings, embeddingDim], { seed: gen });
      if (this.paddingIdx === null) return w;
      const isPad = equal(reshape(scalar(this.paddingIdx, 'int32'), [1, 1]), reshape(arange(0, numEmbeddings, 1, 'int32'), [numEmbeddings, 1]));
      return where(isPad, 0, w);
    });
    this.weight = this.addParameter('weight', initial);
  }

  forward(input: Tensor): Tensor {
    if (input.dtype !== 'int32') {
      throw new DTypeError(`Embedding: indices must be an int32 tensor, got ${input.dtype} ${fmtShape(input.shape)}`);
    }
    if (this.options.maxNorm !== undefined) this.renormLookedUpRows(input, this.options.maxNorm, this.options.normType ?? 2);
    const rows = gather(this.weight, input, 0);
    if (this.paddingIdx === null) return rows;
    // The padding row's lookups carry its value but no gradient back to the weight.
    const frozen = noGrad(() => gather(this.weight, input, 0));
    const isPad = reshape(equal(input, this.paddingIdx), [...input.shape, 1]);
    return where(isPad, frozen, rows);
  }

  /** PyTorch's embedding_renorm_: rows referenced by `input` with norm > maxNorm are scaled to maxNorm/(norm + 1e-7). */
  private renormLookedUpRows(input: Tensor, maxNorm: number, normType: number): void {
    noGrad(() =>
      tidy(() => {
        const used = reshape(any(oneHot(reshape(input, [-1]), this.numEmbeddings), [0]), [this.numEmbeddings, 1]);
        const norms = norm(this.weight, normType, [1], true);
        const scale = div(maxNorm, add(norms, 1e-7));
        this.weight.assign(where(logicalAnd(used, greater(norms, maxNorm)), mul(this.weight, scale), this.weight));
      }),
    );
  }

  protected getConfig(): Record<string, unknown> {
    return { numEmbeddings: this.numEmbeddings, embeddingDim: this.embeddingDim, ...this.options };
  }
}

registerModule('Embedding', Embedding, (c) => new Embedding(c.numEmbeddings as number, c.embeddingDim as number, c));
