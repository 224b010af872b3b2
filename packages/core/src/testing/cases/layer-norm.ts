/**
 * layerNorm: the forward kernel and its one-kernel input gradient against the float64 reference, on odd
 * and long rows, 1-element rows, several normalised axes, non-contiguous input, tiny, huge and
 * far-from-zero values, constant rows (σ² = 0, with and without eps), NaN / ±Infinity and float16;
 * the affine weight and bias through their gradients; and the argument errors.
 */
import * as sn from '../../index.js';
import type { Tensor } from '../../index.js';
import { refLayerNorm, refLayerNormInputGrad } from '../reference/layer-norm.js';
import type { NDArray } from '../reference/ndarray.js';
import { f32, i32, input } from './helpers.js';
import { float16Unsupported } from './float16.js';
import type { CompareCase, ConformanceCase, Gen } from './types.js';

const OP = 'layerNorm';

/** A compare case of layerNorm(x, normalizedShape) without affine on x of `shape`, gradient-checked unless `grad` is false. */
function plain(name: string, shape: readonly number[], trailing: number, gen: Gen = 'normal', eps?: number, grad = true): CompareCase {
  const normalized = shape.slice(shape.length - trailing);
  return {
    kind: 'compare', op: OP, name, inputs: [f32(shape, gen)],
    run: (x: Tensor) => sn.layerNorm(x, normalized, eps === undefined ? {} : { eps }),
    ref: (x: NDArray) => refLayerNorm(x, trailing, eps ?? 1e-5),
    tol: { accumulate: normalized.reduce((a, b) => a * b, 1) }, grad,
  };
}

/** Rows of one value each (exact in binary, so the float64 mean is exact too), and a row of zeros. */
const CONSTANT_ROWS = [...Array<number>(9).fill(0.5), ...Array<number>(9).fill(-3), ...Array<number>(9).fill(1024.25), ...Array<number>(9).fill(0)];

/** A NaN row, a +Infinity row, a row holding both infinities, and an ordinary row. */
const SPECIAL_ROWS = [
  1, 2, NaN, 4, 5, 6,
  1, Infinity, 3, 4, 5, 6,
  -Infinity, 2, 3, 4, 5, Infinity,
  0.5, -1, 2, 0, 3.25, -4,
];

/** The gradient of Σ c · layerNorm(x) with respect to x, through core's autodiff. */
function inputGrad(x: Tensor, c: Tensor, normalized: readonly number[], eps?: number): Tensor {
  const f = (t: Tensor): Tensor => sn.sum(sn.cast(sn.mul(sn.layerNorm(t, normalized, eps === undefined ? {} : { eps }), c), 'float32'));
  return sn.grad(f)(x)[0]!;
}

const forwardCases: ConformanceCase[] = [
  plain('rows of 16', [4, 16], 1),
  plain('odd rows [5,33]', [5, 33], 1),
  plain('rows of 3 under a batch [2,3,3]', [2, 3, 3], 1),
  plain('1-element rows give 0', [6, 1], 1),
  plain('a single row [1,7]', [1, 7], 1),
  plain('two normalised axes [2,3,4,5] over [4,5]', [2, 3, 4, 5], 2),
  plain('whole tensor [3,4] over [3,4]', [3, 4], 2),
  plain('long rows [3,257]', [3, 257], 1),
  plain('very long rows [2,3001] (no gradient check)', [2, 3001], 1, 'normal', undefined, false),
  plain('many rows [520,128] (split across threads; no gradient check)', [520, 128], 1, 'normal', undefined, false),
  plain('more rows than one grid dimension holds [65600,2] (no gradient check)', [65600, 2], 1, 'normal', undefined, false),
  plain('eps 0.1', [3, 12], 1, 'normal', 0.1),
  plain('eps 0 on ordinary rows', [3, 12], 1, 'normal', 0),
  plain('tiny magnitudes with eps 0 (no gradient check: its step would dwarf them)', [3, 20], 1, { min: -1e-10, max: 1e-10 }, 0, false),
  plain('tiny magnitudes: eps dominates', [3, 20], 1, { min: -1e-6, max: 1e-6 }),
  plain('huge magnitudes ±1e15', [3, 24], 1, { min: -1e15, max: 1e15 }, undefined, false),
  plain('far from zero: 1000 + U(0, 1)', [4, 32], 1, { min: 1000, max: 1001 }),
  plain('far from zero, negative: -5e4 + U(0, 4)', [2, 40], 1, { min: -50004, max: -50000 }, undefined, false),
  {
    kind: 'compare', op: OP, name: 'constant rows (σ² = 0) and a zero row give exact zeros', inputs: [f32([4, 9], { values: CONSTANT_ROWS })],
    run: (x: Tensor) => sn.layerNorm(x, 9), ref: (x: NDArray) => refLayerNorm(x, 1, 1e-5), tol: 'exact',
  },
  {
    // Central differences need a step well below √eps here: rows near 0 (the step is 1e-6 · max(1, |x|)).
    kind: 'compare', op: OP, name: 'gradient at constant rows near 0', inputs: [f32([3, 5], { values: [...Array<number>(5).fill(0.5), ...Array<number>(5).fill(-0.25), ...Array<number>(5).fill(0)] })],
    run: (x: Tensor) => sn.layerNorm(x, 5), ref: (x: NDArray) => refLayerNorm(x, 1, 1e-5), tol: 'exact', grad: true,
  },
  {
    kind: 'compare', op: OP, name: 'constant rows with eps 0 give NaN (0 / 0)', inputs: [f32([4, 9], { values: CONSTANT_ROWS })],
    run: (x: Tensor) => sn.layerNorm(x, [9], { eps: 0 }), ref: (x: NDArray) => refLayerNorm(x, 1, 0), tol: 'exact',
  },
  {
    kind: 'compare', op: OP, name: 'a row holding NaN or ±Infinity is NaN throughout; other rows are unaffected', inputs: [f32([4, 6], { values: SPECIAL_ROWS })],
    run: (x: Tensor) => sn.layerNorm(x, [6]), ref: (x: NDArray) => refLayerNorm(x, 1, 1e-5), tol: { accumulate: 6 },
  },
  {
    kind: 'compare', op: OP, name: 'transposed input [3,5,6] over [6]', inputs: [f32([3, 5, 6], 'normal', 'transposed')],
    run: (x: Tensor) => sn.layerNorm(x, [6]), ref: (x: NDArray) => refLayerNorm(x, 1, 1e-5), tol: { accumulate: 6 }, grad: true,
  },
  {
    kind: 'compare', op: OP, name: 'sliced input [4,10] over [10]', inputs: [f32([4, 10], 'normal', 'sliced')],
    run: (x: Tensor) => sn.layerNorm(x, [10]), ref: (x: NDArray) => refLayerNorm(x, 1, 1e-5), tol: { accumulate: 10 }, grad: true,
  },
  {
    kind: 'compare', op: OP, name: 'weight and bias [3,5,7] over [7]', inputs: [f32([3, 5, 7]), f32([7]), f32([7])],
    run: (x: Tensor, w: Tensor, b: Tensor) => sn.layerNorm(x, [7], { weight: w, bias: b }),
    ref: (x: NDArray, w: NDArray, b: NDArray) => refLayerNorm(x, 1, 1e-5, w, b), tol: { accumulate: 7 }, grad: true,
  },
  {
    kind: 'compare', op: OP, name: 'weight only, two axes [2,3,4] over [3,4], eps 1e-3', inputs: [f32([2, 3, 4]), f32([3, 4])],
    run: (x: Tensor, w: Tensor) => sn.layerNorm(x, [3, 4], { weight: w, eps: 1e-3 }),
    ref: (x: NDArray, w: NDArray) => refLayerNorm(x, 2, 1e-3, w), tol: { accumulate: 12 }, grad: true,
  },
  {
    kind: 'compare', op: OP, name: 'bias only [5,6] over [6]', inputs: [f32([5, 6]), f32([6])],
    run: (x: Tensor, b: Tensor) => sn.layerNorm(x, [6], { bias: b }),
    ref: (x: NDArray, b: NDArray) => refLayerNorm(x, 1, 1e-5, undefined, b), tol: { accumulate: 6 }, grad: true,
  },
  {
    kind: 'compare', op: OP, name: 'int32 input is normalised as float32', inputs: [i32([3, 8])],
    run: (x: Tensor) => sn.layerNorm(x, [8]), ref: (x: NDArray) => refLayerNorm(x, 1, 1e-5), tol: { accumulate: 8 },
  },
  {
    kind: 'compare', op: OP, name: 'empty: zero rows [0,5] and zero-length rows [3,0]', inputs: [f32([0, 5]), f32([3, 0])],
    run: (a: Tensor, b: Tensor) => [sn.layerNorm(a, [5]), sn.layerNorm(b, [0])],
    ref: (a: NDArray, b: NDArray) => [refLayerNorm(a, 1, 1e-5), refLayerNorm(b, 1, 1e-5)], tol: 'exact',
  },
  {
    kind: 'compare', op: OP, name: 'float16 keeps its dtype [4,24]', inputs: [input([4, 24], 'float16')],
    run: (x: Tensor) => sn.layerNorm(x, [24]), ref: (x: NDArray) => refLayerNorm(x, 1, 1e-5), tol: { accumulate: 24 },
    unsupported: float16Unsupported,
  },
];

/** The input gradient (the layerNormGrad kernel) compared with the analytic float64 gradient, beside the numeric checks above. */
const gradientCases: ConformanceCase[] = [
  {
    kind: 'compare', op: OP, name: 'input gradient of rows of 37 against the analytic reference', inputs: [f32([6, 37]), f32([6, 37])],
    run: (x: Tensor, c: Tensor) => inputGrad(x, c, [37]), ref: (x: NDArray, c: NDArray) => refLayerNormInputGrad(x, c, 1, 1e-5), tol: { accumulate: 37 * 4 },
  },
  {
    kind: 'compare', op: OP, name: 'input gradient of long rows [2,1000], eps 0', inputs: [f32([2, 1000]), f32([2, 1000])],
    run: (x: Tensor, c: Tensor) => inputGrad(x, c, [1000], 0), ref: (x: NDArray, c: NDArray) => refLayerNormInputGrad(x, c, 1, 0), tol: { accumulate: 4000 },
  },
  {
    kind: 'compare', op: OP, name: 'input gradient of many rows [520,128] (split across threads)', inputs: [f32([520, 128]), f32([520, 128])],
    run: (x: Tensor, c: Tensor) => inputGrad(x, c, [128]), ref: (x: NDArray, c: NDArray) => refLayerNormInputGrad(x, c, 1, 1e-5), tol: { accumulate: 512 },
  },
  {
    kind: 'compare', op: OP, name: 'input gradient of constant rows and 1-element rows', inputs: [f32([4, 9], { values: CONSTANT_ROWS }), f32([4, 9]), f32([5, 1]), f32([5, 1])],
    run: (x: Tensor, c: Tensor, y: Tensor, d: Tensor) => [inputGrad(x, c, [9]), inputGrad(y, d, [1])],
    ref: (x: NDArray, c: NDArray, y: NDArray, d: NDArray) => [refLayerNormInputGrad(x, c, 1, 1e-5), refLayerNormInputGrad(y, d, 1, 1e-5)],
    tol: { accumulate: 36 },
  },
  {
    kind: 'compare', op: OP, name: 'float16 input gradient is float16 [3,16]', inputs: [input([3, 16], 'float16'), input([3, 16], 'float16')],
    run: (x: Tensor, c: Tensor) => inputGrad(x, c, [16]), ref: (x: NDArray, c: NDArray) => refLayerNormInputGrad(x, c, 1, 1e-5), tol: { accumulate: 64 },
    unsupported: float16Unsupported,
  },
];

const errorCases: ConformanceCase[] = [
  {
    kind: 'error', op: OP, name: 'x does not end in normalizedShape', inputs: [f32([2, 3])],
    run: (x: Tensor) => sn.layerNorm(x, [4]), error: 'ShapeError', message: ['x [2,3]', 'normalizedShape [4]'],
  },
  {
    kind: 'error', op: OP, name: 'x has fewer axes than normalizedShape', inputs: [f32([4])],
    run: (x: Tensor) => sn.layerNorm(x, [2, 4]), error: 'ShapeError', message: ['x [4]', 'normalizedShape [2,4]'],
  },
  {
    kind: 'error', op: OP, name: 'weight of the wrong shape', inputs: [f32([2, 4]), f32([3])],
    run: (x: Tensor, w: Tensor) => sn.layerNorm(x, [4], { weight: w }), error: 'ShapeError', message: ['weight [3]', 'normalizedShape [4]'],
  },
  {
    kind: 'error', op: OP, name: 'bias of the wrong shape', inputs: [f32([2, 4]), f32([1, 4])],
    run: (x: Tensor, b: Tensor) => sn.layerNorm(x, [4], { bias: b }), error: 'ShapeError', message: ['bias [1,4]', 'normalizedShape [4]'],
  },
  {
    kind: 'error', op: OP, name: 'negative eps', inputs: [f32([2, 4])],
    run: (x: Tensor) => sn.layerNorm(x, [4], { eps: -1 }), error: 'ArgumentError', message: ['eps', '-1'],
  },
  {
    kind: 'error', op: OP, name: 'empty normalizedShape', inputs: [f32([2, 4])],
    run: (x: Tensor) => sn.layerNorm(x, []), error: 'ArgumentError', message: ['normalizedShape', '[]'],
  },
  {
    kind: 'error', op: OP, name: 'non-integer normalizedShape', inputs: [f32([2, 4])],
    run: (x: Tensor) => sn.layerNorm(x, [2.5]), error: 'ArgumentError', message: ['normalizedShape', '2.5'],
  },
];

export const layerNormCases: ConformanceCase[] = [...forwardCases, ...gradientCases, ...errorCases];
