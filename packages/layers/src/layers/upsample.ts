import { ArgumentError, upsample, type InterpolateOptions, type Tensor } from '@scratchnet/core';
import { Module, expectRank, registerModule } from '../module.js';

/**
 * Resizes [N, C, L] or [N, C, H, W] input (PyTorch's `nn.Upsample`): exactly one of `size` and
 * `scaleFactor`, mode 'nearest' (default), 'linear' (3-D) or 'bilinear' (4-D), `alignCorners` for the
 * linear modes. No parameters; see core's `interpolate` for the coordinate rules.
 */
export class Upsample extends Module {
  constructor(readonly options: InterpolateOptions) {
    super();
    if ((options?.size === undefined) === (options?.scaleFactor === undefined)) {
      throw new ArgumentError(`Upsample: give exactly one of size and scaleFactor, got ${options?.size === undefined ? 'neither' : 'both'}`);
    }
  }

  forward(x: Tensor): Tensor {
    expectRank('Upsample', x, [3, 4], 'an NCL or NCHW');
    return upsample(x, this.options);
  }

  protected getConfig(): Record<string, unknown> {
    return { ...this.options };
  }
}

registerModule('Upsample', Upsample, (c) => new Upsample(c));
