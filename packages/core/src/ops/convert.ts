import { ArgumentError, DTypeError, DisposedError } from '../errors.js';
import { Tensor } from '../tensor.js';
import type { DType } from '../dtype.js';
import { writeTensor } from '../engine/engine.js';
import { toTypedArray } from '../dtype.js';

/** An op operand: a tensor or a plain number (broadcast as a scalar). */
export type TensorLike = Tensor | number | boolean;

/**
 * Turns an operand into a tensor. Numbers take `dtypeHint` (the other operand's dtype) unless
 * they do not fit it (a fraction with int32 becomes float32).
 */
export function toTensor(x: TensorLike, op: string, arg: string, dtypeHint: DType = 'float32'): Tensor {
  if (x instanceof Tensor) return live(x, op, arg);
  if (typeof x === 'boolean') return writeTensor(toTypedArray([x], 'bool'), [], 'bool', op);
  if (typeof x === 'number') {
    let dtype = dtypeHint;
    if (dtype === 'bool') dtype = Number.isInteger(x) ? 'int32' : 'float32';
    if (dtype === 'int32' && (!Number.isInteger(x) || Math.abs(x) > 2147483647)) dtype = 'float32';
    return writeTensor(toTypedArray([x], dtype), [], dtype, op);
  }
  throw new ArgumentError(`${op}: ${arg} must be a Tensor or a number, got ${describe(x)}`);
}

/** Checks that a tensor has one of `allowed` dtypes. */
export function expectDType(t: Tensor, allowed: readonly DType[], op: string, arg: string): void {
  if (!allowed.includes(t.dtype)) {
    throw new DTypeError(`${op}: ${arg} must have dtype ${allowed.join(' or ')}, got ${t.dtype} (shape [${t.shape.join(',')}])`);
  }
}

/** Checks that the argument is a Tensor. */
export function expectTensor(x: unknown, op: string, arg: string): Tensor {
  if (!(x instanceof Tensor)) throw new ArgumentError(`${op}: ${arg} must be a Tensor, got ${describe(x)}`);
  return live(x, op, arg);
}

/**
 * Rejects a disposed tensor at the op the user called, so the message names that op and argument
 * rather than an internal op it is composed of (e.g. matmul's reshape, add's alias).
 */
function live(t: Tensor, op: string, arg: string): Tensor {
  if (t.isDisposed) throw new DisposedError(`${op}: ${arg} (tensor #${t.id}, shape [${t.shape.join(',')}]) was disposed and cannot be used`);
  return t;
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array (wrap it with tensor(...))';
  return typeof x;
}
