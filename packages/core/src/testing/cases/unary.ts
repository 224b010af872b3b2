import * as sn from '../../index.js';
import type { Tensor } from '../../index.js';
import { refUnary, type RefUnaryOp } from '../reference/unary.js';
import type { NDArray } from '../reference/ndarray.js';
import { f32, i32 } from './helpers.js';
import type { ConformanceCase, Gen } from './types.js';

interface UnarySpec {
  readonly op: RefUnaryOp;
  readonly run: (x: Tensor) => Tensor;
  readonly ref?: (x: NDArray) => NDArray;
  readonly gen: Gen;
  /** Also runs on int32 input (int-preserving ops, or a float-only op checking the cast to float32). */
  readonly int?: boolean;
  readonly grad?: boolean;
}

const R = (op: RefUnaryOp, alpha?: number) => (x: NDArray) => refUnary(op, x, alpha);

const SPECS: UnarySpec[] = [
  { op: 'neg', run: sn.neg, gen: 'normal', int: true, grad: true },
  { op: 'abs', run: sn.abs, gen: 'awayFromZero', int: true, grad: true },
  { op: 'sign', run: sn.sign, gen: 'awayFromZero', int: true, grad: true },
  { op: 'square', run: sn.square, gen: 'normal', int: true, grad: true },
  { op: 'relu', run: sn.relu, gen: 'awayFromZero', int: true, grad: true },
  { op: 'relu6', run: sn.relu6, gen: { min: -3, max: 9, avoid: [0, 6] }, int: true, grad: true },
  { op: 'exp', run: sn.exp, gen: 'uniform', int: true, grad: true },
  { op: 'expm1', run: sn.expm1, gen: 'uniform', grad: true },
  { op: 'log', run: sn.log, gen: 'positive', grad: true },
  { op: 'log1p', run: sn.log1p, gen: { min: -0.8, max: 3 }, grad: true },
  { op: 'sqrt', run: sn.sqrt, gen: 'positive', int: true, grad: true },
  { op: 'rsqrt', run: sn.rsqrt, gen: 'positive', grad: true },
  { op: 'reciprocal', run: sn.reciprocal, gen: 'awayFromZero', grad: true },
  { op: 'sin', run: sn.sin, gen: { min: -6, max: 6 }, grad: true },
  { op: 'cos', run: sn.cos, gen: { min: -6, max: 6 }, grad: true },
  { op: 'tanh', run: sn.tanh, gen: 'uniform', grad: true },
  { op: 'sigmoid', run: sn.sigmoid, gen: { min: -8, max: 8 }, grad: true },
  { op: 'erf', run: sn.erf, gen: { min: -3, max: 3 }, grad: true },
  { op: 'floor', run: sn.floor, gen: 'awayFromInteger', grad: true },
  { op: 'ceil', run: sn.ceil, gen: 'awayFromInteger', grad: true },
  { op: 'trunc', run: sn.trunc, gen: 'awayFromInteger', grad: true },
  { op: 'round', run: sn.round, gen: 'awayFromInteger', grad: true },
  { op: 'softplus', run: sn.softplus, gen: { min: -10, max: 10 }, grad: true },
  { op: 'gelu', run: sn.gelu, gen: { min: -4, max: 4 }, grad: true },
  { op: 'tan', run: sn.tan, gen: { min: -1.3, max: 1.3 }, grad: true },
  { op: 'asin', run: sn.asin, gen: 'unit', grad: true },
  { op: 'acos', run: sn.acos, gen: 'unit', grad: true },
  { op: 'atan', run: sn.atan, gen: 'normal', int: true, grad: true },
  { op: 'sinh', run: sn.sinh, gen: 'uniform', grad: true },
  { op: 'cosh', run: sn.cosh, gen: 'uniform', grad: true },
  { op: 'asinh', run: sn.asinh, gen: 'normal', grad: true },
  { op: 'acosh', run: sn.acosh, gen: { min: 1.2, max: 4 }, grad: true },
  { op: 'atanh', run: sn.atanh, gen: 'unit', grad: true },
  { op: 'leakyRelu', run: (x) => sn.leakyRelu(x), ref: R('leakyRelu'), gen: 'awayFromZero', grad: true },
  { op: 'elu', run: (x) => sn.elu(x), ref: R('elu'), gen: 'awayFromZero', grad: true },
];

function standard(s: UnarySpec): ConformanceCase[] {
  const ref = s.ref ?? R(s.op);
  const base = { kind: 'compare' as const, op: s.op, run: s.run, ref };
  const out: ConformanceCase[] = [
    { ...base, name: 'float32 [3,5]', inputs: [f32([3, 5], s.gen)], grad: s.grad ?? false },
    { ...base, name: 'scalar', inputs: [f32([], s.gen)], grad: s.grad ?? false },
    { ...base, name: 'prime length [13]', inputs: [f32([13], s.gen)] },
    { ...base, name: 'transposed view [4,7]', inputs: [f32([4, 7], s.gen, 'transposed')], grad: s.grad ?? false },
    { ...base, name: 'sliced view [2,3,5]', inputs: [f32([2, 3, 5], s.gen, 'sliced')] },
    { ...base, name: 'empty [0,3]', inputs: [f32([0, 3], s.gen)] },
  ];
  if (s.int) out.push({ ...base, name: 'int32 [5,3]', inputs: [i32([5, 3])], tol: 'elementwise' });
  return out;
}

/** Hand-picked values: ties of round, IEEE specials, non-default alphas, bool and int inputs. */
const SPECIAL: ConformanceCase[] = [
  {
    kind: 'compare', op: 'round', name: 'half-way values round to even',
    inputs: [f32([8], { values: [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5, 0.49999997] })],
    run: sn.round, ref: R('round'), tol: 'exact',
  },
  {
    kind: 'compare', op: 'floor', name: 'negative values and integers',
    inputs: [f32([6], { values: [-1.5, -1, -0.25, 0, 0.75, 2] })], run: sn.floor, ref: R('floor'), tol: 'exact',
  },
  {
    kind: 'compare', op: 'trunc', name: 'toward zero, with −0 for small negatives',
    inputs: [f32([7], { values: [-1.5, -1, -0.25, 0, 0.75, 2, 1e30] })], run: sn.trunc, ref: R('trunc'), tol: 'exact',
  },
  {
    kind: 'compare', op: 'ceil', name: 'negative values and integers',
    inputs: [f32([6], { values: [-1.5, -1, -0.25, 0, 0.75, 2] })], run: sn.ceil, ref: R('ceil'), tol: 'exact',
  },
  {
    kind: 'compare', op: 'log', name: 'zero gives -Infinity, negatives NaN',
    inputs: [f32([3], { values: [0, 1, -1] })], run: sn.log, ref: R('log'),
  },
  {
    kind: 'compare', op: 'sqrt', name: 'zero and negative',
    inputs: [f32([2], { values: [0, -4] })], run: sn.sqrt, ref: R('sqrt'),
  },
  {
    kind: 'compare', op: 'exp', name: 'overflow to Infinity, underflow to 0',
    inputs: [f32([3], { values: [100, -200, 88] })], run: sn.exp, ref: R('exp'),
  },
  {
    kind: 'compare', op: 'sigmoid', name: 'saturates without NaN at ±100',
    inputs: [f32([2], { values: [100, -100] })], run: sn.sigmoid, ref: R('sigmoid'),
  },
  {
    kind: 'compare', op: 'softplus', name: 'large inputs stay finite',
    inputs: [f32([3], { values: [100, -100, 30] })], run: sn.softplus, ref: R('softplus'),
  },
  {
    kind: 'compare', op: 'tanh', name: 'saturates at ±1',
    inputs: [f32([2], { values: [50, -50] })], run: sn.tanh, ref: R('tanh'),
  },
  ...([
    ['asin', [-1, 1, 0.999, -0.5, 1.5, -2]],
    ['acos', [-1, 1, 0.999, -0.999, 1.5, -2]],
    ['atanh', [-1, 1, 1e-7, -0.999, 2, 0]],
    ['acosh', [1, 1.0001, 0.5, 1e5]],
    ['asinh', [1e-7, -1e5, 1e5, 3e30, 0]],
    ['sinh', [1e-7, -50, 89, -89, 0]],
    ['cosh', [-50, 89, -89, 0]],
    ['tan', [0, 1e-7, -1.5, 1.5]],
  ] as const).map(([op, values]): ConformanceCase => ({
    kind: 'compare', op, name: 'domain edges, tiny and large values',
    inputs: [f32([values.length], { values })], run: sn[op], ref: R(op),
  })),
  {
    kind: 'compare', op: 'sign', name: 'zero has sign 0',
    inputs: [f32([3], { values: [0, -3, 2] })], run: sn.sign, ref: R('sign'), tol: 'exact',
  },
  {
    kind: 'compare', op: 'leakyRelu', name: 'alpha 0.2', inputs: [f32([4, 5], 'awayFromZero')],
    run: (x) => sn.leakyRelu(x, 0.2), ref: R('leakyRelu', 0.2), grad: true,
  },
  {
    kind: 'compare', op: 'elu', name: 'alpha 0.5', inputs: [f32([4, 5], 'awayFromZero')],
    run: (x) => sn.elu(x, 0.5), ref: R('elu', 0.5), grad: true,
  },
  {
    kind: 'compare', op: 'neg', name: 'int32 minimum wraps', inputs: [i32([2], { values: [-2147483648, 5] })],
    run: sn.neg, ref: R('neg'), tol: 'exact',
  },
  {
    kind: 'compare', op: 'tanh', name: 'int32 input is cast to float32', inputs: [i32([7])],
    run: sn.tanh, ref: R('tanh'),
  },
  {
    kind: 'compare', op: 'exp', name: 'bool input is cast to float32', inputs: [{ shape: [2, 3], dtype: 'bool' }],
    run: sn.exp, ref: R('exp'),
  },
  {
    kind: 'compare', op: 'relu', name: 'larger [64,129] (crosses chunk sizes)', inputs: [f32([64, 129], 'awayFromZero')],
    run: sn.relu, ref: R('relu'), tol: 'exact', grad: true,
  },
  {
    kind: 'compare', op: 'logicalNot', name: 'bool [3,5]', inputs: [{ shape: [3, 5], dtype: 'bool' }],
    run: sn.logicalNot, ref: R('logicalNot'), tol: 'exact',
  },
  {
    kind: 'compare', op: 'logicalNot', name: 'bool sliced view', inputs: [{ shape: [4, 3], dtype: 'bool', layout: 'sliced' }],
    run: sn.logicalNot, ref: R('logicalNot'), tol: 'exact',
  },
  {
    kind: 'compare', op: 'logicalNot', name: 'float32 input (non-zero is true)',
    inputs: [f32([5], { values: [0, 1, -2.5, 0, 0.001] })],
    run: sn.logicalNot, ref: (x) => refUnary('logicalNot', x), tol: 'exact',
  },
];

/** relu and relu6 give +0 at -0 (NumPy, PyTorch and tfjs do; the comparison above cannot tell ±0 apart) and pass NaN. */
const SIGNED_ZERO: ConformanceCase[] = (['relu', 'relu6'] as const).map((op) => ({
  kind: 'property',
  op,
  name: '-0 gives +0 and NaN stays NaN',
  check: async () => {
    const got = await sn[op](sn.tensor([-0, NaN, -1, 0.5])).data();
    const want = [0, NaN, 0, 0.5];
    want.forEach((w, i) => {
      if (!Object.is(got[i], w)) throw new Error(`${op}: element ${i} is ${Object.is(got[i], -0) ? '-0' : String(got[i])}, expected ${String(w)}`);
    });
  },
}));

export const unaryCases: ConformanceCase[] = [...SPECS.flatMap(standard), ...SPECIAL, ...SIGNED_ZERO];
