import type { BinaryOp } from '../backend/kernel-types.js';
import { promoteTypes } from '../dtype.js';
import { binaryKernelDtype, binaryOutDtype } from './defs/binary-defs.js';
import { tidy } from '../engine/engine.js';
import { recordOp } from '../autograd/tape.js';
import { ArgumentError } from '../errors.js';
import { broadcastShapes, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { toTensor, type TensorLike } from './convert.js';
import { runKernel } from './kernel-call.js';

/** Turns both operands into tensors of the dtype the op's kernel computes in. */
function operands(op: BinaryOp, a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  const hintA = a instanceof Tensor ? a.dtype : b instanceof Tensor ? b.dtype : 'float32';
  const ta = toTensor(a, op, 'a', hintA);
  const tb = toTensor(b, op, 'b', ta.dtype);
  const dtype = binaryKernelDtype(op, ta.dtype, tb.dtype);
  return [cast(ta, dtype), cast(tb, dtype)];
}

function binary(op: BinaryOp, a: TensorLike, b: TensorLike): Tensor {
  return tidy(() => {
    const [ta, tb] = operands(op, a, b);
    const outShape = shapesEqual(ta.shape, tb.shape) ? ta.shape : broadcastShapes(ta.shape, tb.shape, op);
    const outDtype = binaryOutDtype(op, ta.dtype);
    const y = runKernel(op, [ta, tb], ['a', 'b'], outShape, outDtype, (be, [ra, rb]) => be.binary(op, ra!, rb!, outShape, outDtype));
    recordOp(op, [ta, tb], y, {});
    return y;
  });
}

/** a + b, with broadcasting. */
export const add = (a: TensorLike, b: TensorLike): Tensor => binary('add', a, b);
/** a − b */
export const sub = (a: TensorLike, b: TensorLike): Tensor => binary('sub', a, b);
/** a · b (elementwise) */
export const mul = (a: TensorLike, b: TensorLike): Tensor => binary('mul', a, b);
/** a / b, always in float32 (like NumPy's true division). */
export const div = (a: TensorLike, b: TensorLike): Tensor => binary('div', a, b);
/** aᵇ */
export const pow = (a: TensorLike, b: TensorLike): Tensor => binary('pow', a, b);
/** Elementwise maximum; ties share the gradient. */
export const maximum = (a: TensorLike, b: TensorLike): Tensor => binary('maximum', a, b);
/** Elementwise minimum; ties share the gradient. */
export const minimum = (a: TensorLike, b: TensorLike): Tensor => binary('minimum', a, b);
/** The angle of the point (x = b, y = a) in radians, in (−π, π] (`atan2(y, x)`); float32. */
export const atan2 = (a: TensorLike, b: TensorLike): Tensor => binary('atan2', a, b);
/** Floor modulo: a − b·floor(a / b), with the divisor's sign (NumPy `mod`, PyTorch `remainder`). int32 by 0 gives 0. */
export const mod = (a: TensorLike, b: TensorLike): Tensor => binary('mod', a, b);
/** PyTorch's name for {@link mod}. */
export const remainder = mod;
/** C's fmod: a − b·trunc(a / b), with the dividend's sign (PyTorch `fmod`). int32 by 0 gives 0. */
export const fmod = (a: TensorLike, b: TensorLike): Tensor => binary('fmod', a, b);
/** floor(a / b) (Python's `//`, PyTorch `floor_divide`); int32 stays int32 (by 0 gives 0). No gradient. */
export const floorDiv = (a: TensorLike, b: TensorLike): Tensor => binary('floorDiv', a, b);
/** a == b (bool) */
export const equal = (a: TensorLike, b: TensorLike): Tensor => binary('equal', a, b);
/** a != b (bool) */
export const notEqual = (a: TensorLike, b: TensorLike): Tensor => binary('notEqual', a, b);
/** a < b (bool) */
export const less = (a: TensorLike, b: TensorLike): Tensor => binary('less', a, b);
/** a <= b (bool) */
export const lessEqual = (a: TensorLike, b: TensorLike): Tensor => binary('lessEqual', a, b);
/** a > b (bool) */
export const greater = (a: TensorLike, b: TensorLike): Tensor => binary('greater', a, b);
/** a >= b (bool) */
export const greaterEqual = (a: TensorLike, b: TensorLike): Tensor => binary('greaterEqual', a, b);
/** a AND b (inputs read as bool) */
export const logicalAnd = (a: TensorLike, b: TensorLike): Tensor => binary('logicalAnd', a, b);
/** a OR b (inputs read as bool) */
export const logicalOr = (a: TensorLike, b: TensorLike): Tensor => binary('logicalOr', a, b);

/**
 * Picks `a` where `cond` is true and `b` elsewhere; all three broadcast together.
 * `cond` is read as bool; a and b are promoted to a common dtype.
 */
export function where(cond: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  return tidy(() => {
    let c = toTensor(cond, 'where', 'cond', 'bool');
    if (c.dtype !== 'bool') c = cast(c, 'bool');
    const hint = a instanceof Tensor ? a.dtype : b instanceof Tensor ? b.dtype : 'float32';
    let ta = toTensor(a, 'where', 'a', hint);
    let tb = toTensor(b, 'where', 'b', ta.dtype);
    const dtype = promoteTypes(ta.dtype, tb.dtype);
    ta = cast(ta, dtype);
    tb = cast(tb, dtype);
    const abShape = broadcastShapes(ta.shape, tb.shape, 'where', ['a', 'b']);
    const outShape = broadcastShapes(c.shape, abShape, 'where', ['cond', 'a/b']);
    const y = runKernel('where', [c, ta, tb], ['cond', 'a', 'b'], outShape, dtype, (be, [rc, ra, rb]) => be.where(rc!, ra!, rb!, outShape));
    recordOp('where', [ta, tb], y, { cond: c });
    return y;
  });
}

/** Limits values to [min, max] (either bound may be omitted with ±Infinity). The gradient passes inside the range. */
export function clip(x: Tensor, min: number, max: number): Tensor {
  if (typeof min !== 'number' || typeof max !== 'number' || Number.isNaN(min) || Number.isNaN(max)) {
    throw new ArgumentError(`clip: min and max must be numbers, got ${String(min)} and ${String(max)}`);
  }
  if (min > max) throw new ArgumentError(`clip: min (${min}) must not exceed max (${max})`);
  return tidy(() => {
    const inside = logicalAnd(greaterEqual(x, min), lessEqual(x, max));
    const clipped = minimum(maximum(x, min), max);
    // Route the gradient through `where` so it is exactly 1 inside [min, max] and 0 outside.
    return where(inside, x, clipped);
  });
}
