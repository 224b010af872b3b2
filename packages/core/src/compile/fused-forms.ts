/**
 * The per-language code of one unary or binary step of a fused elementwise program, taken from core's
 * op tables (UNARY_DEFS / BINARY_DEFS) exactly as the unfused kernels take it: the same form for the
 * same operand dtype, so a fused kernel computes each step as the unfused kernel of that op does. An
 * op's math is never written here, only chosen from its definition. (Where, cast and constants are not
 * table ops: each backend writes them as its own unfused kernels do.)
 */
import type { DType } from '../dtype.js';
import type { FusedInstruction } from '../backend/fused-types.js';
import { binaryDef } from '../ops/defs/binary-defs.js';
import { unaryDef } from '../ops/defs/unary-defs.js';
import { fusedUnaryAlpha } from './fused-unfused.js';

/** A unary or binary step of a fused program. */
export type FusedOpStep = Extract<FusedInstruction, { kind: 'unary' | 'binary' }>;

/** How a step's double-precision (or 0 / 1, or truth) result is stored in its result dtype. */
export type FusedStore = 'float32' | 'int32' | 'bool' | 'truth';

/** The TypeScript form of a step: the table's function for the operand dtype, and how its result is stored. */
export interface FusedScalarForm {
  /** The op's TypeScript form (unary forms read `(x, alpha)`, binary ones `(a, b)`). */
  readonly fn: (a: number, b: number) => number | boolean;
  /** float32: round to float32 (Math.fround); int32: wrap (`| 0`); bool: already 0 / 1; truth: a boolean, stored as 1 / 0. */
  readonly store: FusedStore;
  /** The second argument of a unary form: alpha (the definition's default when the step gives none), else 0. */
  readonly alpha: number;
}

/** The TypeScript form of `step` on operands of `argDtype` (the dtype of its first operand). */
export function fusedScalarForm(step: FusedOpStep, argDtype: DType): FusedScalarForm {
  if (step.kind === 'unary') {
    const def = unaryDef(step.op);
    const alpha = fusedUnaryAlpha(step) ?? 0;
    if (def.input === 'bool') return { fn: def.tsBool, store: 'bool', alpha };
    if (argDtype === 'int32' && def.input === 'numeric') return { fn: def.tsInt, store: 'int32', alpha };
    return { fn: def.ts, store: 'float32', alpha };
  }
  const def = binaryDef(step.op);
  if (def.kind !== 'arith') return { fn: def.ts, store: 'truth', alpha: 0 };
  if (argDtype === 'int32' && def.int) return { fn: def.tsInt, store: 'int32', alpha: 0 };
  return { fn: def.ts, store: 'float32', alpha: 0 };
}

/**
 * A JavaScript expression for the stored result of `step`, calling its form under the name `callee`
 * (bind {@link fusedScalarForm}'s `fn` to it) on the operand expressions `operands` (and, for a unary
 * step, `alpha`, an expression holding the form's alpha).
 */
export function fusedStepJs(step: FusedOpStep, argDtype: DType, callee: string, operands: readonly string[], alpha: string): string {
  const form = fusedScalarForm(step, argDtype);
  const call = step.kind === 'unary' ? `${callee}(${operands[0]}, ${alpha})` : `${callee}(${operands[0]}, ${operands[1]})`;
  switch (form.store) {
    case 'float32': return `Math.fround(${call})`;
    case 'int32': return `(${call} | 0)`;
    case 'bool': return call;
    case 'truth': return `(${call} ? 1 : 0)`;
  }
}

/** WGSL's storage type of a dtype: f32, i32, or u32 holding 0 / 1 for bool. */
function wgslStorageType(dtype: DType): 'f32' | 'i32' | 'u32' {
  return dtype === 'float32' ? 'f32' : dtype === 'int32' ? 'i32' : 'u32';
}

/**
 * The WGSL of `step` on operands of `argDtype`: a function `name` wrapping the table's WGSL form (the
 * same form the unfused kernel splices in, with its operand names as the parameters), returning the
 * result in its storage type. Call a unary step as `name(x, alpha)` with an f32 alpha (the unfused
 * kernel's uniform: {@link fusedScalarForm}'s `alpha`; keep it out of constant expressions, where WGSL
 * rejects an infinite or NaN result), a binary one as `name(a, b)`.
 */
export function fusedStepWgsl(step: FusedOpStep, argDtype: DType, name: string): string {
  const t = wgslStorageType(argDtype);
  if (step.kind === 'unary') {
    const def = unaryDef(step.op);
    if (def.input === 'bool') return `fn ${name}(x: u32, alpha: f32) -> u32 { return select(0u, 1u, ${def.wgslBool}); }`;
    if (t === 'i32' && def.input === 'numeric') return `fn ${name}(x: i32, alpha: f32) -> i32 { return ${def.wgslInt}; }`;
    return `fn ${name}(x: f32, alpha: f32) -> f32 { return ${def.wgsl}; }`;
  }
  const def = binaryDef(step.op);
  switch (def.kind) {
    case 'arith':
      return t === 'i32' && def.int
        ? `fn ${name}(a: i32, b: i32) -> i32 { return ${def.wgslInt}; }`
        : `fn ${name}(a: f32, b: f32) -> f32 { return ${def.wgsl}; }`;
    case 'compare':
      return `fn ${name}(a: ${t}, b: ${t}) -> u32 { return select(0u, 1u, ${t === 'f32' ? def.wgsl : def.wgslInt}); }`;
    case 'logical':
      return `fn ${name}(a: u32, b: u32) -> u32 { return select(0u, 1u, ${def.wgslBool}); }`;
  }
}
