/**
 * Epilogue fusion: a matmul, conv2d, pool2d or reduce whose float32 output only an elementwise program
 * reads (a bias add, an activation, a residual add, a scale, a mean's division — one kernel or a fused
 * group) becomes one {@link EpilogueNode}, which a backend with `matmulEpilogue` / `conv2dEpilogue` /
 * `pool2dEpilogue` / `reduceEpilogue` runs as one kernel that applies the program as it stores each
 * output element, so the kernel's own output never goes to memory. A backend without the
 * capability runs the kernel and then the program, as before the pass.
 */
import { mapOperands } from './map-operands.js';
import type { FusedElementwiseProgram } from '../backend/fused-types.js';
import { sizeOf } from '../shape.js';
import { singleFused } from './fuse.js';
import { replaceNodes, sinkValues, valueReaders, type EpilogueNode, type FusedNode, type KernelNode, type Program, type ProgramNode } from './program.js';

/** Kernel methods with an epilogue capability, and its name on the Backend (each takes the kernel's three arguments, then the program and extras). */
export const EPILOGUE_METHODS = { matmul: 'matmulEpilogue', conv2d: 'conv2dEpilogue', pool2d: 'pool2dEpilogue', reduce: 'reduceEpilogue' } as const;

/** A kernel whose epilogue method a backend may have: float32 in (float16 kernels round through float32 themselves) and out. */
function isProducer(node: ProgramNode, program: Program): node is KernelNode {
  return node.kind === 'kernel' && Object.hasOwn(EPILOGUE_METHODS, node.method) && program.values[node.output]!.dtype === 'float32' &&
    node.inputs.every((v) => program.values[v]!.dtype === 'float32');
}

/** `program` with its input `k` moved first (operand and output indices renumbered to match). */
export function moveInputFirst(program: FusedElementwiseProgram, k: number): FusedElementwiseProgram {
  const n = program.inputs.length;
  const at = (i: number): number => (i >= n || i > k ? i : i === k ? 0 : i + 1);
  const instructions = program.instructions.map((ins) => mapOperands(ins, at));
  return {
    inputs: [program.inputs[k]!, ...program.inputs.filter((_, i) => i !== k)],
    outShape: program.outShape,
    instructions,
    outputs: program.outputs.map(at),
  };
}

/** The epilogue node of `kernel` feeding input `k` of `fused`. */
function epilogueNode(kernel: KernelNode, fused: FusedNode, k: number): EpilogueNode {
  const moved = moveInputFirst(fused.program, k);
  // The product is read whole (same size as the program's outShape): give it that shape exactly.
  const program: FusedElementwiseProgram = { ...moved, inputs: [{ shape: [...moved.outShape], dtype: 'float32' }, ...moved.inputs.slice(1)] };
  const inputs = [fused.inputs[k]!, ...fused.inputs.filter((_, i) => i !== k)];
  return {
    kind: 'epilogue', kernel,
    fused: { kind: 'fused', program, inputs, outputs: fused.outputs, nodes: fused.nodes },
    inputs: [...kernel.inputs, ...inputs.slice(1)],
    outputs: fused.outputs,
  };
}

/**
 * Attaches to each matmul / conv2d / pool2d / reduce kernel node (float32 output) the elementwise node (kernel or fused group)
 * that is the only reader of its output, where that output is not returned nor written to a Variable
 * and the elementwise node reads it whole (no broadcast). The pair becomes one {@link EpilogueNode} at
 * the elementwise node's place (every input of the kernel is still there then). Returns the number made.
 */
export function attachEpilogues(program: Program): number {
  const nodes = program.nodes;
  const sinks = sinkValues(program);
  const readers = valueReaders(nodes);
  const producerAt = new Map<number, number>();
  nodes.forEach((node, i) => {
    if (isProducer(node, program)) producerAt.set(node.output, i);
  });
  const replaced = new Map<number, EpilogueNode | null>();
  nodes.forEach((node, j) => {
    if (node.kind !== 'kernel' && node.kind !== 'fused') return;
    if (node.kind === 'kernel' && !node.inputs.some((v) => producerAt.has(v))) return;
    const fused = node.kind === 'fused' ? node : singleFused(node, program.scalarConstants);
    if (!fused) return;
    const n = sizeOf(fused.program.outShape);
    for (let k = 0; k < fused.inputs.length; k++) {
      const v = fused.inputs[k]!;
      const i = producerAt.get(v);
      if (i === undefined || replaced.has(i) || sinks.has(v) || readers.get(v)!.some((r) => r !== j)) continue;
      if (fused.program.inputs[k]!.dtype !== 'float32' || sizeOf(fused.program.inputs[k]!.shape) !== n) continue;
      replaced.set(i, null);
      replaced.set(j, epilogueNode(nodes[i] as KernelNode, fused, k));
      break;
    }
  });
  if (replaced.size === 0) return 0;
  replaceNodes(program, replaced);
  return replaced.size / 2;
}
