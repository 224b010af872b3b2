import { checkValues, tidy } from '../engine/engine.js';
import { ArgumentError, ShapeError, fmtShape } from '../errors.js';
import { recordOp } from '../autograd/tape.js';
import { normalizeAxis, stridesOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { add, equal, mul, where } from './binary.js';
import { cast } from './cast.js';
import { expectDType, expectTensor } from './convert.js';
import { arange, tensor } from './creation.js';
import { runKernel } from './kernel-call.js';
import { expandDims, reshape } from './reshape.js';

/** Integer indices: an int32 tensor or a plain array. */
export type Indices = Tensor | readonly number[];

function toIndices(indices: Indices, op: string): Tensor {
  if (indices instanceof Tensor) {
    expectDType(indices, ['int32'], op, 'indices');
    return indices;
  }
  if (!Array.isArray(indices)) throw new ArgumentError(`${op}: indices must be an int32 tensor or an array of integers`);
  for (const v of indices) {
    if (!Number.isInteger(v)) throw new ArgumentError(`${op}: indices must be integers, got ${String(v)}`);
  }
  return tensor(Int32Array.from(indices), [indices.length], 'int32');
}

/** The first index outside [0, limit) as an ArgumentError naming the op, the index, its position and the valid range; null when all are in range. */
function rangeError(values: ArrayLike<number>, limit: number, op: string, what: string): ArgumentError | null {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < 0 || v >= limit) return new ArgumentError(`${op}: index ${v} at position ${i} is out of range for ${what} (expected 0..${limit - 1})`);
  }
  return null;
}

/**
 * Checks indices against [0, limit): at once for indices given as an array or held where they can be
 * read synchronously; on an async-only backend when they arrive, the error then being thrown by the next
 * read of tensor data (the kernel meanwhile stays in bounds). Either way the error is the same.
 */
function checkRange(indices: Indices, idx: Tensor, limit: number, op: string, what: string): void {
  if (!(indices instanceof Tensor)) {
    const error = rangeError(indices, limit, op, what);
    if (error) throw error;
    return;
  }
  checkValues(idx, op, (values) => rangeError(values, limit, op, what));
}

/**
 * Takes slices of x along `axis` at the given indices:
 * the result has shape x.shape[:axis] + indices.shape + x.shape[axis+1:].
 */
export function gather(x: Tensor, indices: Indices, axis = 0): Tensor {
  expectTensor(x, 'gather', 'x');
  const a = normalizeAxis(axis, x.rank, 'gather');
  return tidy(() => {
    const idx = toIndices(indices, 'gather');
    checkRange(indices, idx, x.shape[a]!, 'gather', `axis ${a} of x ${fmtShape(x.shape)}`);
    const outShape = [...x.shape.slice(0, a), ...idx.shape, ...x.shape.slice(a + 1)];
    const y = runKernel('gather', [x, idx], ['x', 'indices'], outShape, x.dtype, (b, [rx, ri]) => b.gather(rx!, ri!, a));
    recordOp('gather', [x], y, { indices: idx, axis: a });
    return y;
  });
}

/** Options of {@link oneHot}. */
export interface OneHotOptions {
  onValue?: number;
  offValue?: number;
}

/** One-hot encodes int32 class indices into float32 [...indices.shape, depth]. */
export function oneHot(indices: Indices, depth: number, options: OneHotOptions = {}): Tensor {
  if (!Number.isInteger(depth) || depth < 1) throw new ArgumentError(`oneHot: depth must be a positive integer, got ${depth}`);
  const { onValue = 1, offValue = 0 } = options;
  return tidy(() => {
    const idx = toIndices(indices, 'oneHot');
    checkRange(indices, idx, depth, 'oneHot', `depth ${depth}`);
    const hit = equal(expandDims(idx, -1), arange(0, depth, 1, 'int32'));
    return cast(where(hit, onValue, offValue), 'float32');
  });
}

/**
 * Picks x's values along `axis` at int32 `indices` of x's rank (PyTorch's `gather`, NumPy's
 * `take_along_axis`): out[..., i, ...] = x[..., indices[..., i, ...], ...]. On the other axes
 * `indices` may be shorter than x; the result has indices' shape. Gradients flow to x.
 */
export function takeAlongAxis(x: Tensor, indices: Tensor, axis: number): Tensor {
  expectTensor(x, 'takeAlongAxis', 'x');
  expectTensor(indices, 'takeAlongAxis', 'indices');
  expectDType(indices, ['int32'], 'takeAlongAxis', 'indices');
  const a = normalizeAxis(axis, x.rank, 'takeAlongAxis');
  if (indices.rank !== x.rank || indices.shape.some((d, i) => i !== a && d > x.shape[i]!)) {
    throw new ShapeError(
      `takeAlongAxis: indices ${fmtShape(indices.shape)} must have the rank of x ${fmtShape(x.shape)} and no longer axes than x except axis ${a}`,
    );
  }
  return tidy(() => {
    checkRange(indices, indices, x.shape[a]!, 'takeAlongAxis', `axis ${a} of x ${fmtShape(x.shape)}`);
    // The flat position of each picked element: indices along `axis`, the element's own position elsewhere.
    const strides = stridesOf(x.shape);
    let flat = mul(indices, strides[a]!);
    indices.shape.forEach((d, i) => {
      if (i === a || strides[i] === 0) return;
      const along = reshape(arange(0, d, 1, 'int32'), indices.shape.map((_, j) => (j === i ? d : 1)));
      flat = add(flat, mul(along, strides[i]!));
    });
    return gather(reshape(x, [x.size]), flat, 0);
  });
}
