import type { DType } from '../dtype.js';
import type { BinaryOp, TensorRef, UnaryOp } from './kernel-types.js';

/** The dtypes a fused program computes in: float16 data runs unfused (its kernels round through float32). */
export type FusedDType = Exclude<DType, 'float16'>;

/**
 * One step of a fused elementwise program. Operands name earlier values by index: the program's
 * inputs come first (0 … inputs.length − 1), then each instruction's result in order. Every value
 * is one element per output position (inputs broadcast to the program's `outShape`), so a step
 * means exactly what the unfused kernel of the same name means on that element, in its dtype.
 */
export type FusedInstruction =
  /** The unary kernel `op` (core's UNARY_DEFS) on `arg`; the result keeps arg's dtype. */
  | { readonly kind: 'unary'; readonly op: UnaryOp; readonly arg: number; readonly alpha?: number }
  /** The binary kernel `op` (core's BINARY_DEFS) on `args`, which share a dtype; the result's dtype is `dtype`. */
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly args: readonly [number, number]; readonly dtype: FusedDType }
  /** `where(cond, a, b)`: cond is bool, a and b share a dtype, which the result has. */
  | { readonly kind: 'where'; readonly args: readonly [number, number, number] }
  /** `cast(arg, dtype)` with the cast kernel's meaning (float→int truncates, →bool is x ≠ 0). */
  | { readonly kind: 'cast'; readonly arg: number; readonly dtype: FusedDType }
  /** A constant of `dtype` (stored as that dtype stores it). */
  | { readonly kind: 'const'; readonly value: number; readonly dtype: FusedDType };

/**
 * A chain of elementwise steps run as one kernel: each output position reads its (broadcast)
 * input elements once, evaluates the instructions in order in registers, and writes the listed
 * outputs. Made by core's compiler from recorded kernel calls; never empty.
 */
export interface FusedElementwiseProgram {
  /** Each input's shape and dtype; every shape broadcasts to `outShape` (numpy rules, aligned right). */
  readonly inputs: readonly { readonly shape: readonly number[]; readonly dtype: FusedDType }[];
  /** The shape of every output. */
  readonly outShape: readonly number[];
  /** The steps, in order. */
  readonly instructions: readonly FusedInstruction[];
  /** The values written out (indices into inputs + instruction results), at least one. */
  readonly outputs: readonly number[];
}

/**
 * One segment of a segmented fused run ({@link Backend.fusedElementwiseSegments}): `size` output
 * elements (≥ 1) and one ref per program input, of shape [size] (read whole) or [1] (one element,
 * read at every position) as the flat program's input is [N] or [1].
 */
export interface FusedSegment {
  readonly size: number;
  readonly inputs: readonly TensorRef[];
}
