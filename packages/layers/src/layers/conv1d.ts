import {
  RandomGenerator, ShapeError, add, conv1d, fmtShape, reshape, type Padding1d, type Tensor, type Variable,
} from '@scratchnet/core';
import { initialize, type Initializer } from '../init.js';
import { Module, expectRank, registerModule } from '../module.js';
import { checkConvChannels } from './checks.js';

/** Options of {@link Conv1D}. */
export interface Conv1DOptions {
  stride?: number;
  /** Symmetric zero padding, or 'same' / 'valid' (default 0). */
  padding?: Padding1d;
  dilation?: number;
  groups?: number;
  /** Add a learned bias per output channel (default true). */
  bias?: boolean;
  weightInit?: Initializer;
  biasInit?: Initializer;
  seed?: number;
}

/**
 * 1-D convolution over [N, C, L] input (PyTorch's `nn.Conv1d`) with weight [outChannels, inChannels / groups, k]
 * and bias [outChannels]; initialised as {@link Conv2D} (Kaiming-uniform weight, zero bias).
 */
export class Conv1D extends Module {
  readonly weight: Variable;
  readonly bias: Variable | null;

  constructor(readonly inChannels: number, readonly outChannels: number, readonly kernelSize: number, readonly options: Conv1DOptions = {}) {
    super();
    const groups = checkConvChannels('Conv1D', inChannels, outChannels, [kernelSize], options.groups ?? 1);
    const gen = options.seed === undefined ? undefined : new RandomGenerator(options.seed);
    this.weight = this.addParameter('weight', initialize(options.weightInit ?? 'kaimingUniform', [outChannels, inChannels / groups, kernelSize], gen));
    this.bias = options.bias === false ? null : this.addParameter('bias', initialize(options.biasInit ?? 'zeros', [outChannels], gen));
  }

  forward(x: Tensor): Tensor {
    expectRank('Conv1D', x, [3], 'an NCL');
    if (x.shape[1] !== this.inChannels) {
      const nlc = x.shape[2] === this.inChannels ? '; the input looks channels-last (NLC): reorder it with permute(x, [0, 2, 1])' : '';
      throw new ShapeError(`Conv1D: input ${fmtShape(x.shape)} has ${x.shape[1]} channels, expected inChannels ${this.inChannels} ([batch, channels, length])${nlc}`);
    }
    const { stride, padding, dilation, groups } = this.options;
    const y = conv1d(x, this.weight, { stride, padding, dilation, groups });
    return this.bias ? add(y, reshape(this.bias, [1, this.outChannels, 1])) : y;
  }

  protected getConfig(): Record<string, unknown> {
    return { inChannels: this.inChannels, outChannels: this.outChannels, kernelSize: this.kernelSize, ...this.options };
  }
}

registerModule('Conv1D', Conv1D, (c) => new Conv1D(c.inChannels as number, c.outChannels as number, c.kernelSize as number, c));
