/**
 * @packageDocumentation
 * Losses with PyTorch's names and definitions: CrossEntropyLoss, NLLLoss, MSELoss,
 * BCEWithLogitsLoss, each with reduction 'mean' | 'sum' | 'none'.
 */
export { Loss, type LossConfig, type LossOptions, type Reduction } from './loss.js';
export { CrossEntropyLoss, NLLLoss, type ClassificationLossOptions, type CrossEntropyLossOptions } from './classification.js';
export { crossEntropy, nllLoss } from './functional.js';
export { MSELoss, BCEWithLogitsLoss, type BCEWithLogitsLossOptions, type BroadcastWeight } from './regression.js';
