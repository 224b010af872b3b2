import {
  RandomGenerator, ShapeError, add, conv2dTranspose, fmtShape, reshape, type Pair, type Tensor, type Variable,
} from '@scratchnet/core';
import { initialize, type Initializer } from '../init.js';
import { Module, expectRank, registerModule } from '../module.js';
import { checkConvChannels } from './checks.js';

/** Options of {@link ConvTranspose2D}. */
export interface ConvTranspose2DOptions {
  stride?: Pair;
  /** Cells removed from each side of the output (default 0). */
  padding?: Pair;
  /** Extra rows / columns at the bottom / right of the output, each below stride or dilation (default 0). */
  outputPadding?: Pair;
  dilation?: Pair;
  groups?: number;
  /** Add a learned bias per output channel (default true). */
  bias?: boolean;
  weightInit?: Initializer;
  biasInit?: Initializer;
  seed?: number;
}

/**
 * Transposed 2-D convolution over NCHW input (PyTorch's `nn.ConvTranspose2d`) with weight
 * [inChannels, outChannels / groups, kh, kw] (PyTorch's layout) and bias [outChannels]. Output size per
 * axis: (in − 1)·stride − 2·padding + dilation·(k − 1) + outputPadding + 1. The weight is
 * Kaiming-uniform over fan-in = its dimension 1 × kh × kw (as PyTorch computes it), the bias zero.
 */
export class ConvTranspose2D extends Module {
  readonly weight: Variable;
  readonly bias: Variable | null;
  readonly kernelSize: [number, number];

  constructor(readonly inChannels: number, readonly outChannels: number, kernelSize: Pair, readonly options: ConvTranspose2DOptions = {}) {
    super();
    this.kernelSize = typeof kernelSize === 'number' ? [kernelSize, kernelSize] : [kernelSize[0], kernelSize[1]];
    const groups = checkConvChannels('ConvTranspose2D', inChannels, outChannels, this.kernelSize, options.groups ?? 1);
    const gen = options.seed === undefined ? undefined : new RandomGenerator(options.seed);
    this.weight = this.addParameter('weight', initialize(options.weightInit ?? 'kaimingUniform', [inChannels, outChannels / groups, ...this.kernelSize], gen));
    this.bias = options.bias === false ? null : this.addParameter('bias', initialize(options.biasInit ?? 'zeros', [outChannels], gen));
  }

  forward(x: Tensor): Tensor {
    expectRank('ConvTranspose2D', x, [4], 'an NCHW');
    if (x.shape[1] !== this.inChannels) {
      const nhwc = x.shape[3] === this.inChannels ? '; the input looks channels-last (NHWC): reorder it with permute(x, [0, 3, 1, 2])' : '';
      throw new ShapeError(`ConvTranspose2D: input ${fmtShape(x.shape)} has ${x.shape[1]} channels, expected inChannels ${this.inChannels} ([batch, channels, height, width])${nhwc}`);
    }
    const { stride, padding, outputPadding, dilation, groups } = this.options;
    const y = conv2dTranspose(x, this.weight, { stride, padding, outputPadding, dilation, groups });
    return this.bias ? add(y, reshape(this.bias, [1, this.outChannels, 1, 1])) : y;
  }

  protected getConfig(): Record<string, unknown> {
    return { inChannels: this.inChannels, outChannels: this.outChannels, kernelSize: this.kernelSize, ...this.options };
  }
}

registerModule('ConvTranspose2D', ConvTranspose2D, (c) => new ConvTranspose2D(c.inChannels as number, c.outChannels as number, c.kernelSize as Pair, c));
