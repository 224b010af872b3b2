import { tidy } from '../engine/engine.js';
import { ArgumentError, ShapeError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { alongLastAxis, alongRowAxis } from './axis-matrices.js';
import { expectTensor } from './convert.js';
import { gather } from './indexing.js';
import { max, mean } from './reduce.js';
import { reshape } from './reshape.js';
import { pad } from './slicing.js';

/** PyTorch's adaptive window of output cell i: [floor(i · in / out), ceil((i + 1) · in / out)). */
function adaptiveWindow(i: number, inSize: number, outSize: number): [number, number] {
  return [Math.floor((i * inSize) / outSize), Math.ceil(((i + 1) * inSize) / outSize)];
}

function outputSizes(op: string, x: Tensor, outputSize: number | readonly (number | null)[]): [number, number] {
  expectTensor(x, op, 'x');
  if (x.rank !== 4) throw new ShapeError(`${op}: x must be 4-D [N, C, H, W], got ${fmtShape(x.shape)}`);
  const list: unknown[] = typeof outputSize === 'number' ? [outputSize, outputSize] : Array.isArray(outputSize) ? [...(outputSize as readonly (number | null)[])] : [];
  // null keeps that axis's input size, as PyTorch's None.
  const sizes = list.map((v, i) => (v === null ? x.shape[i + 2]! : v));
  if (sizes.length !== 2 || !sizes.every((v) => typeof v === 'number' && Number.isInteger(v) && v >= 1)) {
    throw new ArgumentError(`${op}: outputSize must be a positive integer or a pair of them (null keeps an axis), got ${JSON.stringify(outputSize)}`);
  }
  return sizes as [number, number];
}

/** The [out, in] averaging matrix of adaptive pooling along one axis. */
function averagingMatrix(inSize: number, outSize: number): Float32Array | null {
  if (inSize === outSize) return null;
  const m = new Float32Array(outSize * inSize);
  for (let o = 0; o < outSize; o++) {
    const [s, e] = adaptiveWindow(o, inSize, outSize);
    for (let j = s; j < e; j++) m[o * inSize + j] = 1 / (e - s);
  }
  return m;
}

/**
 * Adaptive average pooling of x [N, C, H, W] to [N, C, outH, outW] (PyTorch's `adaptive_avg_pool2d`):
 * output cell (i, j) averages rows floor(i·H/outH) … ceil((i+1)·H/outH) − 1 and the columns likewise,
 * for any input and output sizes. `outputSize` is one number, or [outH, outW] where null keeps that axis.
 */
export function adaptiveAvgPool2d(x: Tensor, outputSize: number | readonly (number | null)[]): Tensor {
  const [oh, ow] = outputSizes('adaptiveAvgPool2d', x, outputSize);
  const [h, w] = x.shape.slice(2) as [number, number];
  return tidy(() => alongRowAxis(alongLastAxis(x, averagingMatrix(w, ow), ow), averagingMatrix(h, oh), oh));
}

/** Max over the adaptive windows along `axis` (2 or 3): windows are gathered, short ones topped up with a −∞ cell. */
function adaptiveMaxAlong(x: Tensor, axis: 2 | 3, outSize: number): Tensor {
  const inSize = x.shape[axis]!;
  if (inSize === outSize) return x;
  let span = 0;
  for (let o = 0; o < outSize; o++) {
    const [s, e] = adaptiveWindow(o, inSize, outSize);
    span = Math.max(span, e - s);
  }
  const indices: number[] = [];
  for (let o = 0; o < outSize; o++) {
    const [s, e] = adaptiveWindow(o, inSize, outSize);
    for (let j = 0; j < span; j++) indices.push(s + j < e ? s + j : inSize);
  }
  const paddings = x.shape.map((_, i): [number, number] => [0, i === axis ? 1 : 0]);
  const windows = gather(pad(x, paddings, -Infinity), indices, axis);
  const split = [...x.shape.slice(0, axis), outSize, span, ...x.shape.slice(axis + 1)];
  return max(reshape(windows, split), axis + 1);
}

/**
 * Adaptive max pooling of x [N, C, H, W] to [N, C, outH, outW] over the same windows as
 * {@link adaptiveAvgPool2d}. Returns the values only (no indices).
 */
export function adaptiveMaxPool2d(x: Tensor, outputSize: number | readonly (number | null)[]): Tensor {
  const [oh, ow] = outputSizes('adaptiveMaxPool2d', x, outputSize);
  return tidy(() => adaptiveMaxAlong(adaptiveMaxAlong(x, 3, ow), 2, oh));
}

/** Options of {@link globalAvgPool}. */
export interface GlobalPoolOptions {
  /** Keep the spatial axes as size 1 ([N, C, 1, 1]) rather than dropping them ([N, C], the default, as tfjs). */
  keepDims?: boolean;
}

/**
 * Mean over every spatial axis of x [N, C, ...spatial] (rank ≥ 3): [N, C] by default, as tfjs's
 * globalAveragePooling; with `keepDims` [N, C, 1, ...], as PyTorch's `adaptive_avg_pool2d(x, 1)`.
 */
export function globalAvgPool(x: Tensor, options: GlobalPoolOptions = {}): Tensor {
  expectTensor(x, 'globalAvgPool', 'x');
  if (x.rank < 3) throw new ShapeError(`globalAvgPool: x must have rank ≥ 3 [N, C, ...spatial], got ${fmtShape(x.shape)}`);
  const axes = x.shape.map((_, i) => i).slice(2);
  return mean(x, axes, options.keepDims ?? false);
}
