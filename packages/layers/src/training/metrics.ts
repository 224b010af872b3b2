import { argmax, cast, equal, mean, type Tensor } from '@scratchnet/core';

/**
 * Fraction of samples whose arg-max prediction matches the target: int32 class labels [N], or
 * one-hot / probability targets [N, C] (their arg-max is the class).
 */
export function accuracy(prediction: Tensor, target: Tensor): Tensor {
  const predicted = argmax(prediction, -1);
  const labels = target.dtype === 'float32' && target.rank === prediction.rank ? argmax(target, -1) : cast(target, 'int32');
  return mean(cast(equal(predicted, labels), 'float32'));
}
