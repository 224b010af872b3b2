/**
 * Strided slicing with TensorFlow.js's `stridedSlice` semantics (bit masks, negative indices and
 * steps, Python's clamping) and a Python-like form, {@link sliceWithStep}. Both are one copy through a
 * strided view of x (negative strides walk backwards); the gradient scatters dy back into zeros.
 */
import { recordOp } from '../autograd/tape.js';
import type { StridedView } from '../backend/kernel-types.js';
import { ArgumentError, fmtShape } from '../errors.js';
import { isArray, stridesOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { expectTensor } from './convert.js';
import { runKernel } from './kernel-call.js';
import { alias } from './reshape.js';

/** Bit masks of {@link stridedSlice}: bit i refers to entry i of begin / end / strides. */
export interface StridedSliceOptions {
  /** Bit i set: ignore begin[i] and start from the first element in the step's direction. */
  beginMask?: number;
  /** Bit i set: ignore end[i] and run to the last element in the step's direction. */
  endMask?: number;
  /** Bit i set (one bit at most): entry i stands for as many whole axes as the other entries leave. */
  ellipsisMask?: number;
  /** Bit i set: entry i inserts a new axis of size 1 (its begin / end / stride are ignored). */
  newAxisMask?: number;
  /** Bit i set: take the single element at begin[i] and drop the axis (begin[i] must lie inside it). */
  shrinkAxisMask?: number;
}

/** One axis of the result: a run of `size` elements of x's axis `axis` from `start` by `step`, or a new axis (axis -1). */
interface AxisPlan {
  readonly axis: number;
  readonly start: number;
  readonly step: number;
  readonly size: number;
}

const bit = (mask: number, i: number): boolean => ((mask >> i) & 1) === 1;

/** Python's slice clamping of [begin, end) by `step` on an axis of length d; null bounds mean "from / to the end". */
export function clampRange(begin: number | null, end: number | null, step: number, d: number): { start: number; size: number } {
  const norm = (v: number): number => (v < 0 ? v + d : v);
  if (step > 0) {
    const s = begin === null ? 0 : Math.min(Math.max(norm(begin), 0), d);
    const e = end === null ? d : Math.min(Math.max(norm(end), 0), d);
    return { start: s, size: Math.max(0, Math.ceil((e - s) / step)) };
  }
  const s = begin === null ? d - 1 : Math.min(Math.max(norm(begin), -1), d - 1);
  const e = end === null ? -1 : Math.min(Math.max(norm(end), -1), d - 1);
  return { start: s, size: Math.max(0, Math.ceil((s - e) / -step)) };
}

function checkIntegers(op: string, arg: string, values: readonly number[]): void {
  if (!isArray(values) || !values.every((v) => Number.isInteger(v))) {
    throw new ArgumentError(`${op}: ${arg} must be an array of integers, got ${JSON.stringify(values)}`);
  }
}

/**
 * Copies x through a view that reads each of x's elements at most once (a slice, a reversal, a
 * diagonal), recorded so that the gradient scatters dy back. For core's own ops (einsum's diagonals).
 */
export function copyStridedView(x: Tensor, view: StridedView): Tensor {
  const y = runKernel('stridedSlice', [x], ['x'], view.shape, x.dtype, (b, [r]) => b.copy(r!, view));
  recordOp('stridedSlice', [x], y, { view });
  return y;
}

/** Copies x through `plan` (axes of x not in the plan having been taken whole or shrunk into `offset`). */
function copyView(x: Tensor, plan: readonly AxisPlan[], offset: number): Tensor {
  const xs = stridesOf(x.shape);
  const shape = plan.map((p) => p.size);
  const view: StridedView = { shape, strides: plan.map((p) => (p.axis < 0 ? 0 : xs[p.axis]! * p.step)), offset };
  const whole = plan.length === x.rank && plan.every((p, i) => p.axis === i && p.step === 1 && p.start === 0 && p.size === x.shape[i]);
  return whole ? alias(x) : copyStridedView(x, view);
}

/**
 * Extracts a strided slice of x, as TensorFlow.js's `stridedSlice` (NumPy's `x[b0:e0:s0, ...]`): for
 * each entry i, elements begin[i], begin[i] + strides[i], ... up to but excluding end[i]. Negative
 * begin / end count from the axis' end; out-of-range bounds clamp as Python's slicing does; a negative
 * stride walks backwards (begin and end then default to the last and before-the-first element).
 * Entries beyond begin's length take whole axes. The bit masks (see {@link StridedSliceOptions}) add
 * NumPy's `:`, `...`, `None` and integer indexing. Gradients flow back to x.
 * @example stridedSlice(x, [0, -1], [0, 0], [1, -2], { beginMask: 1, endMask: 3 }) // x[:, ::-2]
 */
export function stridedSlice(
  x: Tensor, begin: readonly number[], end: readonly number[], strides?: readonly number[], options: StridedSliceOptions = {},
): Tensor {
  const op = 'stridedSlice';
  expectTensor(x, op, 'x');
  checkIntegers(op, 'begin', begin);
  checkIntegers(op, 'end', end);
  const steps = strides ?? begin.map(() => 1);
  checkIntegers(op, 'strides', steps);
  const n = begin.length;
  if (end.length !== n || steps.length !== n) {
    throw new ArgumentError(`${op}: begin, end and strides must have one entry each, got lengths ${n}, ${end.length} and ${steps.length}`);
  }
  const { beginMask = 0, endMask = 0, ellipsisMask = 0, newAxisMask = 0, shrinkAxisMask = 0 } = options;
  for (const [name, mask] of Object.entries({ beginMask, endMask, ellipsisMask, newAxisMask, shrinkAxisMask })) {
    if (!Number.isInteger(mask) || mask < 0) throw new ArgumentError(`${op}: ${name} must be a non-negative integer bit mask, got ${String(mask)}`);
  }
  const ellipses = [...Array<number>(n).keys()].filter((i) => bit(ellipsisMask, i));
  if (ellipses.length > 1) throw new ArgumentError(`${op}: ellipsisMask may set one bit only, got ${ellipsisMask}`);
  // Entries that consume an axis of x (not the ellipsis, not new axes).
  const consuming = [...Array<number>(n).keys()].filter((i) => !bit(ellipsisMask, i) && !bit(newAxisMask, i)).length;
  if (consuming > x.rank) {
    throw new ArgumentError(`${op}: ${consuming} indexed axes (begin [${begin.join(',')}]) exceed the rank of x ${fmtShape(x.shape)}`);
  }
  const plan: AxisPlan[] = [];
  const xs = stridesOf(x.shape);
  let offset = 0;
  let axis = 0;
  const takeWhole = (count: number): void => {
    for (let k = 0; k < count; k++, axis++) plan.push({ axis, start: 0, step: 1, size: x.shape[axis]! });
  };
  for (let i = 0; i < n; i++) {
    if (bit(ellipsisMask, i)) {
      takeWhole(x.rank - consuming);
    } else if (bit(newAxisMask, i)) {
      plan.push({ axis: -1, start: 0, step: 1, size: 1 });
    } else {
      const d = x.shape[axis]!;
      if (bit(shrinkAxisMask, i)) {
        const at = begin[i]! < 0 ? begin[i]! + d : begin[i]!;
        if (at < 0 || at >= d) {
          throw new ArgumentError(`${op}: index ${begin[i]} (entry ${i}, shrinkAxisMask) is out of range for axis ${axis} of x ${fmtShape(x.shape)} (expected ${-d}..${d - 1})`);
        }
        offset += at * xs[axis]!;
      } else {
        const step = steps[i]!;
        if (step === 0) throw new ArgumentError(`${op}: strides[${i}] must not be 0`);
        const { start, size } = clampRange(bit(beginMask, i) ? null : begin[i]!, bit(endMask, i) ? null : end[i]!, step, d);
        if (size > 0) offset += start * xs[axis]!;
        plan.push({ axis, start, step, size });
      }
      axis++;
    }
  }
  takeWhole(x.rank - axis);
  // An empty result reads nothing: keep the view's offset at 0 so it stays inside x.
  return copyView(x, plan, plan.some((p) => p.size === 0) ? 0 : offset);
}

/** One entry of {@link sliceWithStep}: an index (drops the axis), null (the whole axis), or [start, stop, step] with nulls for defaults. */
export type SliceSpec = number | null | readonly [start?: number | null, stop?: number | null, step?: number | null];

/**
 * Python's basic slicing: `sliceWithStep(x, [[null, null, -1], 2])` is NumPy's `x[::-1, 2]`. Each entry
 * covers one leading axis of x (the rest are taken whole): a number picks one index (negative counts
 * from the end) and drops the axis; null takes the axis whole; [start, stop, step] slices it as Python
 * does (any part null or absent: its default; step ≠ 0). A thin layer over {@link stridedSlice}.
 */
export function sliceWithStep(x: Tensor, spec: readonly SliceSpec[]): Tensor {
  expectTensor(x, 'sliceWithStep', 'x');
  if (!isArray(spec)) throw new ArgumentError(`sliceWithStep: spec must be an array of indices, nulls or [start, stop, step] triples, got ${String(spec)}`);
  const begin: number[] = [];
  const end: number[] = [];
  const steps: number[] = [];
  let beginMask = 0;
  let endMask = 0;
  let shrinkAxisMask = 0;
  spec.forEach((s, i) => {
    if (typeof s === 'number') {
      begin.push(s);
      end.push(s + 1);
      steps.push(1);
      shrinkAxisMask |= 1 << i;
      return;
    }
    if (s !== null && !isArray(s)) {
      throw new ArgumentError(`sliceWithStep: spec[${i}] must be an index, null or [start, stop, step], got ${JSON.stringify(s)}`);
    }
    const [start = null, stop = null, step = null] = s ?? [];
    if (step === 0) throw new ArgumentError(`sliceWithStep: spec[${i}] has step 0; a step must be a non-zero integer`);
    begin.push(start ?? 0);
    end.push(stop ?? 0);
    steps.push(step ?? 1);
    if (start === null) beginMask |= 1 << i;
    if (stop === null) endMask |= 1 << i;
  });
  return stridedSlice(x, begin, end, steps, { beginMask, endMask, shrinkAxisMask });
}
