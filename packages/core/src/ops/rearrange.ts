/**
 * Shape and arrangement ops PyTorch and TensorFlow.js users expect: flip, tile / repeat,
 * repeatInterleave, roll, tril / triu, diag, trace, meshgrid, unstack, outer and dot. Only `flip` is a
 * kernel call of its own (a copy through negative strides); the others compose existing ops, so their
 * gradients follow.
 */
import { recordOp } from '../autograd/tape.js';
import { tidy } from '../engine/engine.js';
import { ArgumentError, ShapeError, fmtShape } from '../errors.js';
import { isArray, normalizeAxes, normalizeAxis, stridesOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { greaterEqual, lessEqual, equal, mul, sub, where } from './binary.js';
import { broadcastTo } from './broadcast-to.js';
import { expectTensor, toTensor, type TensorLike } from './convert.js';
import { arange } from './creation.js';
import { gather } from './indexing.js';
import { runKernel } from './kernel-call.js';
import { matmul } from './matmul.js';
import { sum } from './reduce.js';
import { alias, reshape } from './reshape.js';
import { concat, pad, slice } from './slicing.js';

function checkCounts(op: string, arg: string, values: readonly number[], min: number): void {
  if (!values.every((v) => Number.isInteger(v) && v >= min)) {
    throw new ArgumentError(`${op}: ${arg} must be integers ≥ ${min}, got [${values.join(', ')}]`);
  }
}

/** Reverses x along `axes` (all axes by default), as PyTorch's `flip` and TensorFlow.js's `reverse`. */
export function flip(x: Tensor, axes?: number | readonly number[]): Tensor {
  expectTensor(x, 'flip', 'x');
  const ax = normalizeAxes(axes, x.rank, 'flip');
  if (ax.every((a) => x.shape[a]! <= 1)) return alias(x);
  const xs = stridesOf(x.shape);
  const strides = xs.map((s, i) => (ax.includes(i) ? -s : s));
  const offset = ax.reduce((o, a) => o + (x.shape[a]! - 1) * xs[a]!, 0);
  const view = { shape: x.shape, strides, offset };
  const y = runKernel('flip', [x], ['x'], x.shape, x.dtype, (b, [r]) => b.copy(r!, view));
  recordOp('flip', [x], y, { axes: ax });
  return y;
}

/** TensorFlow.js's name for {@link flip}. */
export const reverse = flip;

/**
 * Repeats x `reps[i]` times along each axis (TensorFlow.js `tile`, NumPy `tile`, PyTorch
 * `Tensor.repeat`). A `reps` longer than the rank adds leading axes; a shorter one leaves the leading
 * axes alone.
 */
export function tile(x: Tensor, reps: readonly number[]): Tensor {
  expectTensor(x, 'tile', 'x');
  if (!isArray(reps)) throw new ArgumentError(`tile: reps must be an array of counts, got ${String(reps)}`);
  checkCounts('tile', 'reps', reps, 0);
  const rank = Math.max(reps.length, x.rank);
  const shape = [...new Array<number>(rank - x.rank).fill(1), ...x.shape];
  const r = [...new Array<number>(rank - reps.length).fill(1), ...reps];
  return tidy(() => {
    // [d0, d1, ...] → [1, d0, 1, d1, ...] → broadcast to [r0, d0, r1, d1, ...] → [r0·d0, r1·d1, ...].
    const spread = reshape(x, shape.flatMap((d) => [1, d]));
    const wide = broadcastTo(spread, shape.flatMap((d, i) => [r[i]!, d]));
    return reshape(wide, shape.map((d, i) => d * r[i]!));
  });
}

/** PyTorch's `Tensor.repeat`: {@link tile} under its name. */
export const repeat = tile;

/**
 * Repeats each element (or slice along `axis`) `repeats` times in place, as PyTorch's
 * `repeat_interleave`: `repeats` is one count or one count per slice. Without an axis, x is flattened first.
 */
export function repeatInterleave(x: Tensor, repeats: number | readonly number[], axis?: number): Tensor {
  expectTensor(x, 'repeatInterleave', 'x');
  return tidy(() => {
    const src = axis === undefined ? reshape(x, [x.size]) : x;
    const a = axis === undefined ? 0 : normalizeAxis(axis, x.rank, 'repeatInterleave');
    const n = src.shape[a]!;
    const counts = typeof repeats === 'number' ? new Array<number>(n).fill(repeats) : [...repeats];
    checkCounts('repeatInterleave', 'repeats', counts, 0);
    if (counts.length !== n) {
      throw new ArgumentError(`repeatInterleave: repeats has ${counts.length} counts for ${n} slices along axis ${a} of x ${fmtShape(src.shape)}`);
    }
    const indices = counts.flatMap((c, i) => new Array<number>(c).fill(i));
    return gather(src, indices, a);
  });
}

/**
 * Shifts elements along `axes` by `shifts` (positions wrap around), as PyTorch's and TensorFlow.js's
 * `roll`. Without axes, x is flattened, rolled and reshaped back.
 */
export function roll(x: Tensor, shifts: number | readonly number[], axes?: number | readonly number[]): Tensor {
  expectTensor(x, 'roll', 'x');
  const shiftList = typeof shifts === 'number' ? [shifts] : [...shifts];
  if (!shiftList.every(Number.isInteger)) throw new ArgumentError(`roll: shifts must be integers, got [${shiftList.join(', ')}]`);
  if (axes === undefined) {
    if (shiftList.length !== 1) throw new ArgumentError(`roll: without axes, shifts must be one number, got [${shiftList.join(', ')}]`);
    return tidy(() => reshape(roll(reshape(x, [x.size]), shiftList[0]!, 0), x.shape));
  }
  const axisList = typeof axes === 'number' ? [axes] : [...axes];
  if (axisList.length !== shiftList.length) {
    throw new ArgumentError(`roll: ${shiftList.length} shifts for ${axisList.length} axes; give one shift per axis`);
  }
  return tidy(() => {
    let y = x;
    axisList.forEach((axis, i) => {
      const a = normalizeAxis(axis, x.rank, 'roll');
      const d = x.shape[a]!;
      if (d === 0) return;
      const s = ((shiftList[i]! % d) + d) % d;
      if (s === 0) return;
      const begin = (at: number) => x.shape.map((_, j) => (j === a ? at : 0));
      const size = (len: number) => x.shape.map((dj, j) => (j === a ? len : dj));
      y = concat([slice(y, begin(d - s), size(s)), slice(y, begin(0), size(d - s))], a);
    });
    return y === x ? alias(x) : y;
  });
}

/** The diagonal mask of the last two axes of `shape`: column − row compared with k by `test`. */
function diagonalMask(op: string, x: Tensor, k: number, test: (d: Tensor, k: number) => Tensor): Tensor {
  if (x.rank < 2) throw new ShapeError(`${op}: x must have at least 2 dimensions, got ${fmtShape(x.shape)}`);
  if (!Number.isInteger(k)) throw new ArgumentError(`${op}: diagonal must be an integer, got ${k}`);
  const m = x.shape[x.rank - 2]!;
  const n = x.shape[x.rank - 1]!;
  const offset = sub(reshape(arange(0, n, 1, 'int32'), [1, n]), reshape(arange(0, m, 1, 'int32'), [m, 1]));
  return test(offset, k);
}

/** The lower triangle of the last two axes (on and below diagonal k; PyTorch `tril`); the rest is 0. */
export function tril(x: Tensor, k = 0): Tensor {
  expectTensor(x, 'tril', 'x');
  return tidy(() => where(diagonalMask('tril', x, k, lessEqual), x, 0));
}

/** The upper triangle of the last two axes (on and above diagonal k; PyTorch `triu`); the rest is 0. */
export function triu(x: Tensor, k = 0): Tensor {
  expectTensor(x, 'triu', 'x');
  return tidy(() => where(diagonalMask('triu', x, k, greaterEqual), x, 0));
}

/**
 * PyTorch's `diag`: a 1-D x becomes the square matrix with x on diagonal k (0 elsewhere); a 2-D x gives
 * its diagonal k as a 1-D tensor.
 */
export function diag(x: Tensor, k = 0): Tensor {
  expectTensor(x, 'diag', 'x');
  if (!Number.isInteger(k)) throw new ArgumentError(`diag: diagonal must be an integer, got ${k}`);
  return tidy(() => {
    if (x.rank === 1) {
      const len = x.shape[0]!;
      const n = len + Math.abs(k);
      // The value on row i (k ≥ 0) or column j (k < 0), padded to n, broadcast against the diagonal mask.
      const padded = pad(x, [[0, Math.abs(k)]]);
      const values = k >= 0 ? reshape(padded, [n, 1]) : reshape(padded, [1, n]);
      const onDiagonal = equal(sub(reshape(arange(0, n, 1, 'int32'), [1, n]), reshape(arange(0, n, 1, 'int32'), [n, 1])), k);
      return where(onDiagonal, broadcastTo(values, [n, n]), 0);
    }
    if (x.rank !== 2) throw new ShapeError(`diag: x must be 1-D or 2-D, got ${fmtShape(x.shape)}`);
    const [m, n] = x.shape as [number, number];
    const rows = Math.max(0, Math.min(m, n - k) - Math.max(0, -k));
    const indices = Array.from({ length: rows }, (_, i) => (i + Math.max(0, -k)) * n + i + Math.max(0, -k) + k);
    return gather(reshape(x, [m * n]), indices, 0);
  });
}

/** The sum of the main diagonal of a 2-D x. */
export function trace(x: Tensor): Tensor {
  expectTensor(x, 'trace', 'x');
  if (x.rank !== 2) throw new ShapeError(`trace: x must be 2-D, got ${fmtShape(x.shape)}`);
  return tidy(() => sum(diag(x)));
}

/** Options of {@link meshgrid}. */
export interface MeshgridOptions {
  /** 'xy' (default, NumPy and TensorFlow.js: the first two outputs are [len(y), len(x)]) or 'ij' (matrix indexing, PyTorch's default). */
  indexing?: 'xy' | 'ij';
}

/** Coordinate grids from 1-D tensors: one output per input, each of the grid's shape. */
export function meshgrid(xs: readonly TensorLike[], options: MeshgridOptions = {}): Tensor[] {
  const indexing = options.indexing ?? 'xy';
  if (indexing !== 'xy' && indexing !== 'ij') throw new ArgumentError(`meshgrid: indexing must be 'xy' or 'ij', got '${String(indexing)}'`);
  const ts = xs.map((x, i) => {
    const t = toTensor(x, 'meshgrid', `xs[${i}]`, 'float32');
    if (t.rank !== 1) throw new ShapeError(`meshgrid: xs[${i}] must be 1-D, got ${fmtShape(t.shape)}`);
    return t;
  });
  const lengths = ts.map((t) => t.shape[0]!);
  if (indexing === 'xy' && ts.length >= 2) [lengths[0], lengths[1]] = [lengths[1]!, lengths[0]!];
  return ts.map((t, i) => {
    const axis = indexing === 'xy' && i < 2 && ts.length >= 2 ? 1 - i : i;
    const shape = lengths.map((_, j) => (j === axis ? t.shape[0]! : 1));
    return broadcastTo(reshape(t, shape), lengths);
  });
}

/** Splits x along `axis` into its slices, each without that axis (TensorFlow.js `unstack`, PyTorch `unbind`). */
export function unstack(x: Tensor, axis = 0): Tensor[] {
  expectTensor(x, 'unstack', 'x');
  const a = normalizeAxis(axis, x.rank, 'unstack');
  const outShape = x.shape.filter((_, i) => i !== a);
  return Array.from({ length: x.shape[a]! }, (_, i) =>
    tidy(() => reshape(slice(x, x.shape.map((_, j) => (j === a ? i : 0)), x.shape.map((d, j) => (j === a ? 1 : d))), outShape)),
  );
}

/** The outer product of two 1-D tensors: [n] ⊗ [m] → [n, m]. */
export function outer(a: TensorLike, b: TensorLike): Tensor {
  const ta = toTensor(a, 'outer', 'a', 'float32');
  const tb = toTensor(b, 'outer', 'b', 'float32');
  if (ta.rank !== 1 || tb.rank !== 1) throw new ShapeError(`outer: a and b must be 1-D, got a ${fmtShape(ta.shape)} and b ${fmtShape(tb.shape)}`);
  return tidy(() => mul(reshape(ta, [ta.shape[0]!, 1]), reshape(tb, [1, tb.shape[0]!])));
}

/**
 * The dot product as TensorFlow.js defines it: 1-D · 1-D gives a scalar, 2-D · 1-D and 1-D · 2-D a
 * vector, 2-D · 2-D the matrix product.
 */
export function dot(a: TensorLike, b: TensorLike): Tensor {
  const ta = toTensor(a, 'dot', 'a', 'float32');
  const tb = toTensor(b, 'dot', 'b', 'float32');
  if (ta.rank < 1 || ta.rank > 2 || tb.rank < 1 || tb.rank > 2) {
    throw new ShapeError(`dot: a and b must be 1-D or 2-D, got a ${fmtShape(ta.shape)} and b ${fmtShape(tb.shape)}`);
  }
  const k = ta.shape[ta.rank - 1]!;
  if (tb.shape[0] !== k) throw new ShapeError(`dot: inner dimensions differ: a ${fmtShape(ta.shape)} and b ${fmtShape(tb.shape)}`);
  return tidy(() => {
    const a2 = ta.rank === 1 ? reshape(ta, [1, k]) : ta;
    const b2 = tb.rank === 1 ? reshape(tb, [k, 1]) : tb;
    const y = matmul(a2, b2);
    const shape = [...(ta.rank === 2 ? [ta.shape[0]!] : []), ...(tb.rank === 2 ? [tb.shape[1]!] : [])];
    return reshape(y, shape);
  });
}
