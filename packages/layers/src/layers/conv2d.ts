import {
  RandomGenerator, ShapeError, add, conv2d, fmtShape, reshape, type Pair, type Padding2d, type Tensor, type Variable,
} from '@scratchnet/core';
import { initialize, type Initializer } from '../init.js';
import { Module, expectRank, registerModule } from '../module.js';
import { checkConvChannels } from './checks.js';
import { autocastProduct } from '../mixed-precision/autocast.js';

/** Options of {@link Conv2D}. */
export interface Conv2DOptions {
  stride?: Pair;
  /** Symmetric zero padding, or 'same' / 'valid' (default 0). */
  padding?: Padding2d;
  dilation?: Pair;
  groups?: number;
  /** Add a learned bias per output channel (default true). */
  bias?: boolean;
  weightInit?: Initializer;
  biasInit?: Initializer;
  seed?: number;
}

/** 2-D convolution over NCHW input with weight [outChannels, inChannels / groups, kh, kw]. */
export class Conv2D extends Module {
  readonly weight: Variable;
  readonly bias: Variable | null;
  readonly kernelSize: [number, number];

  constructor(readonly inChannels: number, readonly outChannels: number, kernelSize: Pair, readonly options: Conv2DOptions = {}) {
    super();
    this.kernelSize = typeof kernelSize === 'number' ? [kernelSize, kernelSize] : [kernelSize[0], kernelSize[1]];
    const groups = checkConvChannels('Conv2D', inChannels, outChannels, this.kernelSize, options.groups ?? 1);
    const gen = options.seed === undefined ? undefined : new RandomGenerator(options.seed);
    this.weight = this.addParameter('weight', initialize(options.weightInit ?? 'kaimingUniform', [outChannels, inChannels / groups, ...this.kernelSize], gen));
    this.bias = options.bias === false ? null : this.addParameter('bias', initialize(options.biasInit ?? 'zeros', [outChannels], gen));
  }

  forward(x: Tensor): Tensor {
    expectRank('Conv2D', x, [4], 'an NCHW');
    if (x.shape[1] !== this.inChannels) {
      const nhwc = x.shape[3] === this.inChannels
        ? `; the input looks channels-last (NHWC): Conv2D expects NCHW, [batch, channels, height, width]; reorder it with permute(x, [0, 3, 1, 2])`
        : '; Conv2D expects NCHW input, [batch, channels, height, width]';
      throw new ShapeError(`Conv2D: input ${fmtShape(x.shape)} has ${x.shape[1]} channels, expected inChannels ${this.inChannels}${nhwc}`);
    }
    const { stride, padding, dilation, groups } = this.options;
    // Under autocast the convolution and the bias add run in float16 (float32 accumulation, float32 master weights).
    const [xc, w, bias] = autocastProduct(x, this.weight, this.bias);
    const y = conv2d(xc!, w!, { stride, padding, dilation, groups });
    return bias ? add(y, reshape(bias, [1, this.outChannels, 1, 1])) : y;
  }

  protected getConfig(): Record<string, unknown> {
    return { inChannels: this.inChannels, outChannels: this.outChannels, kernelSize: this.kernelSize, ...this.options };
  }
}

registerModule('Conv2D', Conv2D, (c) => new Conv2D(c.inChannels as number, c.outChannels as number, c.kernelSize as Pair, c));
