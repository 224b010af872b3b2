/**
 * The one definition of every elementwise binary op (see unary-defs.ts for the conventions of the
 * source forms). Binary forms read `a` and `b`:
 * - TypeScript `ts(a, b)` in double precision (float32 inputs, result rounded once); `tsInt(a, b)`
 *   on int32 values, wrapping like C. Comparison and logical forms return 0 or 1.
 * - WGSL `wgsl`: an expression in `a, b: f32` (f32 for arithmetic, bool for comparisons);
 *   `wgslInt`: the same over `a, b: i32` (comparisons also receive u32 bools); `wgslBool` (logical
 *   ops): a bool expression over `a, b: u32` holding 0 or 1.
 * - AssemblyScript `as`: over `a, b: f32` (f32 for arithmetic, bool for comparisons); `asVec`: four
 *   lanes of an arithmetic op over `a, b: v128`, bit-identical to `as` per lane.
 */
import { promoteTypes, type DType } from '../../dtype.js';
import { floorDiv, floorDivInt, floorMod, floorModInt, fmodInt, intPow, powC } from './scalar-math.js';

/** An arithmetic op: the output has the inputs' dtype. */
export interface ArithForms {
  /** Arithmetic: the output has the inputs' dtype. */
  readonly kind: 'arith';
  /** The op on two float32 values, in double precision (the caller rounds the result to float32). */
  readonly ts: (a: number, b: number) => number;
  /** The op as a WGSL f32 expression in `a` and `b`. */
  readonly wgsl: string;
  /** The op as an AssemblyScript f32 expression in `a: f32` and `b: f32`. */
  readonly as: string;
  /** The op on four lanes: an AssemblyScript v128 expression in `a` and `b` (where SIMD pays). */
  readonly asVec?: string;
}

/** Arithmetic that core only sends float32 (it computes in float32 whatever the input dtypes). */
export interface FloatArithDef extends ArithForms {
  /** No int32 form: core computes in float32. */
  readonly int: false;
}

/** Arithmetic that core sends float32 or int32 (bool operands are promoted to int32). */
export interface IntArithDef extends ArithForms {
  /** Has an int32 form. */
  readonly int: true;
  /** The op on two int32 values, wrapping like C. */
  readonly tsInt: (a: number, b: number) => number;
  /** The op as a WGSL i32 expression in `a` and `b`. */
  readonly wgslInt: string;
}

/** A comparison: inputs of any one dtype (float32, int32 or bool), bool output. */
export interface CompareDef {
  /** A comparison: bool output. */
  readonly kind: 'compare';
  /** Whether the comparison holds for two values of any dtype. */
  readonly ts: (a: number, b: number) => boolean;
  /** The comparison as a WGSL bool expression over f32 `a` and `b` (NaN-aware). */
  readonly wgsl: string;
  /** The comparison as a WGSL bool expression over i32 (or u32 bool) `a` and `b`. */
  readonly wgslInt: string;
  /** The comparison as an AssemblyScript bool expression over f32 `a` and `b`. */
  readonly as: string;
}

/** A logical op: bool inputs (core casts to bool), bool output. */
export interface LogicalDef {
  /** A logical op: bool in, bool out. */
  readonly kind: 'logical';
  /** The op on two bools stored as 0 / 1. */
  readonly ts: (a: number, b: number) => boolean;
  /** The op as a WGSL bool expression over u32 `a` and `b` (0 or 1). */
  readonly wgslBool: string;
}

/** The definition of one binary op. */
export type BinaryDef = FloatArithDef | IntArithDef | CompareDef | LogicalDef;

/**
 * WGSL compilers may assume no NaNs, so float comparisons test for NaN by bit pattern first: every
 * comparison with a NaN is false except `!=`.
 */
const ordered = (cmp: string): string => `!is_nan(a) && !is_nan(b) && a ${cmp} b`;

/** The table as written; {@link BINARY_DEFS} is the same object under its documented type. */
const BINARY_TABLE = {
  add: {
    kind: 'arith', int: true, ts: (a, b) => a + b, tsInt: (a, b) => (a + b) | 0, wgsl: 'a + b', wgslInt: 'a + b',
    as: 'a + b', asVec: 'f32x4.add(a, b)',
  },
  sub: {
    kind: 'arith', int: true, ts: (a, b) => a - b, tsInt: (a, b) => (a - b) | 0, wgsl: 'a - b', wgslInt: 'a - b',
    as: 'a - b', asVec: 'f32x4.sub(a, b)',
  },
  mul: {
    kind: 'arith', int: true, ts: (a, b) => a * b, tsInt: Math.imul, wgsl: 'a * b', wgslInt: 'a * b',
    as: 'a * b', asVec: 'f32x4.mul(a, b)',
  },
  // True division: core divides in float32 whatever the input dtypes (NumPy's `/`).
  div: { kind: 'arith', int: false, ts: (a, b) => a / b, wgsl: 'div_f(a, b)', as: 'a / b', asVec: 'f32x4.div(a, b)' },
  // C's pow; int32 pow wraps and truncates negative exponents toward zero.
  pow: {
    kind: 'arith', int: true, ts: powC, tsInt: intPow, wgsl: 'pow_f(a, b)', wgslInt: 'pow_i(a, b)',
    as: '<f32>powC(<f64>a, <f64>b)',
  },
  // Math.max / Math.min: NaN wins, +0 beats -0 in max and loses in min.
  maximum: {
    kind: 'arith', int: true, ts: Math.max, tsInt: Math.max, wgsl: 'max_f(a, b)', wgslInt: 'max(a, b)',
    as: 'max(a, b)', asVec: 'f32x4.max(a, b)',
  },
  minimum: {
    kind: 'arith', int: true, ts: Math.min, tsInt: Math.min, wgsl: 'min_f(a, b)', wgslInt: 'min(a, b)',
    as: 'min(a, b)', asVec: 'f32x4.min(a, b)',
  },
  // The angle of the point (b, a): atan2(y = a, x = b), in (−π, π].
  atan2: { kind: 'arith', int: false, ts: Math.atan2, wgsl: 'atan2_f(a, b)', as: '<f32>Math.atan2(<f64>a, <f64>b)' },
  // Floor modulo (NumPy / PyTorch `remainder`): the divisor's sign; int32 gives 0 for a zero divisor.
  mod: {
    kind: 'arith', int: true, ts: floorMod, tsInt: floorModInt, wgsl: 'mod_f(a, b)', wgslInt: 'mod_i(a, b)',
    as: '<f32>floorMod(<f64>a, <f64>b)',
  },
  // C's fmod: the dividend's sign; int32 gives 0 for a zero divisor.
  fmod: {
    kind: 'arith', int: true, ts: (a, b) => a % b, tsInt: fmodInt, wgsl: 'fmod_f(a, b)', wgslInt: 'fmod_i(a, b)',
    as: '<f32>(<f64>a % <f64>b)',
  },
  // floor(a / b), as Python's `//`; int32 gives 0 for a zero divisor.
  floorDiv: {
    kind: 'arith', int: true, ts: floorDiv, tsInt: floorDivInt, wgsl: 'floordiv_f(a, b)', wgslInt: 'floordiv_i(a, b)',
    as: '<f32>floorDiv(<f64>a, <f64>b)',
  },
  equal: { kind: 'compare', ts: (a, b) => a === b, wgsl: ordered('=='), wgslInt: 'a == b', as: 'a == b' },
  notEqual: { kind: 'compare', ts: (a, b) => a !== b, wgsl: 'is_nan(a) || is_nan(b) || a != b', wgslInt: 'a != b', as: 'a != b' },
  less: { kind: 'compare', ts: (a, b) => a < b, wgsl: ordered('<'), wgslInt: 'a < b', as: 'a < b' },
  lessEqual: { kind: 'compare', ts: (a, b) => a <= b, wgsl: ordered('<='), wgslInt: 'a <= b', as: 'a <= b' },
  greater: { kind: 'compare', ts: (a, b) => a > b, wgsl: ordered('>'), wgslInt: 'a > b', as: 'a > b' },
  greaterEqual: { kind: 'compare', ts: (a, b) => a >= b, wgsl: ordered('>='), wgslInt: 'a >= b', as: 'a >= b' },
  logicalAnd: { kind: 'logical', ts: (a, b) => a !== 0 && b !== 0, wgslBool: 'a != 0u && b != 0u' },
  logicalOr: { kind: 'logical', ts: (a, b) => a !== 0 || b !== 0, wgslBool: 'a != 0u || b != 0u' },
} as const satisfies Record<string, BinaryDef>;

/**
 * Elementwise binary kernels with NumPy broadcasting: the keys of {@link BINARY_DEFS}. Both inputs
 * have the same dtype (core promotes) and `outShape` is the broadcast shape.
 */
export type BinaryOp = keyof typeof BINARY_TABLE;

/** The definition kind of each op, from its `kind` (and `int`). */
type BinaryDefOf<K extends BinaryOp> = (typeof BINARY_TABLE)[K]['kind'] extends 'compare' ? CompareDef
  : (typeof BINARY_TABLE)[K]['kind'] extends 'logical' ? LogicalDef
  : (typeof BINARY_TABLE)[K] extends { readonly int: true } ? IntArithDef : FloatArithDef;

/** Every elementwise binary op's definition. The key order is the op's code in generated kernels. */
export const BINARY_DEFS: { readonly [K in BinaryOp]: BinaryDefOf<K> } = BINARY_TABLE;

/** Every binary op name, in code order. */
export const BINARY_OPS = Object.keys(BINARY_TABLE) as BinaryOp[];

/** The definition of `op`, widened to the {@link BinaryDef} union. */
export function binaryDef(op: BinaryOp): BinaryDef {
  return BINARY_DEFS[op];
}

/** The dtype a binary op's kernel outputs for inputs of `inDtype` (the dtype core sends it). */
export function binaryOutDtype(op: BinaryOp, inDtype: DType): DType {
  const def = binaryDef(op);
  return def.kind === 'arith' ? inDtype : 'bool';
}

/**
 * The dtype core casts both operands of `op` to before calling its kernel: bool for logical ops,
 * float32 for float-only arithmetic (float16 when the operands promote to it), otherwise the promoted dtype (bool arithmetic promoted to int32).
 */
export function binaryKernelDtype(op: BinaryOp, aDtype: DType, bDtype: DType): DType {
  const def = binaryDef(op);
  if (def.kind === 'logical') return 'bool';
  const dtype = promoteTypes(aDtype, bDtype);
  if (def.kind === 'arith' && !def.int) return dtype === 'float16' ? 'float16' : 'float32';
  return def.kind === 'arith' && dtype === 'bool' ? 'int32' : dtype;
}
