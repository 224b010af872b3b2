/**
 * Functional forms of the classification losses, as `torch.nn.functional.cross_entropy` and
 * `nll_loss`: one call with the options instead of a loss object.
 */
import type { Tensor } from '@scratchnet/core';
import { CrossEntropyLoss, NLLLoss, type ClassificationLossOptions, type CrossEntropyLossOptions } from './classification.js';

/**
 * Cross entropy of logits `input` [N, C] / [N, C, T] / [N, C, d1, ...] (or [C]) against int32 class
 * indices [N] / [N, T] / [N, d1, ...] or float32 class probabilities of the input's shape; the
 * same definition and options as {@link CrossEntropyLoss} (`ignoreIndex` −100 by default).
 *
 * @example
 * // A language model's logits [batch, vocab, time] against next tokens [batch, time], padding = −100.
 * const loss = crossEntropy(logits, nextTokens, { labelSmoothing: 0.1 });
 */
export function crossEntropy(input: Tensor, target: Tensor, options: CrossEntropyLossOptions = {}): Tensor {
  return new CrossEntropyLoss(options).forward(input, target);
}

/** Negative log-likelihood of log-probabilities, with the definition and options of {@link NLLLoss}. */
export function nllLoss(input: Tensor, target: Tensor, options: ClassificationLossOptions = {}): Tensor {
  return new NLLLoss(options).forward(input, target);
}
