import { RandomGenerator, dropout, flatten, type Tensor } from '@scratchnet/core';
import { Module, expectRank, registerModule } from '../module.js';
import { checkRange } from './checks.js';

/** Merges axes startDim..endDim (default: all but the batch axis), as PyTorch's nn.Flatten. */
export class Flatten extends Module {
  constructor(readonly startDim = 1, readonly endDim = -1) {
    super();
  }

  forward(x: Tensor): Tensor {
    expectRank('Flatten', x, [2, 3, 4, 5, 6], 'a batched');
    return flatten(x, this.startDim, this.endDim);
  }

  protected getConfig(): Record<string, unknown> {
    return { startDim: this.startDim, endDim: this.endDim };
  }
}

/** Options of {@link Dropout}. */
export interface DropoutOptions {
  /** Seed of the layer's own generator: the same seed gives the same masks. */
  seed?: number;
}

/** Zeroes elements with probability p in training (scaling the rest by 1/(1−p)); identity in eval. */
export class Dropout extends Module {
  private readonly generator: RandomGenerator | undefined;

  constructor(readonly p = 0.5, readonly options: DropoutOptions = {}) {
    super();
    checkRange('Dropout', 'p', p, 0, 1);
    this.generator = options.seed === undefined ? undefined : new RandomGenerator(options.seed);
  }

  forward(x: Tensor): Tensor {
    return dropout(x, this.p, { training: this.training, seed: this.generator });
  }

  protected getConfig(): Record<string, unknown> {
    return { p: this.p, ...this.options };
  }
}

registerModule('Flatten', Flatten, (c) => new Flatten(c.startDim as number, c.endDim as number));
registerModule('Dropout', Dropout, (c) => new Dropout(c.p as number, c));
