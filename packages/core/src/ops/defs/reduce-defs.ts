/**
 * The one definition of every reduction: which dtypes core sends, the output dtype, the identity and the
 * combine step as a scalar expression per target language. `ReduceOp` is derived from this table, and
 * each backend's implementation is typed against it (`satisfies Record<ReduceOp, …>`), so an op missing
 * from a backend, or one a backend has that core does not, is a compile error.
 *
 * Kernels receive one layout (see Backend.reduce): a contiguous [outer, r, inner] tensor reduced over its
 * middle axis, with r ≥ 1. Source forms:
 * - fold ops combine an accumulator `a` with the next value `b`, starting from `identity`:
 *   TypeScript `ts(a, b)` in double precision (the float32 result is rounded once at the end), `tsInt`
 *   on int32 values wrapping like C; WGSL `wgsl` over `a, b: f32` and `wgslInt` over `a, b: i32`;
 *   AssemblyScript `as` over `a, b: f32` and `asVec` over four f32 lanes in `a, b: v128`.
 * - arg ops (argmax / argmin) keep the first index whose value `b` beats every earlier value `a`:
 *   `beats` forms are the same per language, over the input's type. A NaN beats every number and is
 *   never beaten, so the first NaN wins, as in NumPy.
 * Float max / min propagate NaN.
 */
import type { DType } from '../../dtype.js';

/** A dtype a reduce kernel may receive (core casts bool to int32 first). */
export type ReduceInputDType = 'float32' | 'int32';

/** A reduction that folds values into one of the input's dtype. */
export interface FoldDef {
  /** Folds values into one of the input's dtype. */
  readonly kind: 'fold';
  /** Value of the reduction over nothing, per input dtype (core fills empty reductions with it). */
  readonly identity: Readonly<Record<ReduceInputDType, number>>;
  /** Combines the running value `a` with the next float32 value `b`, in double precision. */
  readonly ts: (a: number, b: number) => number;
  /** The same on int32 values, wrapping like C. */
  readonly tsInt: (a: number, b: number) => number;
  /** The combine step as a WGSL f32 expression in `a` and `b`. */
  readonly wgsl: string;
  /** The combine step as a WGSL i32 expression in `a` and `b`. */
  readonly wgslInt: string;
  /** The combine step as an AssemblyScript expression in `a` and `b`. */
  readonly as: string;
  /** The combine step on four lanes: an AssemblyScript v128 expression in `a` and `b`. */
  readonly asVec: string;
}

/** A reduction to the int32 index of the first extreme value along the axis. */
export interface ArgDef {
  /** Gives the int32 index of the first extreme value. */
  readonly kind: 'arg';
  /** Whether value `b` replaces the best so far `a` (float32 inputs; NaN rule included). */
  readonly ts: (a: number, b: number) => boolean;
  /** The same on int32 inputs. */
  readonly tsInt: (a: number, b: number) => boolean;
  /** Whether `b` replaces `a`, as a WGSL bool expression over f32 values. */
  readonly wgsl: string;
  /** The same over i32 values. */
  readonly wgslInt: string;
  /** The same as an AssemblyScript bool expression. */
  readonly as: string;
}

/** The definition of one reduction. */
export type ReduceDef = FoldDef | ArgDef;

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** The table as written; {@link REDUCE_DEFS} is the same object under its documented type. */
const REDUCE_TABLE = {
  sum: {
    kind: 'fold', identity: { float32: 0, int32: 0 },
    ts: (a, b) => a + b, tsInt: (a, b) => (a + b) | 0,
    wgsl: 'a + b', wgslInt: 'a + b', as: 'a + b', asVec: 'f32x4.add(a, b)',
  },
  prod: {
    kind: 'fold', identity: { float32: 1, int32: 1 },
    ts: (a, b) => a * b, tsInt: Math.imul,
    wgsl: 'a * b', wgslInt: 'a * b', as: 'a * b', asVec: 'f32x4.mul(a, b)',
  },
  max: {
    kind: 'fold', identity: { float32: -Infinity, int32: INT32_MIN },
    ts: (a, b) => (b > a || b !== b ? b : a), tsInt: (a, b) => (b > a ? b : a),
    wgsl: 'max_f(a, b)', wgslInt: 'max(a, b)', as: 'max<f32>(a, b)', asVec: 'f32x4.max(a, b)',
  },
  min: {
    kind: 'fold', identity: { float32: Infinity, int32: INT32_MAX },
    ts: (a, b) => (b < a || b !== b ? b : a), tsInt: (a, b) => (b < a ? b : a),
    wgsl: 'min_f(a, b)', wgslInt: 'min(a, b)', as: 'min<f32>(a, b)', asVec: 'f32x4.min(a, b)',
  },
  argmax: {
    kind: 'arg',
    ts: (a, b) => a === a && (b > a || b !== b), tsInt: (a, b) => b > a,
    wgsl: '!is_nan(a) && (is_nan(b) || b > a)', wgslInt: 'b > a', as: 'a == a && (b != b || b > a)',
  },
  argmin: {
    kind: 'arg',
    ts: (a, b) => a === a && (b < a || b !== b), tsInt: (a, b) => b < a,
    wgsl: '!is_nan(a) && (is_nan(b) || b < a)', wgslInt: 'b < a', as: 'a == a && (b != b || b < a)',
  },
} as const satisfies Record<string, ReduceDef>;

/** A reduction kernel's name. */
export type ReduceOp = keyof typeof REDUCE_TABLE;

/** Every reduction's definition. The key order is the op's code in generated kernels (backend-wasm's AssemblyScript). */
export const REDUCE_DEFS: { readonly [K in ReduceOp]: (typeof REDUCE_TABLE)[K]['kind'] extends 'fold' ? FoldDef : ArgDef } = REDUCE_TABLE;
/** The reductions that fold values (sum, prod, max, min). */
export type FoldReduceOp = { [K in ReduceOp]: (typeof REDUCE_TABLE)[K]['kind'] extends 'fold' ? K : never }[ReduceOp];
/** The index reductions (argmax, argmin). */
export type ArgReduceOp = Exclude<ReduceOp, FoldReduceOp>;

/** Every reduction, in code order. */
export const REDUCE_OPS = Object.keys(REDUCE_TABLE) as ReduceOp[];

/** True for argmax / argmin. */
export function isArgReduce(op: ReduceOp): op is ArgReduceOp {
  return REDUCE_DEFS[op].kind === 'arg';
}

/**
 * The dtype core reduces `input` in, i.e. the kernel's input dtype: bool is counted as int32, float32
 * and int32 are reduced as they are.
 */
export function reduceInputDtype(input: DType): ReduceInputDType {
  return input === 'float32' || input === 'float16' ? 'float32' : 'int32';
}

/**
 * The output dtype of a reduction, stated once: argmax / argmin give int32 indices; sum / prod / max /
 * min keep the kernel input's dtype (so bool and int32 reduce to int32, float32 to float32, float16 to
 * float16, which kernels accumulate in float32).
 */
export function reduceOutDtype(op: ReduceOp, input: DType): DType {
  if (isArgReduce(op)) return 'int32';
  return input === 'float16' ? 'float16' : reduceInputDtype(input);
}
