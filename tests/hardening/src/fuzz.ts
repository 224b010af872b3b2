/**
 * Differential fuzzing of op graphs. fast-check generates a graph *spec* (a base shape, an input layout
 * and a chain of 2–20 steps, each a kind plus two free integers); `resolve` turns it into a concrete,
 * always-valid program by reading the integers against the current shape (axis = a mod rank, ...).
 * Shrinking a spec therefore always yields another valid program. Each program runs on the float64
 * reference of `@scratchnet/core/testing` and on each backend, forward and backward (core's `grad`), and
 * the results must agree within tolerance.
 */
import * as fc from 'fast-check';
import * as sn from '@scratchnet/core';
import { numericGradient, reference as ref } from '@scratchnet/core/testing';

type NDArray = ref.NDArray;

const UNARY = [
  'neg', 'abs', 'tanh', 'sigmoid', 'sin', 'cos', 'relu', 'softplus', 'gelu', 'elu', 'leakyRelu', 'erf', 'square', 'exp',
  'atan', 'asinh', 'sinh', 'cosh', 'expm1',
] as const;
type UnaryName = (typeof UNARY)[number];
/** Activations core composes from the primitive ops (their reference is their formula). */
const ACTIVATION = ['logSigmoid', 'selu', 'silu', 'mish'] as const;
type ActivationName = (typeof ACTIVATION)[number];
const BINARY = ['add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'squaredDifference'] as const;
type BinaryName = (typeof BINARY)[number];
const REDUCE = ['sum', 'mean', 'max', 'min', 'logSumExp'] as const;
type ReduceName = (typeof REDUCE)[number];
const SCAN = ['cumsum', 'cumprod', 'logCumSumExp'] as const;
type ScanName = (typeof SCAN)[number];
export const STEP_KINDS = [
  'unary', 'binary', 'matmul', 'reduce', 'softmax', 'logSoftmax', 'transpose', 'reshape', 'expandDims', 'squeeze', 'slice', 'concat', 'pad', 'broadcastTo',
  'activation', 'scan', 'flip', 'roll', 'tile', 'triangle', 'stridedSlice', 'interpolate', 'sort',
] as const;
export type StepKind = (typeof STEP_KINDS)[number];
export type Layout = 'plain' | 'transposed' | 'sliced';

/** One step of a spec: what to do, and two integers that pick its parameters from the current shape. */
export interface StepSpec {
  readonly kind: StepKind;
  readonly a: number;
  readonly b: number;
  readonly layout: Layout;
}

/** What fast-check generates and shrinks. */
export interface GraphSpec {
  readonly shape: readonly number[];
  readonly layout: Layout;
  readonly dataSeed: number;
  readonly steps: readonly StepSpec[];
}

/** An input of the program: its logical shape, how its tensor is laid out in memory, and its values. */
export interface InputSpec {
  readonly shape: readonly number[];
  readonly layout: Layout;
  /** 'signed': uniform in [-2, 2]; 'denominator': ±[0.5, 2]. */
  readonly values: 'signed' | 'denominator';
}

export type Instr =
  | { op: 'unary'; fn: UnaryName }
  | { op: 'binary'; fn: BinaryName; input: number; swap: boolean }
  | { op: 'matmul'; input: number; transposeB: boolean }
  | { op: 'reduce'; fn: ReduceName; axis: number; keepDims: boolean }
  | { op: 'softmax' | 'logSoftmax'; axis: number }
  | { op: 'transpose'; perm: number[] }
  | { op: 'reshape'; shape: number[] }
  | { op: 'expandDims'; axis: number }
  | { op: 'squeeze'; axis: number }
  | { op: 'slice'; begin: number[]; size: number[] }
  | { op: 'concat'; input: number; axis: number }
  | { op: 'pad'; paddings: [number, number][] }
  | { op: 'broadcastTo'; shape: number[] }
  | { op: 'activation'; fn: ActivationName }
  | { op: 'scan'; fn: ScanName; axis: number; exclusive: boolean; reverse: boolean }
  | { op: 'flip'; axes: number[] }
  | { op: 'roll'; shift: number; axis: number }
  | { op: 'tile'; reps: number[] }
  | { op: 'triangle'; upper: boolean; k: number }
  | { op: 'stridedSlice'; begin: number[]; end: number[]; strides: number[] }
  | { op: 'interpolate'; mode: 'nearest' | 'linear' | 'bilinear'; scale: number; alignCorners: boolean }
  | { op: 'sort'; axis: number; descending: boolean; k: number | null };

/** A concrete program: inputs (input 0 is the chain's start) and instructions applied in order. */
export interface Program {
  readonly inputs: InputSpec[];
  readonly instrs: Instr[];
  readonly dataSeed: number;
}

const MAX_RANK = 5;

const dimArb = fc.oneof({ arbitrary: fc.constant(1), weight: 3 }, { arbitrary: fc.integer({ min: 2, max: 5 }), weight: 6 }, { arbitrary: fc.constant(0), weight: 1 });
const layoutArb = fc.constantFrom<Layout>('plain', 'transposed', 'sliced');

/** fast-check's generator of graph specs (chains of `minSteps`..`maxSteps` steps). */
export function graphSpecArb(minSteps = 2, maxSteps = 20): fc.Arbitrary<GraphSpec> {
  const step = fc.record({ kind: fc.constantFrom(...STEP_KINDS), a: fc.nat(1 << 20), b: fc.nat(1 << 20), layout: layoutArb });
  return fc.record({
    shape: fc.array(dimArb, { minLength: 0, maxLength: 4 }),
    layout: layoutArb,
    dataSeed: fc.nat(),
    steps: fc.array(step, { minLength: minSteps, maxLength: maxSteps }),
  });
}

/** The permutation of `n` axes with Lehmer code `code`. */
function permFrom(n: number, code: number): number[] {
  const pool = Array.from({ length: n }, (_, i) => i);
  const out: number[] = [];
  for (let k = n; k > 0; k--) {
    const i = code % k;
    code = Math.floor(code / k);
    out.push(pool.splice(i, 1)[0]!);
  }
  return out;
}

/** Turns a spec into a valid program (each step's integers are read against the current shape). */
export function resolve(spec: GraphSpec): Program {
  const inputs: InputSpec[] = [{ shape: [...spec.shape], layout: spec.layout, values: 'signed' }];
  const instrs: Instr[] = [];
  let shape = [...spec.shape];
  const addInput = (s: number[], layout: Layout, values: InputSpec['values'] = 'signed'): number => {
    inputs.push({ shape: s, layout, values });
    return inputs.length - 1;
  };
  for (const { kind, a, b, layout } of spec.steps) {
    const rank = shape.length;
    switch (kind) {
      case 'unary':
        instrs.push({ op: 'unary', fn: UNARY[a % UNARY.length]! });
        break;
      case 'binary': {
        const fn = BINARY[a % BINARY.length]!;
        // The other operand: trailing dims of the current shape, some of them 1, maybe one extra leading dim.
        const drop = b % (rank + 1);
        const other = shape.slice(drop).map((d, i) => ((a >> (4 + i)) & 1 ? 1 : d));
        const grow = drop === 0 && rank < MAX_RANK && (b >> 6) % 4 === 0;
        if (grow) other.unshift(((b >> 8) % 3) + 1);
        const input = addInput(other, layout, fn === 'div' ? 'denominator' : 'signed');
        instrs.push({ op: 'binary', fn, input, swap: fn !== 'div' && ((a >> 3) & 1) === 1 });
        shape = ref.broadcastShape(shape, other);
        break;
      }
      case 'matmul': {
        if (rank === 0) {
          instrs.push({ op: 'unary', fn: 'neg' });
          break;
        }
        const k = shape[rank - 1]!;
        const n = b % 5;
        const transposeB = (a & 1) === 1;
        // b is [k, n] (stored as [n, k] when transposed); with a batch dim of 1 when a is rank ≥ 3 and bit 1 is set.
        const batch = rank >= 3 && (a & 2) !== 0 ? [1] : [];
        const input = addInput([...batch, ...(transposeB ? [n, k] : [k, n])], layout);
        instrs.push({ op: 'matmul', input, transposeB });
        shape = rank === 1 ? [n] : [...shape.slice(0, -1), n];
        break;
      }
      case 'reduce': {
        const fn = REDUCE[a % REDUCE.length]!;
        if (rank === 0) {
          instrs.push({ op: 'unary', fn: 'tanh' });
          break;
        }
        let axis = b % rank;
        // max/min of an empty lane has no value; reduce a non-empty axis instead, or none at all.
        if ((fn === 'max' || fn === 'min') && shape[axis] === 0) {
          const nonEmpty = shape.findIndex((d) => d > 0);
          if (nonEmpty < 0 || shape.includes(0)) {
            instrs.push({ op: 'unary', fn: 'sigmoid' });
            break;
          }
          axis = nonEmpty;
        }
        const keepDims = ((b >> 4) & 1) === 1;
        instrs.push({ op: 'reduce', fn, axis: (b >> 5) & 1 ? axis - rank : axis, keepDims });
        shape = keepDims ? shape.map((d, i) => (i === axis ? 1 : d)) : shape.filter((_, i) => i !== axis);
        break;
      }
      case 'softmax':
      case 'logSoftmax':
        if (rank === 0) instrs.push({ op: 'unary', fn: 'sin' });
        else instrs.push({ op: kind, axis: b % rank });
        break;
      case 'transpose':
        if (rank < 2) instrs.push({ op: 'unary', fn: 'cos' });
        else {
          const perm = permFrom(rank, a);
          instrs.push({ op: 'transpose', perm });
          shape = perm.map((p) => shape[p]!);
        }
        break;
      case 'reshape': {
        let next: number[];
        if (rank >= 2) {
          const i = a % (rank - 1);
          next = [...shape.slice(0, i), shape[i]! * shape[i + 1]!, ...shape.slice(i + 2)];
        } else if (rank === 1 && shape[0]! % 2 === 0 && shape[0]! > 0) next = [2, shape[0]! / 2];
        else next = [1, ...shape];
        const size = next.reduce((p, d) => p * d, 1);
        const written = size > 0 && (b & 1) === 1 && next.length > 0 ? next.map((d, j) => (j === b % next.length ? -1 : d)) : next;
        instrs.push({ op: 'reshape', shape: written });
        shape = next;
        break;
      }
      case 'expandDims':
        if (rank >= MAX_RANK) instrs.push({ op: 'unary', fn: 'relu' });
        else {
          const axis = a % (rank + 1);
          instrs.push({ op: 'expandDims', axis });
          shape = [...shape.slice(0, axis), 1, ...shape.slice(axis)];
        }
        break;
      case 'squeeze': {
        const ones = shape.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0);
        if (ones.length === 0) instrs.push({ op: 'unary', fn: 'abs' });
        else {
          const axis = ones[a % ones.length]!;
          instrs.push({ op: 'squeeze', axis });
          shape = shape.filter((_, i) => i !== axis);
        }
        break;
      }
      case 'slice': {
        if (rank === 0) {
          instrs.push({ op: 'unary', fn: 'gelu' });
          break;
        }
        const axis = a % rank;
        const d = shape[axis]!;
        const begin0 = b % (d + 1);
        const size0 = (b >> 8) % (d - begin0 + 1);
        const begin = shape.map((_, i) => (i === axis ? begin0 : 0));
        const size = shape.map((s, i) => (i === axis ? size0 : s));
        instrs.push({ op: 'slice', begin, size });
        shape = size;
        break;
      }
      case 'concat': {
        if (rank === 0) {
          instrs.push({ op: 'unary', fn: 'softplus' });
          break;
        }
        const axis = a % rank;
        const other = shape.map((d, i) => (i === axis ? b % 4 : d));
        const input = addInput(other, layout);
        instrs.push({ op: 'concat', input, axis });
        shape = shape.map((d, i) => (i === axis ? d + other[i]! : d));
        break;
      }
      case 'pad': {
        if (rank === 0) {
          instrs.push({ op: 'unary', fn: 'elu' });
          break;
        }
        const axis = a % rank;
        const paddings = shape.map((_, i): [number, number] => (i === axis ? [b % 3, (b >> 2) % 3] : [0, 0]));
        instrs.push({ op: 'pad', paddings });
        shape = shape.map((d, i) => d + paddings[i]![0] + paddings[i]![1]);
        break;
      }
      case 'broadcastTo': {
        if (rank >= MAX_RANK) {
          instrs.push({ op: 'unary', fn: 'leakyRelu' });
          break;
        }
        const lead = (b % 3) + 1;
        const next = [lead, ...shape.map((d, i) => (d === 1 && ((a >> i) & 1) === 1 ? ((b >> 2) % 3) + 1 : d))];
        instrs.push({ op: 'broadcastTo', shape: next });
        shape = next;
        break;
      }
      case 'activation':
        instrs.push({ op: 'activation', fn: ACTIVATION[a % ACTIVATION.length]! });
        break;
      case 'scan':
        if (rank === 0) instrs.push({ op: 'unary', fn: 'atan' });
        else instrs.push({ op: 'scan', fn: SCAN[a % SCAN.length]!, axis: b % rank, exclusive: ((b >> 4) & 1) === 1, reverse: ((b >> 5) & 1) === 1 });
        break;
      case 'flip': {
        // A subset of the axes (bit i of a picks axis i); none flips all of them.
        const axes = shape.map((_, i) => i).filter((i) => ((a >> i) & 1) === 1);
        instrs.push({ op: 'flip', axes });
        break;
      }
      case 'roll':
        if (rank === 0) instrs.push({ op: 'unary', fn: 'asinh' });
        else instrs.push({ op: 'roll', axis: b % rank, shift: (a % 11) - 5 });
        break;
      case 'tile': {
        // Repeats of 1–2 on each axis, at most 2 axes repeated, maybe one extra leading axis; sizes stay small.
        const reps = shape.map((_, i) => (i < 2 && ((a >> i) & 1) === 1 ? 2 : 1));
        if (rank < MAX_RANK && ((b >> 3) & 1) === 1) reps.unshift(2);
        instrs.push({ op: 'tile', reps });
        shape = reps.map((r, i) => r * (i < reps.length - rank ? 1 : shape[i - (reps.length - rank)]!));
        break;
      }
      case 'triangle':
        if (rank < 2) instrs.push({ op: 'unary', fn: 'sinh' });
        else instrs.push({ op: 'triangle', upper: (a & 1) === 1, k: (b % 5) - 2 });
        break;
      case 'stridedSlice': {
        if (rank === 0) {
          instrs.push({ op: 'unary', fn: 'cosh' });
          break;
        }
        // One axis sliced with a step of ±1..±2 and begin/end anywhere in [-d-1, d+1] (Python clamping).
        const axis = a % rank;
        const d = shape[axis]!;
        const step = [1, 2, -1, -2][(a >> 3) % 4]!;
        const at = (v: number): number => (v % (2 * d + 3)) - d - 1;
        const begin = shape.map((_, i) => (i === axis ? at(b) : 0));
        const end = shape.map((s, i) => (i === axis ? at(b >> 6) : s));
        const strides = shape.map((_, i) => (i === axis ? step : 1));
        instrs.push({ op: 'stridedSlice', begin, end, strides });
        shape = [...ref.refStridedSlice(ref.fromFn(shape, 'float32', () => 0), begin, end, strides).shape];
        break;
      }
      case 'interpolate': {
        // [N, C, L] or [N, C, H, W] with every axis non-empty: upsampled by 2 (nearest, linear, bilinear).
        if ((rank !== 3 && rank !== 4) || shape.includes(0)) {
          instrs.push({ op: 'unary', fn: 'atan' });
          break;
        }
        const mode = (a & 1) === 1 ? 'nearest' : rank === 3 ? 'linear' : 'bilinear';
        instrs.push({ op: 'interpolate', mode, scale: 2, alignCorners: mode !== 'nearest' && (b & 1) === 1 });
        shape = shape.map((s, i) => (i >= 2 ? 2 * s : s));
        break;
      }
      case 'sort': {
        // sort (values) along an axis, or topk's values when bit 2 of a is set.
        if (rank === 0) {
          instrs.push({ op: 'unary', fn: 'tanh' });
          break;
        }
        const axis = b % rank;
        const k = ((a >> 2) & 1) === 1 ? (b >> 4) % (shape[axis]! + 1) : null;
        instrs.push({ op: 'sort', axis, descending: (a & 1) === 1, k });
        if (k !== null) shape = shape.map((d, i) => (i === axis ? k : d));
        break;
      }
    }
  }
  return { inputs, instrs, dataSeed: spec.dataSeed };
}

/** mulberry32: a small seeded generator for input values and cotangents. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The values of each input and of the cotangent, rounded to float32 so every side starts from the same numbers. */
export function programData(p: Program, outShape: readonly number[]): { inputs: Float32Array[]; cotangent: Float32Array } {
  const rnd = prng(p.dataSeed);
  const inputs = p.inputs.map((inp) => {
    const n = ref.sizeOfShape(inp.shape);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const u = rnd();
      data[i] = inp.values === 'signed' ? 4 * u - 2 : (u < 0.5 ? -1 : 1) * (0.5 + 3 * Math.abs(u - 0.5));
    }
    return data;
  });
  const m = ref.sizeOfShape(outShape);
  const cotangent = new Float32Array(m);
  for (let i = 0; i < m; i++) cotangent[i] = 2 * rnd() - 1;
  return { inputs, cotangent };
}

/** How close the reference run came to a kink (relu/abs at 0, a max/min tie), ignoring exact zeros. */
interface RefTrace {
  out: NDArray;
  maxAbs: number;
  kink: number;
}

function noteKink(trace: { kink: number }, d: number): void {
  const a = Math.abs(d);
  if (a > 0 && a < trace.kink) trace.kink = a;
}

/** The float64 scan of one 'scan' instruction. */
function refScanOf(ins: Extract<Instr, { op: 'scan' }>, x: NDArray): NDArray {
  const opts = { exclusive: ins.exclusive, reverse: ins.reverse };
  if (ins.fn === 'cumsum') return ref.refScan(x, ins.axis, (acc, v) => acc + v, 0, opts);
  if (ins.fn === 'cumprod') return ref.refScan(x, ins.axis, (acc, v) => acc * v, 1, opts);
  const logAddExp = (acc: number, v: number): number => {
    const m = Math.max(acc, v);
    return m === -Infinity ? -Infinity : m + Math.log(Math.exp(acc - m) + Math.exp(v - m));
  };
  return ref.refScan(x, ins.axis, logAddExp, -Infinity, opts);
}

/** Runs the program on the float64 reference; `trace` collects magnitudes and kink distances. */
export function runReference(p: Program, xs: readonly NDArray[]): RefTrace {
  const trace = { maxAbs: 0, kink: Infinity };
  let cur = xs[0]!;
  const seen = (x: NDArray): NDArray => {
    for (const v of x.data) if (Math.abs(v) > trace.maxAbs || Number.isNaN(v)) trace.maxAbs = Number.isNaN(v) ? Infinity : Math.abs(v);
    return x;
  };
  seen(cur);
  for (const ins of p.instrs) {
    switch (ins.op) {
      case 'unary':
        if (ins.fn === 'relu' || ins.fn === 'abs' || ins.fn === 'leakyRelu') for (const v of cur.data) noteKink(trace, v);
        cur = ref.refUnary(ins.fn, cur);
        break;
      case 'binary': {
        const other = xs[ins.input]!;
        if (ins.fn === 'maximum' || ins.fn === 'minimum') for (const v of ref.refBinary('sub', cur, other).data) noteKink(trace, v);
        const apply = (u: NDArray, v: NDArray): NDArray => (ins.fn === 'squaredDifference' ? ref.refSquaredDifference(u, v) : ref.refBinary(ins.fn, u, v));
        cur = ins.swap ? apply(other, cur) : apply(cur, other);
        break;
      }
      case 'matmul':
        cur = ref.refMatmul(cur, xs[ins.input]!, false, ins.transposeB);
        break;
      case 'reduce': {
        if (ins.fn === 'max' || ins.fn === 'min') {
          const ext = ref.refReduce(ins.fn, cur, ins.axis, true);
          const gaps = ref.refBinary('sub', cur, ext);
          // Distances of every other element to its lane's extreme (the extreme itself is at distance 0).
          for (const v of gaps.data) noteKink(trace, v);
          // An exact tie of two elements at the extreme is a kink at distance 0 that moves: mark it.
          const extremes = ref.refReduce('sum', ref.refBinary('equal', cur, ext), ins.axis);
          if (extremes.data.some((c) => c > 1)) trace.kink = 0;
        }
        cur = ref.refReduce(ins.fn, cur, ins.axis, ins.keepDims);
        break;
      }
      case 'softmax':
        cur = ref.refSoftmax(cur, ins.axis);
        break;
      case 'logSoftmax':
        cur = ref.refLogSoftmax(cur, ins.axis);
        break;
      case 'transpose':
        cur = ref.refTranspose(cur, ins.perm);
        break;
      case 'reshape':
        cur = ref.refReshape(cur, ins.shape);
        break;
      case 'expandDims':
        cur = ref.refExpandDims(cur, ins.axis);
        break;
      case 'squeeze':
        cur = ref.refSqueeze(cur, [ins.axis]);
        break;
      case 'slice':
        cur = ref.refSlice(cur, ins.begin, ins.size);
        break;
      case 'concat':
        cur = ref.refConcat([cur, xs[ins.input]!], ins.axis);
        break;
      case 'pad':
        cur = ref.refPad(cur, ins.paddings);
        break;
      case 'broadcastTo':
        cur = ref.refBroadcastTo(cur, ins.shape);
        break;
      case 'activation':
        if (ins.fn === 'selu') for (const v of cur.data) noteKink(trace, v);
        cur = ref.refActivation(ins.fn, cur);
        break;
      case 'scan':
        cur = refScanOf(ins, cur);
        break;
      case 'flip':
        cur = ref.refFlip(cur, ins.axes.length === 0 ? cur.shape.map((_, i) => i) : ins.axes);
        break;
      case 'roll':
        cur = ref.refRoll(cur, [ins.shift], [ins.axis]);
        break;
      case 'tile':
        cur = ref.refTile(cur, ins.reps);
        break;
      case 'triangle':
        cur = ref.refTriangle(cur, ins.upper ? (d) => d >= ins.k : (d) => d <= ins.k);
        break;
      case 'stridedSlice':
        cur = ref.refStridedSlice(cur, ins.begin, ins.end, ins.strides);
        break;
      case 'interpolate':
        cur = ref.refInterpolate(cur, { scaleFactor: ins.scale, mode: ins.mode, ...(ins.mode === 'nearest' ? {} : { alignCorners: ins.alignCorners }) });
        break;
      case 'sort': {
        // Two equal values in a lane swap places under a small change: a kink at distance 0.
        const sorted = ref.refSort(cur, ins.axis);
        const d = cur.shape[ins.axis]!;
        const stride = cur.shape.slice(ins.axis + 1).reduce((p, n) => p * n, 1);
        for (let i = 0; i < sorted.data.length; i++) {
          const at = Math.floor(i / stride) % d;
          if (at > 0) noteKink(trace, sorted.data[i]! - sorted.data[i - stride]!);
          if (at > 0 && sorted.data[i] === sorted.data[i - stride]) trace.kink = 0;
        }
        cur = ins.k === null ? ref.refSort(cur, ins.axis, ins.descending) : ref.refTopk(cur, ins.k, ins.axis, !ins.descending)[0];
        break;
      }
    }
    seen(cur);
  }
  return { out: cur, ...trace };
}

/** Builds input `i` as a tensor with its layout: a transposed view of a permuted tensor, or a slice of a larger one. */
function makeInput(inp: InputSpec, data: Float32Array): sn.Tensor {
  const shape = [...inp.shape];
  const r = shape.length;
  if (inp.layout === 'transposed' && r >= 2) {
    // Stored with the last two axes swapped, then transposed back to the logical shape.
    const perm = Array.from({ length: r }, (_, i) => (i === r - 2 ? r - 1 : i === r - 1 ? r - 2 : i));
    const stored = ref.refTranspose(ref.nd(shape, data), perm);
    return sn.transpose(sn.tensor(Float32Array.from(stored.data), perm.map((p) => shape[p]!)), perm);
  }
  if (inp.layout === 'sliced' && r >= 1) {
    // Stored inside a larger tensor (one more row and column of junk on each sliced axis), then sliced out.
    const big = shape.map((d) => d + 2);
    const store = ref.fromFn(big, 'float32', (flat) => {
      const idx = ref.unravel(flat, big);
      return idx.every((v, i) => v >= 1 && v <= shape[i]!) ? data[ref.ravel(idx.map((v) => v - 1), shape)]! : 1e30;
    });
    return sn.slice(sn.tensor(Float32Array.from(store.data), big), shape.map(() => 1), shape);
  }
  return sn.tensor(data, shape);
}

/** Runs the program with core's ops on the active backend. */
export function runCore(p: Program, xs: readonly sn.Tensor[]): sn.Tensor {
  let cur = xs[0]!;
  for (const ins of p.instrs) {
    switch (ins.op) {
      case 'unary':
        cur = sn[ins.fn](cur);
        break;
      case 'binary': {
        const other = xs[ins.input]!;
        cur = ins.swap ? sn[ins.fn](other, cur) : sn[ins.fn](cur, other);
        break;
      }
      case 'matmul':
        cur = sn.matmul(cur, xs[ins.input]!, { transposeB: ins.transposeB });
        break;
      case 'reduce':
        cur = sn[ins.fn](cur, ins.axis, ins.keepDims);
        break;
      case 'softmax':
        cur = sn.softmax(cur, ins.axis);
        break;
      case 'logSoftmax':
        cur = sn.logSoftmax(cur, ins.axis);
        break;
      case 'transpose':
        cur = sn.transpose(cur, ins.perm);
        break;
      case 'reshape':
        cur = sn.reshape(cur, ins.shape);
        break;
      case 'expandDims':
        cur = sn.expandDims(cur, ins.axis);
        break;
      case 'squeeze':
        cur = sn.squeeze(cur, ins.axis);
        break;
      case 'slice':
        cur = sn.slice(cur, ins.begin, ins.size);
        break;
      case 'concat':
        cur = sn.concat([cur, xs[ins.input]!], ins.axis);
        break;
      case 'pad':
        cur = sn.pad(cur, ins.paddings);
        break;
      case 'broadcastTo':
        cur = sn.broadcastTo(cur, ins.shape);
        break;
      case 'activation':
        cur = sn[ins.fn](cur);
        break;
      case 'scan':
        cur = sn[ins.fn](cur, ins.axis, { exclusive: ins.exclusive, reverse: ins.reverse });
        break;
      case 'flip':
        cur = sn.flip(cur, ins.axes.length === 0 ? undefined : ins.axes);
        break;
      case 'roll':
        cur = sn.roll(cur, ins.shift, ins.axis);
        break;
      case 'tile':
        cur = sn.tile(cur, ins.reps);
        break;
      case 'triangle':
        cur = ins.upper ? sn.triu(cur, ins.k) : sn.tril(cur, ins.k);
        break;
      case 'stridedSlice':
        cur = sn.stridedSlice(cur, ins.begin, ins.end, ins.strides);
        break;
      case 'interpolate':
        cur = sn.interpolate(cur, { scaleFactor: ins.scale, mode: ins.mode, ...(ins.mode === 'nearest' ? {} : { alignCorners: ins.alignCorners }) });
        break;
      case 'sort':
        cur = ins.k === null ? sn.sort(cur, { axis: ins.axis, descending: ins.descending }) : sn.topk(cur, ins.k, { axis: ins.axis, largest: !ins.descending }).values;
        break;
    }
  }
  return cur;
}

/** A program as readable lines: the minimised graph of a report. */
export function formatProgram(p: Program): string {
  const lines = p.inputs.map((inp, i) => `  x${i} = input [${inp.shape.join(',')}] ${inp.layout}${inp.values === 'denominator' ? ' ±[0.5,2]' : ''}`);
  p.instrs.forEach((ins, i) => {
    const prev = i === 0 ? 'x0' : `v${i - 1}`;
    const { op, ...rest } = ins;
    const args = Object.entries(rest).map(([k, v]) => (k === 'input' ? `x${String(v)}` : `${k}=${JSON.stringify(v)}`));
    lines.push(`  v${i} = ${op}(${[prev, ...args].join(', ')})`);
  });
  return `data seed ${p.dataSeed}\n${lines.join('\n')}`;
}

/** Tolerances: |got - want| ≤ atol·scale + rtol·|want|, NaN matches NaN and infinities match exactly. */
export interface Tolerance {
  readonly rtol: number;
  readonly atol: number;
}

function firstMismatch(got: ArrayLike<number>, want: ArrayLike<number>, tol: Tolerance, scale: number, only?: readonly number[]): string | null {
  if (got.length !== want.length) return `length ${got.length} vs ${want.length}`;
  for (const i of only ?? Array.from({ length: got.length }, (_, k) => k)) {
    const g = got[i]!;
    const w = want[i]!;
    if (Number.isNaN(w) && Number.isNaN(g)) continue;
    if (!Number.isFinite(w) || !Number.isFinite(g)) {
      if (g === w) continue;
      return `[${i}] got ${g}, want ${w}`;
    }
    if (Math.abs(g - w) > tol.atol * scale + tol.rtol * Math.abs(w)) return `[${i}] got ${g}, want ${w} (diff ${Math.abs(g - w).toExponential(2)})`;
  }
  return null;
}

function maxAbsOf(xs: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < xs.length; i++) {
    const v = Math.abs(xs[i]!);
    if (Number.isFinite(v) && v > m) m = v;
  }
  return m;
}

/** The outcome of one program on every backend: null when all agree, else what disagreed and where. */
export interface GraphOutcome {
  readonly skipped?: string;
  readonly failure?: string;
}

export const FORWARD_TOL: Tolerance = { rtol: 1e-3, atol: 5e-4 };
export const GRAD_TOL: Tolerance = { rtol: 1e-2, atol: 2e-3 };
export const CROSS_GRAD_TOL: Tolerance = { rtol: 2e-3, atol: 1e-3 };

/** Values above this anywhere in the reference run make the program too ill-conditioned to compare in float32. */
const MAX_MAGNITUDE = 1e4;

/**
 * Runs the program on the reference and on each backend: forward values against the reference;
 * gradients (of Σ out·cotangent, via core's `grad`) of every input against the first backend's, and a
 * few entries of input 0's and the last input's against the reference's central differences — gradient
 * checks are left out where the reference run passes within 1e-3 of a kink.
 */
export async function checkProgram(p: Program, backends: readonly string[], options: CheckOptions = {}): Promise<GraphOutcome> {
  const zeroData = programData(p, []);
  const refXs = p.inputs.map((inp, i) => ref.nd(inp.shape, zeroData.inputs[i]!));
  let trace: RefTrace;
  try {
    trace = runReference(p, refXs);
  } catch (e) {
    return { failure: `the reference rejected the program (a generator bug): ${String(e)}` };
  }
  if (trace.maxAbs > MAX_MAGNITUDE) return { skipped: 'magnitude' };
  const { inputs, cotangent } = programData(p, trace.out.shape);
  const refOut = trace.out.data;
  const refGradFn = (...xs: NDArray[]): NDArray => runReference(p, xs).out;
  const smooth = trace.kink >= 1e-3;
  const cot = ref.nd(trace.out.shape, cotangent);
  const checked = [...new Set([0, p.inputs.length - 1])];
  const numeric = new Map<number, { grad: Float64Array; only: number[] }>();
  if (smooth) {
    for (const which of checked) {
      const n = refXs[which]!.data.length;
      const only = n === 0 ? [] : [0, Math.floor(n / 2), n - 1].filter((v, i, arr) => arr.indexOf(v) === i);
      numeric.set(which, { grad: numericGradient(refGradFn, refXs, [cot], which, only).data, only });
    }
  }
  const scale = Math.max(1, trace.maxAbs);
  let firstGrads: Float32Array[] | null = null;
  const firstName = backends[0];
  for (const name of backends) {
    await sn.setBackend(name);
    let results: sn.Tensor[];
    try {
      results = sn.tidy(() => {
        const xs = p.inputs.map((inp, i) => makeInput(inp, inputs[i]!));
        const outShape = trace.out.shape;
        const c = sn.tensor(cotangent, [...outShape]);
        const out = runCore(p, xs);
        const grads = sn.grad((...args: sn.Tensor[]) => sn.sum(sn.mul(runCore(p, args), c)))(...xs);
        return [out, ...grads];
      });
    } catch (e) {
      return { failure: `${name}: core threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}` };
    }
    try {
      const [out, ...grads] = results;
      if (!sn.shapesEqual(out!.shape, trace.out.shape)) return { failure: `${name}: output shape [${out!.shape.join(',')}], reference [${trace.out.shape.join(',')}]` };
      const got = (await out!.data()) as Float32Array;
      const fwd = firstMismatch(got, refOut, FORWARD_TOL, scale);
      if (fwd) return { failure: `${name}: forward value ${fwd} (scale ${scale.toPrecision(3)})` };
      const gradData = await Promise.all(grads.map(async (g) => (await g.data()) as Float32Array));
      for (const [which, { grad, only }] of numeric) {
        const g = gradData[which]!;
        const bad = firstMismatch(g, grad, GRAD_TOL, Math.max(1, maxAbsOf(grad), maxAbsOf(g)), only);
        if (bad) return { failure: `${name}: gradient of x${which} vs reference central differences ${bad}` };
      }
      if (firstGrads && (trace.kink >= 1e-4)) {
        for (let i = 0; i < gradData.length; i++) {
          const bad = firstMismatch(gradData[i]!, firstGrads[i]!, CROSS_GRAD_TOL, Math.max(1, maxAbsOf(firstGrads[i]!)));
          if (bad) return { failure: `${name}: gradient of x${i} vs ${firstName} ${bad}` };
        }
      }
      firstGrads ??= gradData;
      if (options.compiled) {
        const bad = await compiledMismatch(p, inputs, cotangent, trace.out.shape, [got, ...gradData]);
        if (bad) return { failure: `${name}: compiled ${bad}` };
      }
    } finally {
      sn.dispose(results);
    }
  }
  return {};
}

/** Options of {@link checkProgram}. */
export interface CheckOptions {
  /** Also run forward + gradients through `compile` (record, then replay) and compare the replay with eager. */
  compiled?: boolean;
}

/** Compiled against eager: within 1e-6 relative (bitwise where fusion reorders nothing, as on an unfused backend). */
export const COMPILED_RTOL = 1e-6;

/**
 * Runs the program's forward pass and gradients through `compile` on the active backend: a first call
 * records, a second (on fresh copies of the inputs) replays; the replay's values must match `eager`
 * ([forward, ...gradients]) within {@link COMPILED_RTOL}. Returns the first mismatch, or null.
 */
async function compiledMismatch(p: Program, inputs: readonly Float32Array[], cotangent: Float32Array, outShape: readonly number[], eager: readonly Float32Array[]): Promise<string | null> {
  const c = sn.tensor(cotangent, [...outShape]);
  const step = sn.compile((...xs: sn.Tensor[]) => [runCore(p, xs), ...sn.grad((...args: sn.Tensor[]) => sn.sum(sn.mul(runCore(p, args), c)))(...xs)]);
  try {
    for (let call = 0; call < 2; call++) {
      const xs = p.inputs.map((inp, i) => makeInput(inp, inputs[i]!));
      const outs = sn.tidy(() => step(...xs));
      const values = await Promise.all(outs.map(async (t) => (await t.data()) as Float32Array));
      sn.dispose([outs, xs]);
      if (call === 0) continue;
      for (let k = 0; k < eager.length; k++) {
        const bad = firstMismatch(values[k]!, eager[k]!, { rtol: COMPILED_RTOL, atol: 0 }, 0);
        if (bad) return `${k === 0 ? 'forward' : `gradient of x${k - 1}`} vs eager ${bad}`;
      }
    }
    return null;
  } catch (e) {
    return `threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
  } finally {
    step.dispose();
    c.dispose();
  }
}

/** Counts of one fuzz run. */
export interface FuzzStats {
  graphs: number;
  skipped: number;
}

/** A fuzz failure: the seed that reproduces it, fast-check's path, and the shrunk program. */
export class FuzzDisagreement extends Error {
  override name = 'FuzzDisagreement';
  constructor(
    readonly seed: number,
    readonly path: string | undefined,
    readonly program: Program,
    readonly reason: string,
  ) {
    super(`backends disagree (seed ${seed}${path ? `, path ${path}` : ''}): ${reason}\nshrunk graph:\n${formatProgram(program)}\nreproduce: fc.assert(prop, { seed: ${seed}${path ? `, path: '${path}'` : ''} })`);
  }
}

/**
 * Runs `numRuns` random graphs on `backends` with fast-check; resolves with counts, or rejects with a
 * {@link FuzzDisagreement} carrying the seed and the shrunk graph.
 */
export async function fuzz(backends: readonly string[], options: { numRuns: number; seed?: number; maxSteps?: number; compiled?: boolean }): Promise<FuzzStats> {
  const stats: FuzzStats = { graphs: 0, skipped: 0 };
  let lastReason = '';
  const prop = fc.asyncProperty(graphSpecArb(2, options.maxSteps ?? 20), async (spec) => {
    const p = resolve(spec);
    const outcome = await checkProgram(p, backends, { compiled: options.compiled ?? false });
    if (outcome.skipped) {
      stats.skipped++;
      fc.pre(false);
    }
    stats.graphs++;
    if (outcome.failure) {
      lastReason = outcome.failure;
      return false;
    }
    return true;
  });
  const seed = options.seed ?? Date.now() % 2 ** 31;
  const result = await fc.check(prop, { numRuns: options.numRuns, seed, maxSkipsPerRun: 1000 });
  if (result.failed) {
    const spec = result.counterexample?.[0];
    if (!spec) throw new Error(`fuzz failed without a counterexample (seed ${seed}): ${String(result.errorInstance)}`);
    const p = resolve(spec);
    // Re-run the shrunk case to report its own reason (the last one seen may belong to a larger case).
    const again = await checkProgram(p, backends, { compiled: options.compiled ?? false });
    throw new FuzzDisagreement(result.seed, result.counterexamplePath ?? undefined, p, again.failure ?? lastReason);
  }
  return stats;
}
