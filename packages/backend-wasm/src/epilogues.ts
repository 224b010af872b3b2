/**
 * The epilogue kernels (`matmulEpilogue`, `conv2dEpilogue`, `pool2dEpilogue`, `reduceEpilogue`): the
 * plain kernel, then its elementwise program in the same backend call. Where the program compiles to
 * WebAssembly (fused-jit.ts) and does not hand the product out itself, the compiled loop writes its
 * first computed output over the product, in place (each element is read before it is written), so
 * the step allocates one buffer fewer and reads back the product it has just written; otherwise the
 * product goes through {@link WasmBackend.fusedElementwise} and is freed. Results are bit-identical to
 * the kernel followed by the program, which is what core's contract asks.
 */
import { checkEpilogue, type DataId, type EpilogueKernel, type FusedElementwiseProgram, type TensorRef } from '@scratchnet/core';
import { compiledProgram } from './fused.js';
import type { Runtime } from './runtime.js';
import { sizeOf } from './shapes.js';

/** What the epilogues need of the backend: its fused kernel and its storage. */
export interface EpilogueHost {
  fusedElementwise(program: FusedElementwiseProgram, inputs: readonly TensorRef[]): DataId[];
  dispose(id: DataId): void;
}

/**
 * Applies `epilogue` to `product` (a float32 kernel output this call now owns) with `extras` as the
 * program's other inputs, for kernel `op` (named in errors). Returns one new id per program output.
 */
export function runEpilogue(
  host: EpilogueHost, rt: Runtime, op: EpilogueKernel, product: DataId, epilogue: FusedElementwiseProgram, extras: readonly TensorRef[],
): DataId[] {
  let owned = true;
  try {
    const infos = checkEpilogue(op, epilogue, rt.get(product).length, extras);
    const inPlace = epilogue.outputs.findIndex((v) => v >= epilogue.inputs.length);
    const compiled = inPlace >= 0 && !epilogue.outputs.includes(0) && sizeOf(epilogue.outShape) > 0 ? compiledProgram(rt, epilogue, infos) : null;
    if (!compiled) return host.fusedElementwise(epilogue, [{ id: product, shape: epilogue.outShape, dtype: 'float32' }, ...extras]);
    const n = sizeOf(epilogue.outShape);
    const ids: DataId[] = [];
    try {
      for (const [j, v] of epilogue.outputs.entries()) ids.push(j === inPlace ? product : rt.create(infos[v]!.dtype, n));
    } catch (e) {
      for (const id of ids) if (id !== product) host.dispose(id);
      throw e;
    }
    owned = false;
    const inputs = [rt.get(product).ptr, ...extras.map((t) => rt.get(t.id).ptr)];
    compiled(...inputs, ...ids.map((id) => rt.get(id).ptr), n);
    return ids;
  } finally {
    if (owned) host.dispose(product);
  }
}
