/**
 * The checker of {@link FusedElementwiseProgram}s: operand indices, dtypes and broadcasting, with an
 * error naming the instruction and the values at fault. Backends and the unfused runner call it before
 * running a program, so a malformed program fails the same way everywhere.
 */
import type { FusedDType, FusedElementwiseProgram, FusedInstruction } from '../backend/fused-types.js';
import { isDType, type DType } from '../dtype.js';
import { ArgumentError, fmtShape } from '../errors.js';
import { BINARY_DEFS, binaryDef, binaryOutDtype } from '../ops/defs/binary-defs.js';
import { UNARY_DEFS, unaryDef } from '../ops/defs/unary-defs.js';
import type { BinaryOp, UnaryOp } from '../backend/kernel-types.js';

/** What the checker learns about one value of a program (an input or an instruction's result). */
export interface FusedValueInfo {
  /** The value's dtype. */
  readonly dtype: DType;
  /**
   * The value's own shape before it is broadcast to the program's `outShape`: an input's shape, the
   * broadcast shape of an instruction's operands, `[]` for a constant.
   */
  readonly shape: readonly number[];
}

const OP = 'fusedElementwise';

/** Array.isArray without narrowing (a typed field that may still be malformed at run time). */
const isList = (v: unknown): boolean => Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

function fail(problem: string): never {
  throw new ArgumentError(`${OP}: ${problem}`);
}

/** The dtypes the unary kernel `op` takes (its definition's `input`). */
export function unaryInputDtypes(op: UnaryOp): readonly FusedDType[] {
  const input = unaryDef(op).input;
  return input === 'bool' ? ['bool'] : input === 'numeric' ? ['float32', 'int32'] : ['float32'];
}

/** The dtypes the binary kernel `op` takes (its definition's `kind` and `int`). */
export function binaryInputDtypes(op: BinaryOp): readonly FusedDType[] {
  const def = binaryDef(op);
  if (def.kind === 'logical') return ['bool'];
  if (def.kind === 'compare') return ['float32', 'int32', 'bool'];
  return def.int ? ['float32', 'int32'] : ['float32'];
}

/** Broadcasts shapes together (numpy rules); `what` names them in the error. */
function broadcastAll(shapes: readonly (readonly number[])[], what: string): number[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const j = rank - s.length + i;
      const d = s[i]!;
      if (d !== 1 && out[j] !== 1 && out[j] !== d) {
        fail(`${what}: shapes ${shapes.map(fmtShape).join(', ')} cannot be broadcast together`);
      }
      if (d !== 1) out[j] = d;
    }
  }
  return out;
}

/** Whether `shape` broadcasts to `target` without changing it. */
function broadcastsTo(shape: readonly number[], target: readonly number[]): boolean {
  if (shape.length > target.length) return false;
  const lead = target.length - shape.length;
  return shape.every((d, i) => d === 1 || d === target[lead + i]);
}

function checkShape(shape: unknown, what: string): readonly number[] {
  if (!Array.isArray(shape) || !shape.every(isCount)) fail(`${what} must be an array of non-negative integers, got ${JSON.stringify(shape) ?? String(shape)}`);
  return shape;
}

function checkDtype(dtype: unknown, what: string): FusedDType {
  if (!isDType(dtype) || dtype === 'float16') fail(`${what} must be 'float32', 'int32' or 'bool' (float16 runs unfused), got ${String(dtype)}`);
  return dtype;
}

/** Checks one instruction against the values before it and returns what its result is. */
function checkInstruction(ins: FusedInstruction, k: number, values: readonly FusedValueInfo[]): FusedValueInfo {
  const at = `instruction ${k} (${ins.kind}${'op' in ins ? ` ${String(ins.op)}` : ''})`;
  const operand = (i: unknown, name: string): FusedValueInfo => {
    if (!isCount(i) || i >= values.length) {
      fail(`${at}: operand ${name} is ${String(i)}, expected an index of an earlier value in 0..${values.length - 1}`);
    }
    return values[i]!;
  };
  const allow = (v: FusedValueInfo, name: string, dtypes: readonly DType[]): void => {
    if (!dtypes.includes(v.dtype)) fail(`${at}: operand ${name} is ${v.dtype}; the kernel takes ${dtypes.join(' / ')}`);
  };
  switch (ins.kind) {
    case 'unary': {
      if (!Object.hasOwn(UNARY_DEFS, ins.op)) fail(`${at}: unknown unary op ${String(ins.op)}`);
      const x = operand(ins.arg, 'arg');
      allow(x, 'arg', unaryInputDtypes(ins.op));
      if (ins.alpha !== undefined && !Number.isFinite(ins.alpha)) fail(`${at}: alpha must be a finite number, got ${String(ins.alpha)}`);
      return { dtype: x.dtype, shape: x.shape };
    }
    case 'binary': {
      if (!Object.hasOwn(BINARY_DEFS, ins.op)) fail(`${at}: unknown binary op ${String(ins.op)}`);
      if (!Array.isArray(ins.args) || ins.args.length !== 2) fail(`${at}: args must be two operand indices`);
      const a = operand(ins.args[0], 'a');
      const b = operand(ins.args[1], 'b');
      if (a.dtype !== b.dtype) fail(`${at}: operands a (${a.dtype}) and b (${b.dtype}) must share a dtype`);
      allow(a, 'a', binaryInputDtypes(ins.op));
      const want = binaryOutDtype(ins.op, a.dtype);
      if (ins.dtype !== want) fail(`${at}: dtype is ${String(ins.dtype)}, but the kernel gives ${want} for ${a.dtype} operands`);
      return { dtype: want, shape: broadcastAll([a.shape, b.shape], at) };
    }
    case 'where': {
      if (!Array.isArray(ins.args) || ins.args.length !== 3) fail(`${at}: args must be three operand indices (cond, a, b)`);
      const c = operand(ins.args[0], 'cond');
      const a = operand(ins.args[1], 'a');
      const b = operand(ins.args[2], 'b');
      allow(c, 'cond', ['bool']);
      if (a.dtype !== b.dtype) fail(`${at}: operands a (${a.dtype}) and b (${b.dtype}) must share a dtype`);
      return { dtype: a.dtype, shape: broadcastAll([c.shape, a.shape, b.shape], at) };
    }
    case 'cast': {
      const x = operand(ins.arg, 'arg');
      const dtype = checkDtype(ins.dtype, `${at}: dtype`);
      if (dtype === x.dtype) fail(`${at}: casts ${x.dtype} to itself (the cast kernel always changes the dtype)`);
      return { dtype, shape: x.shape };
    }
    case 'const': {
      if (typeof ins.value !== 'number') fail(`${at}: value must be a number, got ${String(ins.value)}`);
      return { dtype: checkDtype(ins.dtype, `${at}: dtype`), shape: [] };
    }
    default:
      return fail(`${at}: unknown instruction kind ${String((ins as { kind: unknown }).kind)}`);
  }
}

/**
 * Checks a fused elementwise program and returns, for each of its values (inputs first, then each
 * instruction's result), its dtype and own shape. Throws an ArgumentError naming `fusedElementwise`,
 * the instruction and the operand at fault for: shapes that are not arrays of counts or do not
 * broadcast to `outShape`, operand indices that do not name an earlier value, dtypes an op's kernel does
 * not take (or a result dtype other than the kernel's), casts to the same dtype, and missing or
 * repeated outputs.
 *
 * A program that passed is remembered (programs are immutable data, and a compiled step hands the same
 * program object to its backend at every replay): checking it again returns the same list at once, so
 * treat the list as read-only.
 */
export function validateFusedProgram(program: FusedElementwiseProgram): FusedValueInfo[] {
  const known = typeof program === 'object' && program !== null ? validated.get(program) : undefined;
  if (known) return known;
  const values = checkProgram(program);
  validated.set(program, values);
  return values;
}

/** Programs that passed the check, with their value facts. */
const validated = new WeakMap<FusedElementwiseProgram, FusedValueInfo[]>();

function checkProgram(program: FusedElementwiseProgram): FusedValueInfo[] {
  const outShape = checkShape(program.outShape, 'outShape');
  const { inputs, instructions } = program;
  if (!isList(inputs)) fail('inputs must be an array');
  const values: FusedValueInfo[] = inputs.map((input, i) => {
    const shape = checkShape(input.shape, `input ${i}'s shape`);
    const dtype = checkDtype(input.dtype, `input ${i}'s dtype`);
    if (!broadcastsTo(shape, outShape)) fail(`input ${i}'s shape ${fmtShape(shape)} does not broadcast to outShape ${fmtShape(outShape)}`);
    return { dtype, shape };
  });
  if (!isList(instructions) || instructions.length === 0) fail('the program has no instructions');
  instructions.forEach((ins, k) => values.push(checkInstruction(ins, k, values)));
  if (!Array.isArray(program.outputs) || program.outputs.length === 0) fail('the program has no outputs');
  const seen = new Set<number>();
  for (const o of program.outputs) {
    if (!isCount(o) || o >= values.length) fail(`output ${String(o)} is not a value index in 0..${values.length - 1}`);
    if (seen.has(o)) fail(`output ${o} is listed twice`);
    seen.add(o);
  }
  return values;
}
