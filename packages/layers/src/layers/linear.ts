import { RandomGenerator, ShapeError, add, fmtShape, matmul, type Tensor, type Variable } from '@scratchnet/core';
import { autocastProduct } from '../mixed-precision/autocast.js';
import { initialize, type Initializer } from '../init.js';
import { Module, expectRank, registerModule } from '../module.js';
import { checkPositiveInt } from './checks.js';

/** Options of {@link Linear}. */
export interface LinearOptions {
  /** Add a learned bias (default true). */
  bias?: boolean;
  /** Weight initialiser (default 'kaimingUniform'). */
  weightInit?: Initializer;
  /** Bias initialiser (default 'zeros'). */
  biasInit?: Initializer;
  /** Seed for the initial weights. */
  seed?: number;
}

/** y = x·Wᵀ + b over the last axis; weight is [outFeatures, inFeatures] as in PyTorch. */
export class Linear extends Module {
  readonly weight: Variable;
  readonly bias: Variable | null;

  constructor(readonly inFeatures: number, readonly outFeatures: number, readonly options: LinearOptions = {}) {
    super();
    checkPositiveInt('Linear', 'inFeatures', inFeatures);
    checkPositiveInt('Linear', 'outFeatures', outFeatures);
    const gen = options.seed === undefined ? undefined : new RandomGenerator(options.seed);
    this.weight = this.addParameter('weight', initialize(options.weightInit ?? 'kaimingUniform', [outFeatures, inFeatures], gen));
    this.bias = options.bias === false ? null : this.addParameter('bias', initialize(options.biasInit ?? 'zeros', [outFeatures], gen));
  }

  forward(x: Tensor): Tensor {
    expectRank('Linear', x, [1, 2, 3, 4, 5, 6], 'a');
    if (x.shape[x.rank - 1] !== this.inFeatures) {
      throw new ShapeError(`Linear: input ${fmtShape(x.shape)} has ${x.shape[x.rank - 1]} features in its last dimension, expected inFeatures ${this.inFeatures}${flattenHint(x.shape, this.inFeatures)}`);
    }
    // Under autocast the product and the bias add run in float16 (float32 accumulation, float32 master weights).
    const [xc, w, bias] = autocastProduct(x, this.weight, this.bias);
    const y = matmul(xc!, w!, { transposeB: true });
    return bias ? add(y, bias) : y;
  }

  protected getConfig(): Record<string, unknown> {
    return { inFeatures: this.inFeatures, outFeatures: this.outFeatures, ...this.options };
  }
}

registerModule('Linear', Linear, (c) => new Linear(c.inFeatures as number, c.outFeatures as number, c));

/** For image-shaped input (rank ≥ 3), the advice to put a Flatten first, with the size it would give. */
function flattenHint(shape: readonly number[], inFeatures: number): string {
  if (shape.length < 3) return '';
  const flat = shape.slice(1).reduce((a, b) => a * b, 1);
  const fits = flat === inFeatures ? `, which gives [${shape[0]},${flat}] here` : ` (here it would give ${flat} features)`;
  return `; to feed a [batch, ...] image tensor to Linear, put new Flatten() before it${fits}`;
}
