import { promoteTypes } from '../dtype.js';
import { tidy } from '../engine/engine.js';
import { ArgumentError, ShapeError, fmtShape } from '../errors.js';
import { recordOp } from '../autograd/tape.js';
import { normalizeAxis, stridesOf, isArray } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { expectTensor } from './convert.js';
import { runKernel } from './kernel-call.js';
import { alias, expandDims } from './reshape.js';

/**
 * A block of x starting at `begin` with `size` elements per axis (-1 = to the end).
 * `begin` / `size` may be shorter than the rank: the remaining axes are taken whole.
 */
export function slice(x: Tensor, begin: readonly number[], size?: readonly number[]): Tensor {
  expectTensor(x, 'slice', 'x');
  if (!isArray(begin) || begin.length > x.rank) {
    throw new ArgumentError(`slice: begin [${String(begin)}] must be an array of at most ${x.rank} indices for x ${fmtShape(x.shape)}`);
  }
  if (size !== undefined && (!isArray(size) || size.length > x.rank)) {
    throw new ArgumentError(`slice: size [${String(size)}] must be an array of at most ${x.rank} sizes for x ${fmtShape(x.shape)}`);
  }
  const b = x.shape.map((_, i) => begin[i] ?? 0);
  const s = x.shape.map((d, i) => {
    const want = size?.[i] ?? -1;
    return want === -1 ? d - b[i]! : want;
  });
  x.shape.forEach((d, i) => {
    const bi = b[i]!;
    const si = s[i]!;
    if (!Number.isInteger(bi) || !Number.isInteger(si) || bi < 0 || si < 0 || bi + si > d) {
      throw new ArgumentError(`slice: begin [${b.join(',')}] and size [${s.join(',')}] fall outside x ${fmtShape(x.shape)} on axis ${i}`);
    }
  });
  if (s.every((si, i) => si === x.shape[i])) return alias(x);
  const xs = stridesOf(x.shape);
  const view = { shape: s, strides: xs, offset: b.reduce((o, bi, i) => o + bi * xs[i]!, 0) };
  const y = runKernel('slice', [x], ['x'], s, x.dtype, (be, [r]) => be.copy(r!, view));
  recordOp('slice', [x], y, { begin: b });
  return y;
}

/** Pads each axis with `[before, after]` elements of `value`. */
export function pad(x: Tensor, paddings: readonly (readonly [number, number])[], value = 0): Tensor {
  expectTensor(x, 'pad', 'x');
  if (!isArray(paddings) || paddings.length !== x.rank) {
    throw new ArgumentError(`pad: paddings must have one [before, after] pair per axis of x ${fmtShape(x.shape)} (${x.rank}), got ${JSON.stringify(paddings)}`);
  }
  for (const p of paddings) {
    if (!isArray(p) || p.length !== 2 || !p.every((v) => Number.isInteger(v) && v >= 0)) {
      throw new ArgumentError(`pad: each padding must be a pair of non-negative integers, got ${JSON.stringify(p)}`);
    }
  }
  if (paddings.every(([a, b]) => a === 0 && b === 0)) return alias(x);
  const outShape = x.shape.map((d, i) => d + paddings[i]![0] + paddings[i]![1]);
  const y = runKernel('pad', [x], ['x'], outShape, x.dtype, (b, [r]) => b.pad(r!, paddings, value));
  recordOp('pad', [x], y, { paddings });
  return y;
}

/** Joins tensors along an existing axis. Dtypes are promoted to a common one. */
export function concat(xs: readonly Tensor[], axis = 0): Tensor {
  if (!isArray(xs) || xs.length === 0) throw new ArgumentError('concat: xs must be a non-empty array of tensors');
  xs.forEach((t, i) => expectTensor(t, 'concat', `xs[${i}]`));
  const first = xs[0]!;
  const a = normalizeAxis(axis, first.rank, 'concat');
  xs.forEach((t, i) => {
    if (t.rank !== first.rank || t.shape.some((d, j) => j !== a && d !== first.shape[j])) {
      throw new ShapeError(`concat: xs[${i}] ${fmtShape(t.shape)} does not match xs[0] ${fmtShape(first.shape)} except on axis ${a}`);
    }
  });
  if (xs.length === 1) return alias(first);
  const dtype = xs.map((t) => t.dtype).reduce(promoteTypes);
  return tidy(() => {
    const inputs = xs.map((t) => cast(t, dtype));
    const outShape = [...first.shape];
    outShape[a] = inputs.reduce((n, t) => n + t.shape[a]!, 0);
    const y = runKernel('concat', inputs, inputs.map((_, i) => `xs[${i}]`), outShape, dtype, (b, refs) => b.concat(refs, a, outShape));
    recordOp('concat', inputs, y, { axis: a });
    return y;
  });
}

/** Joins same-shaped tensors along a new axis. */
export function stack(xs: readonly Tensor[], axis = 0): Tensor {
  if (!isArray(xs) || xs.length === 0) throw new ArgumentError('stack: xs must be a non-empty array of tensors');
  xs.forEach((t, i) => {
    expectTensor(t, 'stack', `xs[${i}]`);
    if (t.shape.length !== xs[0]!.shape.length || t.shape.some((d, j) => d !== xs[0]!.shape[j])) {
      throw new ShapeError(`stack: xs[${i}] ${fmtShape(t.shape)} differs from xs[0] ${fmtShape(xs[0]!.shape)}; stacked tensors must share a shape`);
    }
  });
  const a = normalizeAxis(axis, xs[0]!.rank + 1, 'stack');
  return tidy(() => concat(xs.map((t) => expandDims(t, a)), a));
}

/**
 * Splits x along `axis` into `n` equal parts, or into parts of the given sizes
 * (one size may be -1: the rest).
 */
export function split(x: Tensor, numOrSizes: number | readonly number[], axis = 0): Tensor[] {
  expectTensor(x, 'split', 'x');
  const a = normalizeAxis(axis, x.rank, 'split');
  const dim = x.shape[a]!;
  let sizes: number[];
  if (typeof numOrSizes === 'number') {
    if (!Number.isInteger(numOrSizes) || numOrSizes <= 0 || dim % numOrSizes !== 0) {
      throw new ArgumentError(`split: axis ${a} of x ${fmtShape(x.shape)} (size ${dim}) cannot be split into ${numOrSizes} equal parts`);
    }
    sizes = new Array<number>(numOrSizes).fill(dim / numOrSizes);
  } else {
    sizes = [...numOrSizes];
    const free = sizes.indexOf(-1);
    if (free >= 0) sizes[free] = dim - sizes.reduce((s, v, i) => (i === free ? s : s + v), 0);
    if (sizes.some((v) => !Number.isInteger(v) || v < 0) || sizes.reduce((s, v) => s + v, 0) !== dim) {
      throw new ArgumentError(`split: sizes [${numOrSizes.join(',')}] do not add up to axis ${a} of x ${fmtShape(x.shape)} (size ${dim})`);
    }
  }
  let at = 0;
  return sizes.map((n) => {
    const begin = x.shape.map((_, j) => (j === a ? at : 0));
    const size = x.shape.map((d, j) => (j === a ? n : d));
    at += n;
    return slice(x, begin, size);
  });
}
