/**
 * The checks and the reference of the epilogue kernels (`Backend.matmulEpilogue` / `conv2dEpilogue`):
 * what core sends them, and the same computation as the plain kernel followed by the fused program.
 */
import type { Backend } from '../backend/backend.js';
import type { FusedElementwiseProgram } from '../backend/fused-types.js';
import type { DataId, TensorRef } from '../backend/kernel-types.js';
import { ArgumentError, fmtShape } from '../errors.js';
import { sizeOf } from '../shape.js';
import { runFusedUnfused } from './fused-unfused.js';
import { validateFusedProgram, type FusedValueInfo } from './fused-validate.js';

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/** The epilogue kernels' names. */
export type EpilogueKernel = 'matmulEpilogue' | 'conv2dEpilogue' | 'pool2dEpilogue' | 'reduceEpilogue';

/**
 * Checks an epilogue program for a kernel whose output has `productSize` elements: a valid fused
 * program whose input 0 is float32 of shape `outShape` with that many elements, and one ref in
 * `extras` per other input, of the shape and dtype the program states. Returns what
 * {@link validateFusedProgram} returns. Throws an ArgumentError naming `op` otherwise.
 */
export function checkEpilogue(op: EpilogueKernel, epilogue: FusedElementwiseProgram, productSize: number, extras: readonly TensorRef[]): FusedValueInfo[] {
  const infos = validateFusedProgram(epilogue);
  const first = epilogue.inputs[0];
  if (!first || first.dtype !== 'float32' || !sameShape(first.shape, epilogue.outShape) || sizeOf(epilogue.outShape) !== productSize) {
    throw new ArgumentError(
      `${op}: the epilogue's input 0 must be the float32 product of shape outShape ${fmtShape(epilogue.outShape)} with ${productSize} elements, ` +
      `got ${first ? `${first.dtype} ${fmtShape(first.shape)}` : 'no input'}`,
    );
  }
  if (extras.length !== epilogue.inputs.length - 1) {
    throw new ArgumentError(`${op}: extras has ${extras.length} refs, the epilogue takes ${epilogue.inputs.length - 1} besides the product`);
  }
  extras.forEach((t, i) => {
    const want = epilogue.inputs[i + 1]!;
    if (t.dtype !== want.dtype || !sameShape(t.shape, want.shape)) {
      throw new ArgumentError(`${op}: extra ${i} is ${t.dtype} ${fmtShape(t.shape)}, the epilogue's input ${i + 1} is ${want.dtype} ${fmtShape(want.shape)}`);
    }
  });
  return infos;
}

/**
 * Applies `epilogue` to a kernel's output `product` (data of the program's outShape, float32) on
 * `backend`: its fused kernel where it has one, else one unfused kernel per step. `product` stays the
 * caller's. Returns one new data id per program output.
 */
export function runEpilogueUnfused(backend: Backend, product: DataId, epilogue: FusedElementwiseProgram, extras: readonly TensorRef[]): DataId[] {
  const refs: TensorRef[] = [{ id: product, shape: epilogue.outShape, dtype: 'float32' }, ...extras];
  return backend.fusedElementwise ? backend.fusedElementwise(epilogue, refs) : runFusedUnfused(backend, epilogue, refs);
}
