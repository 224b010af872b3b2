/**
 * Cases of the scatter family (scatter, scatterAdd, indexPut) and of gatherND / scatterND: odd sizes,
 * repeated targets where they add up, broadcasting index tensors, negative indices (indexPut), empty
 * index sets, gradients to x and to the values, and the index errors (range; repeated targets without
 * accumulation), which every backend reports the same way: at once, or at the next read where an
 * async-only backend computed the indices.
 */
import * as sn from '../../index.js';
import type { Tensor } from '../../index.js';
import type { NDArray } from '../reference/ndarray.js';
import { refGatherND, refIndexPut, refScatter, refScatterND } from '../reference/scatter.js';
import { ensure } from './check.js';
import { f32, i32 } from './helpers.js';
import { asyncOnlyView, expectArgumentError } from './regressions-webgpu.js';
import type { ConformanceCase } from './types.js';

/** int32 indices with exactly these values. */
const idx = (shape: readonly number[], values: readonly number[]) => i32(shape, { values });

const scatterOpCases: ConformanceCase[] = [
  {
    kind: 'compare', op: 'scatter', name: 'axis 0 of [4,3], src [3,4] longer than indices [2,3]', tol: 'exact', grad: [0, 2],
    inputs: [f32([4, 3]), idx([2, 3], [3, 0, 2, 1, 2, 0]), f32([3, 4])],
    run: (x: Tensor, i: Tensor, s: Tensor) => sn.scatter(x, 0, i, s), ref: (x: NDArray, i: NDArray, s: NDArray) => refScatter(x, 0, i, s, false),
  },
  {
    kind: 'compare', op: 'scatter', name: 'a number src along axis 1 of a transposed [3,5], indices [3,2]', tol: 'exact', grad: [0],
    inputs: [f32([3, 5], 'normal', 'transposed'), idx([3, 2], [4, 0, 1, 3, 0, 2])],
    run: (x: Tensor, i: Tensor) => sn.scatter(x, 1, i, 1.5), ref: (x: NDArray, i: NDArray) => refScatter(x, 1, i, 1.5, false),
  },
  {
    kind: 'compare', op: 'scatter', name: 'int32 along axis -1 of [2,4]', tol: 'exact',
    inputs: [i32([2, 4]), idx([2, 2], [1, 3, 0, 2]), i32([2, 2])],
    run: (x: Tensor, i: Tensor, s: Tensor) => x.scatter(-1, i, s), ref: (x: NDArray, i: NDArray, s: NDArray) => refScatter(x, 1, i, s, false),
  },
  {
    kind: 'compare', op: 'scatter', name: 'empty indices leave x as it is', tol: 'exact', grad: [0],
    inputs: [f32([3, 2]), i32([0, 2])], run: (x: Tensor, i: Tensor) => sn.scatter(x, 0, i, 4), ref: (x: NDArray) => x,
  },
  {
    kind: 'error', op: 'scatter', name: 'an index past the axis is an ArgumentError', error: 'ArgumentError',
    message: ['index 3 at position 1', 'axis 1 of x [2,3]', 'expected 0..2'], inputs: [f32([2, 3])],
    run: (x: Tensor) => sn.scatter(x, 1, sn.tensor([[0, 3]], [1, 2], 'int32'), 1),
  },
  {
    kind: 'error', op: 'scatter', name: 'indices of another rank is a ShapeError', error: 'ShapeError',
    message: ['indices [2]', 'x [2,3]'], inputs: [f32([2, 3])], run: (x: Tensor) => sn.scatter(x, 1, sn.tensor([0, 1], [2], 'int32'), 1),
  },
];

const scatterAddCases: ConformanceCase[] = [
  {
    kind: 'compare', op: 'scatterAdd', name: 'axis 0 of [4,3], repeated targets add up', tol: { accumulate: 5 }, grad: [0, 2],
    inputs: [f32([4, 3]), i32([5, 3], 'indices<4'), f32([5, 3])],
    run: (x: Tensor, i: Tensor, s: Tensor) => sn.scatterAdd(x, 0, i, s), ref: (x: NDArray, i: NDArray, s: NDArray) => refScatter(x, 0, i, s, true),
  },
  {
    kind: 'compare', op: 'scatterAdd', name: 'axis 1 of a sliced [3,4], indices [2,7]', tol: { accumulate: 7 }, grad: [0, 2],
    inputs: [f32([3, 4], 'normal', 'sliced'), i32([2, 7], 'indices<4'), f32([3, 7], 'normal', 'transposed')],
    run: (x: Tensor, i: Tensor, s: Tensor) => x.scatterAdd(1, i, s), ref: (x: NDArray, i: NDArray, s: NDArray) => refScatter(x, 1, i, s, true),
  },
  {
    kind: 'error', op: 'scatterAdd', name: 'int32 x is a DTypeError', error: 'DTypeError', message: ['x'],
    inputs: [i32([3])], run: (x: Tensor) => sn.scatterAdd(x, 0, sn.tensor([1], [1], 'int32'), 1),
  },
];

const indexPutCases: ConformanceCase[] = [
  {
    kind: 'compare', op: 'indexPut', name: 'rows of [5,4] at [4,-5,2]', tol: 'exact', grad: [0, 2],
    inputs: [f32([5, 4]), idx([3], [4, -5, 2]), f32([3, 4])],
    run: (x: Tensor, i: Tensor, v: Tensor) => sn.indexPut(x, [i], v), ref: (x: NDArray, i: NDArray, v: NDArray) => refIndexPut(x, [i], v, false),
  },
  {
    kind: 'compare', op: 'indexPut', name: 'two index tensors broadcast [3,1] × [2], values [2] broadcast', tol: 'exact', grad: [0, 3],
    inputs: [f32([4, 5, 2]), idx([3, 1], [0, 2, -1]), idx([2], [4, 1]), f32([2])],
    run: (x: Tensor, i: Tensor, j: Tensor, v: Tensor) => x.indexPut([i, j], v),
    ref: (x: NDArray, i: NDArray, j: NDArray, v: NDArray) => refIndexPut(x, [i, j], v, false),
  },
  {
    kind: 'compare', op: 'indexPut', name: 'accumulate: repeated rows add up', tol: { accumulate: 4 }, grad: [0, 2],
    inputs: [f32([4, 3]), idx([4], [1, 1, 3, 1]), f32([4, 3])],
    run: (x: Tensor, i: Tensor, v: Tensor) => sn.indexPut(x, [i], v, { accumulate: true }),
    ref: (x: NDArray, i: NDArray, v: NDArray) => refIndexPut(x, [i], v, true),
  },
  {
    kind: 'compare', op: 'indexPut', name: 'accumulate a number at random elements of [3,4]', tol: 'elementwise', grad: [0],
    inputs: [f32([3, 4]), i32([9], 'indices<3'), i32([9], 'indices<4')],
    run: (x: Tensor, i: Tensor, j: Tensor) => sn.indexPut(x, [i, j], 0.5, { accumulate: true }),
    ref: (x: NDArray, i: NDArray, j: NDArray) => refIndexPut(x, [i, j], 0.5, true),
  },
  {
    kind: 'compare', op: 'indexPut', name: 'int32 elements written from arrays', tol: 'exact', inputs: [i32([3, 3])],
    run: (x: Tensor) => sn.indexPut(x, [[0, 2], [2, 0]], 9),
    ref: (x: NDArray) => refIndexPut(x, [{ shape: [2], dtype: 'int32', data: Float64Array.from([0, 2]) }, { shape: [2], dtype: 'int32', data: Float64Array.from([2, 0]) }], 9, false),
  },
  {
    kind: 'error', op: 'indexPut', name: 'an index outside [-d, d) is an ArgumentError', error: 'ArgumentError',
    message: ['index -4 at position 0', 'axis 0 of x [3,2]', 'expected -3..2'], inputs: [f32([3, 2])],
    run: (x: Tensor) => sn.indexPut(x, [sn.tensor([-4], [1], 'int32')], 1),
  },
  {
    kind: 'error', op: 'indexPut', name: 'values that do not broadcast are a ShapeError', error: 'ShapeError',
    message: ['values [3]', 'indexed shape [2,4]'], inputs: [f32([3, 4]), f32([3])],
    run: (x: Tensor, v: Tensor) => sn.indexPut(x, [[0, 1]], v),
  },
];

const gatherNDCases: ConformanceCase[] = [
  {
    kind: 'compare', op: 'gatherND', name: 'K=2 of [4,5,3] by indices [2,3,2]', tol: 'exact', grad: [0],
    inputs: [f32([4, 5, 3]), i32([2, 3, 2], 'indices<4')], run: (x: Tensor, i: Tensor) => sn.gatherND(x, i), ref: refGatherND,
  },
  {
    kind: 'compare', op: 'gatherND', name: 'K=rank picks elements of a transposed [3,4,2], repeats', tol: 'exact', grad: [0],
    inputs: [f32([3, 4, 2], 'normal', 'transposed'), i32([7, 3], 'indices<2')], run: (x: Tensor, i: Tensor) => sn.gatherND(x, i), ref: refGatherND,
  },
  {
    kind: 'compare', op: 'gatherND', name: 'int32 rows, K=1', tol: 'exact',
    inputs: [i32([5, 3]), i32([4, 1], 'indices<5')], run: (x: Tensor, i: Tensor) => sn.gatherND(x, i), ref: refGatherND,
  },
  {
    kind: 'compare', op: 'gatherND', name: 'empty indices [0,2] give [0,3]', tol: 'exact',
    inputs: [f32([2, 2, 3]), i32([0, 2])], run: (x: Tensor, i: Tensor) => sn.gatherND(x, i), ref: refGatherND,
  },
  {
    kind: 'error', op: 'gatherND', name: 'an index past its axis is an ArgumentError', error: 'ArgumentError',
    message: ['index 3 at position 3', 'axis 1 of x [4,3]', 'expected 0..2'], inputs: [f32([4, 3])],
    run: (x: Tensor) => sn.gatherND(x, [[0, 0], [3, 3]]),
  },
  {
    kind: 'error', op: 'gatherND', name: 'a last indices axis longer than the rank is a ShapeError', error: 'ShapeError',
    message: ['indices [1,3]', 'x [4,3]'], inputs: [f32([4, 3])], run: (x: Tensor) => sn.gatherND(x, [[0, 0, 0]]),
  },
];

const scatterNDCases: ConformanceCase[] = [
  {
    kind: 'compare', op: 'scatterND', name: 'rows of [4,3], repeated indices add up', tol: { accumulate: 6 }, grad: [1],
    inputs: [i32([6, 1], 'indices<4'), f32([6, 3])], run: (i: Tensor, u: Tensor) => sn.scatterND(i, u, [4, 3]), ref: (i: NDArray, u: NDArray) => refScatterND(i, u, [4, 3]),
  },
  {
    kind: 'compare', op: 'scatterND', name: 'K=2 into [3,3,5] from updates [2,3,5]', tol: { accumulate: 6 }, grad: [1],
    inputs: [i32([2, 3, 2], 'indices<3'), f32([2, 3, 5])],
    run: (i: Tensor, u: Tensor) => sn.scatterND(i, u, [3, 3, 5]), ref: (i: NDArray, u: NDArray) => refScatterND(i, u, [3, 3, 5]),
  },
  {
    kind: 'error', op: 'scatterND', name: 'updates of the wrong shape are a ShapeError', error: 'ShapeError',
    message: ['updates [2,4]', 'must have shape [2,3]'], inputs: [f32([2, 4])], run: (u: Tensor) => sn.scatterND([[0], [1]], u, [4, 3]),
  },
];

/** int32 [1, 1] computed by a kernel, so an async-only backend cannot see the values when the op runs. */
const computedRepeat = (): Tensor => sn.add(sn.tensor([0, 1], [2], 'int32'), sn.tensor([1, 0], [2], 'int32'));

/**
 * Programs whose index values break the op's contract (a target written twice without accumulation, an
 * index out of range): an ArgumentError at once, or at the next read where a kernel computed them.
 */
const VALUE_PROGRAMS: readonly { name: string; op: string; program: () => Promise<unknown>; message: readonly string[] }[] = [
  {
    name: 'a target written twice is an ArgumentError', op: 'scatter',
    program: () => sn.scatter(sn.zeros([2, 3]), 1, sn.tensor([[2, 0, 2]], [1, 3], 'int32'), 1).data(),
    message: ['scatter', 'element [0,2] of x [2,3] is written twice', 'index positions 0 and 2'],
  },
  {
    name: 'kernel-computed repeated targets fail by the next read', op: 'scatter',
    program: () => sn.scatter(sn.zeros([3]), 0, computedRepeat(), sn.tensor([5, 6])).data(),
    message: ['scatter', 'element [1] of x [3] is written twice', 'index positions 0 and 1'],
  },
  {
    name: 'a sub-tensor addressed twice (after wrapping -1) is an ArgumentError', op: 'indexPut',
    program: () => sn.indexPut(sn.zeros([3, 2]), [[2, -1]], 1).data(),
    message: ['indexPut', 'x[2,...] of x [3,2] is written twice', 'index positions 0 and 1'],
  },
  {
    name: 'kernel-computed repeated indices fail by the next read', op: 'indexPut',
    program: () => sn.indexPut(sn.zeros([3]), [computedRepeat()], 4).data(),
    message: ['indexPut', 'x[1] of x [3] is written twice'],
  },
  {
    name: 'a kernel-computed index past its axis fails by the next read', op: 'gatherND',
    program: () => sn.gatherND(sn.tensor([[1, 2], [3, 4]]), sn.add(sn.tensor([[0, 0]], [1, 2], 'int32'), sn.tensor([[1, 2]], [1, 2], 'int32'))).data(),
    message: ['gatherND', 'index 2 at position 1', 'axis 1 of x [2,2]', 'expected 0..1'],
  },
  {
    name: 'a kernel-computed index below -d fails by the next read', op: 'indexPut',
    program: () => sn.indexPut(sn.zeros([3]), [sn.sub(sn.tensor([0], [1], 'int32'), sn.tensor([4], [1], 'int32'))], 1).data(),
    message: ['indexPut', 'index -4 at position 0', 'axis 0 of x [3]', 'expected -3..2'],
  },
  {
    name: 'a kernel-computed index past the output fails by the next read', op: 'scatterND',
    program: () => sn.scatterND(sn.add(sn.tensor([[1]], [1, 1], 'int32'), 3), sn.ones([1, 2]), [4, 2]).data(),
    message: ['scatterND', 'index 4 at position 0', 'axis 0 of the output [4,2]', 'expected 0..3'],
  },
  {
    name: 'a kernel-computed index past the axis fails by the next read', op: 'scatterAdd',
    program: () => sn.scatterAdd(sn.zeros([2, 3]), 1, sn.add(sn.tensor([[0, 1]], [1, 2], 'int32'), 2), sn.ones([1, 2])).data(),
    message: ['scatterAdd', 'index 3 at position 1', 'axis 1 of x [2,3]', 'expected 0..2'],
  },
];

/** Runs the index-value programs on an async-only view of the backend under test, so the deferred path is held everywhere. */
async function valuesOnAsyncOnlyView(): Promise<void> {
  const base = sn.getBackendName();
  const name = `${base}-scatter-async-only`;
  const inner = sn.getBackend();
  sn.registerBackend(name, () => asyncOnlyView(inner, name), { priority: -200 });
  try {
    await sn.setBackend(name);
    for (const p of VALUE_PROGRAMS) {
      try {
        await expectArgumentError(p.program, p.message);
      } catch (e) {
        throw new Error(`${p.op} › ${p.name}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    const good = await sn.tidy(() => sn.scatter(sn.zeros([3]), 0, sn.add(sn.tensor([0, 1], [2], 'int32'), 1), sn.tensor([5, 6])).data());
    ensure(Array.from(good).join(',') === '0,5,6', `scatter with good indices gave [${Array.from(good).join(',')}]`);
  } finally {
    await sn.setBackend(base);
    await sn.removeBackend(name);
  }
}

const valueCases: ConformanceCase[] = [
  ...VALUE_PROGRAMS.map((p): ConformanceCase => ({ kind: 'property', op: p.op, name: p.name, check: () => expectArgumentError(p.program, p.message) })),
  { kind: 'property', op: 'indexPut', name: 'bad index values on an async-only backend fail at the next read', check: valuesOnAsyncOnlyView },
];

/** Every case of this file. */
export const scatterCases: readonly ConformanceCase[] = [
  ...scatterOpCases, ...scatterAddCases, ...indexPutCases, ...gatherNDCases, ...scatterNDCases, ...valueCases,
];
