import { avgPool2d, maxPool2d, type Pair, type Padding2d, type Tensor } from '@scratchnet/core';
import { Module, expectRank, registerModule } from '../module.js';

/** Options of the pooling layers. */
export interface Pool2DOptions {
  /** Defaults to the kernel size. */
  stride?: Pair;
  padding?: Padding2d;
}

/** Max pooling over NCHW input. */
export class MaxPool2D extends Module {
  constructor(readonly kernelSize: Pair, readonly options: Pool2DOptions = {}) {
    super();
  }

  forward(x: Tensor): Tensor {
    expectRank('MaxPool2D', x, [4], 'an NCHW');
    return maxPool2d(x, this.kernelSize, this.options);
  }

  protected getConfig(): Record<string, unknown> {
    return { kernelSize: this.kernelSize, ...this.options };
  }
}

/** Average pooling over NCHW input (cells outside the input are not counted). */
export class AvgPool2D extends Module {
  constructor(readonly kernelSize: Pair, readonly options: Pool2DOptions = {}) {
    super();
  }

  forward(x: Tensor): Tensor {
    expectRank('AvgPool2D', x, [4], 'an NCHW');
    return avgPool2d(x, this.kernelSize, this.options);
  }

  protected getConfig(): Record<string, unknown> {
    return { kernelSize: this.kernelSize, ...this.options };
  }
}

registerModule('MaxPool2D', MaxPool2D, (c) => new MaxPool2D(c.kernelSize as Pair, c));
registerModule('AvgPool2D', AvgPool2D, (c) => new AvgPool2D(c.kernelSize as Pair, c));
