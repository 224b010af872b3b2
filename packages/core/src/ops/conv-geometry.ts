import type { Conv2dInfo } from '../backend/kernel-types.js';
import { ArgumentError, ShapeError, fmtShape } from '../errors.js';

/** Padding of a 2-D window op: symmetric numbers (one, or [height, width]), or TensorFlow's 'same' / 'valid'. */
export type Padding2d = number | readonly [number, number] | 'same' | 'valid';

/** A per-axis option given as one number or [height, width]. */
export type Pair = number | readonly [number, number];

/** Reads a `Pair` option as [h, w] of positive integers (or ≥ 0 when `allowZero`). */
export function pair(value: Pair, op: string, arg: string, allowZero = false): [number, number] {
  const p: readonly unknown[] = typeof value === 'number' ? [value, value] : Array.isArray(value) ? value : [];
  const min = allowZero ? 0 : 1;
  if (p.length !== 2 || !p.every((v) => typeof v === 'number' && Number.isInteger(v) && v >= min)) {
    throw new ArgumentError(`${op}: ${arg} must be ${allowZero ? 'a non-negative' : 'a positive'} integer or a pair of them, got ${JSON.stringify(value)}`);
  }
  return p as [number, number];
}

/** Output size and leading padding along one spatial axis. */
function axisGeometry(size: number, k: number, stride: number, dilation: number, padding: Padding2d, axis: 0 | 1, op: string): [number, number] {
  const span = (k - 1) * dilation + 1;
  if (padding === 'same') {
    const out = Math.ceil(size / stride);
    const total = Math.max((out - 1) * stride + span - size, 0);
    return [out, Math.floor(total / 2)];
  }
  const pad = padding === 'valid' ? 0 : pair(padding, op, 'padding', true)[axis];
  const out = Math.floor((size + 2 * pad - span) / stride) + 1;
  return [out, pad];
}

/** Everything a conv / pool kernel needs, computed once in core. */
export function conv2dInfo(
  op: string,
  xShape: readonly number[],
  outChannels: number,
  kernel: [number, number],
  stride: [number, number],
  dilation: [number, number],
  padding: Padding2d,
  groups: number,
): Conv2dInfo {
  if (typeof padding === 'string' && padding !== 'same' && padding !== 'valid') {
    throw new ArgumentError(`${op}: padding must be a number, a pair, 'same' or 'valid', got '${String(padding)}'`);
  }
  const [batch, inChannels, inHeight, inWidth] = xShape as [number, number, number, number];
  const [outHeight, padTop] = axisGeometry(inHeight, kernel[0], stride[0], dilation[0], padding, 0, op);
  const [outWidth, padLeft] = axisGeometry(inWidth, kernel[1], stride[1], dilation[1], padding, 1, op);
  if (outHeight <= 0 || outWidth <= 0) {
    throw new ShapeError(
      `${op}: the window ${kernel[0]}x${kernel[1]} (dilation ${dilation.join('x')}) does not fit the input ${fmtShape(xShape)} with padding ${JSON.stringify(padding)}: output would be ${outHeight}x${outWidth}`,
    );
  }
  return {
    batch, inChannels, inHeight, inWidth, outChannels, outHeight, outWidth,
    kernelHeight: kernel[0], kernelWidth: kernel[1], strideHeight: stride[0], strideWidth: stride[1],
    dilationHeight: dilation[0], dilationWidth: dilation[1], padTop, padLeft, groups,
  };
}
