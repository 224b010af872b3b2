import type { PoolKind } from '../backend/kernel-types.js';
import { tidy } from '../engine/engine.js';
import { ArgumentError, ShapeError, fmtShape } from '../errors.js';
import { recordOp } from '../autograd/tape.js';
import type { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { conv2dInfo, pair, type Pair, type Padding2d } from './conv-geometry.js';
import { expectTensor } from './convert.js';
import { productDtype } from './product-dtype.js';
import { runKernel } from './kernel-call.js';

/** Options of {@link conv2d}. */
export interface Conv2dOptions {
  stride?: Pair;
  padding?: Padding2d;
  dilation?: Pair;
  groups?: number;
}

/**
 * 2-D convolution (cross-correlation, as in PyTorch) of x [N, C, H, W] with filters
 * w [O, C / groups, kh, kw], giving [N, O, outH, outW]. Numeric padding is symmetric;
 * 'same' pads as TensorFlow does (extra row/column at the bottom/right).
 */
export function conv2d(x: Tensor, w: Tensor, options: Conv2dOptions = {}): Tensor {
  expectTensor(x, 'conv2d', 'x');
  expectTensor(w, 'conv2d', 'w');
  if (x.rank !== 4) throw new ShapeError(`conv2d: x must be 4-D [N, C, H, W], got ${fmtShape(x.shape)}`);
  if (w.rank !== 4) throw new ShapeError(`conv2d: w must be 4-D [outChannels, inChannels / groups, kh, kw], got ${fmtShape(w.shape)}`);
  const groups = options.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1) throw new ArgumentError(`conv2d: groups must be a positive integer, got ${groups}`);
  const [outC, inPerGroup, kh, kw] = w.shape as [number, number, number, number];
  if (x.shape[1] !== inPerGroup * groups) {
    const nhwc = x.shape[3] === inPerGroup * groups ? '; x looks channels-last (NHWC): conv2d takes NCHW, reorder it with permute(x, [0, 3, 1, 2])' : '';
    throw new ShapeError(`conv2d: x ${fmtShape(x.shape)} has ${x.shape[1]} channels but w ${fmtShape(w.shape)} expects ${inPerGroup * groups} (${inPerGroup} per group × ${groups} groups)${nhwc}`);
  }
  if (outC % groups !== 0) throw new ShapeError(`conv2d: w ${fmtShape(w.shape)} has ${outC} output channels, not divisible by groups ${groups}`);
  const info = conv2dInfo('conv2d', x.shape, outC, [kh, kw], pair(options.stride ?? 1, 'conv2d', 'stride'), pair(options.dilation ?? 1, 'conv2d', 'dilation'), options.padding ?? 0, groups);
  return tidy(() => {
    const dt = productDtype(x, w);
    const xf = cast(x, dt);
    const wf = cast(w, dt);
    const outShape = [info.batch, outC, info.outHeight, info.outWidth];
    const y = runKernel('conv2d', [xf, wf], ['x', 'w'], outShape, dt, (b, [rx, rw]) => b.conv2d(rx!, rw!, info));
    recordOp('conv2d', [xf, wf], y, { info });
    return y;
  });
}

/** Options of {@link maxPool2d} and {@link avgPool2d}. */
export interface Pool2dOptions {
  /** Defaults to the kernel size. */
  stride?: Pair;
  padding?: Padding2d;
}

function pool(kind: PoolKind, x: Tensor, kernelSize: Pair, options: Pool2dOptions): Tensor {
  const op = kind === 'max' ? 'maxPool2d' : 'avgPool2d';
  expectTensor(x, op, 'x');
  if (x.rank !== 4) throw new ShapeError(`${op}: x must be 4-D [N, C, H, W], got ${fmtShape(x.shape)}`);
  const k = pair(kernelSize, op, 'kernelSize');
  const info = conv2dInfo(op, x.shape, x.shape[1]!, k, pair(options.stride ?? kernelSize, op, 'stride'), [1, 1], options.padding ?? 0, 1);
  return tidy(() => {
    const dt = productDtype(x);
    const xf = cast(x, dt);
    const y = runKernel(op, [xf], ['x'], [info.batch, info.inChannels, info.outHeight, info.outWidth], dt, (b, [rx]) => b.pool2d(kind, rx!, info));
    recordOp(op, [xf], y, { info });
    return y;
  });
}

/** Max pooling over NCHW input; padded cells never win. */
export const maxPool2d = (x: Tensor, kernelSize: Pair, options: Pool2dOptions = {}): Tensor => pool('max', x, kernelSize, options);
/** Average pooling over NCHW input; averages only the cells inside the input. */
export const avgPool2d = (x: Tensor, kernelSize: Pair, options: Pool2dOptions = {}): Tensor => pool('avg', x, kernelSize, options);
