/**
 * Random fused elementwise programs for the conformance suite: chains of 1–12 steps over 1–4 inputs
 * that broadcast to the output shape, with dtypes mixed through casts, comparisons and where, constants
 * among the operands, and inputs that hold NaN, ±Infinity, ±0 and extreme values.
 */
import type { FusedElementwiseProgram, FusedInstruction } from '../backend/fused-types.js';
import { binaryInputDtypes, unaryInputDtypes } from '../compile/fused-validate.js';
import { allocArray, type TypedArray } from '../dtype.js';
import type { FusedDType } from '../backend/fused-types.js';
import { BINARY_OPS, binaryOutDtype } from '../ops/defs/binary-defs.js';
import { UNARY_OPS, unaryDef } from '../ops/defs/unary-defs.js';
import type { BinaryOp, UnaryOp } from '../backend/kernel-types.js';
import type { SuiteRng } from './prng.js';

/** A step a program must contain at least once. */
export type FusedFocus =
  | { readonly kind: 'unary'; readonly op: UnaryOp }
  | { readonly kind: 'binary'; readonly op: BinaryOp }
  | { readonly kind: 'where' | 'cast' | 'const' };

/** A random program and the values of its inputs. */
export interface RandomFusedProgram {
  readonly program: FusedElementwiseProgram;
  readonly inputs: readonly TypedArray[];
}

const DTYPES: readonly FusedDType[] = ['float32', 'int32', 'bool'];
const FLOAT_SPECIALS = [NaN, Infinity, -Infinity, 0, -0, 1, -1, 0.5, 2, 1e30, -1e30, 1e-30, 3.4e38, 1e-40];
const INT_SPECIALS = [0, 1, -1, 2147483647, -2147483648, 100000, -65536, 31, 32];

const pickOf = <T>(rng: SuiteRng, items: readonly T[]): T => items[Math.floor(rng.next() * items.length)]!;

/** One random value of `dtype`: mostly ordinary, sometimes special. */
function randomValue(rng: SuiteRng, dtype: FusedDType): number {
  if (dtype === 'bool') return rng.next() < 0.5 ? 1 : 0;
  if (dtype === 'int32') return rng.next() < 0.15 ? pickOf(rng, INT_SPECIALS) : rng.int(-9, 9);
  return rng.next() < 0.2 ? pickOf(rng, FLOAT_SPECIALS) : Math.fround(rng.normal() * 2);
}

/** An output shape: rank 0–3 with small dimensions, or (one in five) a long one that spans several tiles of a tiled kernel. */
function randomOutShape(rng: SuiteRng): number[] {
  if (rng.next() < 0.2) return rng.next() < 0.5 ? [rng.int(2100, 5000)] : [rng.int(2, 3), rng.int(700, 1500)];
  return Array.from({ length: rng.int(0, 3) }, () => rng.int(1, 5));
}

/** A shape that broadcasts to `out`: some leading axes dropped, some axes set to 1. */
function broadcastingShape(rng: SuiteRng, out: readonly number[]): number[] {
  const drop = rng.next() < 0.3 ? rng.int(0, out.length) : 0;
  return out.slice(drop).map((d) => (rng.next() < 0.3 ? 1 : d));
}

/** Builds a program step by step, making operands of the dtypes an op needs out of what exists. */
class ProgramBuilder {
  readonly dtypes: FusedDType[] = [];
  readonly instructions: FusedInstruction[] = [];

  constructor(private readonly rng: SuiteRng, inputDtypes: readonly FusedDType[]) {
    this.dtypes.push(...inputDtypes);
  }

  private push(ins: FusedInstruction, dtype: FusedDType): number {
    this.instructions.push(ins);
    this.dtypes.push(dtype);
    return this.dtypes.length - 1;
  }

  /** An index of a value of `dtype`: an existing one, or a cast of another value, or a constant. */
  operand(dtype: FusedDType): number {
    const rng = this.rng;
    const have = this.dtypes.flatMap((d, i) => (d === dtype ? [i] : []));
    if (have.length > 0 && rng.next() < 0.85) return pickOf(rng, have);
    const others = this.dtypes.flatMap((d, i) => (d !== dtype ? [i] : []));
    if (others.length > 0 && rng.next() < 0.7) return this.push({ kind: 'cast', arg: pickOf(rng, others), dtype }, dtype);
    return this.constant(dtype);
  }

  constant(dtype: FusedDType): number {
    return this.push({ kind: 'const', value: randomValue(this.rng, dtype), dtype }, dtype);
  }

  unary(op: UnaryOp): number {
    const dtype = pickOf(this.rng, unaryInputDtypes(op));
    const arg = this.operand(dtype);
    const def = unaryDef(op);
    const alpha = 'alpha' in def && this.rng.next() < 0.5 ? Math.fround(this.rng.uniform(-1, 2)) : undefined;
    return this.push(alpha === undefined ? { kind: 'unary', op, arg } : { kind: 'unary', op, arg, alpha }, dtype);
  }

  binary(op: BinaryOp): number {
    const dtype = pickOf(this.rng, binaryInputDtypes(op));
    const a = this.operand(dtype);
    const b = this.operand(dtype);
    const out = binaryOutDtype(op, dtype) as FusedDType;
    return this.push({ kind: 'binary', op, args: [a, b], dtype: out }, out);
  }

  where(): number {
    const cond = this.operand('bool');
    const dtype = pickOf(this.rng, DTYPES);
    const a = this.operand(dtype);
    const b = this.operand(dtype);
    return this.push({ kind: 'where', args: [cond, a, b] }, dtype);
  }

  cast(): number {
    const arg = this.rng.int(0, this.dtypes.length - 1);
    const dtype = pickOf(this.rng, DTYPES.filter((d) => d !== this.dtypes[arg]));
    return this.push({ kind: 'cast', arg, dtype }, dtype);
  }

  step(focus: FusedFocus): number {
    switch (focus.kind) {
      case 'unary': return this.unary(focus.op);
      case 'binary': return this.binary(focus.op);
      case 'where': return this.where();
      case 'cast': return this.cast();
      case 'const': return this.constant(pickOf(this.rng, DTYPES));
    }
  }

  randomStep(): number {
    const r = this.rng.next();
    if (r < 0.4) return this.unary(pickOf(this.rng, UNARY_OPS));
    if (r < 0.8) return this.binary(pickOf(this.rng, BINARY_OPS));
    if (r < 0.9) return this.where();
    return this.cast();
  }
}

/**
 * A random program with 1–12 chosen steps (plus the casts and constants made for their operands),
 * `focus` among them, over 1–4 inputs, and the inputs' values. Its outputs are the last value and up
 * to two others (an input among them now and then). With `product` (an epilogue's program), input 0 is
 * float32 of that shape, which is also the output shape.
 */
export function randomFusedProgram(rng: SuiteRng, focus: FusedFocus, product?: readonly number[]): RandomFusedProgram {
  const outShape = product ? [...product] : randomOutShape(rng);
  const nInputs = rng.int(1, 4);
  const inputs = Array.from({ length: nInputs }, (_, i) => (product && i === 0 ? { shape: [...product], dtype: 'float32' as const } : {
    shape: broadcastingShape(rng, outShape),
    dtype: rng.next() < 0.7 ? 'float32' as const : pickOf(rng, DTYPES),
  }));
  const b = new ProgramBuilder(rng, inputs.map((x) => x.dtype));
  const steps = rng.int(1, 12);
  const at = rng.int(0, steps - 1);
  for (let s = 0; s < steps; s++) {
    if (s === at) b.step(focus);
    else b.randomStep();
  }
  const last = b.dtypes.length - 1;
  const outputs = [last];
  for (let extra = rng.int(0, 2); extra > 0; extra--) {
    const v = rng.int(0, last);
    if (!outputs.includes(v)) outputs.push(v);
  }
  const values = inputs.map((x) => {
    const n = x.shape.reduce((p, d) => p * d, 1);
    const arr = allocArray(x.dtype, n);
    for (let i = 0; i < n; i++) arr[i] = randomValue(rng, x.dtype);
    return arr;
  });
  return { program: { inputs, outShape, instructions: b.instructions, outputs }, inputs: values };
}
