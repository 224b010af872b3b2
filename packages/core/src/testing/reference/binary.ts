import { mapBroadcast } from './broadcast.js';
import { nd, storeAs, type NDArray, type RefDType } from './ndarray.js';

export type RefBinaryOp =
  | 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum'
  | 'equal' | 'notEqual' | 'less' | 'lessEqual' | 'greater' | 'greaterEqual'
  | 'logicalAnd' | 'logicalOr' | 'atan2' | 'mod' | 'fmod' | 'floorDiv';

const ORDER: RefDType[] = ['bool', 'int32', 'float16', 'float32'];

/** Promotion bool < int32 < float16 < float32. */
export function promote(a: RefDType, b: RefDType): RefDType {
  return ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b;
}

const COMPARE: Partial<Record<RefBinaryOp, (a: number, b: number) => boolean>> = {
  equal: (a, b) => a === b,
  notEqual: (a, b) => a !== b,
  less: (a, b) => a < b,
  lessEqual: (a, b) => a <= b,
  greater: (a, b) => a > b,
  greaterEqual: (a, b) => a >= b,
};

/** The result dtype of a binary op on two input dtypes. */
export function binaryDType(op: RefBinaryOp, a: RefDType, b: RefDType): RefDType {
  if (op in COMPARE || op === 'logicalAnd' || op === 'logicalOr') return 'bool';
  if (op === 'div' || op === 'atan2') return 'float32';
  return promote(a, b);
}

function arith(op: RefBinaryOp, dtype: RefDType): (a: number, b: number) => number {
  const isInt = dtype === 'int32';
  switch (op) {
    case 'add': return (a, b) => a + b;
    case 'sub': return (a, b) => a - b;
    case 'mul': return isInt ? (a, b) => Math.imul(a, b) : (a, b) => a * b;
    case 'div': return (a, b) => a / b;
    case 'atan2': return (a, b) => Math.atan2(a, b);
    // Integer forms give 0 for a zero divisor (ScratchNet's rule; NumPy warns and gives 0 too).
    case 'mod': return isInt ? (a, b) => (b === 0 ? 0 : (((a % b) + b) % b)) : refFloorMod;
    case 'fmod': return isInt ? (a, b) => (b === 0 ? 0 : a % b) : (a, b) => a % b;
    case 'floorDiv': return isInt ? (a, b) => (b === 0 ? 0 : Math.floor(a / b)) : (a, b) => Math.floor(a / b);
    case 'pow': return (a, b) => Math.pow(a, b);
    case 'maximum': return (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b));
    case 'minimum': return (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b));
    case 'logicalAnd': return (a, b) => (a !== 0 && b !== 0 ? 1 : 0);
    case 'logicalOr': return (a, b) => (a !== 0 || b !== 0 ? 1 : 0);
    default: {
      const cmp = COMPARE[op]!;
      return (a, b) => (cmp(a, b) ? 1 : 0);
    }
  }
}

/** Floor modulo in float64: a − b·⌊a / b⌋; an infinite divisor leaves a finite a alone when their signs agree, else gives b. */
function refFloorMod(a: number, b: number): number {
  if (Number.isFinite(b) || !Number.isFinite(a)) return a - b * Math.floor(a / b);
  return a === 0 || a < 0 === b < 0 ? a : b;
}

/** A JS number operand: it adopts the other side's dtype unless it is fractional next to an integer tensor. */
export function numberOperand(value: number, other: RefDType): NDArray {
  const dtype: RefDType = other === 'float32' || !Number.isInteger(value) ? 'float32' : other;
  return nd([], [storeAs(value, dtype)], dtype);
}

/** Binary op with NumPy broadcasting and ScratchNet's dtype rules (int32 wraps). */
export function refBinary(op: RefBinaryOp, a: NDArray | number, b: NDArray | number): NDArray {
  const A = typeof a === 'number' ? numberOperand(a, typeof b === 'number' ? 'float32' : b.dtype) : a;
  const B = typeof b === 'number' ? numberOperand(b, A.dtype) : b;
  const dtype = binaryDType(op, A.dtype, B.dtype);
  const f = arith(op, dtype);
  return mapBroadcast([A, B], dtype, (x, y) => storeAs(f(x, y), dtype));
}

/** clip(x, min, max) = min(max(x, lo), hi), keeping x's dtype. */
export function refClip(x: NDArray, lo: number, hi: number): NDArray {
  return mapBroadcast([x], x.dtype, (v) => storeAs(v < lo ? lo : v > hi ? hi : v, x.dtype));
}

/** where(cond, a, b) with all three broadcast; a and b promote. */
export function refWhere(cond: NDArray, a: NDArray, b: NDArray): NDArray {
  const dtype = promote(a.dtype, b.dtype);
  return mapBroadcast([cond, a, b], dtype, (c, x, y) => (c !== 0 ? x : y));
}
