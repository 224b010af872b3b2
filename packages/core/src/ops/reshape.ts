import { adoptHandle, liveHandle } from '../engine/engine.js';
import { ArgumentError, ShapeError, fmtShape } from '../errors.js';
import { recordOp } from '../autograd/tape.js';
import { normalizeAxes, normalizeAxis, sizeOf, type Shape, isArray } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { expectTensor } from './convert.js';

/** A view of the same data with another shape (no copy). */
function view(x: Tensor, shape: Shape, op: string): Tensor {
  const y = adoptHandle(liveHandle(x, op, 'x'), shape, x.dtype);
  recordOp('reshape', [x], y, {});
  return y;
}

/**
 * A new tensor over the same data (ops return this instead of their input, so that disposing an
 * op's result never frees the caller's tensor).
 */
export function alias(x: Tensor): Tensor {
  return view(x, x.shape, 'alias');
}

/**
 * A new tensor with x's values, independent of x's lifetime (disposing either leaves the other
 * usable). Tensors are immutable, so the data is shared rather than copied.
 */
export function clone(x: Tensor): Tensor {
  expectTensor(x, 'clone', 'x');
  return view(x, x.shape, 'clone');
}

/**
 * Gives the data a new shape with the same number of elements; one dimension may be -1 (inferred).
 * Metadata only: the data is shared, not copied.
 */
export function reshape(x: Tensor, shape: Shape): Tensor {
  expectTensor(x, 'reshape', 'x');
  if (!isArray(shape)) throw new ShapeError(`reshape: shape must be an array, got ${String(shape)}`);
  let inferAt = -1;
  let known = 1;
  shape.forEach((d, i) => {
    if (d === -1) {
      if (inferAt >= 0) throw new ShapeError(`reshape: shape ${fmtShape(shape)} has more than one -1`);
      inferAt = i;
    } else if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError(`reshape: shape ${fmtShape(shape)} has an invalid dimension ${d}`);
    } else known *= d;
  });
  const out = [...shape];
  if (inferAt >= 0) {
    if (known === 0 || x.size % known !== 0) {
      throw new ShapeError(`reshape: cannot infer the -1 in ${fmtShape(shape)} for a tensor of shape ${fmtShape(x.shape)} (${x.size} elements)`);
    }
    out[inferAt] = x.size / known;
  }
  if (sizeOf(out) !== x.size) {
    throw new ShapeError(`reshape: cannot reshape a tensor of shape ${fmtShape(x.shape)} (${x.size} elements) to ${fmtShape(shape)} (${sizeOf(out)} elements)`);
  }
  return view(x, out, 'reshape');
}

/** Removes size-1 dimensions: all of them, or those in `axes` (which must have size 1). */
export function squeeze(x: Tensor, axes?: number | readonly number[]): Tensor {
  expectTensor(x, 'squeeze', 'x');
  const drop = new Set(axes === undefined ? x.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : normalizeAxes(axes, x.rank, 'squeeze'));
  for (const a of drop) {
    if (x.shape[a] !== 1) throw new ShapeError(`squeeze: axis ${a} of x ${fmtShape(x.shape)} has size ${x.shape[a]}, not 1`);
  }
  return view(x, x.shape.filter((_, i) => !drop.has(i)), 'squeeze');
}

/** Inserts a size-1 dimension at `axis` (-1 appends). */
export function expandDims(x: Tensor, axis = 0): Tensor {
  expectTensor(x, 'expandDims', 'x');
  const a = normalizeAxis(axis, x.rank + 1, 'expandDims');
  const shape = [...x.shape];
  shape.splice(a, 0, 1);
  return view(x, shape, 'expandDims');
}

/** Merges dimensions startAxis..endAxis (inclusive) into one, as PyTorch's flatten. */
export function flatten(x: Tensor, startAxis = 0, endAxis = -1): Tensor {
  expectTensor(x, 'flatten', 'x');
  if (x.rank === 0) return view(x, [1], 'flatten');
  const s = normalizeAxis(startAxis, x.rank, 'flatten', 'startAxis');
  const e = normalizeAxis(endAxis, x.rank, 'flatten', 'endAxis');
  if (s > e) throw new ArgumentError(`flatten: startAxis ${startAxis} comes after endAxis ${endAxis} for x ${fmtShape(x.shape)}`);
  const merged = x.shape.slice(s, e + 1).reduce((p, d) => p * d, 1);
  return view(x, [...x.shape.slice(0, s), merged, ...x.shape.slice(e + 1)], 'flatten');
}

/**
 * Returns x after checking that its shape is `shape`, where a `null` entry accepts any size (tfjs's
 * `ensureShape`); a mismatch is a ShapeError naming both shapes.
 */
export function ensureShape(x: Tensor, shape: readonly (number | null)[]): Tensor {
  expectTensor(x, 'ensureShape', 'x');
  if (!isArray(shape)) throw new ArgumentError(`ensureShape: shape must be an array of sizes or nulls, got ${String(shape)}`);
  if (shape.length !== x.rank || shape.some((d, i) => d !== null && d !== x.shape[i])) {
    throw new ShapeError(`ensureShape: x has shape ${fmtShape(x.shape)}, expected [${shape.map((d) => (d === null ? '?' : String(d))).join(',')}]`);
  }
  return x;
}
