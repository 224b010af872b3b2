import { tidy } from '../engine/engine.js';
import { ArgumentError, ShapeError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { conv2d } from './conv.js';
import { conv2dTranspose } from './conv-transpose.js';
import { expectTensor } from './convert.js';
import { reshape } from './reshape.js';
import { expect3d, expectWindowFits, padding1dAs2d, single, windowLength, type Padding1d } from './window-1d.js';

/** Options of {@link conv1d}. */
export interface Conv1dOptions {
  stride?: number;
  /** Symmetric zero padding, or 'same' (the extra cell at the end, as TensorFlow) / 'valid' (default 0). */
  padding?: Padding1d;
  dilation?: number;
  groups?: number;
}

/** Options of {@link conv1dTranspose}. */
export interface Conv1dTransposeOptions {
  stride?: number;
  /** Cells removed from each end of the output (default 0). */
  padding?: number;
  /** Extra cells at the end of the output, below stride or dilation (default 0). */
  outputPadding?: number;
  dilation?: number;
  groups?: number;
}

function checkGroups(op: string, groups: number): void {
  if (!Number.isInteger(groups) || groups < 1) throw new ArgumentError(`${op}: groups must be a positive integer, got ${groups}`);
}

/**
 * 1-D convolution (cross-correlation, as PyTorch's `conv1d`) of x [N, C, L] with filters
 * w [O, C / groups, k], giving [N, O, outL]: conv2d over a unit-height image.
 * @example conv1d(randomNormal([2, 4, 50]), randomNormal([8, 4, 5]), { padding: 2 }) // [2, 8, 50]
 */
export function conv1d(x: Tensor, w: Tensor, options: Conv1dOptions = {}): Tensor {
  const op = 'conv1d';
  expectTensor(x, op, 'x');
  expectTensor(w, op, 'w');
  expect3d(x, op);
  expect3d(w, op, 'w', '[outChannels, inChannels / groups, k]');
  const groups = options.groups ?? 1;
  checkGroups(op, groups);
  const [outC, inPerGroup, k] = w.shape as [number, number, number];
  if (x.shape[1] !== inPerGroup * groups) {
    const nlc = x.shape[2] === inPerGroup * groups ? '; x looks channels-last (NLC): conv1d takes [N, C, L], reorder it with permute(x, [0, 2, 1])' : '';
    throw new ShapeError(`${op}: x ${fmtShape(x.shape)} has ${x.shape[1]} channels but w ${fmtShape(w.shape)} expects ${inPerGroup * groups} (${inPerGroup} per group × ${groups} groups)${nlc}`);
  }
  if (outC % groups !== 0) throw new ShapeError(`${op}: w ${fmtShape(w.shape)} has ${outC} output channels, not divisible by groups ${groups}`);
  const stride = single(options.stride ?? 1, op, 'stride');
  const dilation = single(options.dilation ?? 1, op, 'dilation');
  const padding = options.padding ?? 0;
  const padding2d = padding1dAs2d(padding, op);
  const [n, c, length] = x.shape as [number, number, number];
  const outL = windowLength(length, k, stride, dilation, padding);
  expectWindowFits(op, x.shape, k, dilation, padding, outL);
  return tidy(() => {
    const y = conv2d(reshape(x, [n, c, 1, length]), reshape(w, [outC, inPerGroup, 1, k]), { stride: [1, stride], dilation: [1, dilation], padding: padding2d, groups });
    return reshape(y, [n, outC, outL]);
  });
}

/**
 * Transposed 1-D convolution (PyTorch's `conv_transpose1d`) of x [N, inChannels, L] with
 * w [inChannels, outChannels / groups, k] (PyTorch's layout), giving
 * [N, outChannels, (L − 1)·stride − 2·padding + dilation·(k − 1) + outputPadding + 1].
 */
export function conv1dTranspose(x: Tensor, w: Tensor, options: Conv1dTransposeOptions = {}): Tensor {
  const op = 'conv1dTranspose';
  expectTensor(x, op, 'x');
  expectTensor(w, op, 'w');
  expect3d(x, op, 'x', '[N, inChannels, L]');
  expect3d(w, op, 'w', '[inChannels, outChannels / groups, k]');
  const groups = options.groups ?? 1;
  checkGroups(op, groups);
  const [n, c, length] = x.shape as [number, number, number];
  const [wIn, outPerGroup, k] = w.shape as [number, number, number];
  if (c !== wIn) {
    throw new ShapeError(`${op}: x ${fmtShape(x.shape)} has ${c} channels but w ${fmtShape(w.shape)} expects ${wIn} (w is [inChannels, outChannels / groups, k], PyTorch's layout)`);
  }
  if (c % groups !== 0) throw new ShapeError(`${op}: x ${fmtShape(x.shape)} has ${c} channels, not divisible by groups ${groups}`);
  const stride = single(options.stride ?? 1, op, 'stride');
  const dilation = single(options.dilation ?? 1, op, 'dilation');
  const padding = single(options.padding ?? 0, op, 'padding', true);
  const outputPadding = single(options.outputPadding ?? 0, op, 'outputPadding', true);
  if (outputPadding >= Math.max(stride, dilation)) {
    throw new ArgumentError(`${op}: outputPadding must be smaller than stride or dilation, got outputPadding ${outputPadding} with stride ${stride} and dilation ${dilation}`);
  }
  const outL = (length - 1) * stride - 2 * padding + dilation * (k - 1) + outputPadding + 1;
  if (outL <= 0) throw new ShapeError(`${op}: padding ${padding} leaves no output for x ${fmtShape(x.shape)} and a window of ${k}: output length would be ${outL}`);
  return tidy(() => {
    const y = conv2dTranspose(reshape(x, [n, c, 1, length]), reshape(w, [wIn, outPerGroup, 1, k]), {
      stride: [1, stride], dilation: [1, dilation], padding: [0, padding], outputPadding: [0, outputPadding], groups,
    });
    return reshape(y, [n, outPerGroup * groups, outL]);
  });
}
