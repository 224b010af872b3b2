/**
 * @packageDocumentation
 * ScratchNet's tensor engine: tensors, ops with broadcasting, reverse-mode autodiff, memory
 * scopes, a seeded random generator, and the backend contract with its registry.
 */
export type { DType, TypedArray } from './dtype.js';
export { allocArray, bytesPerElement, dtypeOfArray, isDType, promoteTypes } from './dtype.js';
// float16: host conversions and dtype helpers
export { castArray, dtypeList, isFloatDType, storageToValues, unknownDType } from './dtype.js';
export { FLOAT16_MAX, decodeFloat16, encodeFloat16, fromFloat16Bits, roundToFloat16, toFloat16Bits } from './float16.js';
export { ScratchNetError, ShapeError, DTypeError, ArgumentError, DisposedError, BackendError, fmtShape } from './errors.js';
export type { Shape, MergedAxes } from './shape.js';
export { around, broadcastShapes, broadcastStrides, mergeAxes, sizeOf, stridesOf, shapesEqual } from './shape.js';

export type { Backend, BackendMemory, Float16Kernel } from './backend/backend.js';
export { CONV2D_INFO_FIELDS } from './backend/conv-info-fields.js';
export type {
  DataId, TensorRef, UnaryOp, UnaryAttrs, BinaryOp, ReduceOp, StridedView, Conv2dInfo, PoolKind, MatmulAttrs,
} from './backend/kernel-types.js';
export type { FusedDType, FusedElementwiseProgram, FusedInstruction, FusedSegment } from './backend/fused-types.js';
export { matmulSizes, type MatmulSizes } from './backend/matmul-sizes.js';
// Fused elementwise programs: checking, running unfused, and the per-language forms of a step (issue 14).
export { validateFusedProgram, unaryInputDtypes, binaryInputDtypes, type FusedValueInfo } from './compile/fused-validate.js';
export { runFusedUnfused, checkFusedInputs, fusedUnaryAlpha } from './compile/fused-unfused.js';
export { segmentProgram, checkFusedSegments } from './compile/segments-run.js';
// Epilogue kernels (matmul / conv2d with an elementwise program applied on the store): checks and reference.
export { checkEpilogue, runEpilogueUnfused, type EpilogueKernel } from './compile/epilogue-unfused.js';
export {
  fusedScalarForm, fusedStepJs, fusedStepWgsl,
  type FusedOpStep, type FusedScalarForm, type FusedStore,
} from './compile/fused-forms.js';
export * from './ops/defs/index.js';
export type { BackendFactory, RegisterOptions } from './backend/registry.js';
export {
  registerBackend, setBackend, getBackend, getBackendName, listBackends, ready, removeBackend,
  tidy, keep, dispose, memory, resetPeakMemory, moveToBackend, checkValues,
} from './engine/engine.js';
export type { MemoryInfo } from './engine/engine.js';
export { enableLeakCheck, disableLeakCheck, leakCheckEnabled, leakCheckStep, type LeakCheckOptions } from './engine/leak-check.js';
export { DeviceLostError, type DeviceLossInfo } from './errors.js';
export { syncToHost } from './engine/device-loss.js';

export { Tensor } from './tensor.js';
import './tensor-methods.js';
export type { NestedArray } from './tensor.js';
export { Variable, variable, trainableVariables } from './variable.js';
export { RandomGenerator, setGlobalSeed } from './random/generator.js';

export { tensor, scalar, full, zeros, ones, zerosLike, onesLike, arange, linspace, eye } from './ops/creation.js';
export type { TensorInput } from './ops/creation.js';
export { randomUniform, randomNormal, truncatedNormal } from './ops/random.js';
export type { Seed, UniformOptions, NormalOptions } from './ops/random.js';
export type { TensorLike } from './ops/convert.js';
export * from './ops/unary.js';
export * from './ops/binary.js';
export * from './ops/activations.js';
export * from './ops/arithmetic.js';
export * from './ops/rearrange.js';
export * from './ops/scans.js';
export * from './ops/logical-reduce.js';
export * from './ops/pad-modes.js';
export { cast } from './ops/cast.js';
export { matmul } from './ops/matmul.js';
export type { MatmulOptions } from './ops/matmul.js';
export { transpose, permute } from './ops/transpose.js';
export { REDUCE_DEFS, REDUCE_OPS, isArgReduce, reduceInputDtype, reduceOutDtype } from './ops/defs/reduce-defs.js';
export type { ArgDef, ArgReduceOp, FoldDef, FoldReduceOp, ReduceDef, ReduceInputDType } from './ops/defs/reduce-defs.js';
export { reshape, squeeze, expandDims, flatten, clone, ensureShape } from './ops/reshape.js';
export { broadcastTo } from './ops/broadcast-to.js';
export { slice, concat, stack, split, pad } from './ops/slicing.js';
export { gather, oneHot, takeAlongAxis } from './ops/indexing.js';
export type { Indices, OneHotOptions } from './ops/indexing.js';
export { stridedSlice, sliceWithStep } from './ops/strided-slice.js';
export type { StridedSliceOptions, SliceSpec } from './ops/strided-slice.js';
export { scatter, scatterAdd, indexPut } from './ops/scatter.js';
export type { IndexPutOptions } from './ops/scatter.js';
export type { IndexInput } from './ops/index-checks.js';
export { gatherND, scatterND, tensorScatterUpdate, sparseToDense, unsortedSegmentSum } from './ops/gather-nd.js';
export { depthToSpace, spaceToDepth, pixelShuffle, pixelUnshuffle } from './ops/depth-to-space.js';
export type { DepthToSpaceMode, DepthToSpaceOptions } from './ops/depth-to-space.js';
export { einsum } from './ops/einsum.js';
export { sum, mean, max, min, prod, argmax, argmin, variance, std, logSumExp } from './ops/reduce.js';
export type { Axes, VarianceOptions } from './ops/reduce.js';
export { softmax, logSoftmax } from './ops/softmax.js';
export { conv2d, maxPool2d, avgPool2d } from './ops/conv.js';
export type { Conv2dOptions, Pool2dOptions } from './ops/conv.js';
export type { Padding2d, Pair } from './ops/conv-geometry.js';
export { conv1d, conv1dTranspose } from './ops/conv1d.js';
export type { Conv1dOptions, Conv1dTransposeOptions } from './ops/conv1d.js';
export { conv2dTranspose } from './ops/conv-transpose.js';
export type { Conv2dTransposeOptions } from './ops/conv-transpose.js';
export { depthwiseConv2d, separableConv2d } from './ops/conv-depthwise.js';
export type { DepthwiseConv2dOptions } from './ops/conv-depthwise.js';
export { interpolate, upsample } from './ops/interpolate.js';
export type { InterpolateMode, InterpolateOptions } from './ops/interpolate.js';
export { maxPool1d, avgPool1d } from './ops/pool-1d.js';
export type { Pool1dOptions } from './ops/pool-1d.js';
export type { Padding1d } from './ops/window-1d.js';
export { adaptiveAvgPool2d, adaptiveMaxPool2d, globalAvgPool } from './ops/adaptive-pool.js';
export type { GlobalPoolOptions } from './ops/adaptive-pool.js';
export { dropout } from './ops/dropout.js';
export type { DropoutOptions } from './ops/dropout.js';
// tfjs-core's remaining conveniences (issue 12)
export { moments, batchNorm, localResponseNormalization } from './ops/moments.js';
export type { LocalResponseNormalizationOptions } from './ops/moments.js';
export { bincount, denseBincount } from './ops/counting.js';
export type { BincountOptions } from './ops/counting.js';
export { nonzero, whereAsync, booleanMask, booleanMaskAsync, setdiff1d, setdiff1dAsync } from './ops/host-select.js';
export { spaceToBatchND, batchToSpaceND } from './ops/space-batch.js';
export { sort, argsort, topk } from './ops/sorting.js';
export { inTopK } from './ops/in-top-k.js';
export { log2, log10, exp2, logit, hypot, nanToNum, diff, type NanToNumOptions } from './ops/math-extras.js';
export type { SortOptions, TopkOptions, TopkResult } from './ops/sorting.js';
export { searchSorted } from './ops/search-sorted.js';
export type { SearchSortedOptions } from './ops/search-sorted.js';
export { unique } from './ops/unique.js';
export type { UniqueOptions, UniqueResult } from './ops/unique.js';
export { randint, randperm, shuffle } from './ops/random-ints.js';
export type { SeedOptions, ShuffleOptions } from './ops/random-ints.js';
export { bernoulli, multinomial, categorical } from './ops/sampling.js';
export type { BernoulliOptions, MultinomialOptions, CategoricalOptions } from './ops/sampling.js';
// layer normalisation as one kernel forward and one backward
export { layerNorm, type LayerNormOptions } from './ops/layer-norm.js';

export { grad, valueAndGrad, variableGrads, noGrad } from './autograd/grad.js';
export { checkpoint, type CheckpointOptions, type CheckpointableModule } from './autograd/checkpoint.js';

// compile: record once, replay fused (issue 14)
export { compile, type CompileOptions, type CompiledFunction } from './compile/compile.js';
export { CompileError } from './compile/compile-error.js';
export type { ProgramReport } from './compile/explain.js';
export { hostTensor, hostScalar, hostEffect } from './engine/host-values.js';
