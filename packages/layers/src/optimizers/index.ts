/**
 * @packageDocumentation
 * Optimizers with PyTorch's names and update rules (SGD, Adam, AdamW, RMSprop), learning-rate
 * schedules (StepLR, ExponentialLR, CosineAnnealingLR) and gradient clipping by global norm.
 */
export { Optimizer, type OptimizerOptions, type OptimizerState, type StepScalar } from './optimizer.js';
export { SGD, type SGDOptions } from './sgd.js';
export { Adam, AdamW, type AdamOptions } from './adam.js';
export { RMSprop, type RMSpropOptions } from './rmsprop.js';
export {
  LRScheduler, StepLR, ExponentialLR, CosineAnnealingLR,
  type SchedulerState, type StepLROptions, type ExponentialLROptions, type CosineAnnealingLROptions,
} from './schedules.js';
export { clipGradNorm, clipGradNormAsync, type ClipGradNormOptions, type ClipGradNormResult } from './clip.js';
