/**
 * Elementwise and difference conveniences PyTorch users reach for, composed from core's ops (their
 * gradients follow from the pieces): log2, log10, exp2, logit, hypot, nanToNum and diff.
 */
import { tidy } from '../engine/engine.js';
import { ArgumentError, ShapeError, fmtShape } from '../errors.js';
import { normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { add, clip, div, equal, logicalOr, maximum, minimum, mul, notEqual, sub, where } from './binary.js';
import { cast } from './cast.js';
import { expectTensor, toTensor, type TensorLike } from './convert.js';
import { slice } from './slicing.js';
import { abs, exp, log, sqrt, square } from './unary.js';

const LN2 = Math.LN2;
const LN10 = Math.LN10;

/** Base-2 logarithm. */
export function log2(x: Tensor): Tensor {
  expectTensor(x, 'log2', 'x');
  return tidy(() => div(log(cast(x, 'float32')), LN2));
}

/** Base-10 logarithm. */
export function log10(x: Tensor): Tensor {
  expectTensor(x, 'log10', 'x');
  return tidy(() => div(log(cast(x, 'float32')), LN10));
}

/** 2ˣ. */
export function exp2(x: Tensor): Tensor {
  expectTensor(x, 'exp2', 'x');
  return tidy(() => exp(mul(cast(x, 'float32'), LN2)));
}

/**
 * The log-odds log(p / (1 − p)), the inverse of sigmoid (PyTorch's `logit`); with `eps`, p is first
 * clamped to [eps, 1 − eps].
 */
export function logit(p: Tensor, eps?: number): Tensor {
  expectTensor(p, 'logit', 'p');
  if (eps !== undefined && !(eps >= 0 && eps <= 0.5)) throw new ArgumentError(`logit: eps must be in [0, 0.5], got ${eps}`);
  return tidy(() => {
    const q = eps === undefined ? cast(p, 'float32') : clip(cast(p, 'float32'), eps, 1 - eps);
    return log(div(q, sub(1, q)));
  });
}

/**
 * √(a² + b²) with broadcasting, scaled by the larger magnitude so that neither square overflows or
 * underflows (C's `hypot`, PyTorch's `hypot`).
 */
export function hypot(a: TensorLike, b: TensorLike): Tensor {
  return tidy(() => {
    const aa = abs(toTensor(a, 'hypot', 'a', 'float32'));
    const ab = abs(toTensor(b, 'hypot', 'b', 'float32'));
    const m = maximum(aa, ab);
    const ratio = div(minimum(aa, ab), where(equal(m, 0), 1, m));
    const h = where(equal(m, 0), 0, mul(m, sqrt(add(1, square(ratio)))));
    // An infinite side gives +∞ even when the other is NaN, as C's hypot.
    return where(logicalOr(equal(aa, Infinity), equal(ab, Infinity)), Infinity, h);
  });
}

/** Options of {@link nanToNum}. */
export interface NanToNumOptions {
  /** Replaces NaN (default 0). */
  nan?: number;
  /** Replaces +∞ (default the largest float32). */
  posinf?: number;
  /** Replaces −∞ (default the most negative float32). */
  neginf?: number;
}

const F32_MAX = 3.4028234663852886e38;

/** x with NaN, +∞ and −∞ replaced by finite numbers (PyTorch's `nan_to_num`); gradients pass where x was finite. */
export function nanToNum(x: Tensor, options: NanToNumOptions = {}): Tensor {
  expectTensor(x, 'nanToNum', 'x');
  const { nan = 0, posinf = F32_MAX, neginf = -F32_MAX } = options;
  return tidy(() => {
    const xf = cast(x, 'float32');
    return where(notEqual(xf, xf), nan, where(equal(xf, Infinity), posinf, where(equal(xf, -Infinity), neginf, xf)));
  });
}

/**
 * The n-th forward difference along `axis` (NumPy's / PyTorch's `diff`): out[i] = x[i+1] − x[i],
 * applied n times, so the axis shrinks by n (to 0 at least).
 */
export function diff(x: Tensor, n = 1, axis = -1): Tensor {
  expectTensor(x, 'diff', 'x');
  if (!Number.isInteger(n) || n < 0) throw new ArgumentError(`diff: n must be a non-negative integer, got ${n}`);
  if (x.rank === 0) throw new ShapeError(`diff: x must have at least one axis, got ${fmtShape(x.shape)}`);
  const a = normalizeAxis(axis, x.rank, 'diff');
  return tidy(() => {
    let y = x.dtype === 'bool' ? cast(x, 'int32') : x;
    for (let k = 0; k < n && y.shape[a]! > 0; k++) {
      const len = y.shape[a]! - 1;
      const size = y.shape.map((d, i) => (i === a ? len : d));
      y = sub(slice(y, y.shape.map((_, i) => (i === a ? 1 : 0)), size), slice(y, y.shape.map(() => 0), size));
    }
    return y;
  });
}
