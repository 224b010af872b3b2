import type { Backend } from '../backend/backend.js';
import type { DataId, TensorRef } from '../backend/kernel-types.js';
import { allocArray, type DType } from '../dtype.js';
import { kernelBackend, makeTensorFromData, refOn } from '../engine/engine.js';
import { sizeOf, type Shape } from '../shape.js';
import { float16Upcast } from './float16-upcast.js';
import type { Tensor } from '../tensor.js';

/**
 * Runs one backend kernel: moves the inputs to the active backend, calls `call`, and wraps the
 * result as a new tensor of `outShape` / `outDtype`. Size-0 outputs skip the kernel. A call touching
 * float16 goes through {@link float16Upcast}, which runs kernels the backend lacks in float32.
 * `args` names each input for error messages.
 */
export function runKernel(
  op: string,
  inputs: readonly Tensor[],
  args: readonly string[],
  outShape: Shape,
  outDtype: DType,
  call: (backend: Backend, refs: TensorRef[]) => DataId,
): Tensor {
  const { name, backend } = kernelBackend(op);
  const refs = inputs.map((t, i) => refOn(t, name, backend, op, args[i] ?? `input ${i}`));
  if (sizeOf(outShape) === 0) return makeTensorFromData(name, backend, backend.write(allocArray(outDtype, 0), outDtype), outShape, outDtype);
  const half = outDtype === 'float16' || refs.some((r) => r.dtype === 'float16');
  const id = call(half ? float16Upcast(backend, outShape, outDtype) : backend, refs);
  return makeTensorFromData(name, backend, id, outShape, outDtype);
}
