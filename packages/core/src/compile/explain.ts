import { fmtShape } from '../errors.js';
import type { BufferPlan } from './plan.js';
import type { FusedNode, Program, ProgramNode } from './program.js';

/** Facts about one recorded program. */
export interface ProgramReport {
  /** The compiled function's name. */
  readonly name: string;
  readonly backend: string;
  /** Kernel calls as recorded (host writes and effects not counted). */
  readonly kernelsRecorded: number;
  /** Kernel calls removed as dead code. */
  readonly deadKernels: number;
  /** Kernel launches per replay where the backend fuses (a fused group counts once). */
  readonly kernelsFused: number;
  /** Fused groups and the kernels they hold. */
  readonly fusedGroups: number;
  readonly fusedKernels: number;
  /** Matmul / conv2d / pool2d / reduce kernels run with the elementwise program after them as one kernel (epilogue fusion). */
  readonly epilogues: number;
  /** Reductions run with the elementwise program before them as one kernel (reduction prologues). */
  readonly prologues: number;
  /** Segmented launches (one program over several segments, compile/segments.ts) and the segments they hold. */
  readonly segmentedGroups: number;
  readonly segments: number;
  /** Host producers, effects and value checks per replay. */
  readonly hostNodes: number;
  /** Inputs, Variables read, Variables written, constants held. */
  readonly inputs: number;
  readonly variablesRead: number;
  readonly variablesWritten: number;
  readonly constants: number;
  /** The buffer plan. */
  readonly plan: Omit<BufferPlan, 'freeAfter' | 'owned' | 'sinks'>;
  /** The printout. */
  readonly text: string;
}

/** `fused[n: step·step·…]`. */
function fusedLabel(node: FusedNode): string {
  return `fused[${node.nodes.length}: ${node.nodes.map((k) => (typeof k.args[0] === 'string' ? k.args[0] : k.method)).join('·')}]`;
}

function describeNode(node: ProgramNode, program: Program): string {
  const shapeOf = (v: number): string => fmtShape(program.values[v]!.shape);
  switch (node.kind) {
    case 'kernel': {
      const sub = typeof node.args[0] === 'string' && node.method !== node.args[0] ? `(${node.args[0]})` : '';
      return `${node.method}${sub} ${node.inputs.map((v) => `%${v}`).join(' ')} -> %${node.output} ${shapeOf(node.output)}  [${node.op}]`;
    }
    case 'host':
      return `host ${node.discard ? '(discarded) ' : ''}-> %${node.output} ${shapeOf(node.output)}`;
    case 'effect':
      return 'effect';
    case 'check':
      return `check(${node.op}) %${node.input}`;
    case 'fused': {
      return `${fusedLabel(node)} ${node.inputs.map((v) => `%${v}`).join(' ')} -> ${node.outputs.map((v) => `%${v}`).join(' ')} ${fmtShape(node.program.outShape)}`;
    }
    case 'prologue':
      return `${describeNode(node.fused, program)} then reduce(${String(node.reduce.args[0])}) -> %${node.reduce.output} ${shapeOf(node.reduce.output)}`;
    case 'segmented':
      return `segmented ${fusedLabel(node.segments[0]!)} ×${node.segments.length} segments (${node.sizes.join(' + ')} elements) ${node.segments
        .map((f) => `${f.inputs.map((v) => `%${v}`).join(' ')} -> ${f.outputs.map((v) => `%${v}`).join(' ')}`).join('; ')}`;
    case 'epilogue':
      return `${node.kernel.method}+epilogue ${node.kernel.inputs.map((v) => `%${v}`).join(' ')} (%${node.kernel.output}) then ${describeNode(node.fused, program)}`;
  }
}

function kernelCount(nodes: readonly ProgramNode[]): number {
  return nodes.filter((n) => n.kind === 'kernel' || n.kind === 'fused' || n.kind === 'epilogue' || n.kind === 'prologue' || n.kind === 'segmented').length;
}

/** Builds the report (and printout) of a program: `recorded` are its nodes before dead-code elimination and fusion. */
export function programReport(name: string, recorded: readonly ProgramNode[], program: Program, plan: BufferPlan, deadKernels: number): ProgramReport {
  const epilogues = program.nodes.filter((n) => n.kind === 'epilogue');
  const prologues = program.nodes.filter((n) => n.kind === 'prologue');
  const segmented = program.nodes.filter((n) => n.kind === 'segmented');
  const segments = segmented.reduce((s, n) => s + n.segments.length, 0);
  // Fused groups: elementwise fusion's (two or more kernels), also where an epilogue or prologue holds one.
  const fused = [
    ...program.nodes.filter((n) => n.kind === 'fused'), ...segmented.flatMap((n) => n.segments).filter((f) => f.nodes.length > 1),
    ...[...epilogues, ...prologues].map((n) => n.fused).filter((f) => f.nodes.length > 1),
  ];
  const mib = (b: number): string => `${(b / 1024).toFixed(1)} KiB`;
  const lines: string[] = [];
  const kernelsRecorded = kernelCount(recorded);
  const kernelsFused = kernelCount(program.nodes);
  const fusedKernels = fused.reduce((s, n) => s + n.nodes.length, 0);
  lines.push(`compiled '${name}' on ${program.backendName}: ${program.inputs.length} inputs, ${program.variableReads.length} Variables read, ${program.variableWrites.length} written, ${program.constants.length} constants`);
  lines.push(`kernels: ${kernelsRecorded} recorded, ${deadKernels} dead, ${kernelsFused} after fusion (${fused.length} fused groups holding ${fusedKernels} kernels; ${epilogues.length} epilogues of a matmul, conv2d, pool2d or reduce, ${prologues.length} prologues of a reduce; ${segmented.length} segmented launches holding ${segments} segments)`);
  lines.push(`buffers per replay: ${plan.allocations} allocations, ${mib(plan.allocatedBytes)}; peak intermediates ${mib(plan.peakBytes)}; ${plan.reusable} allocations a size pool could reuse; bytes moved ${mib(plan.bytesMoved)}`);
  lines.push('-- recorded --');
  recorded.forEach((n, i) => lines.push(`${String(i).padStart(4)}  ${describeNode(n, program)}`));
  lines.push('-- after dead-code elimination and fusion (frees after each step) --');
  program.nodes.forEach((n, i) => {
    const frees = plan.freeAfter[i]!;
    lines.push(`${String(i).padStart(4)}  ${describeNode(n, program)}${frees.length ? `   free ${frees.map((v) => `%${v}`).join(' ')}` : ''}`);
  });
  const { freeAfter: _f, owned: _o, sinks: _s, ...figures } = plan;
  return {
    name, backend: program.backendName, kernelsRecorded, deadKernels, kernelsFused, fusedGroups: fused.length, fusedKernels, epilogues: epilogues.length, prologues: prologues.length,
    segmentedGroups: segmented.length, segments,
    hostNodes: program.nodes.filter((n) => n.kind === 'host' || n.kind === 'effect' || n.kind === 'check').length,
    inputs: program.inputs.length, variablesRead: program.variableReads.length, variablesWritten: program.variableWrites.length,
    constants: program.constants.length, plan: figures, text: lines.join('\n'),
  };
}
