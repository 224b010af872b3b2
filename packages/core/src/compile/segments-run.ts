/**
 * Running a segmented program: the per-segment program a backend's `fusedElementwiseSegments` means,
 * the argument checks every backend makes, and how a replay runs a {@link SegmentedNode}.
 */
import type { Backend } from '../backend/backend.js';
import type { FusedElementwiseProgram, FusedSegment } from '../backend/fused-types.js';
import type { DataId, TensorRef } from '../backend/kernel-types.js';
import { ArgumentError, fmtShape } from '../errors.js';
import { sizeOf } from '../shape.js';
import type { FusedNode, SegmentedNode } from './program.js';

const bySize = new WeakMap<FusedElementwiseProgram, Map<number, FusedElementwiseProgram>>();

/**
 * The program segment `size` of a flat program runs: outShape [size], each input [size] where the flat
 * program's is [N], [1] where it is [1] (where N is 1, every input is read whole; cached, so the same object comes back for the same size).
 */
export function segmentProgram(program: FusedElementwiseProgram, size: number): FusedElementwiseProgram {
  let sizes = bySize.get(program);
  if (!sizes) bySize.set(program, (sizes = new Map<number, FusedElementwiseProgram>()));
  let p = sizes.get(size);
  if (!p) {
    const n = sizeOf(program.outShape);
    p = n === size ? program : {
      inputs: program.inputs.map((x) => ({ shape: [sizeOf(x.shape) === 1 && n !== 1 ? 1 : size], dtype: x.dtype })),
      outShape: [size],
      instructions: program.instructions,
      outputs: program.outputs,
    };
    sizes.set(size, p);
  }
  return p;
}

/**
 * Checks the arguments of `fusedElementwiseSegments`: a flat program (outShape [N], inputs [N] or [1]),
 * and per segment a whole number size ≥ 1 and refs matching {@link segmentProgram}'s inputs (an
 * ArgumentError naming the segment and input otherwise).
 */
export function checkFusedSegments(program: FusedElementwiseProgram, segments: readonly FusedSegment[]): void {
  const n = program.outShape.length === 1 ? program.outShape[0]! : -1;
  if (n < 1 || program.inputs.some((x) => x.shape.length !== 1 || (x.shape[0] !== n && x.shape[0] !== 1))) {
    throw new ArgumentError(
      `fusedElementwiseSegments: program must be flat (outShape [N], inputs [N] or [1]), got outShape ${fmtShape(program.outShape)}, inputs ${program.inputs.map((x) => fmtShape(x.shape)).join(' ')}`,
    );
  }
  segments.forEach((segment, s) => {
    if (!Number.isInteger(segment.size) || segment.size < 1) throw new ArgumentError(`fusedElementwiseSegments: segment ${s} size must be a whole number ≥ 1, got ${segment.size}`);
    const want = segmentProgram(program, segment.size).inputs;
    if (segment.inputs.length !== want.length) throw new ArgumentError(`fusedElementwiseSegments: segment ${s} has ${segment.inputs.length} refs, the program takes ${want.length}`);
    segment.inputs.forEach((t, k) => {
      const w = want[k]!;
      if (t.dtype !== w.dtype || t.shape.length !== 1 || t.shape[0] !== w.shape[0]) {
        throw new ArgumentError(`fusedElementwiseSegments: segment ${s} input ${k} is ${t.dtype} ${fmtShape(t.shape)}, the program says ${w.dtype} ${fmtShape(w.shape)}`);
      }
    });
  });
}

/**
 * Runs a segmented node, setting the ids of its outputs: one `fusedElementwiseSegments` call where the
 * backend has it, else each segment's own fused node through `runFused` (the replay's fused step).
 */
export function runSegmentedNode(
  backend: Backend, node: SegmentedNode, ids: (DataId | undefined)[],
  runFused: (backend: Backend, node: FusedNode, ids: (DataId | undefined)[]) => void,
): void {
  if (!backend.fusedElementwiseSegments) {
    for (const segment of node.segments) runFused(backend, segment, ids);
    return;
  }
  const { program } = node;
  const segments = node.segments.map((f, s): FusedSegment => {
    const size = node.sizes[s]!;
    const flat = segmentProgram(program, size).inputs;
    return { size, inputs: f.inputs.map((v, k): TensorRef => ({ id: ids[v]!, shape: flat[k]!.shape, dtype: flat[k]!.dtype })) };
  });
  const outs = backend.fusedElementwiseSegments(program, segments);
  node.segments.forEach((f, s) => f.outputs.forEach((v, j) => (ids[v] = outs[s]![j])));
}
