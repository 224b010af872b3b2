/**
 * Segment batching: fused elementwise nodes that run the same instruction list over different tensors
 * (an optimizer's update of each parameter, the same activation in parallel branches) become one
 * {@link SegmentedNode}: one program applied to several flat segments of different sizes, which a
 * backend with `fusedElementwiseSegments` runs in one kernel (or as few as its limits allow) and any
 * other backend runs member by member as before. Runs after fusion and epilogue attachment.
 */
import { mapOperands } from './map-operands.js';
import type { Backend } from '../backend/backend.js';
import type { FusedElementwiseProgram, FusedInstruction } from '../backend/fused-types.js';
import { sizeOf } from '../shape.js';
import { EPILOGUE_METHODS } from './epilogue.js';
import { valueReaders, type FusedNode, type KernelNode, type Program, type ProgramNode, type SegmentedNode } from './program.js';

/** How a member reads each program input: its whole (flat) output, or one element; 'both' where the member's output has one element. */
type Read = 'whole' | 'one' | 'both';

/** A node the pass may take: a fused node, or the fused part of an epilogue the backend runs as two kernels anyway. */
interface Candidate {
  /** Index in the program's nodes. */
  readonly at: number;
  readonly fused: FusedNode;
  /** The kernel of a split epilogue (it stays at `at`), or null. */
  readonly kernel: KernelNode | null;
  readonly size: number;
  readonly reads: readonly Read[];
}

interface Group {
  readonly key: string;
  readonly members: Candidate[];
  /** Per input: the read all members agree on so far. */
  readonly reads: Read[];
}

/** How each input of a program is read if it can be run as a flat segment (every input whole or one element), else null. */
function flatReads(program: FusedElementwiseProgram): Read[] | null {
  const n = sizeOf(program.outShape);
  if (n === 0) return null;
  const reads: Read[] = [];
  for (const input of program.inputs) {
    const size = sizeOf(input.shape);
    if (size === n) reads.push(n === 1 ? 'both' : 'whole');
    else if (size === 1) reads.push('one');
    else return null;
  }
  return reads;
}

/** The reads of `a` and `b` combined, or null where some input is read whole by one and as one element by the other. */
function mergeReads(a: readonly Read[], b: readonly Read[]): Read[] | null {
  const out: Read[] = [];
  for (let k = 0; k < a.length; k++) {
    const x = a[k]!;
    const y = b[k]!;
    if (x === 'both') out.push(y);
    else if (y === 'both' || x === y) out.push(x);
    else return null;
  }
  return out;
}

/** What members must share: the instructions (constants included), each input's dtype, the outputs. */
function programKey(program: FusedElementwiseProgram): string {
  return JSON.stringify([program.instructions, program.inputs.map((i) => i.dtype), program.outputs]);
}

/**
 * The program of a group as a flat template: outShape [N] with N the largest segment, each input [N]
 * (read whole) or [1] (one element). Where every segment has one element, N is 1 and so is every input.
 */
function flatTemplate(program: FusedElementwiseProgram, reads: readonly Read[], n: number): FusedElementwiseProgram {
  return {
    inputs: program.inputs.map((input, k) => ({ shape: [reads[k] === 'one' ? 1 : n], dtype: input.dtype })),
    outShape: [n],
    instructions: program.instructions,
    outputs: program.outputs,
  };
}


/** Calls `see` on each operand of `ins`, in order. */
function eachOperand(ins: FusedInstruction, see: (v: number) => void): void {
  mapOperands(ins, (v) => {
    see(v);
    return v;
  });
}

/**
 * `fused` in a canonical numbering, so that the same computation keys the same however fusion happened
 * to number it: constants first (in the order the steps first read them), then the other steps in their
 * order, and inputs in the order those steps first read them (then outputs, then unread ones). An
 * epilogue moves the product's input first; a broadcast copy of a constant emits it earlier.
 */
function canonical(fused: FusedNode): FusedNode {
  const { program } = fused;
  const n = program.inputs.length;
  const steps = program.instructions;
  const isConst = (v: number): boolean => v >= n && steps[v - n]!.kind === 'const';
  const stepOrder: number[] = []; // old instruction indices, new order
  const seeConst = (v: number): void => {
    if (isConst(v) && !stepOrder.includes(v - n)) stepOrder.push(v - n);
  };
  for (const ins of steps) eachOperand(ins, seeConst);
  program.outputs.forEach(seeConst);
  steps.forEach((ins, r) => {
    if (ins.kind === 'const' && !stepOrder.includes(r)) stepOrder.push(r);
  });
  steps.forEach((ins, r) => {
    if (ins.kind !== 'const') stepOrder.push(r);
  });
  const inputOrder: number[] = [];
  const seeInput = (v: number): void => {
    if (v < n && !inputOrder.includes(v)) inputOrder.push(v);
  };
  for (const r of stepOrder) eachOperand(steps[r]!, seeInput);
  program.outputs.forEach(seeInput);
  for (let k = 0; k < n; k++) seeInput(k);
  if (inputOrder.every((k, i) => k === i) && stepOrder.every((r, i) => r === i)) return fused;
  const at = (v: number): number => (v < n ? inputOrder.indexOf(v) : n + stepOrder.indexOf(v - n));
  const instructions = stepOrder.map((r) => mapOperands(steps[r]!, at));
  return {
    ...fused,
    program: { inputs: inputOrder.map((k) => program.inputs[k]!), outShape: program.outShape, instructions, outputs: program.outputs.map(at) },
    inputs: inputOrder.map((k) => fused.inputs[k]!),
  };
}

/** The candidate at node `i`, or null. */
function candidate(node: ProgramNode, i: number, backend: Backend | undefined): Candidate | null {
  let fused: FusedNode;
  let kernel: KernelNode | null = null;
  if (node.kind === 'fused') fused = node;
  else if (node.kind === 'epilogue' && backend && !backend[EPILOGUE_METHODS[node.kernel.method as keyof typeof EPILOGUE_METHODS]]) {
    fused = node.fused;
    kernel = node.kernel;
  } else return null;
  // A lone kernel (an epilogue's single step) keeps its own unfused path on backends without the epilogue.
  if (fused.nodes.length < 2) return null;
  fused = canonical(fused);
  const reads = flatReads(fused.program);
  return reads ? { at: i, fused, kernel, size: sizeOf(fused.program.outShape), reads } : null;
}

/**
 * Groups fused nodes that run the same instructions, whose inputs can each be read as a flat segment
 * (the output's size or one element) and that do not depend on each other, into {@link SegmentedNode}s.
 * A group runs where its last member ran, so a node joins a group only when no value the group makes
 * is read before that place (which also rules out one member reading another's output, directly or
 * through nodes between them); every input a member reads is made before its own place, so before the
 * group's. Where `backend` lacks the epilogue method of an {@link EpilogueNode} (so it would run the
 * kernel and then the program anyway), the program may join a group while the kernel stays in place.
 * Returns the number of segmented nodes made.
 */
export function batchSegments(program: Program, backend?: Backend): number {
  const nodes = program.nodes;
  const readers = valueReaders(nodes);
  const open = new Map<string, Group>();
  const groups: Group[] = [];
  /** Whether every value the group makes is read only after node j. */
  const unreadUntil = (g: Group, j: number): boolean =>
    g.members.every((m) => m.fused.outputs.every((v) => (readers.get(v) ?? []).every((r) => r > j)));
  nodes.forEach((node, j) => {
    const c = candidate(node, j, backend);
    if (!c) return;
    const key = programKey(c.fused.program);
    const g = open.get(key);
    const reads = g && unreadUntil(g, j) ? mergeReads(g.reads, c.reads) : null;
    if (g && reads) {
      g.members.push(c);
      g.reads.splice(0, reads.length, ...reads);
    } else {
      const fresh: Group = { key, members: [c], reads: [...c.reads] };
      open.set(key, fresh);
      groups.push(fresh);
    }
  });
  const replaced = new Map<number, ProgramNode[]>(); // node index → what runs there instead
  let made = 0;
  for (const g of groups) {
    if (g.members.length < 2) continue;
    const last = g.members[g.members.length - 1]!;
    const n = Math.max(...g.members.map((m) => m.size));
    const segmented: SegmentedNode = {
      kind: 'segmented',
      program: flatTemplate(last.fused.program, g.reads, n),
      segments: g.members.map((m) => m.fused),
      sizes: g.members.map((m) => m.size),
      inputs: g.members.flatMap((m) => m.fused.inputs),
      outputs: g.members.flatMap((m) => m.fused.outputs),
    };
    // A split epilogue's kernel stays where the epilogue was; the group runs at the last member's place.
    for (const m of g.members) replaced.set(m.at, m.kernel ? [m.kernel] : []);
    replaced.get(last.at)!.push(segmented);
    made++;
  }
  if (made > 0) program.nodes = nodes.flatMap((node, i) => replaced.get(i) ?? [node]);
  return made;
}
