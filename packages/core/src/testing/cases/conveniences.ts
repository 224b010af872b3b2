/**
 * tfjs-core's remaining conveniences: addN, movingAverage, step, ensureShape, moments, batchNorm,
 * localResponseNormalization, bincount, spaceToBatchND / batchToSpaceND, and the host-side selections
 * nonzero, booleanMask and setdiff1d (async: checked as properties against loops over the inputs).
 */
import * as sn from '../../index.js';
import type { Tensor } from '../../index.js';
import { refBinary } from '../reference/binary.js';
import {
  refAddN, refBatchToSpace, refBincount, refLocalResponseNorm, refMoments, refSegmentSum, refSpaceToBatch, refStep, refTensorScatterUpdate,
} from '../reference/conveniences.js';
import { fromFn, nd, type NDArray } from '../reference/ndarray.js';
import { ensure, ensureSame, valuesOf } from './check.js';
import { expectArgumentError } from './regressions-webgpu.js';
import { f32, i32 } from './helpers.js';
import type { ConformanceCase } from './types.js';

const arithmeticCases: ConformanceCase[] = [
  {
    kind: 'compare', op: 'addN', name: 'three float32 [3,4], one transposed', grad: true,
    inputs: [f32([3, 4]), f32([3, 4], 'normal', 'transposed'), f32([3, 4])],
    run: (a: Tensor, b: Tensor, c: Tensor) => sn.addN([a, b, c]), ref: (a: NDArray, b: NDArray, c: NDArray) => refAddN([a, b, c]),
  },
  {
    kind: 'compare', op: 'addN', name: 'int32 stays int32', tol: 'exact', inputs: [i32([5]), i32([5])],
    run: (a: Tensor, b: Tensor) => sn.addN([a, b]), ref: (a: NDArray, b: NDArray) => ({ ...refAddN([a, b]), dtype: 'int32' }),
  },
  {
    kind: 'error', op: 'addN', name: 'shapes differ', error: 'ShapeError', message: ['xs[1] [3] differs from xs[0] [2]'],
    inputs: [f32([2]), f32([3])], run: (a: Tensor, b: Tensor) => sn.addN([a, b]),
  },
  {
    kind: 'compare', op: 'movingAverage', name: 'decay 0.9 at step 3, debiased', grad: true, inputs: [f32([4]), f32([2, 4])],
    run: (v: Tensor, x: Tensor) => sn.movingAverage(v, x, 0.9, 3),
    ref: (v: NDArray, x: NDArray) => refBinary('div', refBinary('add', v, refBinary('mul', refBinary('sub', x, v), 1 - 0.9)), 1 - 0.9 ** 3),
  },
  {
    kind: 'compare', op: 'movingAverage', name: 'no step: no debiasing', inputs: [f32([3]), f32([3])],
    run: (v: Tensor, x: Tensor) => sn.movingAverage(v, x, 0.5),
    ref: (v: NDArray, x: NDArray) => refBinary('add', v, refBinary('mul', refBinary('sub', x, v), 0.5)),
  },
  {
    kind: 'error', op: 'movingAverage', name: 'decay outside [0, 1]', error: 'ArgumentError', message: ['decay must be in [0, 1], got 1.5'],
    inputs: [f32([2]), f32([2])], run: (v: Tensor, x: Tensor) => sn.movingAverage(v, x, 1.5),
  },
  {
    kind: 'compare', op: 'step', name: 'alpha 0.3 over zeros, NaN and infinities', tol: 'exact',
    inputs: [f32([8], { values: [0, -0, 1e-30, -1e-30, NaN, Infinity, -Infinity, 2] })],
    run: (x: Tensor) => sn.step(x, 0.3), ref: (x: NDArray) => refStep(x, 0.3),
  },
  {
    kind: 'compare', op: 'step', name: 'int32 input, alpha 0', tol: 'exact', inputs: [i32([6])],
    run: (x: Tensor) => sn.step(x), ref: (x: NDArray) => refStep(x, 0),
  },
  {
    kind: 'compare', op: 'ensureShape', name: 'a matching shape with an unknown axis passes x through', tol: 'exact',
    inputs: [f32([2, 3])], run: (x: Tensor) => sn.ensureShape(x, [null, 3]), ref: (x: NDArray) => x,
  },
  {
    kind: 'error', op: 'ensureShape', name: 'a mismatch names both shapes', error: 'ShapeError',
    message: ['x has shape [2,3], expected [?,4]'], inputs: [f32([2, 3])], run: (x: Tensor) => sn.ensureShape(x, [null, 4]),
  },
];

const normalisationCases: ConformanceCase[] = [
  {
    kind: 'compare', op: 'moments', name: 'axes [0,2] of [3,4,5]', grad: true, tol: { accumulate: 15 }, inputs: [f32([3, 4, 5])],
    run: (x: Tensor) => { const m = sn.moments(x, [0, 2]); return [m.mean, m.variance]; },
    ref: (x: NDArray) => refMoments(x, [0, 2], false),
  },
  {
    kind: 'compare', op: 'moments', name: 'keepDims over the last axis, values near 1e3', tol: { accumulate: 7 },
    inputs: [f32([2, 7], { min: 999, max: 1001 })],
    run: (x: Tensor) => { const m = sn.moments(x, -1, true); return [m.mean, m.variance]; },
    ref: (x: NDArray) => refMoments(x, [1], true),
  },
  {
    kind: 'compare', op: 'batchNorm', name: 'NCHW with per-channel [3,1,1] statistics', grad: true,
    inputs: [f32([2, 3, 4, 4]), f32([3, 1, 1]), f32([3, 1, 1], 'positive'), f32([3, 1, 1]), f32([3, 1, 1])],
    run: (x: Tensor, m: Tensor, v: Tensor, o: Tensor, s: Tensor) => sn.batchNorm(x, m, v, o, s, 1e-3),
    ref: (x: NDArray, m: NDArray, v: NDArray, o: NDArray, s: NDArray) =>
      refBinary('add', refBinary('mul', refBinary('div', refBinary('sub', x, m), refBinary('pow', refBinary('add', v, 1e-3), 0.5)), s), o),
  },
  {
    kind: 'compare', op: 'batchNorm', name: 'no offset or scale, NHWC-style [5] statistics', grad: [0, 1, 2],
    inputs: [f32([3, 5]), f32([5]), f32([5], 'positive')],
    run: (x: Tensor, m: Tensor, v: Tensor) => sn.batchNorm(x, m, v),
    ref: (x: NDArray, m: NDArray, v: NDArray) => refBinary('div', refBinary('sub', x, m), refBinary('pow', refBinary('add', v, 1e-3), 0.5)),
  },
  {
    kind: 'compare', op: 'localResponseNormalization', name: 'radius 2 over the channels of [2,7,3,3]', grad: true,
    inputs: [f32([2, 7, 3, 3])],
    run: (x: Tensor) => sn.localResponseNormalization(x, { depthRadius: 2, bias: 1.5, alpha: 0.3, beta: 0.75 }),
    ref: (x: NDArray) => refLocalResponseNorm(x, 1, 2, 1.5, 0.3, 0.75),
  },
  {
    kind: 'compare', op: 'localResponseNormalization', name: "tfjs's defaults over the last axis", grad: true, inputs: [f32([2, 3, 13])],
    run: (x: Tensor) => sn.localResponseNormalization(x, { axis: -1 }), ref: (x: NDArray) => refLocalResponseNorm(x, 2, 5, 1, 1, 0.5),
  },
  {
    kind: 'error', op: 'localResponseNormalization', name: 'a fractional radius', error: 'ArgumentError',
    message: ['depthRadius must be a non-negative integer, got 1.5'], inputs: [f32([1, 3, 2, 2])],
    run: (x: Tensor) => sn.localResponseNormalization(x, { depthRadius: 1.5 }),
  },
];

const countingCases: ConformanceCase[] = [
  {
    kind: 'compare', op: 'bincount', name: 'counts of [23] values in 0..6 into 6 bins (6 is dropped)', tol: 'exact',
    inputs: [i32([23], 'indices<7')], run: (x: Tensor) => sn.bincount(x, 6), ref: (x: NDArray) => refBincount(x, 6),
  },
  {
    kind: 'compare', op: 'bincount', name: 'weights summed per bin', tol: { accumulate: 10 },
    inputs: [i32([17], 'indices<5'), f32([17])],
    run: (x: Tensor, w: Tensor) => sn.bincount(x, 5, { weights: w }), ref: (x: NDArray, w: NDArray) => refBincount(x, 5, w),
  },
  {
    kind: 'compare', op: 'denseBincount', name: '2-D rows with binaryOutput', tol: 'exact',
    inputs: [i32([3, 6], 'indices<8')], run: (x: Tensor) => sn.denseBincount(x, 8, { binaryOutput: true }),
    ref: (x: NDArray) => refBincount(x, 8, undefined, true),
  },
  {
    kind: 'compare', op: 'bincount', name: 'no values, size 0 and size 3', tol: 'exact', inputs: [i32([0])],
    run: (x: Tensor) => [sn.bincount(x, 0), sn.bincount(x, 3)], ref: (x: NDArray) => [refBincount(x, 0), refBincount(x, 3)],
  },
  {
    kind: 'error', op: 'bincount', name: 'a negative value', error: 'ArgumentError',
    message: ['x must be non-negative, got -2 at position 1'], inputs: [],
    run: () => sn.bincount(sn.tensor([1, -2, 0], [3], 'int32'), 4),
  },
];

const spaceBatchCases: ConformanceCase[] = [
  {
    kind: 'compare', op: 'spaceToBatchND', name: '[2,4,3,2] blocks [2,3] paddings [[0,0],[1,2]]', grad: true, tol: 'exact',
    inputs: [f32([2, 4, 3, 2])],
    run: (x: Tensor) => sn.spaceToBatchND(x, [2, 3], [[0, 0], [1, 2]]), ref: (x: NDArray) => refSpaceToBatch(x, [2, 3], [[0, 0], [1, 2]]),
  },
  {
    kind: 'compare', op: 'batchToSpaceND', name: '[12,2,2,3] blocks [2,3] crops [[1,0],[0,2]]', grad: true, tol: 'exact',
    inputs: [f32([12, 2, 2, 3])],
    run: (x: Tensor) => sn.batchToSpaceND(x, [2, 3], [[1, 0], [0, 2]]), ref: (x: NDArray) => refBatchToSpace(x, [2, 3], [[1, 0], [0, 2]]),
  },
  {
    kind: 'compare', op: 'batchToSpaceND', name: 'undoes spaceToBatchND (1-D blocks)', tol: 'exact', inputs: [f32([3, 5, 2], 'normal', 'transposed')],
    run: (x: Tensor) => sn.batchToSpaceND(sn.spaceToBatchND(x, [3], [[2, 2]]), [3], [[2, 2]]), ref: (x: NDArray) => x,
  },
  {
    kind: 'error', op: 'spaceToBatchND', name: 'a padded axis not divisible by its block', error: 'ShapeError',
    message: ['axis 1 of x [1,5,2] padded to 5 is not divisible by its block 2'], inputs: [f32([1, 5, 2])],
    run: (x: Tensor) => sn.spaceToBatchND(x, [2], [[0, 0]]),
  },
  {
    kind: 'error', op: 'batchToSpaceND', name: 'a batch not divisible by the blocks', error: 'ShapeError',
    message: ['batch 5 of x [5,2] is not divisible by the block count 2'], inputs: [f32([5, 2])],
    run: (x: Tensor) => sn.batchToSpaceND(x, [2], [[0, 0]]),
  },
];

const IDX = [[2, 0], [0, 1], [1, 1]];
const sparseCases: ConformanceCase[] = [
  {
    kind: 'compare', op: 'tensorScatterUpdate', name: 'rows of [3,2,4] addressed by [3,2] indices', grad: true,
    inputs: [f32([3, 2, 4]), f32([3, 4])],
    run: (x: Tensor, u: Tensor) => sn.tensorScatterUpdate(x, IDX, u),
    ref: (x: NDArray, u: NDArray) => refTensorScatterUpdate(x, nd([3, 2], IDX.flat(), 'int32'), u),
  },
  {
    kind: 'compare', op: 'tensorScatterUpdate', name: 'int32 elements', tol: 'exact', inputs: [i32([4, 3]), i32([2])],
    run: (x: Tensor, u: Tensor) => sn.tensorScatterUpdate(x, [[3, 2], [0, 0]], u),
    ref: (x: NDArray, u: NDArray) => refTensorScatterUpdate(x, nd([2, 2], [3, 2, 0, 0], 'int32'), u),
  },
  {
    kind: 'property', op: 'tensorScatterUpdate', name: 'a slice written twice is an ArgumentError (at the next read where a kernel computed the indices)',
    check: async () => {
      await expectArgumentError(() => sn.tensorScatterUpdate(sn.zeros([3, 2]), [[1], [0], [1]], sn.ones([3, 2])).data(), ['tensorScatterUpdate', 'is written twice (index positions 0 and 2)']);
      const computed = (): Tensor => sn.add(sn.tensor([[1], [0], [0]], [3, 1], 'int32'), sn.tensor([[0], [0], [1]], [3, 1], 'int32'));
      await expectArgumentError(() => sn.tensorScatterUpdate(sn.zeros([3, 2]), computed(), sn.ones([3, 2])).data(), ['tensorScatterUpdate', 'is written twice (index positions 0 and 2)']);
    },
  },
  {
    kind: 'compare', op: 'sparseToDense', name: '[n, 2] indices into [3,4] with default -1', grad: [0], inputs: [f32([3])],
    run: (v: Tensor) => sn.sparseToDense(IDX, v, [3, 4], -1),
    ref: (v: NDArray) => refTensorScatterUpdate(nd([3, 4], new Array<number>(12).fill(-1)), nd([3, 2], IDX.flat(), 'int32'), v),
  },
  {
    kind: 'compare', op: 'sparseToDense', name: '1-D indices and one number', tol: 'exact', inputs: [],
    run: () => sn.sparseToDense([4, 0], 7, [6]), ref: () => nd([6], [7, 0, 0, 0, 7, 0]),
  },
  {
    kind: 'compare', op: 'unsortedSegmentSum', name: 'rows of [5,3] into 4 segments (one empty)', grad: true, tol: { accumulate: 3 },
    inputs: [f32([5, 3])], run: (x: Tensor) => sn.unsortedSegmentSum(x, [2, 0, 2, 3, 0], 4),
    ref: (x: NDArray) => refSegmentSum(x, nd([5], [2, 0, 2, 3, 0], 'int32'), 4),
  },
  {
    kind: 'error', op: 'unsortedSegmentSum', name: 'an id past numSegments', error: 'ArgumentError', message: ['index 4 at position 1'],
    inputs: [f32([2, 3])], run: (x: Tensor) => sn.unsortedSegmentSum(x, [0, 4], 3),
  },
];

/** TensorFlow's in_top_k by its definition: fewer than k strictly larger predictions, and a finite own one. */
function refInTopK(p: NDArray, t: NDArray, k: number): NDArray {
  const [b, c] = [p.shape[0]!, p.shape[1]!];
  return fromFn([b], 'bool', (i) => {
    const own = p.data[i * c + t.data[i]!]!;
    let larger = 0;
    for (let j = 0; j < c; j++) if (p.data[i * c + j]! > own) larger++;
    return larger < k && Number.isFinite(own) ? 1 : 0;
  });
}

const inTopKCases: ConformanceCase[] = [
  {
    kind: 'compare', op: 'inTopK', name: 'k = 2 over [6,5] with ties, NaN and infinities', tol: 'exact',
    inputs: [f32([6, 5], { values: [1, 3, 3, 0, 2, 5, 4, 4, 4, 1, NaN, 0, 1, 2, 3, 9, Infinity, 2, 2, 1, 0, 0, 0, 0, 0, -1, -2, -Infinity, 7, 7]  }), i32([6], { values: [2, 3, 0, 2, 4, 3] })],
    run: (p: Tensor, t: Tensor) => sn.inTopK(p, t, 2), ref: (p: NDArray, t: NDArray) => refInTopK(p, t, 2),
  },
  {
    kind: 'compare', op: 'inTopK', name: 'k = 1 on random scores', tol: 'exact', inputs: [f32([9, 7], 'distinct'), i32([9], 'indices<7')],
    run: (p: Tensor, t: Tensor) => sn.inTopK(p, t), ref: (p: NDArray, t: NDArray) => refInTopK(p, t, 1),
  },
  {
    kind: 'error', op: 'inTopK', name: 'a target past the classes', error: 'ArgumentError', message: ['index 5 at position 0'],
    inputs: [f32([1, 5])], run: (p: Tensor) => sn.inTopK(p, sn.tensor([5], [1], 'int32')),
  },
];

const map = (x: NDArray, f: (v: number) => number): NDArray => ({ ...x, dtype: 'float32', data: Float64Array.from(x.data, f) });

/** NumPy's diff along the last axis, n times, by index arithmetic. */
function refDiff(x: NDArray, n: number): NDArray {
  let cur = x;
  for (let k = 0; k < n; k++) {
    const last = cur.shape[cur.shape.length - 1]!;
    const shape = [...cur.shape.slice(0, -1), Math.max(last - 1, 0)];
    const src = cur;
    cur = fromFn(shape, src.dtype, (i) => {
      const row = Math.floor(i / shape[shape.length - 1]!);
      const j = i % shape[shape.length - 1]!;
      return src.data[row * last + j + 1]! - src.data[row * last + j]!;
    });
  }
  return cur;
}

const mathCases: ConformanceCase[] = [
  { kind: 'compare', op: 'log2', name: 'positive values and 0', grad: [0], inputs: [f32([3, 4], 'positive')], run: (x: Tensor) => sn.log2(x), ref: (x: NDArray) => map(x, Math.log2) },
  { kind: 'compare', op: 'log2', name: 'powers of two, 0 and -1', inputs: [f32([5], { values: [1, 8, 0.125, 0, -1] })], run: (x: Tensor) => sn.log2(x), ref: (x: NDArray) => map(x, Math.log2) },
  { kind: 'compare', op: 'log10', name: 'positive values', grad: true, inputs: [f32([7], 'positive')], run: (x: Tensor) => sn.log10(x), ref: (x: NDArray) => map(x, Math.log10) },
  { kind: 'compare', op: 'exp2', name: 'values in [-2, 2] and ±∞', grad: [0], inputs: [f32([2, 5])], run: (x: Tensor) => sn.exp2(x), ref: (x: NDArray) => map(x, (v) => 2 ** v) },
  { kind: 'compare', op: 'exp2', name: 'integers and infinities', inputs: [f32([4], { values: [3, -3, Infinity, -Infinity] })], run: (x: Tensor) => sn.exp2(x), ref: (x: NDArray) => map(x, (v) => 2 ** v) },
  { kind: 'compare', op: 'logit', name: 'probabilities in (0, 1)', grad: true, inputs: [f32([9], { min: 0.05, max: 0.95 })], run: (x: Tensor) => sn.logit(x), ref: (x: NDArray) => map(x, (p) => Math.log(p / (1 - p))) },
  { kind: 'compare', op: 'logit', name: 'eps clamps 0 and 1', inputs: [f32([4], { values: [0, 1, 0.5, 0.001] })], run: (x: Tensor) => sn.logit(x, 0.01), ref: (x: NDArray) => map(x, (p0) => { const p = Math.min(Math.max(p0, 0.01), 0.99); return Math.log(p / (1 - p)); }) },
  {
    kind: 'compare', op: 'hypot', name: 'broadcast [3,4] and [4], away from ties', grad: true, inputs: [f32([3, 4], 'awayFromZero'), f32([4], { values: [3, -0.01, 7, -2.5] })],
    run: (a: Tensor, b: Tensor) => sn.hypot(a, b), ref: (a: NDArray, b: NDArray) => fromFn(a.shape, 'float32', (i) => Math.hypot(a.data[i]!, b.data[i % 4]!)),
  },
  {
    kind: 'compare', op: 'hypot', name: 'huge and tiny sides, zeros, NaN beside ∞', inputs: [f32([6], { values: [3e30, 1e-30, 0, NaN, Infinity, NaN] }), f32([6], { values: [4e30, 1e-30, 0, -Infinity, NaN, 1] })],
    run: (a: Tensor, b: Tensor) => sn.hypot(a, b), ref: (a: NDArray, b: NDArray) => fromFn(a.shape, 'float32', (i) => Math.hypot(a.data[i]!, b.data[i]!)),
  },
  {
    kind: 'compare', op: 'nanToNum', name: 'defaults and custom replacements', inputs: [f32([6], { values: [NaN, Infinity, -Infinity, 1.5, -0, 3e38] })],
    run: (x: Tensor) => [sn.nanToNum(x), sn.nanToNum(x, { nan: -1, posinf: 9, neginf: -9 })],
    ref: (x: NDArray) => [map(x, (v) => (Number.isNaN(v) ? 0 : v === Infinity ? 3.4028234663852886e38 : v === -Infinity ? -3.4028234663852886e38 : v)), map(x, (v) => (Number.isNaN(v) ? -1 : v === Infinity ? 9 : v === -Infinity ? -9 : v))],
  },
  { kind: 'compare', op: 'nanToNum', name: 'gradient passes where finite', grad: true, inputs: [f32([3, 4])], run: (x: Tensor) => sn.nanToNum(x), ref: (x: NDArray) => x },
  { kind: 'compare', op: 'diff', name: 'first and second differences of [3,7]', grad: true, inputs: [f32([3, 7])], run: (x: Tensor) => [sn.diff(x), sn.diff(x, 2)], ref: (x: NDArray) => [refDiff(x, 1), refDiff(x, 2)] },
  { kind: 'compare', op: 'diff', name: 'int32 along axis 0 of a transposed view', tol: 'exact', inputs: [i32([5, 3], 'int', 'transposed')], run: (x: Tensor) => sn.transpose(sn.diff(sn.transpose(x), 1, -1)), ref: (x: NDArray) => fromFn([4, 3], 'int32', (i) => x.data[i + 3]! - x.data[i]!) },
  { kind: 'compare', op: 'diff', name: 'n past the axis length leaves it empty', inputs: [f32([2, 3])], run: (x: Tensor) => sn.diff(x, 5), ref: () => fromFn([2, 0], 'float32', () => 0) },
];

/** Row-major coordinates of the non-zero entries, by a loop. */
function coordsOf(values: readonly number[], shape: readonly number[]): number[] {
  const out: number[] = [];
  values.forEach((v, i) => {
    if (v === 0) return;
    let rest = i;
    const idx: number[] = [];
    for (let k = shape.length - 1; k >= 0; k--) {
      idx.unshift(rest % shape[k]!);
      rest = Math.floor(rest / shape[k]!);
    }
    out.push(...idx);
  });
  return out;
}

const hostSelectCases: ConformanceCase[] = [
  ...(['nonzero', 'whereAsync'] as const).map((op): ConformanceCase => ({
    kind: 'property', op, name: 'coordinates of a [3,4,5] float32 with zeros, NaN and -0',
    check: async (rng) => {
      const shape = [3, 4, 5];
      const values = Array.from({ length: 60 }, () => (rng.next() < 0.5 ? 0 : rng.next() < 0.1 ? NaN : rng.next() < 0.1 ? -0 : Math.fround(rng.normal())));
      const out = await sn[op](sn.tensor(Float32Array.from(values), shape));
      const want = coordsOf(values, shape);
      ensure(out.dtype === 'int32' && out.shape[0] === want.length / 3 && out.shape[1] === 3, `${op}: shape [${out.shape.join(',')}] ${out.dtype}, expected [${want.length / 3},3] int32`);
      ensureSame(await valuesOf(out), want, `${op} coordinates`);
      out.dispose();
    },
  })),
  {
    kind: 'property', op: 'nonzero', name: 'a bool scalar and an empty tensor',
    check: async () => {
      const [a, b] = [await sn.nonzero(sn.tensor(true)), await sn.nonzero(sn.zeros([2, 0]))];
      ensure(a.shape.join(',') === '1,0' && b.shape.join(',') === '0,2', `nonzero: shapes [${a.shape.join(',')}] and [${b.shape.join(',')}], expected [1,0] and [0,2]`);
      sn.dispose([a, b]);
    },
  },
  ...(['booleanMask', 'booleanMaskAsync'] as const).map((op): ConformanceCase => ({
    kind: 'property', op, name: 'a [3,4] mask over axes 1–2 of [2,3,4,2]',
    check: async (rng) => {
      const xv = Array.from({ length: 48 }, () => Math.fround(rng.normal()));
      const mv = Array.from({ length: 12 }, () => (rng.next() < 0.5 ? 1 : 0));
      const out = await sn[op](sn.tensor(Float32Array.from(xv), [2, 3, 4, 2]), sn.tensor(Uint8Array.from(mv), [3, 4], 'bool'), 1);
      const kept = mv.flatMap((m, i) => (m ? [i] : []));
      const want = fromFn([2, kept.length, 2], 'float32', (i) => {
        const [b, k, c] = [Math.floor(i / (kept.length * 2)), Math.floor(i / 2) % kept.length, i % 2];
        return xv[b * 24 + kept[k]! * 2 + c]!;
      });
      ensure(out.shape.join(',') === want.shape.join(','), `${op}: shape [${out.shape.join(',')}], expected [${want.shape.join(',')}]`);
      ensureSame(await valuesOf(out), [...want.data], `${op} values`);
      out.dispose();
    },
  })),
  {
    kind: 'error', op: 'booleanMask', name: 'a mask that does not match x', error: 'ShapeError',
    message: ['mask [3] must match the axes of x [2,4] starting at axis 1'], inputs: [f32([2, 4])],
    run: (x: Tensor) => sn.booleanMask(x, sn.tensor([true, false, true]), 1),
  },
  ...(['setdiff1d', 'setdiff1dAsync'] as const).map((op): ConformanceCase => ({
    kind: 'property', op, name: 'int32 with repeats; float32 with NaN',
    check: async () => {
      const [v, i] = await sn[op](sn.tensor([4, 1, 7, 1, 9, 4, 3], [7], 'int32'), sn.tensor([1, 9, 8], [3], 'int32'));
      ensureSame(await valuesOf(v), [4, 7, 4, 3], `${op} values`);
      ensureSame(await valuesOf(i), [0, 2, 5, 6], `${op} indices`);
      ensure(v.dtype === 'int32' && i.dtype === 'int32', `${op}: dtypes ${v.dtype}, ${i.dtype}`);
      const [fv, fi] = await sn[op](sn.tensor([NaN, 2.5, -0, 1]), sn.tensor([0, NaN]));
      ensureSame(await valuesOf(fv), [2.5, 1], `${op} float values`);
      ensureSame(await valuesOf(fi), [1, 3], `${op} float indices`);
      sn.dispose([v, i, fv, fi]);
    },
  })),
];

export const convenienceCases: ConformanceCase[] = [
  ...arithmeticCases, ...normalisationCases, ...countingCases, ...spaceBatchCases, ...hostSelectCases, ...sparseCases, ...inTopKCases, ...mathCases,
];
