import type { BinaryOp } from '../backend/kernel-types.js';
import { promoteTypes, type DType } from '../dtype.js';
import { tidy } from '../engine/engine.js';
import { recordOp } from '../autograd/tape.js';
import { ArgumentError } from '../errors.js';
import { broadcastShapes, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { toTensor, type TensorLike } from './convert.js';
import { runKernel } from './kernel-call.js';
import { unbroadcast } from './unbroadcast.js';
import { log } from './unary.js';

type Kind = 'arith' | 'div' | 'compare' | 'logical';

const KIND: Record<BinaryOp, Kind> = {
  add: 'arith', sub: 'arith', mul: 'arith', pow: 'arith', maximum: 'arith', minimum: 'arith', div: 'div',
  equal: 'compare', notEqual: 'compare', less: 'compare', lessEqual: 'compare', greater: 'compare', greaterEqual: 'compare',
  logicalAnd: 'logical', logicalOr: 'logical',
};

/** Turns both operands into tensors of the dtype the op computes in. */
function operands(op: BinaryOp, a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  const hintA = a instanceof Tensor ? a.dtype : b instanceof Tensor ? b.dtype : 'float32';
  const ta = toTensor(a, op, 'a', hintA);
  const tb = toTensor(b, op, 'b', ta.dtype);
  const kind = KIND[op];
  let dtype: DType;
  if (kind === 'logical') dtype = 'bool';
  else if (kind === 'div') dtype = 'float32';
  else {
    dtype = promoteTypes(ta.dtype, tb.dtype);
    if (kind === 'arith' && dtype === 'bool') dtype = 'int32';
  }
  return [cast(ta, dtype), cast(tb, dtype)];
}

/** The gradient rule of each differentiable binary op: (a, b, y, dy) → [da, db] before unbroadcasting. */
const GRADS: Partial<Record<BinaryOp, (a: Tensor, b: Tensor, y: Tensor, dy: Tensor) => [Tensor | null, Tensor | null]>> = {
  add: (_a, _b, _y, dy) => [dy, dy],
  sub: (_a, _b, _y, dy) => [dy, mul(dy, -1)],
  mul: (a, b, _y, dy) => [mul(dy, b), mul(dy, a)],
  div: (a, b, _y, dy) => [div(dy, b), mul(dy, div(mul(a, -1), mul(b, b)))],
  pow: (a, b, y, dy) => [
    // b·a^(b−1) is 0·∞ at a = 0, b = 0; the limit along b = 0 is 0 (as in PyTorch).
    mul(dy, where(equal(b, 0), 0, mul(b, pow(a, sub(b, 1))))),
    mul(dy, where(greater(a, 0), mul(y, log(where(greater(a, 0), a, 1))), 0)),
  ],
  maximum: (a, b, _y, dy) => splitTies(a, b, dy, greater),
  minimum: (a, b, _y, dy) => splitTies(a, b, dy, less),
};

/** Gradient of maximum/minimum: the winner takes dy, ties share it equally. */
function splitTies(a: Tensor, b: Tensor, dy: Tensor, wins: (x: Tensor, y: Tensor) => Tensor): [Tensor, Tensor] {
  const tie = mul(cast(equal(a, b), 'float32'), 0.5);
  const wa = add(cast(wins(a, b), 'float32'), tie);
  const wb = add(cast(wins(b, a), 'float32'), tie);
  return [mul(dy, wa), mul(dy, wb)];
}

function binary(op: BinaryOp, a: TensorLike, b: TensorLike): Tensor {
  return tidy(() => {
    const [ta, tb] = operands(op, a, b);
    const outShape = shapesEqual(ta.shape, tb.shape) ? ta.shape : broadcastShapes(ta.shape, tb.shape, op);
    const kind = KIND[op];
    const outDtype: DType = kind === 'compare' || kind === 'logical' ? 'bool' : ta.dtype;
    const y = runKernel(op, [ta, tb], ['a', 'b'], outShape, outDtype, (be, [ra, rb]) => be.binary(op, ra!, rb!, outShape, outDtype));
    const rule = GRADS[op];
    if (rule) {
      recordOp([ta, tb], y, (dy) => {
        const [da, db] = rule(ta, tb, y, dy);
        return [da && unbroadcast(da, ta.shape), db && unbroadcast(db, tb.shape)];
      });
    }
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
    recordOp([ta, tb], y, (dy) => [
      unbroadcast(where(c, dy, 0), ta.shape),
      unbroadcast(where(c, 0, dy), tb.shape),
    ], [c]);
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
