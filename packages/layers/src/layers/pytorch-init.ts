import { randomUniform, tidy, type RandomGenerator } from '@scratchnet/core';
import { Linear } from './linear.js';

/**
 * A Linear initialised as PyTorch's nn.Linear (weight and bias from U(±1/√inFeatures)), which
 * PyTorch's transformer layers keep; ScratchNet's own Linear defaults to Kaiming-uniform weights
 * and zero biases. `zeroBias` keeps the bias at zero (PyTorch's MultiheadAttention out_proj).
 */
export function pytorchLinear(inFeatures: number, outFeatures: number, gen: RandomGenerator | undefined, bias = true, zeroBias = false): Linear {
  const layer = new Linear(inFeatures, outFeatures, { bias, weightInit: 'zeros' });
  const bound = 1 / Math.sqrt(inFeatures);
  tidy(() => {
    layer.weight.assign(randomUniform([outFeatures, inFeatures], { min: -bound, max: bound, seed: gen }));
    if (!zeroBias) layer.bias?.assign(randomUniform([outFeatures], { min: -bound, max: bound, seed: gen }));
  });
  return layer;
}
