import type { Backend } from '../backend/backend.js';
import type { DataId, TensorRef } from '../backend/kernel-types.js';
import { allocArray, type DType } from '../dtype.js';
import { kernelBackend, makeTensorFromData, refOn } from '../engine/engine.js';
import { activeRecorder } from '../engine/recording.js';
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
  const rec = activeRecorder(); // compile: the kernel runs on a proxy that records it
  const be = rec ? rec.kernelBackend(op, backend, inputs, refs) : backend;
  // float16 data meets a kernel the backend lacks on float16: it runs in float32 between casts.
  const half = outDtype === 'float16' || refs.some((r) => r.dtype === 'float16');
  const id = sizeOf(outShape) === 0 ? be.write(allocArray(outDtype, 0), outDtype) : call(half ? float16Upcast(be, outShape, outDtype) : be, refs);
  const out = makeTensorFromData(name, backend, id, outShape, outDtype);
  rec?.kernelOutput(out, id);
  return out;
}
