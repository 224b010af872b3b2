/**
 * Autocast, as PyTorch's `torch.autocast`: inside the scope, the layers that do the heavy products
 * (Linear, Conv2D) run in float16 — their input, weight and bias are cast to float16 and the kernel
 * accumulates in float32 — while everything else (activations follow their input's dtype; softmax,
 * losses, norms, reductions) stays or returns to float32. The weights themselves stay float32 (the
 * "master weights"): the cast is recorded for autodiff, so their gradients come back in float32.
 */
import { cast, type Tensor } from '@scratchnet/core';

let depth = 0;
let disabledDepth = 0;

/** Options of {@link autocast}. */
export interface AutocastOptions {
  /** false runs `fn` with autocast off (e.g. a float32 island inside an autocast region). Default true. */
  readonly enabled?: boolean;
}

/**
 * Runs `fn` with mixed precision on: Linear and Conv2D compute in float16 with float32 accumulation.
 * The scope is synchronous (as the forward pass is); the state is restored when `fn` returns or throws.
 * On a backend without float16 kernels the same numbers come out (core computes those kernels in
 * float32 on float16-rounded data), only without the speed or memory gain.
 * @example const loss = autocast(() => lossFn.forward(cast(model.forward(x), 'float32'), y));
 */
export function autocast<R>(fn: () => R, options: AutocastOptions = {}): R {
  const on = options.enabled ?? true;
  if (on) depth++;
  else disabledDepth++;
  try {
    return fn();
  } finally {
    if (on) depth--;
    else disabledDepth--;
  }
}

/** True inside an {@link autocast} scope (and not inside a nested `enabled: false` one). */
export function isAutocastEnabled(): boolean {
  return depth > 0 && disabledDepth === 0;
}

/** The dtype products compute in now: float16 under autocast, else the tensors' own. */
export function autocastProduct(...xs: readonly (Tensor | null)[]): (Tensor | null)[] {
  if (!isAutocastEnabled()) return [...xs];
  return xs.map((x) => (x && x.dtype === 'float32' ? cast(x, 'float16') : x));
}

/** `x` in float32 (losses, softmax and norms take float32 under autocast); other tensors unchanged. */
export function toFloat32(x: Tensor): Tensor {
  return x.dtype === 'float16' ? cast(x, 'float32') : x;
}
