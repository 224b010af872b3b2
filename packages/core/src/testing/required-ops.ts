/**
 * Every public op of core the conformance suite must cover, with whether it has a gradient that the
 * suite must check. required-ops.test.ts holds it to core's exports: every export is either here or
 * in {@link NON_OP_EXPORTS}.
 */
export const OP_TABLE: readonly (readonly [op: string, differentiable: boolean])[] = [
  // creation
  ['tensor', false], ['scalar', false], ['zeros', false], ['ones', false], ['full', false], ['zerosLike', false],
  ['onesLike', false], ['arange', false], ['linspace', false], ['eye', false],
  ['randomUniform', false], ['randomNormal', false], ['truncatedNormal', false], ['RandomGenerator', false],
  ['variable', false],
  // unary
  ['neg', true], ['abs', true], ['sign', true], ['square', true], ['relu', true], ['relu6', true], ['exp', true],
  ['expm1', true], ['log', true], ['log1p', true], ['sqrt', true], ['rsqrt', true], ['reciprocal', true], ['sin', true],
  ['cos', true], ['tanh', true], ['sigmoid', true], ['erf', true], ['floor', true], ['ceil', true], ['trunc', true], ['round', true],
  ['softplus', true], ['gelu', true], ['leakyRelu', true], ['elu', true], ['tan', true], ['asin', true], ['acos', true],
  ['atan', true], ['sinh', true], ['cosh', true], ['asinh', true], ['acosh', true], ['atanh', true],
  // binary and selection
  ['add', true], ['sub', true], ['mul', true], ['div', true], ['pow', true], ['maximum', true], ['minimum', true],
  ['logSigmoid', true], ['selu', true], ['prelu', true], ['hardSigmoid', true], ['hardSwish', true], ['silu', true],
  ['swish', true], ['mish', true], ['squaredDifference', true], ['divNoNan', true], ['lerp', true], ['logicalXor', false],
  ['isNaN', false], ['isInf', false], ['isFinite', false],
  ['atan2', true], ['mod', true], ['remainder', true], ['fmod', true], ['floorDiv', false],
  ['equal', false], ['notEqual', false], ['less', false], ['lessEqual', false], ['greater', false], ['greaterEqual', false],
  ['logicalAnd', false], ['logicalOr', false], ['logicalNot', false], ['clip', true], ['where', true], ['cast', true],
  // linear algebra and shapes
  ['matmul', true], ['transpose', true], ['permute', true], ['reshape', true], ['clone', true], ['squeeze', true], ['expandDims', true],
  ['flatten', true], ['broadcastTo', true], ['slice', true], ['concat', true], ['stack', true], ['split', true],
  ['gather', true], ['oneHot', false], ['pad', true], ['flip', true], ['reverse', true], ['tile', true], ['repeat', true],
  ['repeatInterleave', true], ['roll', true], ['tril', true], ['triu', true], ['diag', true], ['trace', true], ['meshgrid', true],
  ['unstack', true], ['outer', true], ['dot', true], ['takeAlongAxis', true], ['padWithMode', true], ['mirrorPad', true],
  ['stridedSlice', true], ['sliceWithStep', true], ['scatter', true], ['scatterAdd', true], ['indexPut', true],
  ['gatherND', true], ['scatterND', true], ['depthToSpace', true], ['spaceToDepth', true], ['pixelShuffle', true],
  ['pixelUnshuffle', true], ['einsum', true],
  // reductions
  ['sum', true], ['mean', true], ['max', true], ['min', true], ['prod', true], ['logSumExp', true], ['variance', true], ['std', true],
  ['argmax', false], ['argmin', false], ['cumsum', true], ['cumprod', true], ['logCumSumExp', true], ['all', false],
  ['any', false], ['countNonzero', false], ['norm', true], ['maskedFill', true], ['softmax', true], ['logSoftmax', true],
  // sorting and selection
  ['sort', true], ['argsort', false], ['topk', true], ['unique', false], ['searchSorted', false],
  ['randint', false], ['bernoulli', false], ['randperm', false], ['shuffle', true], ['multinomial', false], ['categorical', false],
  // convolution and pooling
  ['conv2d', true], ['maxPool2d', true], ['avgPool2d', true],
  ['conv1d', true], ['conv1dTranspose', true], ['conv2dTranspose', true], ['depthwiseConv2d', true], ['separableConv2d', true],
  ['interpolate', true], ['upsample', true], ['maxPool1d', true], ['avgPool1d', true], ['adaptiveAvgPool2d', true],
  ['adaptiveMaxPool2d', true], ['globalAvgPool', true],
  // regularisation and autodiff
  // tfjs-core's remaining conveniences
  ['addN', true], ['movingAverage', true], ['step', false], ['ensureShape', false], ['moments', true], ['batchNorm', true],
  ['localResponseNormalization', true], ['bincount', false], ['denseBincount', false], ['nonzero', false], ['whereAsync', false],
  ['booleanMask', false], ['booleanMaskAsync', false], ['setdiff1d', false], ['setdiff1dAsync', false], ['spaceToBatchND', true],
  ['batchToSpaceND', true], ['tensorScatterUpdate', true], ['inTopK', false],
  ['log2', true], ['log10', true], ['exp2', true], ['logit', true], ['hypot', true], ['nanToNum', true], ['diff', true], ['sparseToDense', true], ['unsortedSegmentSum', true],
  // layer normalisation
  ['layerNorm', true],
  ['dropout', true], ['grad', true], ['valueAndGrad', true], ['variableGrads', true], ['noGrad', true], ['checkpoint', true],
];

/** Every op name the suite must cover. */
export const REQUIRED_OPS: readonly string[] = OP_TABLE.map(([op]) => op);

/** The ops whose gradients the suite must check. */
export const DIFFERENTIABLE_OPS: ReadonlySet<string> = new Set(OP_TABLE.filter(([, d]) => d).map(([op]) => op));

/**
 * Core's value exports that are not ops (classes, engine control, dtype / shape helpers, errors):
 * the suite does not cover these. A new export of core must be added here or to OP_TABLE.
 */
export const NON_OP_EXPORTS: ReadonlySet<string> = new Set([
  // errors
  'ScratchNetError', 'ShapeError', 'DTypeError', 'ArgumentError', 'DisposedError', 'BackendError', 'fmtShape',
  // dtype and shape helpers
  'allocArray', 'bytesPerElement', 'dtypeOfArray', 'isDType', 'promoteTypes',
  'castArray', 'dtypeList', 'isFloatDType', 'storageToValues', 'unknownDType',
  'FLOAT16_MAX', 'decodeFloat16', 'encodeFloat16', 'fromFloat16Bits', 'roundToFloat16', 'toFloat16Bits',
  'broadcastShapes', 'broadcastStrides', 'sizeOf', 'stridesOf', 'shapesEqual',
  // backends and memory
  'ERFCX_CHEBYSHEV',
  'registerBackend', 'setBackend', 'getBackend', 'getBackendName', 'listBackends', 'ready', 'removeBackend',
  'tidy', 'keep', 'dispose', 'memory', 'resetPeakMemory', 'moveToBackend', 'checkValues',
  'enableLeakCheck', 'disableLeakCheck', 'leakCheckEnabled', 'leakCheckStep',
  // surviving a lost device
  'DeviceLostError', 'syncToHost',
  // op tables (the definitions kernels are generated from)
  'UNARY_DEFS', 'UNARY_OPS', 'unaryDef', 'unaryKernelDtype', 'BINARY_DEFS', 'BINARY_OPS', 'binaryDef', 'binaryKernelDtype',
  'binaryOutDtype', 'elementwiseAbiHash', 'REDUCE_DEFS', 'REDUCE_OPS', 'isArgReduce', 'reduceInputDtype', 'reduceOutDtype',
  'CONV2D_INFO_FIELDS',
  'UNARY_GRAD_OPS', 'unaryGradForms',
  // shape planning backends share
  'around', 'mergeAxes', 'matmulSizes',
  // classes and global state
  'Tensor', 'Variable', 'trainableVariables', 'setGlobalSeed',
  // compile (issue 14)
  'compile', 'CompileError', 'hostTensor', 'hostScalar', 'hostEffect',
  // fused elementwise programs (the backends' side of compile)
  'validateFusedProgram', 'unaryInputDtypes', 'binaryInputDtypes', 'runFusedUnfused', 'checkFusedInputs', 'fusedUnaryAlpha', 'segmentProgram', 'checkFusedSegments',
  'checkEpilogue', 'runEpilogueUnfused',
  'fusedScalarForm', 'fusedStepJs', 'fusedStepWgsl',
]);
