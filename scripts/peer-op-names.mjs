/**
 * Which ScratchNet op answers to each TensorFlow.js op and each commonly used PyTorch function: the
 * data behind the comparison table of packages/core/README.md (written by scripts/peer-op-table.mjs).
 *
 * TFJS: tfjs-core op name → a core export, or `null` with the reason there is none. A tfjs op missing
 * from this table maps to the core export of the same name, if there is one.
 * TORCH: [torch name, core export or null, note]. Names are written as a PyTorch user types them.
 */

/** @type {Record<string, string | { none: string }>} */
export const TFJS = {
  argMax: 'argmax', argMin: 'argmin', avgPool: 'avgPool2d', maxPool: 'maxPool2d', clipByValue: 'clip', matMul: 'matmul',
  euclideanNorm: 'norm', fill: 'full', range: 'arange', outerProduct: 'outer', randomStandardNormal: 'randomNormal',
  randomUniformInt: 'randint', lowerBound: 'searchSorted', upperBound: 'searchSorted', inTopKAsync: 'inTopK',
  avgPool3d: { none: '3-D convolution and pooling are not implemented' },
  conv3d: { none: '3-D convolution and pooling are not implemented' },
  conv3dTranspose: { none: '3-D convolution and pooling are not implemented' },
  maxPool3d: { none: '3-D convolution and pooling are not implemented' },
  dilation2d: { none: 'morphological dilation: rarely used, not implemented' },
  maxPoolWithArgmax: { none: 'use maxPool2d; its gradient routes to the argmax already' },
  pool: { none: 'the generic pool: use maxPool2d / avgPool2d (dilated pooling is not implemented)' },
  basicLSTMCell: { none: "tfjs's functional LSTM cell: @scratchnet/layers has LSTMCell" },
  multiRNNCell: { none: "tfjs's functional stacked cells: @scratchnet/layers has LSTM with numLayers" },
  complex: { none: 'no complex dtype' }, real: { none: 'no complex dtype' }, imag: { none: 'no complex dtype' },
  fft: { none: 'no complex dtype, so no FFT' }, ifft: { none: 'no complex dtype, so no FFT' },
  rfft: { none: 'no complex dtype, so no FFT' }, irfft: { none: 'no complex dtype, so no FFT' },
  bitwiseAnd: { none: 'no bitwise integer ops yet' },
  raggedGather: { none: 'no ragged tensors' }, raggedRange: { none: 'no ragged tensors' }, raggedTensorToTensor: { none: 'no ragged tensors' },
  rand: { none: 'takes a JavaScript sampling function per element; use randomUniform / randomNormal' },
  randomGamma: { none: 'no gamma sampler yet' },
  broadcastArgs: 'broadcastShapes',
  enclosingPowerOfTwo: { none: 'an internal helper of tfjs.signal' },
  cosineWindow: { none: 'tfjs.signal window helper: not implemented' },
};

/** tfjs-core exports that are rank-specific spellings of another op (concat1d, tensor3d, ...): folded into it. */
export const TFJS_RANK_VARIANT = /^(concat|tensor|slice|reverse|pad)[1-6]d$|^batchNorm[234]d$/;

/** tfjs-core exports in the ops index that are not ops: the op wrapper, a type, a host buffer and a printer. */
export const TFJS_NOT_OPS = new Set(['op', 'OP_SCOPE_SUFFIX', 'LSTMCellFunc', 'buffer', 'print']);

/** @type {readonly (readonly [string, string | null, string?])[]} */
export const TORCH = [
  // creation and random
  ['tensor', 'tensor'], ['zeros', 'zeros'], ['ones', 'ones'], ['full', 'full'], ['zeros_like', 'zerosLike'], ['ones_like', 'onesLike'],
  ['arange', 'arange'], ['linspace', 'linspace'], ['eye', 'eye'], ['empty', 'zeros', 'ScratchNet always initialises'],
  ['rand', 'randomUniform'], ['randn', 'randomNormal'], ['randint', 'randint'], ['randperm', 'randperm'],
  ['multinomial', 'multinomial'], ['bernoulli', 'bernoulli'], ['nn.init.trunc_normal_', 'truncatedNormal'],
  // elementwise
  ['abs', 'abs'], ['neg', 'neg'], ['sign', 'sign'], ['exp', 'exp'], ['expm1', 'expm1'], ['log', 'log'], ['log1p', 'log1p'],
  ['sqrt', 'sqrt'], ['rsqrt', 'rsqrt'], ['square', 'square'], ['reciprocal', 'reciprocal'], ['sin', 'sin'], ['cos', 'cos'],
  ['tan', 'tan'], ['asin', 'asin'], ['acos', 'acos'], ['atan', 'atan'], ['atan2', 'atan2'], ['sinh', 'sinh'], ['cosh', 'cosh'],
  ['tanh', 'tanh'], ['asinh', 'asinh'], ['acosh', 'acosh'], ['atanh', 'atanh'], ['sigmoid', 'sigmoid'], ['erf', 'erf'],
  ['floor', 'floor'], ['ceil', 'ceil'], ['round', 'round'], ['trunc', 'trunc'],
  ['clamp', 'clip'], ['add', 'add'], ['sub', 'sub'], ['mul', 'mul'], ['div', 'div'], ['pow', 'pow'], ['remainder', 'remainder'],
  ['fmod', 'fmod'], ['floor_divide', 'floorDiv'], ['maximum', 'maximum'], ['minimum', 'minimum'], ['lerp', 'lerp'],
  ['eq', 'equal'], ['ne', 'notEqual'], ['lt', 'less'], ['le', 'lessEqual'], ['gt', 'greater'], ['ge', 'greaterEqual'],
  ['logical_and', 'logicalAnd'], ['logical_or', 'logicalOr'], ['logical_not', 'logicalNot'], ['logical_xor', 'logicalXor'],
  ['isnan', 'isNaN'], ['isinf', 'isInf'], ['isfinite', 'isFinite'], ['where', 'where'], ['masked_fill', 'maskedFill'],
  // reductions, scans, sorting
  ['sum', 'sum'], ['mean', 'mean'], ['prod', 'prod'], ['amax', 'max'], ['amin', 'min'], ['argmax', 'argmax'], ['argmin', 'argmin'],
  ['var', 'variance'], ['var_mean', 'moments'], ['std', 'std', 'correction defaults to 0 (NumPy), PyTorch 1'], ['logsumexp', 'logSumExp'],
  ['cumsum', 'cumsum'], ['cumprod', 'cumprod'], ['logcumsumexp', 'logCumSumExp'], ['all', 'all'], ['any', 'any'],
  ['count_nonzero', 'countNonzero'], ['linalg.norm', 'norm'], ['topk', 'topk'], ['sort', 'sort'], ['argsort', 'argsort'],
  ['unique', 'unique'], ['searchsorted', 'searchSorted'], ['bincount', 'bincount'], ['nonzero', 'nonzero'], ['argwhere', 'nonzero'],
  ['masked_select', 'booleanMask'],
  // shapes and indexing
  ['reshape', 'reshape'], ['permute', 'permute'], ['transpose', 'transpose'], ['squeeze', 'squeeze'], ['unsqueeze', 'expandDims'],
  ['flatten', 'flatten'], ['cat', 'concat'], ['stack', 'stack'], ['split', 'split'], ['unbind', 'unstack'],
  ['broadcast_to', 'broadcastTo'], ['narrow', 'slice'], ['clone', 'clone'], ['gather', 'takeAlongAxis'], ['index_select', 'gather'],
  ['take_along_dim', 'takeAlongAxis'], ['scatter', 'scatter'], ['scatter_add', 'scatterAdd'], ['index_put', 'indexPut'],
  ['flip', 'flip'], ['roll', 'roll'], ['tile', 'tile'], ['repeat_interleave', 'repeatInterleave'], ['tril', 'tril'], ['triu', 'triu'],
  ['diag', 'diag'], ['trace', 'trace'], ['meshgrid', 'meshgrid'], ['outer', 'outer'], ['dot', 'dot'], ['matmul', 'matmul'],
  ['bmm', 'matmul'], ['mm', 'matmul'], ['einsum', 'einsum'],
  // torch.nn.functional
  ['nn.functional.relu', 'relu'], ['nn.functional.relu6', 'relu6'], ['nn.functional.leaky_relu', 'leakyRelu'], ['nn.functional.elu', 'elu'],
  ['nn.functional.selu', 'selu'], ['nn.functional.gelu', 'gelu'], ['nn.functional.silu', 'silu'], ['nn.functional.mish', 'mish'],
  ['nn.functional.softplus', 'softplus'], ['nn.functional.hardsigmoid', 'hardSigmoid'], ['nn.functional.hardswish', 'hardSwish'],
  ['nn.functional.logsigmoid', 'logSigmoid'], ['nn.functional.prelu', 'prelu'], ['nn.functional.softmax', 'softmax'],
  ['nn.functional.log_softmax', 'logSoftmax'], ['nn.functional.dropout', 'dropout'], ['nn.functional.one_hot', 'oneHot'],
  ['nn.functional.pad', 'padWithMode'], ['nn.functional.conv1d', 'conv1d'], ['nn.functional.conv2d', 'conv2d'],
  ['nn.functional.conv_transpose2d', 'conv2dTranspose'], ['nn.functional.max_pool1d', 'maxPool1d'],
  ['nn.functional.max_pool2d', 'maxPool2d'], ['nn.functional.avg_pool1d', 'avgPool1d'], ['nn.functional.avg_pool2d', 'avgPool2d'],
  ['nn.functional.adaptive_avg_pool2d', 'adaptiveAvgPool2d'], ['nn.functional.interpolate', 'interpolate'],
  ['nn.functional.pixel_shuffle', 'depthToSpace'], ['nn.functional.pixel_unshuffle', 'spaceToDepth'],
  ['nn.functional.batch_norm', 'batchNorm'], ['nn.functional.local_response_norm', 'localResponseNormalization'],
  ['log2', 'log2'], ['log10', 'log10'], ['exp2', 'exp2'], ['logit', 'logit'], ['hypot', 'hypot'], ['nan_to_num', 'nanToNum'],
  ['diff', 'diff'],
  // commonly used, not (yet) in core
  ['median', null, 'not yet: sort and take the middle'], ['kthvalue', null, 'not yet: topk with largest: false'],
  ['cummax', null, 'not yet'], ['cross', null, 'not yet'], ['cdist', null, 'not yet: compose from matmul and sums of squares'],
  ['linalg.inv', null, 'no linear solvers yet'], ['linalg.solve', null, 'no linear solvers yet'], ['linalg.svd', null, 'no decompositions yet'],
  ['fft.fft', null, 'no complex dtype, so no FFT'],
  ['nn.functional.embedding', null, '@scratchnet/layers: Embedding (or gather on the weight)'],
  ['nn.functional.layer_norm', 'layerNorm', 'one kernel forward and one backward; @scratchnet/layers: LayerNorm'], ['nn.functional.group_norm', null, '@scratchnet/layers: GroupNorm'],
  ['nn.functional.scaled_dot_product_attention', null, '@scratchnet/layers: scaledDotProductAttention'],
  ['nn.functional.cosine_similarity', null, 'not yet'], ['nn.functional.unfold', null, 'not yet (im2col)'],
  ['nn.functional.grid_sample', null, 'not yet'], ['nn.functional.conv3d', null, '3-D convolution is not implemented'],
];
