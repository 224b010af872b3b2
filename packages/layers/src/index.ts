/**
 * @packageDocumentation
 * ScratchNet's network API, in PyTorch's vocabulary: modules and layers, losses, optimizers and
 * schedules, the training loop (`fit`, `evaluate`, `predict`), data sets, the IDX reader, and
 * save / load. It imports @scratchnet/core only and runs on whichever backend is active.
 */
export { Module, registerModule, moduleFromConfig, type AnyModule, type ModuleConfig } from './module.js';
export { Sequential } from './sequential.js';
export { initialize, fans, type Initializer } from './init.js';
export { Linear, type LinearOptions } from './layers/linear.js';
export { Conv2D, type Conv2DOptions } from './layers/conv2d.js';
export { MaxPool2D, AvgPool2D, type Pool2DOptions } from './layers/pooling.js';
export { BatchNorm1D, BatchNorm2D, type BatchNormOptions } from './layers/batchnorm.js';
export { Conv2d, MaxPool2d, AvgPool2d, BatchNorm1d, BatchNorm2d } from './layers/pytorch-names.js';
export { Flatten, Dropout, type DropoutOptions } from './layers/shape-layers.js';
export { Conv1D, type Conv1DOptions } from './layers/conv1d.js';
export { ConvTranspose2D, type ConvTranspose2DOptions } from './layers/conv-transpose2d.js';
export { Upsample } from './layers/upsample.js';
export { Conv1d, ConvTranspose2d } from './layers/pytorch-names.js';
export { ReLU, LeakyReLU, Sigmoid, Tanh, Softmax, GELU } from './layers/activations.js';
export { Embedding, type EmbeddingOptions } from './layers/embedding.js';
export {
  LayerNorm, RMSNorm, GroupNorm, FLOAT32_EPS, type LayerNormOptions, type RMSNormOptions, type GroupNormOptions,
} from './layers/normalization.js';
export { Identity } from './layers/identity.js';
export { ModuleList, ModuleDict } from './layers/containers.js';
export {
  scaledDotProductAttention, causalMask, attend, type ScaledDotProductAttentionOptions, type AttendMasks,
} from './layers/attention.js';
export {
  MultiheadAttention, type MultiheadAttentionOptions, type MultiheadAttentionForwardOptions,
} from './layers/multihead-attention.js';
export {
  TransformerEncoderLayer, TransformerDecoderLayer, TransformerEncoder, TransformerDecoder, deepCopy,
  type TransformerLayerOptions, type EncoderLayerForwardOptions, type DecoderLayerForwardOptions, type TransformerEncoderOptions,
  type EncoderForwardOptions,
} from './layers/transformer.js';
export { KVCache } from './layers/kv-cache.js';
export { LearnedPositionalEmbedding, SinusoidalPositionalEncoding, type PositionalOptions } from './layers/positional.js';
export { RNN, LSTM, GRU, type RecurrentOptions, type RNNOptions, type RecurrentForwardOptions, type LSTMState } from './layers/recurrent.js';
export { RNNCell, LSTMCell, GRUCell, type RecurrentCellOptions, type RNNCellOptions } from './layers/recurrent-cells.js';
export type { CellWeights, RNNNonlinearity } from './layers/recurrent-steps.js';
export { padSequence, type PadSequenceOptions } from './layers/pad-sequence.js';
export * from './losses/index.js';
export * from './optimizers/index.js';
export { TensorDataset, shuffledIndices, isBatchSource, type Batch, type BatchOptions, type BatchSource, type HostArray } from './data/dataset.js';
export * from './text/index.js';
export { GPT, type GPTOptions } from './models/gpt.js';
export { LSTMLanguageModel, type LSTMLanguageModelOptions } from './models/lstm-language-model.js';
export * from './data/idx.js';
export * from './data/images/index.js';
export { decisionBoundary, type BoundaryGrid, type DecisionBoundaryOptions } from './data/boundary.js';
export * from './io/index.js';
export { fit, type FitOptions, type History } from './training/fit.js';
export type { DeviceLossLogs } from './training/device-loss.js';
export { autocast, isAutocastEnabled, toFloat32, type AutocastOptions } from './mixed-precision/autocast.js';
export { GradScaler, type GradScalerOptions, type ScalerStep } from './mixed-precision/grad-scaler.js';
export { evaluate, predict, type EvaluateOptions } from './training/evaluate.js';
export { accuracy } from './training/metrics.js';
export type { BatchLogs, EpochLogs, LossLike, MetricName, OptimizerLike, SchedulerLike } from './training/types.js';
export { exportOnnx, exportOnnxAsync, ONNX_SUPPORTED_MODULES, type ExportOnnxOptions } from './onnx/index.js';
