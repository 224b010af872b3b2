/**
 * Reduction prologues: an elementwise node (one kernel or a fused group) whose only output only a
 * reduce reads (a product summed for a gradient, a square summed for a variance) becomes one
 * {@link ReducePrologueNode}, which a backend with `reducePrologue` runs as one kernel whose reduction
 * computes each element as it reads it, so the elementwise result never goes to memory. A backend
 * without the capability runs the program and then the reduce.
 */
import type { TensorRef } from '../backend/kernel-types.js';
import { sizeOf } from '../shape.js';
import { singleFused } from './fuse.js';
import { replaceNodes, sinkValues, valueReaders, type Program, type ReducePrologueNode } from './program.js';

/**
 * Attaches to each reduce kernel node the elementwise node that makes its input, where that is the
 * elementwise node's only output and nothing else reads it (nor returns it, nor writes it to a
 * Variable). The pair becomes one {@link ReducePrologueNode} at the reduce's place. Returns the number made.
 */
export function attachReducePrologues(program: Program): number {
  const nodes = program.nodes;
  const sinks = sinkValues(program);
  const readers = valueReaders(nodes);
  const madeBy = new Map<number, number>();
  nodes.forEach((node, i) => {
    if (node.kind === 'kernel') madeBy.set(node.output, i);
    else if (node.kind === 'fused' && node.outputs.length === 1) madeBy.set(node.outputs[0]!, i);
  });
  const replaced = new Map<number, ReducePrologueNode | null>();
  nodes.forEach((node, j) => {
    if (node.kind !== 'kernel' || node.method !== 'reduce') return;
    const x = node.args[1] as TensorRef & { value: number };
    const i = madeBy.get(x.value);
    if (i === undefined || replaced.has(i) || sinks.has(x.value) || readers.get(x.value)!.some((r) => r !== j)) return;
    const producer = nodes[i]!;
    const fused = producer.kind === 'fused' ? producer : singleFused(producer, program.scalarConstants);
    if (!fused || sizeOf(fused.program.outShape) !== sizeOf(x.shape)) return;
    replaced.set(i, null);
    replaced.set(j, { kind: 'prologue', fused, reduce: node, inputs: fused.inputs, outputs: [node.output] });
  });
  if (replaced.size === 0) return 0;
  replaceNodes(program, replaced);
  return replaced.size / 2;
}

