/**
 * Cumulative ops along an axis: cumsum, cumprod and logCumSumExp. Each is a Hillis–Steele scan
 * composed of existing ops (⌈log₂ n⌉ shifted combines of the whole tensor), so every backend runs it
 * and autodiff differentiates it; at the axis lengths of sequence models (≤ a few thousand) that is
 * ~11 passes, far cheaper than the O(n²) of a triangular matmul.
 */
import { tidy } from '../engine/engine.js';
import { ArgumentError } from '../errors.js';
import { normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { add, equal, maximum, mul, sub, where } from './binary.js';
import { cast } from './cast.js';
import { expectTensor } from './convert.js';
import { flip } from './rearrange.js';
import { pad, slice } from './slicing.js';
import { abs, exp, log1p, neg } from './unary.js';

/** Options of the cumulative ops. */
export interface CumulativeOptions {
  /** Leave each element out of its own result: out[i] combines x[0..i), starting from the identity (default false). */
  exclusive?: boolean;
  /** Scan from the end of the axis backwards (default false). */
  reverse?: boolean;
}

/** x shifted by `by` along `axis`, the vacated front filled with `fill`. */
function shifted(x: Tensor, axis: number, by: number, fill: number): Tensor {
  const n = x.shape[axis]!;
  const keep = x.shape.map((d, i) => (i === axis ? n - by : d));
  return pad(slice(x, x.shape.map(() => 0), keep), x.shape.map((_, i) => (i === axis ? [by, 0] : [0, 0])), fill);
}

function scan(op: string, x: Tensor, axis: number, options: CumulativeOptions, identity: number, combine: (a: Tensor, b: Tensor) => Tensor, dtype?: 'float32'): Tensor {
  expectTensor(x, op, 'x');
  if (typeof options !== 'object' || options === null) throw new ArgumentError(`${op}: options must be an object, got ${String(options)}`);
  const a = normalizeAxis(axis, x.rank === 0 ? 1 : x.rank, op);
  return tidy(() => {
    let y = dtype ? cast(x, dtype) : x.dtype === 'bool' ? cast(x, 'int32') : x;
    if (x.rank === 0) return y;
    const n = y.shape[a]!;
    if (options.reverse) y = flip(y, a);
    for (let by = 1; by < n; by *= 2) y = combine(y, shifted(y, a, by, identity));
    if (options.exclusive && n > 0) y = shifted(y, a, 1, identity);
    return options.reverse ? flip(y, a) : y;
  });
}

/** Running sum along `axis` (int32 / bool sum in int32, wrapping), with `exclusive` and `reverse` as in TensorFlow.js. */
export function cumsum(x: Tensor, axis = 0, options: CumulativeOptions = {}): Tensor {
  return scan('cumsum', x, axis, options, 0, add);
}

/** Running product along `axis`, with `exclusive` and `reverse`. */
export function cumprod(x: Tensor, axis = 0, options: CumulativeOptions = {}): Tensor {
  return scan('cumprod', x, axis, options, 1, mul);
}

/**
 * log(exp(a) + exp(b)) without overflow: max(a, b) + log1p(exp(−|a − b|)); −∞ is its identity. Equal
 * operands take the gap as 0 explicitly, so that two infinities of one sign give that infinity, not NaN.
 */
function logAddExp(a: Tensor, b: Tensor): Tensor {
  const gap = where(equal(a, b), 0, abs(sub(a, b)));
  return add(maximum(a, b), log1p(exp(neg(gap))));
}

/** log of the running sum of exp(x) along `axis`, computed stably (float32), with `exclusive` and `reverse`. */
export function logCumSumExp(x: Tensor, axis = 0, options: CumulativeOptions = {}): Tensor {
  return scan('logCumSumExp', x, axis, options, -Infinity, logAddExp, 'float32');
}
