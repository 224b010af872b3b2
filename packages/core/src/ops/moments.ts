/**
 * Statistics-based normalisations in TensorFlow.js's functional form: `moments`, `batchNorm` and
 * `localResponseNormalization`, composed from core's ops (their gradients follow from the pieces).
 */
import { tidy } from '../engine/engine.js';
import { ArgumentError, ShapeError, fmtShape } from '../errors.js';
import { normalizeAxis, normalizeAxes } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { add, div, mul, pow, sub } from './binary.js';
import { cast } from './cast.js';
import { expectTensor, toTensor, type TensorLike } from './convert.js';
import { mean } from './reduce.js';
import type { Axes } from './reduce.js';
import { pad, slice } from './slicing.js';
import { rsqrt, square } from './unary.js';

/** The mean and the (population) variance of x over `axes` (tfjs's `moments`, PyTorch's `var_mean`). */
export function moments(x: Tensor, axes?: Axes, keepDims = false): { mean: Tensor; variance: Tensor } {
  expectTensor(x, 'moments', 'x');
  const ax = normalizeAxes(axes, x.rank, 'moments');
  return tidy(() => {
    const xf = cast(x, 'float32');
    const m = mean(xf, ax, true);
    const v = mean(square(sub(xf, m)), ax, keepDims);
    return { mean: keepDims ? m : mean(xf, ax, false), variance: v };
  });
}

/**
 * (x − mean) · scale / √(variance + ε) + offset, every statistic broadcast against x (tfjs's
 * `batchNorm`; `scale` and `offset` default to 1 and 0). PyTorch's `batch_norm` in inference mode
 * is this with the running statistics; ScratchNet's layers compute them for training.
 */
export function batchNorm(
  x: Tensor, mean: TensorLike, variance: TensorLike, offset?: TensorLike, scale?: TensorLike, varianceEpsilon = 0.001,
): Tensor {
  expectTensor(x, 'batchNorm', 'x');
  if (!(varianceEpsilon >= 0)) throw new ArgumentError(`batchNorm: varianceEpsilon must be a non-negative number, got ${varianceEpsilon}`);
  return tidy(() => {
    const stats = [mean, variance, offset, scale].map((t, i) =>
      t === undefined ? undefined : toTensor(t, 'batchNorm', ['mean', 'variance', 'offset', 'scale'][i]!, 'float32'));
    for (const [i, t] of stats.entries()) {
      if (t && t.rank > x.rank) {
        throw new ShapeError(`batchNorm: ${['mean', 'variance', 'offset', 'scale'][i]} ${fmtShape(t.shape)} has a higher rank than x ${fmtShape(x.shape)}`);
      }
    }
    let y = mul(sub(cast(x, 'float32'), stats[0]!), rsqrt(add(stats[1]!, varianceEpsilon)));
    if (stats[3]) y = mul(y, stats[3]);
    if (stats[2]) y = add(y, stats[2]);
    return y;
  });
}

/** Options of {@link localResponseNormalization}. */
export interface LocalResponseNormalizationOptions {
  /** Half-width of the channel window (default 5: 11 channels). */
  depthRadius?: number;
  /** Default 1. */
  bias?: number;
  /** Default 1. */
  alpha?: number;
  /** Default 0.5. */
  beta?: number;
  /** The channel axis (default 1, NCHW; tfjs normalises over the last axis of NHWC, pass -1 for that). */
  axis?: number;
}

/**
 * Local response normalisation across channels, tfjs's formula: x / (bias + alpha · Σ x²)^beta, the
 * sum over the channels within `depthRadius` of each one (PyTorch's LocalResponseNorm(size, α, β, k)
 * is depthRadius = ⌊size/2⌋, alpha = α/size, bias = k for odd sizes).
 */
export function localResponseNormalization(x: Tensor, options: LocalResponseNormalizationOptions = {}): Tensor {
  expectTensor(x, 'localResponseNormalization', 'x');
  const { depthRadius = 5, bias = 1, alpha = 1, beta = 0.5 } = options;
  if (!Number.isInteger(depthRadius) || depthRadius < 0) {
    throw new ArgumentError(`localResponseNormalization: depthRadius must be a non-negative integer, got ${depthRadius}`);
  }
  if (x.rank === 0) throw new ShapeError('localResponseNormalization: x must have a channel axis, got a scalar');
  const axis = normalizeAxis(options.axis ?? (x.rank >= 2 ? 1 : 0), x.rank, 'localResponseNormalization');
  return tidy(() => {
    const xf = cast(x, 'float32');
    const c = x.shape[axis]!;
    const sq = pad(square(xf), x.shape.map((_, i): [number, number] => (i === axis ? [depthRadius, depthRadius] : [0, 0])));
    let windowSum: Tensor | null = null;
    for (let k = 0; k <= 2 * depthRadius; k++) {
      const begin = x.shape.map((_, i) => (i === axis ? k : 0));
      const part = slice(sq, begin, x.shape.map((d, i) => (i === axis ? c : d)));
      windowSum = windowSum ? add(windowSum, part) : part;
    }
    return div(xf, pow(add(mul(windowSum!, alpha), bias), beta));
  });
}
