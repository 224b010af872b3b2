/**
 * The conformance suite's float64 reference: naive loops written from each op's definition, sharing
 * no code with core's ops or any backend.
 */
export * from './ndarray.js';
export { broadcastShape, broadcastRead, mapBroadcast, refBroadcastTo } from './broadcast.js';
export { erf, gelu, roundHalfEven, sigmoid, softplus } from './special.js';
export { refUnary, unaryDType, type RefUnaryOp } from './unary.js';
export { refBinary, refClip, refWhere, promote, binaryDType, numberOperand, type RefBinaryOp } from './binary.js';
export { refReduce, refVariance, refArgExtreme, refAxes, reducedShape, reduceDType, type RefReduceOp } from './reduce.js';
export { refSoftmax, refLogSoftmax } from './softmax.js';
export { refMatmul } from './matmul.js';
export { refTranspose, inversePerm, refReshape, refSqueeze, refExpandDims, refFlatten } from './layout.js';
export { refSlice, refConcat, refStack, refSplit, refPad } from './slicing.js';
export { refGather, refOneHot } from './indexing.js';
export { refConv2d, type RefConvOptions } from './conv.js';
export { refPool2d, type RefPoolOptions } from './pool.js';
export { refConv1d, refConvTranspose, refInterpolate, refAdaptivePool2d, refPool1d } from './conv-family.js';
export type { RefConv1dOptions, RefConvTransposeOptions, RefInterpolateOptions } from './conv-family.js';
export { axisGeometry, type RefPadding } from './window.js';
export { refFull, refArange, refLinspace, refEye } from './creation.js';
export { refActivation, refSquaredDifference, type RefActivation } from './composites.js';
export { refScan } from './scans.js';
export { refFlip, refTile, refRoll, refTriangle } from './rearrange.js';
export { refStridedSlice } from './strided.js';
export { refSort, refTopk } from './sorting.js';
export { refLayerNorm, refLayerNormInputGrad } from './layer-norm.js';
