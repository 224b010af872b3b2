import * as sn from '../../index.js';
import type { Tensor } from '../../index.js';
import { refConv2d } from '../reference/conv.js';
import {
  refAdaptivePool2d, refConv1d, refConvTranspose, refInterpolate, refPool1d,
  type RefConv1dOptions, type RefInterpolateOptions,
} from '../reference/conv-family.js';
import type { NDArray } from '../reference/ndarray.js';
import { refReduce } from '../reference/reduce.js';
import { f32, i32, prodOf } from './helpers.js';
import type { ConformanceCase, Layout } from './types.js';

/** [name, x shape, w shape, options, x layout] */
const CONV1D: [string, number[], number[], RefConv1dOptions, Layout?][] = [
  ['k3 no padding [2,3,11] * [4,3,3]', [2, 3, 11], [4, 3, 3], {}],
  ['padding 2 stride 2 [1,2,10] * [3,2,4]', [1, 2, 10], [3, 2, 4], { padding: 2, stride: 2 }],
  ["'same' stride 2, even kernel [1,2,9] * [2,2,4]", [1, 2, 9], [2, 2, 4], { padding: 'same', stride: 2 }],
  ["'valid' dilation 3 [2,2,13] * [3,2,3]", [2, 2, 13], [3, 2, 3], { padding: 'valid', dilation: 3 }],
  ['groups 2 padding 1 [1,4,9] * [6,2,3]', [1, 4, 9], [6, 2, 3], { groups: 2, padding: 1 }],
  ['depthwise multiplier 2 [2,3,8] * [6,1,3]', [2, 3, 8], [6, 1, 3], { groups: 3, stride: 3 }],
  ['transposed input view [1,3,7] * [2,3,2]', [1, 3, 7], [2, 3, 2], { padding: 1 }, 'transposed'],
];

const conv1dCases: ConformanceCase[] = CONV1D.map(([name, xs, ws, opts, layout]) => ({
  kind: 'compare', op: 'conv1d', name, inputs: [f32(xs, 'normal', layout), f32(ws)],
  run: (x: Tensor, w: Tensor) => sn.conv1d(x, w, opts),
  ref: (x: NDArray, w: NDArray) => refConv1d(x, w, opts),
  tol: { accumulate: prodOf(ws.slice(1)) }, grad: true,
}));

/** [name, x shape, w shape, options, x layout] — w is [Cin, Cout/groups, kh, kw]. */
const CONVT2D: [string, number[], number[], sn.Conv2dTransposeOptions, Layout?][] = [
  ['k3 stride 1 [2,3,5,5] * [3,4,3,3]', [2, 3, 5, 5], [3, 4, 3, 3], {}],
  ['stride 2 padding 1 outputPadding 1 [1,4,4,5] * [4,3,3,3]', [1, 4, 4, 5], [4, 3, 3, 3], { stride: 2, padding: 1, outputPadding: 1 }],
  ['pairs: stride [2,3] padding [1,0] outputPadding [1,2], k[3,2]', [1, 2, 4, 3], [2, 3, 3, 2], { stride: [2, 3], padding: [1, 0], outputPadding: [1, 2] }],
  ['dilation 2 with outputPadding 1 at stride 1', [1, 2, 4, 4], [2, 2, 3, 3], { dilation: 2, outputPadding: 1 }],
  ['groups 2 stride 2 [2,4,3,4] * [4,3,2,2]', [2, 4, 3, 4], [4, 3, 2, 2], { groups: 2, stride: 2 }],
  ['groups = channels, padding 1 [1,3,4,4] * [3,2,3,3]', [1, 3, 4, 4], [3, 2, 3, 3], { groups: 3, padding: 1 }],
  ['1×1 kernel stride 1 [2,5,3,3] * [5,4,1,1]', [2, 5, 3, 3], [5, 4, 1, 1], {}],
  ['1×1 kernel stride 2 outputPadding 1 [1,3,3,3] * [3,2,1,1]', [1, 3, 3, 3], [3, 2, 1, 1], { stride: 2, outputPadding: 1 }],
  ['stride larger than kernel [1,2,3,3] * [2,2,2,2] stride 3', [1, 2, 3, 3], [2, 2, 2, 2], { stride: 3 }],
  ['larger [2,8,9,11] * [8,6,4,4] stride 2 padding 1', [2, 8, 9, 11], [8, 6, 4, 4], { stride: 2, padding: 1 }],
  ['transposed input view', [1, 3, 4, 4], [3, 2, 3, 3], { stride: 2 }, 'transposed'],
  ['sliced input view', [1, 2, 5, 4], [2, 3, 2, 3], { stride: [1, 2], padding: [0, 1] }, 'sliced'],
];

const convT2dCases: ConformanceCase[] = CONVT2D.map(([name, xs, ws, opts, layout]) => ({
  kind: 'compare', op: 'conv2dTranspose', name, inputs: [f32(xs, 'normal', layout), f32(ws)],
  run: (x: Tensor, w: Tensor) => sn.conv2dTranspose(x, w, opts),
  ref: (x: NDArray, w: NDArray) => refConvTranspose(x, w, opts),
  tol: { accumulate: xs[1]! * prodOf(ws.slice(2)) }, grad: true,
}));

const convT1dCases: ConformanceCase[] = ([
  ['stride 2 padding 1 outputPadding 1 [2,3,7] * [3,4,3]', [2, 3, 7], [3, 4, 3], { stride: 2, padding: 1, outputPadding: 1 }],
  ['groups 2 dilation 2 [1,4,6] * [4,3,3]', [1, 4, 6], [4, 3, 3], { groups: 2, dilation: 2 }],
] as [string, number[], number[], sn.Conv1dTransposeOptions][]).map(([name, xs, ws, opts]) => ({
  kind: 'compare', op: 'conv1dTranspose', name, inputs: [f32(xs), f32(ws)],
  run: (x: Tensor, w: Tensor) => sn.conv1dTranspose(x, w, opts),
  ref: (x: NDArray, w: NDArray) => refConvTranspose(x, w, opts),
  tol: { accumulate: xs[1]! * ws[2]! }, grad: true,
}));

const depthwiseCases: ConformanceCase[] = [
  {
    kind: 'compare', op: 'depthwiseConv2d', name: 'padding 1 [2,3,6,6] * [3,1,3,3]', inputs: [f32([2, 3, 6, 6]), f32([3, 1, 3, 3])],
    run: (x: Tensor, w: Tensor) => sn.depthwiseConv2d(x, w, { padding: 1 }),
    ref: (x: NDArray, w: NDArray) => refConv2d(x, w, { padding: 1, groups: 3 }), tol: { accumulate: 9 }, grad: true,
  },
  {
    kind: 'compare', op: 'depthwiseConv2d', name: "multiplier 2 stride 2 'same' [1,3,7,7] * [6,1,3,3]", inputs: [f32([1, 3, 7, 7]), f32([6, 1, 3, 3])],
    run: (x: Tensor, w: Tensor) => sn.depthwiseConv2d(x, w, { stride: 2, padding: 'same' }),
    ref: (x: NDArray, w: NDArray) => refConv2d(x, w, { stride: 2, padding: 'same', groups: 3 }), tol: { accumulate: 9 }, grad: true,
  },
  {
    kind: 'compare', op: 'separableConv2d', name: "[1,3,6,5], depthwise [6,1,3,3] 'same', pointwise [4,6,1,1]",
    inputs: [f32([1, 3, 6, 5]), f32([6, 1, 3, 3]), f32([4, 6, 1, 1])],
    run: (x: Tensor, dw: Tensor, pw: Tensor) => sn.separableConv2d(x, dw, pw, { padding: 'same' }),
    ref: (x: NDArray, dw: NDArray, pw: NDArray) => refConv2d(refConv2d(x, dw, { padding: 'same', groups: 3 }), pw), tol: { accumulate: 54 }, grad: true,
  },
];

/** [name, x shape, options, gradient] */
const RESIZE: [string, number[], RefInterpolateOptions & sn.InterpolateOptions][] = [
  ['nearest size [3,11] of [1,2,5,7]', [1, 2, 5, 7], { size: [3, 11] }],
  ['nearest scaleFactor 2 of [2,2,3,4]', [2, 2, 3, 4], { scaleFactor: 2 }],
  ['nearest scaleFactor 1.5 of [1,2,5,5]', [1, 2, 5, 5], { scaleFactor: 1.5 }],
  ['nearest scaleFactor [0.5, 1.7] of [1,1,7,6]', [1, 1, 7, 6], { scaleFactor: [0.5, 1.7] }],
  ['nearest scaleFactor 1.1 keeps size 5 (identity, as PyTorch)', [1, 1, 5, 4], { scaleFactor: [1.1, 2.6] }],
  ['nearest scaleFactor 2.6 recomputed from the sizes', [1, 2, 4, 3], { scaleFactor: 2.6, recomputeScaleFactor: true }],
  ['nearest 3-D scaleFactor 2.5 of [2,3,4]', [2, 3, 4], { scaleFactor: 2.5 }],
  ['bilinear size [8,4] of [1,2,5,7]', [1, 2, 5, 7], { size: [8, 4], mode: 'bilinear' }],
  ['bilinear alignCorners size [8,4] of [1,2,5,7]', [1, 2, 5, 7], { size: [8, 4], mode: 'bilinear', alignCorners: true }],
  ['bilinear scaleFactor 2 of [2,3,6,5]', [2, 3, 6, 5], { scaleFactor: 2, mode: 'bilinear' }],
  ['bilinear alignCorners scaleFactor 2 of [2,3,6,5]', [2, 3, 6, 5], { scaleFactor: 2, mode: 'bilinear', alignCorners: true }],
  ['bilinear scaleFactor 1.7 (1/1.7 places the cells)', [1, 2, 5, 6], { scaleFactor: 1.7, mode: 'bilinear' }],
  ['bilinear downsampling scaleFactor [0.6, 0.45]', [1, 2, 9, 11], { scaleFactor: [0.6, 0.45], mode: 'bilinear' }],
  ['bilinear alignCorners to size 1 (scale 0)', [1, 2, 4, 5], { size: [1, 3], mode: 'bilinear', alignCorners: true }],
  ['bilinear one axis kept [1,2,4,6] → [4,9]', [1, 2, 4, 6], { size: [4, 9], mode: 'bilinear' }],
  ['linear 3-D size 11 of [2,3,5]', [2, 3, 5], { size: 11, mode: 'linear' }],
  ['linear 3-D scaleFactor 2.5 alignCorners', [2, 2, 4], { scaleFactor: 2.5, mode: 'linear', alignCorners: true }],
  ['linear 3-D scaleFactor 0.7', [1, 2, 10], { scaleFactor: 0.7, mode: 'linear' }],
  // Axes longer than 256 cells are interpolated with two gathers instead of a dense matrix.
  ['bilinear long rows [1,2,3,300] → [4,451] (gathered taps)', [1, 2, 3, 300], { size: [4, 451], mode: 'bilinear' }],
  ['bilinear alignCorners long rows [1,1,2,270] → [3,401]', [1, 1, 2, 270], { size: [3, 401], mode: 'bilinear', alignCorners: true }],
  ['linear long axis downsampled [1,2,520] scaleFactor 0.37', [1, 2, 520], { scaleFactor: 0.37, mode: 'linear' }],
];

const resizeCases: ConformanceCase[] = [
  ...RESIZE.map(([name, xs, opts]): ConformanceCase => ({
    kind: 'compare', op: 'interpolate', name, inputs: [f32(xs)],
    run: (x: Tensor) => sn.interpolate(x, opts), ref: (x: NDArray) => refInterpolate(x, opts), tol: { accumulate: 4 }, grad: true,
  })),
  {
    kind: 'compare', op: 'interpolate', name: 'nearest keeps int32', inputs: [i32([1, 2, 3, 4])],
    run: (x: Tensor) => sn.interpolate(x, { scaleFactor: [2, 1.5] }), ref: (x: NDArray) => ({ ...refInterpolate(x, { scaleFactor: [2, 1.5] }), dtype: 'int32' }), tol: 'exact',
  },
  {
    kind: 'compare', op: 'interpolate', name: 'transposed input view, bilinear 2×', inputs: [f32([1, 3, 4, 5], 'normal', 'transposed')],
    run: (x: Tensor) => sn.interpolate(x, { scaleFactor: 2, mode: 'bilinear' }), ref: (x: NDArray) => refInterpolate(x, { scaleFactor: 2, mode: 'bilinear' }), tol: { accumulate: 4 }, grad: true,
  },
  {
    kind: 'compare', op: 'upsample', name: 'nearest 2× of [1,2,3,3]', inputs: [f32([1, 2, 3, 3])],
    run: (x: Tensor) => sn.upsample(x, { scaleFactor: 2 }), ref: (x: NDArray) => refInterpolate(x, { scaleFactor: 2 }), grad: true,
  },
  {
    kind: 'compare', op: 'upsample', name: 'bilinear alignCorners size [5,7] of [2,1,3,4]', inputs: [f32([2, 1, 3, 4])],
    run: (x: Tensor) => sn.upsample(x, { size: [5, 7], mode: 'bilinear', alignCorners: true }),
    ref: (x: NDArray) => refInterpolate(x, { size: [5, 7], mode: 'bilinear', alignCorners: true }), tol: { accumulate: 4 }, grad: true,
  },
];

/** [name, x shape, kernel, options] */
const POOL1D: [string, number[], number, { stride?: number; padding?: number | 'same' | 'valid' }][] = [
  ['k2 default stride [2,3,9]', [2, 3, 9], 2, {}],
  ['k3 stride 2 padding 1 [1,2,10]', [1, 2, 10], 3, { stride: 2, padding: 1 }],
  ["k3 'same' stride 2 [1,2,7]", [1, 2, 7], 3, { stride: 2, padding: 'same' }],
  ["k4 'valid' stride 1 [2,1,8]", [2, 1, 8], 4, { stride: 1, padding: 'valid' }],
];

const pool1dCases: ConformanceCase[] = (['maxPool1d', 'avgPool1d'] as const).flatMap((op) => POOL1D.map(([name, xs, k, opts]): ConformanceCase => ({
  kind: 'compare', op, name, inputs: [f32(xs, op === 'maxPool1d' ? 'distinct' : 'normal')],
  run: (x: Tensor) => (op === 'maxPool1d' ? sn.maxPool1d : sn.avgPool1d)(x, k, opts),
  ref: (x: NDArray) => refPool1d(op === 'maxPool1d' ? 'max' : 'avg', x, k, opts),
  tol: op === 'maxPool1d' ? 'exact' : { accumulate: k }, grad: true,
})));

/** [name, x shape, output size, reference output size] */
const ADAPTIVE: [string, number[], number | (number | null)[], [number, number]][] = [
  ['[2,3,7,9] → [3,4] (overlapping windows)', [2, 3, 7, 9], [3, 4], [3, 4]],
  ['[1,2,6,5] → 1 (global)', [1, 2, 6, 5], 1, [1, 1]],
  ['[1,2,5,5] → [7,3] (upsampling rows)', [1, 2, 5, 5], [7, 3], [7, 3]],
  ['[2,1,4,10] → [null, 3] keeps the rows', [2, 1, 4, 10], [null, 3], [4, 3]],
  ['[1,2,8,6] → [4,3] (even windows)', [1, 2, 8, 6], [4, 3], [4, 3]],
];

const adaptiveCases: ConformanceCase[] = (['adaptiveAvgPool2d', 'adaptiveMaxPool2d'] as const).flatMap((op) => ADAPTIVE.map(([name, xs, out, [oh, ow]]): ConformanceCase => ({
  kind: 'compare', op, name, inputs: [f32(xs, op === 'adaptiveMaxPool2d' ? 'distinct' : 'normal')],
  run: (x: Tensor) => (op === 'adaptiveMaxPool2d' ? sn.adaptiveMaxPool2d : sn.adaptiveAvgPool2d)(x, out),
  ref: (x: NDArray) => refAdaptivePool2d(op === 'adaptiveMaxPool2d' ? 'max' : 'avg', x, oh, ow),
  tol: op === 'adaptiveMaxPool2d' ? 'exact' : { accumulate: xs[2]! * xs[3]! }, grad: true,
})));

const globalCases: ConformanceCase[] = [
  {
    kind: 'compare', op: 'globalAvgPool', name: '[2,3,4,5] → [2,3]', inputs: [f32([2, 3, 4, 5])],
    run: (x: Tensor) => sn.globalAvgPool(x), ref: (x: NDArray) => refReduce('mean', x, [2, 3]), tol: { accumulate: 20 }, grad: true,
  },
  {
    kind: 'compare', op: 'globalAvgPool', name: 'keepDims [2,3,4,5] → [2,3,1,1]', inputs: [f32([2, 3, 4, 5])],
    run: (x: Tensor) => sn.globalAvgPool(x, { keepDims: true }), ref: (x: NDArray) => refReduce('mean', x, [2, 3], true), tol: { accumulate: 20 }, grad: true,
  },
  {
    kind: 'compare', op: 'globalAvgPool', name: '3-D [2,3,7] → [2,3]', inputs: [f32([2, 3, 7])],
    run: (x: Tensor) => sn.globalAvgPool(x), ref: (x: NDArray) => refReduce('mean', x, [2]), tol: { accumulate: 7 }, grad: true,
  },
];

type ErrorSpec = [op: string, name: string, shapes: number[][], run: (...xs: Tensor[]) => unknown, error: 'ShapeError' | 'ArgumentError', message: string[]];
const ERRORS: ErrorSpec[] = [
  ['conv1d', 'x is not 3-D', [[1, 3, 5, 5], [2, 3, 3]], (x, w) => sn.conv1d(x, w), 'ShapeError', ['x must be 3-D', '[1,3,5,5]']],
  ['conv1d', 'channels do not match', [[1, 3, 8], [2, 2, 3]], (x, w) => sn.conv1d(x, w), 'ShapeError', ['[1,3,8]', '[2,2,3]', 'channels']],
  ['conv1d', 'groups do not divide the output channels', [[1, 4, 8], [3, 2, 3]], (x, w) => sn.conv1d(x, w, { groups: 2 }), 'ShapeError', ['[3,2,3]', 'groups 2']],
  ['conv1d', 'window larger than the input', [[1, 2, 3], [2, 2, 5]], (x, w) => sn.conv1d(x, w), 'ShapeError', ['[1,2,3]', 'does not fit']],
  ['conv1d', 'stride 0', [[1, 2, 8], [2, 2, 3]], (x, w) => sn.conv1d(x, w, { stride: 0 }), 'ArgumentError', ['stride', '0']],
  ['conv2dTranspose', 'w is not 4-D', [[1, 2, 4, 4], [2, 3, 3]], (x, w) => sn.conv2dTranspose(x, w), 'ShapeError', ['w must be 4-D', '[2,3,3]']],
  ['conv2dTranspose', 'channels do not match w [inChannels, …]', [[1, 3, 4, 4], [2, 3, 3, 3]], (x, w) => sn.conv2dTranspose(x, w), 'ShapeError', ['[1,3,4,4]', '[2,3,3,3]']],
  ['conv2dTranspose', 'groups do not divide the channels', [[1, 3, 4, 4], [3, 2, 3, 3]], (x, w) => sn.conv2dTranspose(x, w, { groups: 2 }), 'ShapeError', ['[1,3,4,4]', 'groups 2']],
  ['conv2dTranspose', 'outputPadding not below stride or dilation', [[1, 2, 4, 4], [2, 2, 3, 3]], (x, w) => sn.conv2dTranspose(x, w, { stride: 2, outputPadding: 2 }), 'ArgumentError', ['outputPadding', '2x2']],
  ['conv2dTranspose', 'padding leaves no output', [[1, 2, 1, 1], [2, 2, 1, 1]], (x, w) => sn.conv2dTranspose(x, w, { padding: 1 }), 'ShapeError', ['[1,2,1,1]', 'no output']],
  ['conv1dTranspose', 'outputPadding not below stride or dilation', [[1, 2, 4], [2, 2, 3]], (x, w) => sn.conv1dTranspose(x, w, { outputPadding: 1 }), 'ArgumentError', ['outputPadding', 'stride 1']],
  ['depthwiseConv2d', 'filter in tfjs layout', [[1, 3, 5, 5], [3, 3, 3, 1]], (x, w) => sn.depthwiseConv2d(x, w), 'ShapeError', ['[3,3,3,1]', 'C · multiplier, 1, kh, kw']],
  ['separableConv2d', 'pointwise filter does not follow', [[1, 3, 5, 5], [6, 1, 3, 3], [4, 3, 1, 1]], (x, d, p) => sn.separableConv2d(x, d, p), 'ShapeError', ['[4,3,1,1]', '[6,1,3,3]']],
  ['interpolate', 'both size and scaleFactor', [[1, 1, 4, 4]], (x) => sn.interpolate(x, { size: 8, scaleFactor: 2 }), 'ArgumentError', ['exactly one of size and scaleFactor', 'both']],
  ['interpolate', 'neither size nor scaleFactor', [[1, 1, 4, 4]], (x) => sn.interpolate(x, { mode: 'bilinear' }), 'ArgumentError', ['neither']],
  ['interpolate', 'size 0', [[1, 1, 4, 4]], (x) => sn.interpolate(x, { size: [0, 3] }), 'ArgumentError', ['size', 'positive']],
  ['interpolate', 'scaleFactor leaves no cells', [[1, 1, 4, 4]], (x) => sn.interpolate(x, { scaleFactor: 0.2 }), 'ShapeError', ['[1,1,4,4]', 'no cells']],
  ['interpolate', "'linear' on 4-D", [[1, 1, 4, 4]], (x) => sn.interpolate(x, { size: 8, mode: 'linear' }), 'ShapeError', ["'linear'", '[1,1,4,4]']],
  ['interpolate', 'alignCorners with nearest', [[1, 1, 4, 4]], (x) => sn.interpolate(x, { size: 8, alignCorners: true }), 'ArgumentError', ['alignCorners', 'nearest']],
  ['interpolate', '2-D input', [[4, 4]], (x) => sn.interpolate(x, { size: 8 }), 'ShapeError', ['[4,4]']],
  ['upsample', 'size list of the wrong length', [[1, 1, 4, 4]], (x) => sn.upsample(x, { size: [8, 8, 8] }), 'ArgumentError', ['size', '[1,1,4,4]']],
  ['maxPool1d', 'x is not 3-D', [[2, 8]], (x) => sn.maxPool1d(x, 2), 'ShapeError', ['[2,8]']],
  ['avgPool1d', 'window larger than the input', [[1, 1, 3]], (x) => sn.avgPool1d(x, 5), 'ShapeError', ['[1,1,3]', 'does not fit']],
  ['adaptiveAvgPool2d', 'output size 0', [[1, 1, 4, 4]], (x) => sn.adaptiveAvgPool2d(x, [0, 2]), 'ArgumentError', ['outputSize', '[0,2]']],
  ['adaptiveMaxPool2d', 'x is not 4-D', [[1, 4, 4]], (x) => sn.adaptiveMaxPool2d(x, 2), 'ShapeError', ['[1,4,4]']],
  ['globalAvgPool', 'x of rank 2', [[3, 4]], (x) => sn.globalAvgPool(x), 'ShapeError', ['[3,4]']],
];

const errorCases: ConformanceCase[] = ERRORS.map(([op, name, shapes, run, error, message]) => ({
  kind: 'error', op, name, inputs: shapes.map((s) => f32(s)), run, error, message,
}));

/** The convolution family beyond conv2d (issue 12): 1-D and transposed convolutions, depthwise / separable, resizing, 1-D, adaptive and global pooling. */
export const convFamilyCases: ConformanceCase[] = [
  ...conv1dCases, ...convT2dCases, ...convT1dCases, ...depthwiseCases, ...resizeCases, ...pool1dCases, ...adaptiveCases, ...globalCases, ...errorCases,
];
