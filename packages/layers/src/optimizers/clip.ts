import { isMap } from './optimizer.js';
import {
  ArgumentError, BackendError, Tensor, abs, add, div, max, minimum, mul, pow, scalar, sqrt, square, stack, sum, tidy, type Variable,
} from '@scratchnet/core';

/** Options of {@link clipGradNorm}. */
export interface ClipGradNormOptions {
  /** The p of the p-norm (default 2); `Infinity` uses the largest absolute value. */
  normType?: number;
}

/** What {@link clipGradNorm} returns. */
export interface ClipGradNormResult {
  /** New gradients, each scaled by min(1, maxNorm / (totalNorm + 1e-6)); the caller owns them. */
  grads: Map<Variable, Tensor>;
  /**
   * The norm of all gradients together, before clipping. Read synchronously; on a backend that
   * can only be read asynchronously, use `await totalNormTensor.data()` or {@link clipGradNormAsync}.
   */
  readonly totalNorm: number;
  /** The same norm as a scalar tensor (the caller owns it). */
  totalNormTensor: Tensor;
}

function totalNormOf(grads: readonly Tensor[], p: number): Tensor {
  if (grads.length === 0) return scalar(0, 'float32');
  const perTensor = grads.map((g) => {
    if (p === Infinity) return max(abs(g));
    if (p === 2) return sum(square(g));
    return sum(pow(abs(g), p));
  });
  const all = stack(perTensor);
  if (p === Infinity) return max(all);
  if (p === 2) return sqrt(sum(all));
  return pow(sum(all), 1 / p);
}

/**
 * Clips gradients by their global norm, as `torch.nn.utils.clip_grad_norm_`: computes the norm
 * of all gradients as if concatenated into one vector, and when it exceeds `maxNorm` scales every
 * gradient by `maxNorm / (norm + 1e-6)`. Returns new gradient tensors; the input map and its
 * tensors are left as they are. The scaling happens on the device (no read-back is needed for it).
 *
 * @example
 * const { grads: clipped, totalNorm } = clipGradNorm(grads, 1.0);
 */
export function clipGradNorm(grads: ReadonlyMap<Variable, Tensor>, maxNorm: number, options: ClipGradNormOptions = {}): ClipGradNormResult {
  if (!isMap(grads)) throw new ArgumentError('clipGradNorm: grads must be a Map from Variable to gradient (as variableGrads returns)');
  if (typeof maxNorm !== 'number' || !(maxNorm >= 0) || Number.isNaN(maxNorm)) {
    throw new ArgumentError(`clipGradNorm: maxNorm must be a number ≥ 0, got ${String(maxNorm)}`);
  }
  const p = options.normType ?? 2;
  if (typeof p !== 'number' || !(p > 0)) throw new ArgumentError(`clipGradNorm: normType must be a positive number or Infinity, got ${String(p)}`);
  const entries = [...grads];
  entries.forEach(([v, g]) => {
    if (!(g instanceof Tensor)) throw new ArgumentError(`clipGradNorm: the gradient of ${v?.name ? `'${v.name}'` : 'a variable'} is not a Tensor`);
  });
  const [out, norm] = tidy(() => {
    const total = totalNormOf(entries.map(([, g]) => g), p);
    // torch multiplies by the clamped coefficient always: gradients under the limit are scaled by 1.
    const coef = minimum(div(maxNorm, add(total, 1e-6)), 1);
    return [new Map(entries.map(([v, g]) => [v, mul(g, coef)])), total] as const;
  });
  let cached: number | null = null;
  try {
    cached = norm.dataSync()[0]!;
  } catch {
    // async-only backend: reading totalNorm explains what to do instead
  }
  return {
    grads: out,
    totalNormTensor: norm,
    get totalNorm(): number {
      if (cached === null) {
        throw new BackendError('clipGradNorm: this backend can only be read asynchronously; use `await result.totalNormTensor.data()` or clipGradNormAsync');
      }
      return cached;
    },
  };
}

/** Like {@link clipGradNorm}, reading the total norm asynchronously (works on every backend). */
export async function clipGradNormAsync(
  grads: ReadonlyMap<Variable, Tensor>, maxNorm: number, options: ClipGradNormOptions = {},
): Promise<{ grads: Map<Variable, Tensor>; totalNorm: number; totalNormTensor: Tensor }> {
  const r = clipGradNorm(grads, maxNorm, options);
  const totalNorm = (await r.totalNormTensor.data())[0]!;
  return { grads: r.grads, totalNorm, totalNormTensor: r.totalNormTensor };
}
