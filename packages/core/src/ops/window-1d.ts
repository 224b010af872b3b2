import { ArgumentError, ShapeError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor.js';

/** Padding of a 1-D window op: a symmetric number of cells, or TensorFlow's 'same' / 'valid'. */
export type Padding1d = number | 'same' | 'valid';

/** Reads a 1-D integer option (a positive integer, or ≥ 0 when `allowZero`); a one-element array is accepted too. */
export function single(value: number | readonly [number], op: string, arg: string, allowZero = false): number {
  const v: unknown = Array.isArray(value) && value.length === 1 ? value[0] : value;
  const min = allowZero ? 0 : 1;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new ArgumentError(`${op}: ${arg} must be ${allowZero ? 'a non-negative' : 'a positive'} integer, got ${JSON.stringify(value)}`);
  }
  return v;
}

/** Checks a 1-D padding option and returns it as the width half of a 2-D padding. */
export function padding1dAs2d(padding: Padding1d, op: string): number | readonly [number, number] | 'same' | 'valid' {
  if (padding === 'same' || padding === 'valid') return padding;
  return [0, single(padding, op, 'padding', true)];
}

/** Output length of a window of `k` cells (dilation `d`) sliding by `stride` over `length` cells with `padding`. */
export function windowLength(length: number, k: number, stride: number, dilation: number, padding: Padding1d): number {
  if (padding === 'same') return Math.ceil(length / stride);
  const p = padding === 'valid' ? 0 : padding;
  return Math.floor((length + 2 * p - (k - 1) * dilation - 1) / stride) + 1;
}

/** Throws unless x is 3-D [N, C, L]. */
export function expect3d(x: Tensor, op: string, arg = 'x', layout = '[N, C, L]'): void {
  if (x.rank !== 3) throw new ShapeError(`${op}: ${arg} must be 3-D ${layout}, got ${fmtShape(x.shape)}`);
}

/** Throws a ShapeError when a window does not fit the input (output length ≤ 0). */
export function expectWindowFits(op: string, xShape: readonly number[], k: number, dilation: number, padding: Padding1d, out: number): void {
  if (out <= 0) {
    throw new ShapeError(`${op}: the window ${k} (dilation ${dilation}) does not fit the input ${fmtShape(xShape)} with padding ${JSON.stringify(padding)}: output length would be ${out}`);
  }
}
