/**
 * @packageDocumentation
 * ScratchNet's tensor engine: tensors, ops with broadcasting, reverse-mode autodiff, memory
 * scopes, a seeded random generator, and the backend contract with its registry.
 */
export type { DType, TypedArray } from './dtype.js';
export { allocArray, bytesPerElement, dtypeOfArray, isDType, promoteTypes } from './dtype.js';
export { ScratchNetError, ShapeError, DTypeError, ArgumentError, DisposedError, BackendError, fmtShape } from './errors.js';
export type { Shape, MergedAxes } from './shape.js';
export { around, broadcastShapes, broadcastStrides, mergeAxes, sizeOf, stridesOf, shapesEqual } from './shape.js';

export type { Backend, BackendMemory } from './backend/backend.js';
export { CONV2D_INFO_FIELDS } from './backend/conv-info-fields.js';
export type {
  DataId, TensorRef, UnaryOp, UnaryAttrs, BinaryOp, ReduceOp, StridedView, Conv2dInfo, PoolKind, MatmulAttrs,
} from './backend/kernel-types.js';
export * from './ops/defs/index.js';
export type { BackendFactory, RegisterOptions } from './backend/registry.js';
export {
  registerBackend, setBackend, getBackend, getBackendName, listBackends, ready, removeBackend,
  tidy, keep, dispose, memory, moveToBackend, checkValues,
} from './engine/engine.js';
export type { MemoryInfo } from './engine/engine.js';
export { enableLeakCheck, disableLeakCheck, leakCheckEnabled, leakCheckStep, type LeakCheckOptions } from './engine/leak-check.js';

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
export { reshape, squeeze, expandDims, flatten, clone } from './ops/reshape.js';
export { broadcastTo } from './ops/broadcast-to.js';
export { slice, concat, stack, split, pad } from './ops/slicing.js';
export { gather, oneHot, takeAlongAxis } from './ops/indexing.js';
export type { Indices, OneHotOptions } from './ops/indexing.js';
export { sum, mean, max, min, prod, argmax, argmin, variance, logSumExp } from './ops/reduce.js';
export type { Axes, VarianceOptions } from './ops/reduce.js';
export { softmax, logSoftmax } from './ops/softmax.js';
export { conv2d, maxPool2d, avgPool2d } from './ops/conv.js';
export type { Conv2dOptions, Pool2dOptions } from './ops/conv.js';
export type { Padding2d, Pair } from './ops/conv-geometry.js';
export { dropout } from './ops/dropout.js';
export type { DropoutOptions } from './ops/dropout.js';
export { sort, argsort, topk } from './ops/sorting.js';
export type { SortOptions, TopkOptions, TopkResult } from './ops/sorting.js';
export { searchSorted } from './ops/search-sorted.js';
export type { SearchSortedOptions } from './ops/search-sorted.js';
export { unique } from './ops/unique.js';
export type { UniqueOptions, UniqueResult } from './ops/unique.js';
export { randint, randperm, shuffle } from './ops/random-ints.js';
export type { SeedOptions, ShuffleOptions } from './ops/random-ints.js';
export { bernoulli, multinomial, categorical } from './ops/sampling.js';
export type { BernoulliOptions, MultinomialOptions, CategoricalOptions } from './ops/sampling.js';

export { grad, valueAndGrad, variableGrads, noGrad } from './autograd/grad.js';
