/**
 * Activation functions composed from core's kernels (their gradients follow from the pieces):
 * the ones PyTorch's `torch.nn.functional` and TensorFlow.js users reach for beyond relu / gelu.
 */
import { tidy } from '../engine/engine.js';
import type { Tensor } from '../tensor.js';
import { add, div, greater, mul, notEqual, where } from './binary.js';
import { cast } from './cast.js';
import { expectTensor, toTensor, type TensorLike } from './convert.js';
import { elu, neg, relu6, sigmoid, softplus, tanh } from './unary.js';

/** SELU's α and scale (Klambauer et al., as in PyTorch). */
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/** log(sigmoid(x)) = −softplus(−x), stable for large |x|. */
export function logSigmoid(x: Tensor): Tensor {
  expectTensor(x, 'logSigmoid', 'x');
  return tidy(() => neg(softplus(neg(x))));
}

/** scale · elu(x, α) with PyTorch's constants α ≈ 1.6733, scale ≈ 1.0507. */
export function selu(x: Tensor): Tensor {
  expectTensor(x, 'selu', 'x');
  return tidy(() => mul(elu(x, SELU_ALPHA), SELU_SCALE));
}

/**
 * x where x > 0, alpha · x elsewhere, with a learnable `alpha` that broadcasts against x (as in
 * TensorFlow.js; for PyTorch's per-channel weight of an NCHW input pass it shaped [C, 1, 1]).
 */
export function prelu(x: Tensor, alpha: TensorLike): Tensor {
  expectTensor(x, 'prelu', 'x');
  return tidy(() => {
    const a = toTensor(alpha, 'prelu', 'alpha', 'float32');
    const xf = cast(x, 'float32');
    return where(greater(xf, 0), xf, mul(xf, a));
  });
}

/** relu6(x + 3) / 6: 0 below −3, 1 above 3, linear between (PyTorch's hardsigmoid). */
export function hardSigmoid(x: Tensor): Tensor {
  expectTensor(x, 'hardSigmoid', 'x');
  return tidy(() => div(relu6(add(x, 3)), 6));
}

/** x · hardSigmoid(x) (PyTorch's hardswish). */
export function hardSwish(x: Tensor): Tensor {
  expectTensor(x, 'hardSwish', 'x');
  return tidy(() => mul(x, hardSigmoid(x)));
}

/** x · sigmoid(x), also called swish. */
export function silu(x: Tensor): Tensor {
  expectTensor(x, 'silu', 'x');
  return tidy(() => mul(x, sigmoid(x)));
}

/** Another name of {@link silu}. */
export const swish = silu;

/** x · tanh(softplus(x)). */
export function mish(x: Tensor): Tensor {
  expectTensor(x, 'mish', 'x');
  return tidy(() => mul(x, tanh(softplus(x))));
}

/** The Heaviside step (tfjs's `step`): 1 where x > 0, `alpha` elsewhere, NaN where x is NaN; its gradient is 0. */
export function step(x: Tensor, alpha = 0): Tensor {
  expectTensor(x, 'step', 'x');
  return tidy(() => {
    const xf = cast(x, 'float32');
    return where(notEqual(xf, xf), NaN, where(greater(xf, 0), 1, alpha));
  });
}
