/** How a replay runs an {@link EpilogueNode}: one epilogue kernel where the backend has it, else the kernel and then the program. */
import type { Backend } from '../backend/backend.js';
import type { FusedElementwiseProgram } from '../backend/fused-types.js';
import type { DataId, TensorRef } from '../backend/kernel-types.js';
import { EPILOGUE_METHODS } from './epilogue.js';
import { runEpilogueUnfused } from './epilogue-unfused.js';
import { runFusedUnfused } from './fused-unfused.js';
import type { EpilogueNode, KernelNode, ReducePrologueNode } from './program.js';
import type { DType } from '../dtype.js';
import type { ReduceOp } from '../backend/kernel-types.js';

type EpilogueMethod = (x: unknown, y: unknown, attrs: unknown, epilogue: FusedElementwiseProgram, extras: readonly TensorRef[]) => DataId[];

/**
 * Runs `node` on `backend`, setting the ids of its outputs in `ids`. `materialize` and `runKernel` are
 * the replay's own: rebuilding a recorded argument with this replay's ids, and running a kernel node.
 */
export function runEpilogueNode(
  backend: Backend, node: EpilogueNode, ids: (DataId | undefined)[],
  materialize: (arg: unknown, ids: readonly (DataId | undefined)[]) => unknown,
  runKernel: (backend: Backend, node: KernelNode, ids: (DataId | undefined)[]) => void,
): void {
  const { kernel, fused } = node;
  const extras = fused.inputs.slice(1).map((v, k): TensorRef => ({ id: ids[v]!, shape: fused.program.inputs[k + 1]!.shape, dtype: fused.program.inputs[k + 1]!.dtype }));
  const name = EPILOGUE_METHODS[kernel.method as keyof typeof EPILOGUE_METHODS];
  let outs: DataId[];
  if (backend[name]) {
    const [x, y, attrs] = kernel.args.map((a) => materialize(a, ids));
    outs = (backend as unknown as Record<typeof name, EpilogueMethod>)[name](x, y, attrs, fused.program, extras);
  } else {
    runKernel(backend, kernel, ids);
    try {
      // A single recorded kernel runs as it was recorded; a fused group as the fused kernel (or its steps).
      if (fused.nodes.length === 1) {
        runKernel(backend, fused.nodes[0]!, ids);
        return;
      }
      outs = runEpilogueUnfused(backend, ids[kernel.output]!, fused.program, extras);
    } finally {
      backend.dispose(ids[kernel.output]!);
      ids[kernel.output] = undefined;
    }
  }
  fused.outputs.forEach((v, k) => (ids[v] = outs[k]));
}

/**
 * Runs a {@link ReducePrologueNode}: one `reducePrologue` kernel where the backend has it, else the
 * program (fused where the backend can) and then the reduce on its output.
 */
export function runReducePrologueNode(
  backend: Backend, node: ReducePrologueNode, ids: (DataId | undefined)[],
  runKernel: (backend: Backend, node: KernelNode, ids: (DataId | undefined)[]) => void,
): void {
  const { fused, reduce } = node;
  const refs = fused.inputs.map((v, k): TensorRef => ({ id: ids[v]!, shape: fused.program.inputs[k]!.shape, dtype: fused.program.inputs[k]!.dtype }));
  const [op, x, outDtype] = reduce.args as [ReduceOp, TensorRef, DType];
  if (backend.reducePrologue) {
    ids[reduce.output] = backend.reducePrologue(op, fused.program, refs, x.shape as [number, number, number], outDtype);
    return;
  }
  const v = fused.outputs[0]!;
  // A single recorded kernel runs as it was recorded; a fused group as the fused kernel (or its steps).
  if (fused.nodes.length === 1) runKernel(backend, fused.nodes[0]!, ids);
  else ids[v] = (backend.fusedElementwise ? backend.fusedElementwise(fused.program, refs) : runFusedUnfused(backend, fused.program, refs))[0];
  try {
    runKernel(backend, reduce, ids);
  } finally {
    backend.dispose(ids[v]!);
    ids[v] = undefined;
  }
}
