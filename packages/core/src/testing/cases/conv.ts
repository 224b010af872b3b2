import * as sn from '../../index.js';
import type { Tensor } from '../../index.js';
import { refConv2d, type RefConvOptions } from '../reference/conv.js';
import { refPool2d, type RefPoolOptions } from '../reference/pool.js';
import type { NDArray } from '../reference/ndarray.js';
import { f32, prodOf } from './helpers.js';
import type { ConformanceCase, Layout } from './types.js';

/** [name, x shape, w shape, options, gradient, x layout] */
const CONV: [string, number[], number[], RefConvOptions, boolean, Layout?][] = [
  ['3×3 no padding [2,3,7,7] * [4,3,3,3]', [2, 3, 7, 7], [4, 3, 3, 3], {}, true],
  ['small 3×3 no padding [1,2,5,5] * [3,2,3,3]', [1, 2, 5, 5], [3, 2, 3, 3], {}, true],
  ['numeric padding 1', [1, 2, 5, 5], [3, 2, 3, 3], { padding: 1 }, true],
  ['padding pair [2,0], stride 2', [1, 2, 7, 5], [2, 2, 3, 3], { padding: [2, 0], stride: 2 }, true],
  ["'same' stride 1, odd size", [1, 2, 5, 7], [2, 2, 3, 3], { padding: 'same' }, true],
  ["'same' stride 2, even kernel (asymmetric padding)", [1, 2, 6, 7], [3, 2, 2, 4], { padding: 'same', stride: 2 }, true],
  ["'valid' stride pair [2,3]", [2, 1, 7, 8], [2, 1, 3, 2], { padding: 'valid', stride: [2, 3] }, true],
  ['dilation 2', [1, 2, 7, 7], [2, 2, 3, 3], { dilation: 2 }, true],
  ["dilation [2,1] with 'same'", [1, 1, 6, 5], [2, 1, 3, 3], { dilation: [2, 1], padding: 'same' }, true],
  ['groups 2', [1, 4, 5, 5], [6, 2, 3, 3], { groups: 2, padding: 1 }, true],
  ['depthwise (groups = channels)', [2, 3, 5, 5], [3, 1, 3, 3], { groups: 3 }, true],
  ['depthwise multiplier 2', [1, 3, 4, 4], [6, 1, 2, 2], { groups: 3, stride: 2 }, true],
  ['1×1 kernel', [2, 5, 3, 3], [7, 5, 1, 1], {}, true],
  ['kernel as large as the input', [1, 2, 3, 3], [2, 2, 3, 3], {}, true],
  ['stride larger than kernel', [1, 1, 9, 9], [2, 1, 2, 2], { stride: 3 }, true],
  ['transposed input view', [1, 3, 4, 4], [2, 3, 3, 3], { padding: 1 }, true, 'transposed'],
  ['sliced input view', [1, 2, 5, 6], [2, 2, 3, 3], { stride: 2, padding: 'same' }, true, 'sliced'],
  ['wide channels [1,16,6,6] * [8,16,3,3]', [1, 16, 6, 6], [8, 16, 3, 3], { padding: 1 }, true],
  ["larger [2,8,17,19] * [16,8,3,3] stride 2 'same'", [2, 8, 17, 19], [16, 8, 3, 3], { stride: 2, padding: 'same' }, true],
  ['larger grouped, dilated [2,6,15,13] * [9,2,3,3]', [2, 6, 15, 13], [9, 2, 3, 3], { groups: 3, dilation: 2, padding: 2 }, true],
];

const convCases: ConformanceCase[] = CONV.map(([name, xs, ws, opts, grad, layout]) => ({
  kind: 'compare',
  op: 'conv2d',
  name,
  inputs: [f32(xs, 'normal', layout), f32(ws)],
  run: (x: Tensor, w: Tensor) => sn.conv2d(x, w, opts),
  ref: (x: NDArray, w: NDArray) => refConv2d(x, w, opts),
  tol: { accumulate: prodOf(ws.slice(1)) },
  grad,
}));

/** [name, x shape, kernel, options, layout] */
const POOL: [string, number[], number | [number, number], RefPoolOptions, Layout?][] = [
  ['2×2 default stride [2,3,6,6]', [2, 3, 6, 6], 2, {}],
  ['2×2 on odd size drops the edge [1,2,7,5]', [1, 2, 7, 5], 2, {}],
  ['3×3 stride 2 padding 1', [1, 2, 7, 7], 3, { stride: 2, padding: 1 }],
  ['3×3 stride 1', [1, 1, 5, 6], 3, { stride: 1 }],
  ["'same' stride 2 on odd size", [1, 2, 5, 7], 3, { stride: 2, padding: 'same' }],
  ["'same' even kernel", [1, 1, 6, 5], 2, { stride: 1, padding: 'same' }],
  ["'valid' kernel pair [2,3]", [2, 1, 6, 7], [2, 3], { padding: 'valid' }],
  ['kernel pair [3,1] stride pair [1,2] padding pair [1,0]', [1, 2, 5, 6], [3, 1], { stride: [1, 2], padding: [1, 0] }],
  ['global pool (kernel = input)', [2, 3, 4, 4], 4, {}],
  ['transposed input view', [1, 2, 4, 6], 2, {}, 'transposed'],
  ['sliced input view', [1, 2, 5, 5], 3, { stride: 2, padding: 1 }, 'sliced'],
  ['larger [2,5,17,19] 3×3 stride 2 padding 1', [2, 5, 17, 19], 3, { stride: 2, padding: 1 }],
  ['2×2 stride 3 padding 1 leaves gaps between windows [1,2,8,7]', [1, 2, 8, 7], 2, { stride: 3, padding: 1 }],
  ['2×2 on wide rows, four windows a step and an odd edge [2,3,10,21]', [2, 3, 10, 21], 2, {}],
  ['2×2 stride 2 padding 1 on wide rows [1,2,9,19]', [1, 2, 9, 19], 2, { stride: 2, padding: 1 }],
];

function pool(op: 'maxPool2d' | 'avgPool2d'): ConformanceCase[] {
  const kind = op === 'maxPool2d' ? 'max' : 'avg';
  const fn = op === 'maxPool2d' ? sn.maxPool2d : sn.avgPool2d;
  return POOL.map(([name, xs, k, opts, layout]) => ({
    kind: 'compare',
    op,
    name,
    // 'distinct' keeps window maxima apart, so max pooling has no ties for the gradient check.
    inputs: [f32(xs, kind === 'max' ? 'distinct' : 'normal', layout)],
    run: (x: Tensor) => fn(x, k, opts),
    ref: (x: NDArray) => refPool2d(kind, x, k, opts),
    tol: kind === 'max' ? 'exact' : { accumulate: typeof k === 'number' ? k * k : k[0] * k[1] },
    grad: true,
  }));
}

export const convCasesAll: ConformanceCase[] = [...convCases, ...pool('maxPool2d'), ...pool('avgPool2d')];
