import { tidy } from '../engine/engine.js';
import type { Tensor } from '../tensor.js';
import { avgPool2d, maxPool2d } from './conv.js';
import { expectTensor } from './convert.js';
import { reshape } from './reshape.js';
import { expect3d, expectWindowFits, padding1dAs2d, single, windowLength, type Padding1d } from './window-1d.js';

/** Options of {@link maxPool1d} and {@link avgPool1d}. */
export interface Pool1dOptions {
  /** Defaults to the kernel size. */
  stride?: number;
  padding?: Padding1d;
}

function pool1d(op: 'maxPool1d' | 'avgPool1d', x: Tensor, kernelSize: number, options: Pool1dOptions): Tensor {
  expectTensor(x, op, 'x');
  expect3d(x, op);
  const k = single(kernelSize, op, 'kernelSize');
  const stride = single(options.stride ?? k, op, 'stride');
  const padding = options.padding ?? 0;
  const padding2d = padding1dAs2d(padding, op);
  const [n, c, length] = x.shape as [number, number, number];
  const outL = windowLength(length, k, stride, 1, padding);
  expectWindowFits(op, x.shape, k, 1, padding, outL);
  const pool = op === 'maxPool1d' ? maxPool2d : avgPool2d;
  return tidy(() => reshape(pool(reshape(x, [n, c, 1, length]), [1, k], { stride: [1, stride], padding: padding2d }), [n, c, outL]));
}

/** Max pooling over the last axis of x [N, C, L]; padded cells never win. */
export const maxPool1d = (x: Tensor, kernelSize: number, options: Pool1dOptions = {}): Tensor => pool1d('maxPool1d', x, kernelSize, options);
/** Average pooling over the last axis of x [N, C, L]; averages only the cells inside the input. */
export const avgPool1d = (x: Tensor, kernelSize: number, options: Pool1dOptions = {}): Tensor => pool1d('avgPool1d', x, kernelSize, options);
