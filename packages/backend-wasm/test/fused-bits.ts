/** What the fused-program tests share: outputs as bit lists, and a program run fused and unfused. */
import { runFusedUnfused, type DataId, type FusedElementwiseProgram, type TensorRef, type TypedArray } from '@scratchnet/core';
import type { WasmBackend } from '../src/index.js';

/** Each element's bits, every NaN as one value. */
export const bits = (a: TypedArray): number[] =>
  a instanceof Float32Array ? Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length), (b, i) => (Number.isNaN(a[i]) ? -1 : b)) : Array.from(a);

/** Runs `program` fused and unfused on `backend` and returns both outputs' bits. */
export function both(backend: WasmBackend, program: FusedElementwiseProgram, values: readonly TypedArray[]): { fused: number[][]; plain: number[][] } {
  const refs: TensorRef[] = program.inputs.map((x, i) => ({ id: backend.write(values[i]!, x.dtype), shape: x.shape, dtype: x.dtype }));
  const read = (ids: DataId[]): number[][] => ids.map((id) => {
    const out = bits(backend.readSync(id));
    backend.dispose(id);
    return out;
  });
  const fused = read(backend.fusedElementwise(program, refs));
  const plain = read(runFusedUnfused(backend, program, refs));
  for (const r of refs) backend.dispose(r.id);
  return { fused, plain };
}
