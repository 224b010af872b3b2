import { tidy } from '../engine/engine.js';
import { ShapeError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { conv2d, type Conv2dOptions } from './conv.js';
import { expectTensor } from './convert.js';

/** Options of {@link depthwiseConv2d} and {@link separableConv2d} (groups follow from the shapes). */
export type DepthwiseConv2dOptions = Omit<Conv2dOptions, 'groups'>;

function checkDepthwise(op: string, x: Tensor, w: Tensor): void {
  if (x.rank !== 4) throw new ShapeError(`${op}: x must be 4-D [N, C, H, W], got ${fmtShape(x.shape)}`);
  if (w.rank !== 4 || w.shape[1] !== 1) {
    throw new ShapeError(`${op}: depthwise filter must be 4-D [C · multiplier, 1, kh, kw] (NCHW / PyTorch layout, not tfjs's [kh, kw, C, multiplier]), got ${fmtShape(w.shape)}`);
  }
  const c = x.shape[1]!;
  if (w.shape[0]! % c !== 0) {
    throw new ShapeError(`${op}: depthwise filter ${fmtShape(w.shape)} has ${w.shape[0]} output channels, not a multiple of x ${fmtShape(x.shape)}'s ${c} channels`);
  }
}

/**
 * Depthwise convolution: each of x's C channels [N, C, H, W] is convolved with its own `multiplier`
 * filters, w [C · multiplier, 1, kh, kw], giving [N, C · multiplier, outH, outW]. Output channel
 * c · multiplier + m reads input channel c. This is conv2d with groups = C, in ScratchNet's NCHW /
 * PyTorch layout (tfjs's depthwiseConv2d takes NHWC input and [kh, kw, C, multiplier] filters instead).
 */
export function depthwiseConv2d(x: Tensor, w: Tensor, options: DepthwiseConv2dOptions = {}): Tensor {
  expectTensor(x, 'depthwiseConv2d', 'x');
  expectTensor(w, 'depthwiseConv2d', 'w');
  checkDepthwise('depthwiseConv2d', x, w);
  return conv2d(x, w, { ...options, groups: x.shape[1]! });
}

/**
 * Depthwise-separable convolution: {@link depthwiseConv2d} with `depthwiseW` [C · multiplier, 1, kh, kw]
 * (stride, padding and dilation apply here), then a 1×1 convolution with `pointwiseW`
 * [O, C · multiplier, 1, 1], giving [N, O, outH, outW]. NCHW / PyTorch layout (tfjs's separableConv2d
 * takes NHWC input, [kh, kw, C, multiplier] and [1, 1, C · multiplier, O] filters).
 */
export function separableConv2d(x: Tensor, depthwiseW: Tensor, pointwiseW: Tensor, options: DepthwiseConv2dOptions = {}): Tensor {
  const op = 'separableConv2d';
  expectTensor(x, op, 'x');
  expectTensor(depthwiseW, op, 'depthwiseW');
  expectTensor(pointwiseW, op, 'pointwiseW');
  checkDepthwise(op, x, depthwiseW);
  const mid = depthwiseW.shape[0]!;
  if (pointwiseW.rank !== 4 || pointwiseW.shape[1] !== mid || pointwiseW.shape[2] !== 1 || pointwiseW.shape[3] !== 1) {
    throw new ShapeError(`${op}: pointwiseW must be [outChannels, ${mid}, 1, 1] to follow depthwiseW ${fmtShape(depthwiseW.shape)}, got ${fmtShape(pointwiseW.shape)}`);
  }
  return tidy(() => conv2d(conv2d(x, depthwiseW, { ...options, groups: x.shape[1]! }), pointwiseW));
}
