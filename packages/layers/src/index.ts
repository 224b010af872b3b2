/**
 * @packageDocumentation
 * ScratchNet's network API, in PyTorch's vocabulary: modules and layers, losses, optimizers and
 * schedules, the training loop (`fit`, `evaluate`, `predict`), data sets, the IDX reader, and
 * save / load. It imports @scratchnet/core only and runs on whichever backend is active.
 */
export { Module, registerModule, moduleFromConfig, type ModuleConfig } from './module.js';
export { Sequential } from './sequential.js';
export { initialize, fans, type Initializer } from './init.js';
export { Linear, type LinearOptions } from './layers/linear.js';
export { Conv2D, type Conv2DOptions } from './layers/conv2d.js';
export { MaxPool2D, AvgPool2D, type Pool2DOptions } from './layers/pooling.js';
export { BatchNorm1D, BatchNorm2D, type BatchNormOptions } from './layers/batchnorm.js';
export { RNN, LSTM, GRU, type RecurrentOptions, type RNNOptions, type RecurrentForwardOptions, type LSTMState } from './layers/recurrent.js';
export { RNNCell, LSTMCell, GRUCell, type RecurrentCellOptions, type RNNCellOptions } from './layers/recurrent-cells.js';
export type { CellWeights, RNNNonlinearity } from './layers/recurrent-steps.js';
export { padSequence, type PadSequenceOptions } from './layers/pad-sequence.js';
export { Conv2d, MaxPool2d, AvgPool2d, BatchNorm1d, BatchNorm2d } from './layers/pytorch-names.js';
export { Flatten, Dropout, type DropoutOptions } from './layers/shape-layers.js';
export { ReLU, LeakyReLU, Sigmoid, Tanh, Softmax, GELU } from './layers/activations.js';
export * from './losses/index.js';
export * from './optimizers/index.js';
export { TensorDataset, shuffledIndices, type Batch, type BatchOptions, type HostArray } from './data/dataset.js';
export * from './data/idx.js';
export * from './data/images/index.js';
export { decisionBoundary, type BoundaryGrid, type DecisionBoundaryOptions } from './data/boundary.js';
export * from './io/index.js';
export { fit, type FitOptions, type History } from './training/fit.js';
export { evaluate, predict, type EvaluateOptions } from './training/evaluate.js';
export { accuracy } from './training/metrics.js';
export type { BatchLogs, EpochLogs, LossLike, MetricName, OptimizerLike, SchedulerLike } from './training/types.js';
export { exportOnnx, exportOnnxAsync, ONNX_SUPPORTED_MODULES, type ExportOnnxOptions } from './onnx/index.js';
