/**
 * float16 conformance: casts (rounding to nearest even, overflow to ±Infinity, subnormals, NaN, the
 * other dtypes), promotion, and the ops mixed precision uses (elementwise, reductions, matmul, conv,
 * pooling, data movement) on float16 inputs, against the float64 reference rounded through float16.
 * A backend that does not compute some of these in float16 still passes: core runs them in float32.
 */
import * as sn from '../../index.js';
import type { Tensor } from '../../index.js';
import { refBinary } from '../reference/binary.js';
import { refConv2d } from '../reference/conv.js';
import { refRoundHalf } from '../reference/half.js';
import { refMatmul } from '../reference/matmul.js';
import { castTo, fromFn, type NDArray } from '../reference/ndarray.js';
import { refPool2d } from '../reference/pool.js';
import { refArgExtreme, refReduce } from '../reference/reduce.js';
import { refConcat, refPad, refSlice } from '../reference/slicing.js';
import { refUnary } from '../reference/unary.js';
import { f32, i32, input } from './helpers.js';
import type { Backend } from '../../backend/backend.js';
import type { ConformanceCase, Gen, InputSpec } from './types.js';

const h16 = (shape: readonly number[], gen?: Gen): InputSpec => input(shape, 'float16', gen);
/** Re-tags a float16 reference array as float32 (its values are exact there) to feed float32 references. */
const wide = (x: NDArray): NDArray => ({ ...x, dtype: 'float32' });
/** A float32 reference result rounded through float16. */
const half = (x: NDArray): NDArray => castTo(x, 'float16');

/** Values that exercise every branch of rounding to half: ties both ways, overflow, subnormals, specials. */
const CAST_SPECIALS = [
  0, -0, 1, -1, 1 / 3, 0.1, 2049, 2051, 1.00048828125, 1.00146484375, -1.00146484375, 65504, 65519, 65520, -65520, 70000,
  1e6, 6e-5, 6.1e-5, 5.9604644775390625e-8, 2.98023223876953125e-8, 2.99e-8, 8.940696716308594e-8, 1e-9, -3e-6, 1e-45,
  NaN, Infinity, -Infinity,
];

const TENSOR_VALUES = [0.1, 65520, 1e-8, -2.5, 3.14159, 1 / 3];

const castCases: ConformanceCase[] = [
  {
    kind: 'compare', op: 'cast', name: 'float16: float32 → float16 rounds to nearest even (ties, overflow to Infinity, subnormals, NaN)',
    inputs: [f32([CAST_SPECIALS.length], { values: CAST_SPECIALS })],
    run: (x) => sn.cast(x, 'float16'), ref: (x) => castTo(x, 'float16'), tol: 'exact',
  },
  {
    kind: 'compare', op: 'cast', name: 'float16: float32 → float16 of random values',
    inputs: [f32([7, 9], { min: -70000, max: 70000 })],
    run: (x) => sn.cast(x, 'float16'), ref: (x) => castTo(x, 'float16'), tol: 'exact',
  },
  {
    kind: 'compare', op: 'cast', name: 'float16: float16 → float32 is exact (subnormals and specials kept)',
    inputs: [h16([CAST_SPECIALS.length], { values: CAST_SPECIALS })],
    run: (x) => sn.cast(x, 'float32'), ref: (x) => castTo(x, 'float32'), tol: 'exact',
  },
  {
    kind: 'compare', op: 'cast', name: 'float16: float16 → int32 truncates, → bool is x ≠ 0',
    inputs: [h16([4, 5], { min: -300, max: 300 })],
    run: (x) => [sn.cast(x, 'int32'), sn.cast(x, 'bool')], ref: (x) => [castTo(x, 'int32'), castTo(x, 'bool')], tol: 'exact',
  },
  {
    kind: 'compare', op: 'cast', name: 'float16: int32 and bool → float16',
    inputs: [i32([3, 4], { values: [0, 1, -7, 2049, 2051, 4097, -65504, 65519, 65520, 100000, -100000, 3] }), input([3, 4], 'bool')],
    run: (a, b) => [sn.cast(a, 'float16'), sn.cast(b, 'float16')], ref: (a, b) => [castTo(a, 'float16'), castTo(b, 'float16')], tol: 'exact',
  },
  {
    kind: 'compare', op: 'tensor', name: 'float16: tensor() stores the nearest half and data() reads it back as numbers',
    inputs: [f32([6], { values: TENSOR_VALUES })],
    run: () => sn.tensor(TENSOR_VALUES, [6], 'float16'), ref: (x) => castTo({ ...x, data: Float64Array.from(TENSOR_VALUES) }, 'float16'), tol: 'exact',
  },
];

const promotionCases: ConformanceCase[] = [
  {
    kind: 'compare', op: 'add', name: 'float16: float16 + float32 promotes to float32; float16 + int32 stays float16',
    inputs: [h16([3, 4]), f32([3, 4]), i32([3, 4])],
    run: (a, b, c) => [sn.add(a, b), sn.add(a, c)],
    ref: (a, b, c) => [refBinary('add', wide(a), b), half(refBinary('add', wide(a), castTo(c, 'float32')))],
  },
];

const UNARY: readonly ['exp' | 'relu' | 'sigmoid' | 'tanh' | 'sqrt' | 'neg', Gen][] = [
  ['exp', 'normal'], ['relu', 'awayFromZero'], ['sigmoid', 'normal'], ['tanh', 'normal'], ['sqrt', 'positive'], ['neg', 'normal'],
];

const elementwiseCases: ConformanceCase[] = [
  ...UNARY.map(([op, gen]): ConformanceCase => ({
    kind: 'compare', op, name: `float16: ${op} computes on float16 and returns float16`,
    inputs: [h16([5, 7], gen)],
    run: (x) => (sn as unknown as Record<string, (t: Tensor) => Tensor>)[op]!(x),
    ref: (x) => half(refUnary(op, wide(x))),
  })),
  ...(['add', 'sub', 'mul', 'div', 'maximum'] as const).map((op): ConformanceCase => ({
    kind: 'compare', op, name: `float16: ${op} with broadcasting [4,1] and [1,6]`,
    inputs: [h16([4, 1], 'awayFromZero'), h16([1, 6], 'awayFromZero')],
    run: (a, b) => sn[op](a, b), ref: (a, b) => half(refBinary(op, wide(a), wide(b))),
  })),
  {
    kind: 'compare', op: 'mul', name: 'float16: products past 65504 overflow to Infinity',
    inputs: [h16([4], { values: [300, -300, 255, 2] }), h16([4], { values: [300, 300, 257, 1e-7] })],
    run: (a, b) => sn.mul(a, b), ref: (a, b) => half(refBinary('mul', wide(a), wide(b))),
  },
  {
    kind: 'compare', op: 'greater', name: 'float16: comparisons give bool',
    inputs: [h16([3, 5], 'int'), h16([3, 5], 'int')],
    run: (a, b) => sn.greater(a, b), ref: (a, b) => refBinary('greater', wide(a), wide(b)), tol: 'exact',
  },
  {
    kind: 'compare', op: 'where', name: 'float16: where keeps float16',
    inputs: [input([3, 4], 'bool'), h16([3, 4]), h16([1, 4])],
    run: (c, a, b) => sn.where(c, a, b),
    ref: (c, a, b) => fromFn([3, 4], 'float16', (i) => (c.data[i] ? a.data[i]! : b.data[i % 4]!)), tol: 'exact',
  },
];

const productCases: ConformanceCase[] = [
  {
    kind: 'compare', op: 'matmul', name: 'float16: [9,33] × [33,7] accumulates in float32, rounds once',
    inputs: [h16([9, 33]), h16([33, 7])],
    run: (a, b) => sn.matmul(a, b), ref: (a, b) => half(refMatmul(wide(a), wide(b))), tol: { accumulate: 33 },
  },
  {
    kind: 'compare', op: 'matmul', name: 'float16: batched with transposes [2,17,5]ᵀ × [2,6,17]ᵀ',
    inputs: [h16([2, 17, 5]), h16([2, 6, 17])],
    run: (a, b) => sn.matmul(a, b, { transposeA: true, transposeB: true }),
    ref: (a, b) => half(refMatmul(wide(a), wide(b), true, true)), tol: { accumulate: 17 },
  },
  {
    kind: 'compare', op: 'matmul', name: 'float16 × float32 promotes to float32',
    inputs: [h16([3, 8]), f32([8, 4])],
    run: (a, b) => sn.matmul(a, b), ref: (a, b) => refMatmul(wide(a), b), tol: { accumulate: 8 },
  },
  {
    kind: 'compare', op: 'conv2d', name: 'float16: conv2d [2,3,7,6] * [4,3,3,3], stride 1, padding 1',
    inputs: [h16([2, 3, 7, 6]), h16([4, 3, 3, 3])],
    run: (x, w) => sn.conv2d(x, w, { padding: 1 }), ref: (x, w) => half(refConv2d(wide(x), wide(w), { padding: 1 })), tol: { accumulate: 27 },
  },
  {
    kind: 'compare', op: 'maxPool2d', name: 'float16: maxPool2d 2×2 keeps float16',
    inputs: [h16([2, 3, 6, 4], 'distinct')],
    run: (x) => sn.maxPool2d(x, 2), ref: (x) => half(refPool2d('max', wide(x), [2, 2])), tol: 'exact',
  },
  {
    kind: 'compare', op: 'avgPool2d', name: 'float16: avgPool2d 3×3 stride 2 with padding averages in float32',
    inputs: [h16([1, 2, 7, 7])],
    run: (x) => sn.avgPool2d(x, 3, { stride: 2, padding: 1 }),
    ref: (x) => half(refPool2d('avg', wide(x), [3, 3], { stride: 2, padding: 1 })),
  },
  {
    kind: 'compare', op: 'argmax', name: 'float16: argmax of float16 rows',
    inputs: [h16([5, 9], 'distinct')],
    run: (x) => sn.argmax(x, 1), ref: (x) => refArgExtreme('argmax', wide(x), 1), tol: 'exact',
  },
  {
    kind: 'compare', op: 'sum', name: 'float16: sum over an axis accumulates in float32 and returns float16',
    inputs: [h16([6, 40, 3])],
    run: (x) => [sn.sum(x, 1), sn.max(x, [0, 2])],
    ref: (x) => [half(refReduce('sum', wide(x), 1)), half(refReduce('max', wide(x), [0, 2]))], tol: { accumulate: 40 },
  },
  {
    kind: 'compare', op: 'sum', name: 'float16: a sum past 65504 overflows to Infinity (accumulated exactly in float32)',
    inputs: [h16([2, 3], { values: [40000, 30000, -1, 40000, -30000, 1] })],
    run: (x) => sn.sum(x, 1), ref: (x) => half(refReduce('sum', wide(x), 1)),
  },
];

const movementCases: ConformanceCase[] = [
  {
    kind: 'compare', op: 'transpose', name: 'float16: transpose, slice, concat and pad move halves bit for bit',
    inputs: [h16([3, 5]), h16([2, 5])],
    run: (a, b) => [sn.transpose(a), sn.slice(a, [1, 1], [2, 3]), sn.concat([a, b], 0), sn.pad(a, [[1, 0], [0, 2]], 0.1)],
    ref: (a, b) => [
      fromFn([5, 3], 'float16', (i) => a.data[(i % 3) * 5 + Math.floor(i / 3)]!),
      refSlice(a, [1, 1], [2, 3]),
      refConcat([a, b], 0),
      refPad(a, [[1, 0], [0, 2]], refRoundHalf(0.1)),
    ],
    tol: 'exact',
  },
];

const gradientCases: ConformanceCase[] = [
  {
    kind: 'property', op: 'cast', name: 'float16: gradients flow through float32 → float16 → float32 and come back float32', checksGradient: true,
    check: async () => {
      const xs = [0.5, -1.25, 3, 0.1, -7.5, 2.2];
      const x = sn.tensor(xs);
      const w = sn.tensor([[1, -2, 0.5], [0.25, 3, -1], [2, 0, 1], [-0.5, 1, 1], [1, 1, -2], [0.75, -0.25, 4]]);
      // d/dx Σ (x16 · w16) over a matmul in float16: each row of w summed.
      const [g] = sn.grad((t) => sn.sum(sn.cast(sn.matmul(sn.reshape(sn.cast(t, 'float16'), [1, 6]), sn.cast(w, 'float16')), 'float32')))(x);
      if (g!.dtype !== 'float32') throw new Error(`gradient dtype ${g!.dtype}, expected float32`);
      const got = await g!.data();
      const wv = await w.data();
      for (let i = 0; i < 6; i++) {
        const want = refRoundHalf(wv[3 * i]! + wv[3 * i + 1]! + wv[3 * i + 2]!);
        if (Math.abs(got[i]! - want) > 1e-3 * Math.abs(want) + 1e-3) throw new Error(`gradient[${i}] ${got[i]}, expected ${want}`);
      }
      sn.dispose([x, w, g!]);
    },
  },
];

/**
 * Why `backend` cannot hold float16 data (its own error from storing one half, e.g. WebGPU without the
 * adapter feature `shader-f16`), or null when it can: such a backend skips these cases with that note.
 */
export function float16Unsupported(backend: Backend): string | null {
  try {
    backend.dispose(backend.write(new Uint16Array(1), 'float16'));
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** Every float16 case (each skipped, with the backend's reason, where the backend cannot store float16). */
export const float16Cases: readonly ConformanceCase[] = [
  ...castCases, ...promotionCases, ...elementwiseCases, ...productCases, ...movementCases, ...gradientCases,
].map((c) => ({ ...c, unsupported: float16Unsupported }));
