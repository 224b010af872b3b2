/**
 * Runs a fused elementwise program one ordinary kernel per step: the fallback for a backend without
 * `fusedElementwise` (or for a program its fused kernel does not take), and the reference the fused
 * kernels are tested against (the same steps, each through the backend's own unfused kernel).
 */
import type { Backend } from '../backend/backend.js';
import type { FusedElementwiseProgram, FusedInstruction } from '../backend/fused-types.js';
import type { DataId, TensorRef } from '../backend/kernel-types.js';
import { allocArray } from '../dtype.js';
import { ArgumentError, fmtShape } from '../errors.js';
import { unaryDef } from '../ops/defs/unary-defs.js';
import { broadcastStrides, sizeOf } from '../shape.js';
import { validateFusedProgram, type FusedValueInfo } from './fused-validate.js';

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/** The unary attributes core's op passes for an instruction: alpha only for ops whose definition has one. */
export function fusedUnaryAlpha(ins: Extract<FusedInstruction, { kind: 'unary' }>): number | undefined {
  const def = unaryDef(ins.op);
  return 'alpha' in def ? ins.alpha ?? def.alpha : undefined;
}

/** Calls the backend's unfused kernel for one instruction on the refs of its operands. */
function runStep(backend: Backend, ins: FusedInstruction, info: FusedValueInfo, ref: (i: number) => TensorRef): DataId {
  switch (ins.kind) {
    case 'unary': {
      const alpha = fusedUnaryAlpha(ins);
      return backend.unary(ins.op, ref(ins.arg), info.dtype, alpha === undefined ? {} : { alpha });
    }
    case 'binary':
      return backend.binary(ins.op, ref(ins.args[0]), ref(ins.args[1]), info.shape, info.dtype);
    case 'where':
      return backend.where(ref(ins.args[0]), ref(ins.args[1]), ref(ins.args[2]), info.shape);
    case 'cast':
      return backend.cast(ref(ins.arg), ins.dtype);
    case 'const': {
      const values = allocArray(ins.dtype, 1);
      values[0] = ins.dtype === 'bool' ? (ins.value !== 0 ? 1 : 0) : ins.value;
      return backend.write(values, ins.dtype);
    }
  }
}

/**
 * Runs `program` on `backend` one unfused kernel per instruction (unary, binary, where, cast, a
 * one-element write per constant), each value keeping its own broadcast shape, then broadcasts each
 * output to `outShape` with `copy` where its shape differs. Returns one new data id per output;
 * intermediates are disposed, also when a kernel throws. `inputs` hold one ref per program input.
 */
export function runFusedUnfused(backend: Backend, program: FusedElementwiseProgram, inputs: readonly TensorRef[]): DataId[] {
  const infos = validateFusedProgram(program);
  checkFusedInputs(program, inputs);
  const { outShape } = program;
  if (sizeOf(outShape) === 0) return program.outputs.map((o) => backend.write(allocArray(infos[o]!.dtype, 0), infos[o]!.dtype));
  const nIn = inputs.length;
  const ids: DataId[] = inputs.map((t) => t.id);
  const ref = (i: number): TensorRef => ({ id: ids[i]!, shape: infos[i]!.shape, dtype: infos[i]!.dtype });
  const kept = new Set<number>();
  const results: DataId[] = [];
  try {
    program.instructions.forEach((ins, k) => ids.push(runStep(backend, ins, infos[nIn + k]!, ref)));
    for (const o of program.outputs) {
      const info = infos[o]!;
      if (o >= nIn && sameShape(info.shape, outShape)) {
        kept.add(o);
        results.push(ids[o]!);
      } else {
        results.push(backend.copy(ref(o), { shape: [...outShape], strides: broadcastStrides(info.shape, outShape), offset: 0 }));
      }
    }
  } catch (e) {
    // The copies made so far are new data; the kept intermediates are disposed below with the rest.
    for (const id of results) if (!ids.includes(id)) backend.dispose(id);
    kept.clear();
    throw e;
  } finally {
    for (let v = nIn; v < ids.length; v++) if (!kept.has(v)) backend.dispose(ids[v]!);
  }
  return results;
}

/** Checks that `inputs` match the program's inputs in number, shape and dtype (an ArgumentError otherwise). */
export function checkFusedInputs(program: FusedElementwiseProgram, inputs: readonly TensorRef[]): void {
  if (inputs.length !== program.inputs.length) {
    throw new ArgumentError(`fusedElementwise: inputs has ${inputs.length} refs, the program takes ${program.inputs.length}`);
  }
  inputs.forEach((t, i) => {
    const want = program.inputs[i]!;
    if (t.dtype !== want.dtype || !sameShape(t.shape, want.shape)) {
      throw new ArgumentError(
        `fusedElementwise: input ${i} is ${t.dtype} ${fmtShape(t.shape)}, the program says ${want.dtype} ${fmtShape(want.shape)}`,
      );
    }
  });
}
