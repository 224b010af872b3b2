/**
 * PyTorch's scatter family as public ops: `scatter` and `scatterAdd` along an axis, and `indexPut`
 * (advanced-index assignment). Each lowers to rows of a flattened x (ops/scatter-rows.ts): no kernel
 * beyond gather, scatterAdd and where. Gradients flow to x and to the written values.
 */
import { tidy } from '../engine/engine.js';
import { ArgumentError, ShapeError, fmtShape } from '../errors.js';
import { broadcastShapes, isArray, normalizeAxis, sizeOf, stridesOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { add, less, mul, where } from './binary.js';
import { broadcastTo } from './broadcast-to.js';
import { cast } from './cast.js';
import { expectDType, expectTensor } from './convert.js';
import { arange, full } from './creation.js';
import { checkAxisRange, checkNoRepeats, fmtIndex, indexTensor, type IndexInput } from './index-checks.js';
import { reshape } from './reshape.js';
import { scatterAddRows, writeRows } from './scatter-rows.js';
import { slice } from './slicing.js';

const REPEAT_HINT = 'without accumulation repeated targets are an error (PyTorch leaves the result undefined); use scatterAdd or accumulate: true';

/** Checks scatter's shapes (torch.scatter's rules) and returns the values to write: src cut to indices' shape, in x's dtype. */
function scatterSource(op: string, x: Tensor, a: number, indices: Tensor, src: Tensor | number): Tensor {
  if (indices.rank !== x.rank || indices.shape.some((d, i) => i !== a && d > x.shape[i]!)) {
    throw new ShapeError(`${op}: indices ${fmtShape(indices.shape)} must have the rank of x ${fmtShape(x.shape)} and no longer axes than x except axis ${a}`);
  }
  if (typeof src === 'number') return full(indices.shape, src, x.dtype);
  expectTensor(src, op, 'src');
  expectDType(src, [x.dtype], op, 'src');
  if (src.rank !== x.rank || indices.shape.some((d, i) => d > src.shape[i]!)) {
    throw new ShapeError(`${op}: src ${fmtShape(src.shape)} must have the rank of x ${fmtShape(x.shape)} and axes at least as long as indices ${fmtShape(indices.shape)}`);
  }
  return slice(src, indices.shape.map(() => 0), indices.shape);
}

/** The flat position in x of each element of indices: its value along axis `a`, its own coordinate on the other axes. */
function flatTargets(indices: Tensor, xShape: readonly number[], a: number): Tensor {
  const strides = stridesOf(xShape);
  let flat = mul(indices, strides[a]!);
  indices.shape.forEach((d, i) => {
    if (i === a || d <= 1) return;
    const along = reshape(arange(0, d, 1, 'int32'), indices.shape.map((_, j) => (j === i ? d : 1)));
    flat = add(flat, mul(along, strides[i]!));
  });
  return reshape(flat, [indices.size]);
}

/**
 * PyTorch's `scatter` (`x.scatter(axis, indices, src)`): a copy of x with, for every position of
 * int32 `indices` (x's rank, no longer than x off `axis`), out[..., indices[..., i, ...], ...] =
 * src[..., i, ...] along `axis` (src: a number, or a tensor of x's dtype at least as long as indices
 * on every axis). Indices must lie in [0, x.shape[axis]); two indices writing the same element are an
 * ArgumentError (PyTorch leaves that result undefined), on every backend (at the next read on an
 * async-only one). Any dtype; gradients flow to x (where not overwritten) and to src.
 */
export function scatter(x: Tensor, axis: number, indices: Tensor, src: Tensor | number): Tensor {
  const op = 'scatter';
  expectTensor(x, op, 'x');
  const a = normalizeAxis(axis, x.rank, op);
  const idx = indexTensor(indices, op, 'indices');
  return tidy(() => {
    const values = scatterSource(op, x, a, idx, src);
    checkAxisRange(idx, op, x.shape[a]!, `axis ${a} of x ${fmtShape(x.shape)}`);
    const targets = flatTargets(idx, x.shape, a);
    checkNoRepeats(targets, op, (t) => `element ${fmtIndex(t, x.shape)} of x ${fmtShape(x.shape)}`, REPEAT_HINT);
    const out = writeRows(reshape(x, [x.size, 1]), targets, reshape(values, [values.size, 1]), op);
    return reshape(out, x.shape);
  });
}

/**
 * PyTorch's `scatter_add`: a copy of float32 x with src[..., i, ...] added into
 * out[..., indices[..., i, ...], ...] along `axis`; repeated indices add up. Shapes and index range as
 * {@link scatter}. Gradients flow to x and to src.
 */
export function scatterAdd(x: Tensor, axis: number, indices: Tensor, src: Tensor | number): Tensor {
  const op = 'scatterAdd';
  expectTensor(x, op, 'x');
  expectDType(x, ['float32'], op, 'x');
  const a = normalizeAxis(axis, x.rank, op);
  const idx = indexTensor(indices, op, 'indices');
  return tidy(() => {
    const values = scatterSource(op, x, a, idx, src);
    checkAxisRange(idx, op, x.shape[a]!, `axis ${a} of x ${fmtShape(x.shape)}`);
    const added = scatterAddRows(reshape(values, [values.size, 1]), flatTargets(idx, x.shape, a), x.size);
    return add(x, reshape(added, x.shape));
  });
}

/** Options of {@link indexPut}. */
export interface IndexPutOptions {
  /** Add the values into x (repeated targets add up) instead of writing them. Default false. */
  accumulate?: boolean;
}

/**
 * PyTorch's `index_put` (`x[i0, i1, ...] = values`): k ≤ rank int32 index tensors (or arrays), which
 * broadcast together to a shape B, address the sub-tensors x[i0[b], i1[b], ...] (each of shape
 * x.shape[k:]); `values` (a number, or a tensor of x's dtype broadcasting to B + x.shape[k:]) is written
 * there, or added when `accumulate` (float32 x only). An index on axis j may be negative (counting from
 * the end) and must lie in [-x.shape[j], x.shape[j]). Without accumulate, two index positions
 * addressing the same sub-tensor are an ArgumentError on every backend (PyTorch leaves that undefined).
 * Gradients flow to x and to values.
 */
export function indexPut(x: Tensor, indices: readonly IndexInput[], values: Tensor | number, options: IndexPutOptions = {}): Tensor {
  const op = 'indexPut';
  expectTensor(x, op, 'x');
  const accumulate = options.accumulate ?? false;
  if (accumulate) expectDType(x, ['float32'], op, 'x');
  if (!isArray(indices) || indices.length === 0 || indices.length > x.rank) {
    throw new ArgumentError(`${op}: indices must be an array of 1 to ${x.rank} index tensors for x ${fmtShape(x.shape)}, got ${isArray(indices) ? indices.length : String(indices)}`);
  }
  if (typeof values !== 'number') {
    expectTensor(values, op, 'values');
    expectDType(values, [x.dtype], op, 'values');
  }
  const k = indices.length;
  return tidy(() => {
    const idx = indices.map((t, j) => indexTensor(t, op, `indices[${j}]`));
    const b = idx.slice(1).reduce<readonly number[]>((s, t, j) => broadcastShapes(s, t.shape, op, [`indices[0..${j}]`, `indices[${j + 1}]`]), idx[0]!.shape);
    idx.forEach((t, j) => checkAxisRange(t, op, x.shape[j]!, `axis ${j} of x ${fmtShape(x.shape)} (indices[${j}])`, true));
    const lead = x.shape.slice(0, k);
    const rest = x.shape.slice(k);
    const strides = stridesOf(lead);
    const lin = idx
      .map((t, j) => mul(where(less(t, 0), add(t, x.shape[j]!), t), strides[j]!))
      .reduce((s, t) => add(s, t));
    const targets = reshape(broadcastTo(lin, b), [sizeOf(b)]);
    const want = [...b, ...rest];
    const v = typeof values === 'number' ? full(want, values, x.dtype) : values;
    let vb: Tensor;
    try {
      vb = broadcastTo(v, want);
    } catch {
      throw new ShapeError(`${op}: values ${fmtShape(v.shape)} do not broadcast to the indexed shape ${fmtShape(want)} (indices broadcast to ${fmtShape(b)}, x ${fmtShape(x.shape)})`);
    }
    const rows = reshape(vb, [sizeOf(b), sizeOf(rest)]);
    const x2 = reshape(x, [sizeOf(lead), sizeOf(rest)]);
    if (accumulate) return reshape(add(x2, scatterAddRows(cast(rows, 'float32'), targets, sizeOf(lead))), x.shape);
    checkNoRepeats(targets, op, (t) => `x[${fmtIndex(t, lead).slice(1, -1)}${rest.length > 0 ? ',...' : ''}] of x ${fmtShape(x.shape)}`, REPEAT_HINT);
    return reshape(writeRows(x2, targets, rows, op), x.shape);
  });
}
