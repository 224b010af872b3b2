import { nodeInputs, nodeOutputs, sinkValues, type Program, type ProgramNode } from './program.js';

/**
 * Dead-code elimination: drops kernel nodes whose results nothing reads (no later node, no returned
 * tensor, no Variable write). Effects and value checks always stay; a host producer whose result is
 * dead stays too but is marked `discard` (its producer still runs, so random streams advance exactly
 * as in eager mode, but nothing is written to the backend). Returns how many nodes were removed.
 */
export function eliminateDeadCode(program: Program): number {
  const live = sinkValues(program);
  const kept: ProgramNode[] = [];
  let removed = 0;
  for (let i = program.nodes.length - 1; i >= 0; i--) {
    const node = program.nodes[i]!;
    const outs = nodeOutputs(node);
    const used = outs.some((v) => live.has(v));
    if (node.kind === 'kernel' || node.kind === 'fused') {
      if (!used) {
        removed++;
        continue;
      }
    } else if (node.kind === 'host' && !used) {
      kept.push({ ...node, discard: true });
      continue;
    }
    for (const v of nodeInputs(node)) live.add(v);
    kept.push(node);
  }
  program.nodes = kept.reverse();
  return removed;
}
