import * as sn from '../../index.js';
import type { Tensor } from '../../index.js';
import { refBinary, type RefBinaryOp } from '../reference/binary.js';
import { f32, i32, bool } from './helpers.js';
import type { ConformanceCase, Gen } from './types.js';
import type { NDArray } from '../reference/ndarray.js';

type BinFn = (a: Tensor | number, b: Tensor | number) => Tensor;

interface BinarySpec {
  readonly op: RefBinaryOp;
  readonly run: BinFn;
  readonly genA: Gen;
  readonly genB: Gen;
  readonly grad: boolean;
  /** int32 operands for the int32 case (default: the 'int' generator). */
  readonly intA?: Gen;
  readonly intB?: Gen;
  /** Skip the int32 case (div is float-only at the kernel level but still accepts ints: it has its own case). */
  readonly noInt?: boolean;
}

const SPECS: BinarySpec[] = [
  { op: 'add', run: sn.add, genA: 'normal', genB: 'normal', grad: true },
  { op: 'sub', run: sn.sub, genA: 'normal', genB: 'normal', grad: true },
  { op: 'mul', run: sn.mul, genA: 'normal', genB: 'normal', grad: true },
  { op: 'div', run: sn.div, genA: 'normal', genB: 'awayFromZero', grad: true, noInt: true },
  { op: 'pow', run: sn.pow, genA: 'positive', genB: 'uniform', grad: true, intA: 'int', intB: 'indices<4' },
  { op: 'maximum', run: sn.maximum, genA: 'normal', genB: 'normal', grad: true },
  { op: 'minimum', run: sn.minimum, genA: 'normal', genB: 'normal', grad: true },
  { op: 'atan2', run: sn.atan2, genA: 'normal', genB: 'awayFromZero', grad: true, noInt: true },
  // Quotients kept off integers, where mod / fmod jump (and their gradients with them).
  { op: 'mod', run: sn.mod, genA: 'awayFromInteger', genB: { min: 1.05, max: 1.95 }, grad: true, intB: { values: [3, -2, 5, -7, 1] } },
  { op: 'fmod', run: sn.fmod, genA: 'awayFromInteger', genB: { min: 1.05, max: 1.95 }, grad: true, intB: { values: [3, -2, 5, -7, 1] } },
  { op: 'floorDiv', run: sn.floorDiv, genA: 'awayFromInteger', genB: { min: 1.05, max: 1.95 }, grad: false, intB: { values: [3, -2, 5, -7, 1] } },
  // Comparisons draw small integers as floats so that equality actually happens.
  { op: 'equal', run: sn.equal, genA: 'indices<3', genB: 'indices<3', grad: false },
  { op: 'notEqual', run: sn.notEqual, genA: 'indices<3', genB: 'indices<3', grad: false },
  { op: 'less', run: sn.less, genA: 'indices<3', genB: 'indices<3', grad: false },
  { op: 'lessEqual', run: sn.lessEqual, genA: 'indices<3', genB: 'indices<3', grad: false },
  { op: 'greater', run: sn.greater, genA: 'indices<3', genB: 'indices<3', grad: false },
  { op: 'greaterEqual', run: sn.greaterEqual, genA: 'indices<3', genB: 'indices<3', grad: false },
];

/** Every broadcasting pattern: [name, shape of a, shape of b]. */
const PATTERNS: [string, number[], number[]][] = [
  ['same shape [3,5]', [3, 5], [3, 5]],
  ['scalar tensor and [3,5]', [], [3, 5]],
  ['[3,5] and a row [5]', [3, 5], [5]],
  ['[3,5] and a column [3,1]', [3, 5], [3, 1]],
  ['rank mismatch [2,3,5] and [3,1]', [2, 3, 5], [3, 1]],
  ['both broadcast [3,1] and [1,5]', [3, 1], [1, 5]],
  ['both broadcast [4,1,5] and [3,1]', [4, 1, 5], [3, 1]],
  ['size 1 everywhere [1,1] and [1]', [1, 1], [1]],
  ['empty [0,5] and [5]', [0, 5], [5]],
];

function standard(s: BinarySpec): ConformanceCase[] {
  const base = { kind: 'compare' as const, op: s.op, run: (a: Tensor, b: Tensor) => s.run(a, b), ref: (a: NDArray, b: NDArray) => refBinary(s.op, a, b) };
  const cases: ConformanceCase[] = PATTERNS.map(([name, sa, sb], i) => ({
    ...base,
    name,
    inputs: [f32(sa, s.genA), f32(sb, s.genB)],
    grad: s.grad && i < 7,
  }));
  cases.push(
    { ...base, name: 'transposed [5,3] with sliced row [3]', inputs: [f32([5, 3], s.genA, 'transposed'), f32([3], s.genB, 'sliced')], grad: s.grad },
    { ...base, name: 'sliced [2,3,4] with transposed [3,4]', inputs: [f32([2, 3, 4], s.genA, 'sliced'), f32([3, 4], s.genB, 'transposed')] },
    {
      ...base, name: 'number operand on the right', inputs: [f32([3, 4], s.genA)],
      run: (a: Tensor) => s.run(a, 1.75), ref: (a: NDArray) => refBinary(s.op, a, 1.75),
    },
    {
      ...base, name: 'number operand on the left', inputs: [f32([4, 3], s.genB)],
      run: (b: Tensor) => s.run(0.5, b), ref: (b: NDArray) => refBinary(s.op, 0.5, b),
    },
    { ...base, name: 'int32 and float32 promote to float32', inputs: [i32([3, 4], s.intA), f32([4], s.genB)] },
  );
  if (!s.noInt) {
    cases.push(
      { ...base, name: 'int32 [3,5] and [5]', inputs: [i32([3, 5], s.intA), i32([5], s.intB)], tol: 'exact' },
      {
        ...base, name: 'int32 with an integer number stays int32', inputs: [i32([6], s.intA)],
        run: (a: Tensor) => s.run(a, 2), ref: (a: NDArray) => refBinary(s.op, a, 2), tol: 'exact',
      },
    );
  }
  return cases;
}

const FLOAT_NUMBER_WITH_INT: ConformanceCase = {
  kind: 'compare', op: 'add', name: 'a fractional number with an int32 tensor gives float32',
  inputs: [i32([5])], run: (a) => sn.add(a, 0.5), ref: (a) => refBinary('add', a, 0.5),
};

const WRAPS: ConformanceCase[] = [
  {
    kind: 'compare', op: 'add', name: 'int32 overflow wraps', tol: 'exact',
    inputs: [i32([3], { values: [2147483647, -2147483648, 5] }), i32([3], { values: [1, -1, 7] })],
    run: (a: Tensor, b: Tensor) => sn.add(a, b), ref: (a: NDArray, b: NDArray) => refBinary('add', a, b),
  },
  {
    kind: 'compare', op: 'mul', name: 'int32 multiplication wraps', tol: 'exact',
    inputs: [i32([3], { values: [65536, 46341, -7] }), i32([3], { values: [65536, 46341, 3] })],
    run: (a: Tensor, b: Tensor) => sn.mul(a, b), ref: (a: NDArray, b: NDArray) => refBinary('mul', a, b),
  },
  {
    kind: 'compare', op: 'div', name: 'int32 / int32 gives float32',
    inputs: [i32([3, 4]), i32([4], { values: [2, -3, 7, 1] })],
    run: (a: Tensor, b: Tensor) => sn.div(a, b), ref: (a: NDArray, b: NDArray) => refBinary('div', a, b),
  },
  {
    kind: 'compare', op: 'div', name: 'division by zero gives ±Infinity and NaN',
    inputs: [f32([3], { values: [1, -1, 0] }), f32([3], { values: [0, 0, 0] })],
    run: (a: Tensor, b: Tensor) => sn.div(a, b), ref: (a: NDArray, b: NDArray) => refBinary('div', a, b),
  },
  {
    kind: 'compare', op: 'maximum', name: 'int32 keeps int32', tol: 'exact',
    inputs: [i32([4, 3]), i32([3])], run: (a: Tensor, b: Tensor) => sn.maximum(a, b), ref: (a: NDArray, b: NDArray) => refBinary('maximum', a, b),
  },
  {
    kind: 'compare', op: 'mul', name: 'larger broadcast [33,1,65] and [17,65]', tol: 'elementwise', grad: true,
    inputs: [f32([33, 1, 65]), f32([17, 65])], run: (a: Tensor, b: Tensor) => sn.mul(a, b), ref: (a: NDArray, b: NDArray) => refBinary('mul', a, b),
  },
  {
    kind: 'compare', op: 'mul', name: 'the same tensor on both sides (x·x) accumulates both gradients', tol: 'elementwise', grad: true,
    inputs: [f32([3, 4])], run: (a: Tensor) => sn.mul(a, a), ref: (a: NDArray) => refBinary('mul', a, a),
  },
  {
    kind: 'compare', op: 'pow', name: 'negative bases with integer exponents, 0^0, 0^2',
    inputs: [f32([7], { values: [-2, -2, 0, 0, 2, -1.5, -3] }), f32([7], { values: [3, 2, 0, 2, 0.5, 2, -1] })],
    run: (a: Tensor, b: Tensor) => sn.pow(a, b), ref: (a: NDArray, b: NDArray) => refBinary('pow', a, b),
  },
  {
    kind: 'compare', op: 'remainder', name: 'is mod under PyTorch\'s name', grad: true,
    inputs: [f32([3, 4], 'awayFromInteger'), f32([4], { min: 1.05, max: 1.95 })],
    run: (a: Tensor, b: Tensor) => sn.remainder(a, b), ref: (a: NDArray, b: NDArray) => refBinary('mod', a, b),
  },
  ...(['mod', 'fmod', 'floorDiv'] as const).flatMap((op): ConformanceCase[] => [
    {
      kind: 'compare', op, name: 'signs of dividend and divisor, zero and infinite divisors',
      inputs: [f32([8], { values: [7, -7, 7, -7, 5.5, 0, 3, -3] }), f32([8], { values: [3, 3, -3, -3, 0, 2, Infinity, Infinity] })],
      run: (a: Tensor, b: Tensor) => sn[op](a, b), ref: (a: NDArray, b: NDArray) => refBinary(op, a, b),
    },
    {
      kind: 'compare', op, name: 'int32 signs, zero divisor and -2147483648 by -1', tol: 'exact',
      inputs: [i32([7], { values: [7, -7, 7, -7, 5, -2147483648, 0] }), i32([7], { values: [3, 3, -3, -3, 0, -1, 4] })],
      // -2147483648 // -1 overflows int32 and wraps back to -2147483648 (the reference stores with | 0).
      run: (a: Tensor, b: Tensor) => sn[op](a, b), ref: (a: NDArray, b: NDArray) => refBinary(op, a, b),
    },
  ]),
  {
    kind: 'compare', op: 'less', name: 'bool operands compare as 0/1', tol: 'exact',
    inputs: [bool([3, 4]), bool([4])], run: (a: Tensor, b: Tensor) => sn.less(a, b), ref: (a: NDArray, b: NDArray) => refBinary('less', a, b),
  },
];

function logical(op: 'logicalAnd' | 'logicalOr', run: BinFn): ConformanceCase[] {
  const base = { kind: 'compare' as const, op, run: (a: Tensor, b: Tensor) => run(a, b), ref: (a: NDArray, b: NDArray) => refBinary(op, a, b), tol: 'exact' as const };
  return [
    { ...base, name: 'bool [3,5]', inputs: [bool([3, 5]), bool([3, 5])] },
    { ...base, name: 'bool column and row', inputs: [bool([4, 1]), bool([1, 5])] },
    { ...base, name: 'bool transposed and sliced', inputs: [bool([3, 4], 'transposed'), bool([3, 4], 'sliced')] },
    {
      ...base, name: 'float32 and int32 inputs are cast to bool',
      inputs: [f32([6], { values: [0, 0.5, -2, 0, 3, 0] }), i32([6], { values: [0, 0, 1, 4, -1, 0] })],
      run: (a: Tensor, b: Tensor) => run(a, b),
      ref: (a: NDArray, b: NDArray) => refBinary(op, a, b),
    },
  ];
}

export const binaryCases: ConformanceCase[] = [
  ...SPECS.flatMap(standard),
  FLOAT_NUMBER_WITH_INT,
  ...WRAPS,
  ...logical('logicalAnd', sn.logicalAnd),
  ...logical('logicalOr', sn.logicalOr),
];
