import type { FusedDType, FusedElementwiseProgram, FusedInstruction } from '../backend/fused-types.js';
import type { BinaryOp, StridedView, UnaryOp } from '../backend/kernel-types.js';
import { sinkValues, valueReaders, type FusedNode, type KernelNode, type Program, type ProgramNode } from './program.js';
import type { TaggedRef } from './recorder.js';

const ELEMENTWISE = new Set(['unary', 'binary', 'where', 'cast']);

/**
 * A `copy` kernel that only broadcasts its input (broadcastTo): a fused program reads broadcast inputs
 * itself, so such a copy joins a group as an alias of its source, with no instruction of its own.
 */
function isBroadcastCopy(node: KernelNode): boolean {
  if (node.method !== 'copy') return false;
  const x = node.args[0] as TaggedRef;
  const view = node.args[1] as StridedView;
  if (view.offset !== 0 || x.shape.length > view.shape.length) return false;
  const lead = view.shape.length - x.shape.length;
  let stride = 1;
  for (let i = view.shape.length - 1; i >= 0; i--) {
    const d = i < lead ? 1 : x.shape[i - lead]!;
    if (d !== 1 && d !== view.shape[i]) return false;
    const want = d === 1 ? 0 : stride;
    if (view.shape[i] !== 1 && view.strides[i] !== want) return false;
    stride *= d;
  }
  return true;
}

/** float16 kernels stay unfused: the backends run them through float32 with one rounding per kernel. */
function touchesFloat16(node: KernelNode): boolean {
  return operands(node).some((r) => r.dtype === 'float16') || (node.method === 'cast' && node.args[1] === 'float16');
}

function isFusable(node: ProgramNode): node is KernelNode {
  return node.kind === 'kernel' && (ELEMENTWISE.has(node.method) || isBroadcastCopy(node)) && !touchesFloat16(node);
}

/** The shape an elementwise kernel node computes over (its output's, as the kernel saw it). */
function kernelShape(node: KernelNode): readonly number[] {
  if (node.method === 'binary') return node.args[3] as readonly number[];
  if (node.method === 'where') return node.args[3] as readonly number[];
  if (node.method === 'copy') return (node.args[1] as StridedView).shape;
  return (node.args[node.method === 'unary' ? 1 : 0] as TaggedRef).shape;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** The refs of an elementwise node, in the order its instruction takes them. */
function operands(node: KernelNode): TaggedRef[] {
  switch (node.method) {
    case 'unary':
      return [node.args[1] as TaggedRef];
    case 'cast':
    case 'copy':
      return [node.args[0] as TaggedRef];
    case 'binary':
      return [node.args[1] as TaggedRef, node.args[2] as TaggedRef];
    default:
      return [node.args[0] as TaggedRef, node.args[1] as TaggedRef, node.args[2] as TaggedRef];
  }
}

interface Group {
  readonly members: number[];
  readonly shape: readonly number[];
}

/**
 * Elementwise fusion: groups chains and DAGs of unary / binary / where / cast kernel calls that
 * compute over one shape into
 * {@link FusedNode}s (one kernel where the backend has `fusedElementwise`, the same calls one by one
 * otherwise). A value read outside its group (or returned, or written to a Variable) stays inside it
 * and is written out as one more output. Scalar constants become `const` instructions. A group runs
 * where its last member ran, so a member joins only when no value of the group is read by another
 * node before it.
 * Returns the number of fused nodes made.
 */
export function fuseElementwise(program: Program, scalarConstants: ReadonlyMap<number, number> = program.scalarConstants): number {
  const nodes = program.nodes;
  const sinks = sinkValues(program);
  const readers = valueReaders(nodes);
  const groupOf = new Map<number, Group>(); // value → the group that makes it
  const groups: Group[] = [];
  nodes.forEach((node, j) => {
    if (!isFusable(node)) return;
    const shape = kernelShape(node);
    const eligible: Group[] = [];
    for (const ref of operands(node)) {
      const g = groupOf.get(ref.value);
      if (!g || eligible.includes(g) || !sameShape(g.shape, shape) || !sameShape(ref.shape, shape)) continue;
      // The group will run at j: every value it makes must be read only by members or by nodes at or
      // after j (a value also read outside, or returned, becomes one more output of the fused kernel).
      const ok = g.members.every((m) => (readers.get((nodes[m] as KernelNode).output) ?? []).every((k) => k >= j || g.members.includes(k)));
      if (ok) eligible.push(g);
    }
    let joined = eligible[0];
    if (!joined) {
      joined = { members: [], shape };
      groups.push(joined);
    }
    // A node that joins several groups (a DAG) merges them; the merged group runs at j.
    for (const g of eligible.slice(1)) {
      joined.members.push(...g.members);
      for (const m of g.members) groupOf.set((nodes[m] as KernelNode).output, joined);
      g.members.length = 0;
    }
    joined.members.sort((a, b) => a - b);
    joined.members.push(j);
    groupOf.set(node.output, joined);
  });
  const replaced = new Map<number, FusedNode | null>(); // node index → the fused node placed there, or null (removed)
  let made = 0;
  for (const g of groups) {
    if (g.members.length < 2 || g.members.every((m) => (nodes[m] as KernelNode).method === 'copy')) continue;
    const members = g.members.map((m) => nodes[m] as KernelNode);
    const fused = buildFused(members, g.shape, readers, g.members, sinks, scalarConstants);
    g.members.forEach((m) => replaced.set(m, null));
    replaced.set(g.members[g.members.length - 1]!, fused);
    made++;
  }
  const out: ProgramNode[] = [];
  nodes.forEach((node, i) => {
    if (!replaced.has(i)) out.push(node);
    else {
      const f = replaced.get(i);
      if (f) out.push(f);
    }
  });
  program.nodes = out;
  return made;
}

/**
 * One elementwise kernel node as a fused node of one step (the epilogue pass attaches single kernels
 * too), or null where fusion would not take it (a copy, float16, not elementwise).
 */
export function singleFused(node: ProgramNode, scalarConstants: ReadonlyMap<number, number>): FusedNode | null {
  if (!isFusable(node) || node.method === 'copy') return null;
  return buildFused([node], kernelShape(node), new Map(), [0], new Set([node.output]), scalarConstants);
}

function buildFused(
  members: readonly KernelNode[], shape: readonly number[], readers: ReadonlyMap<number, number[]>, memberIndices: readonly number[],
  sinks: ReadonlySet<number>, scalarConstants: ReadonlyMap<number, number>,
): FusedNode {
  const slot = new Map<number, number>(); // value → index in the fused program (inputs, then instruction results)
  const inputs: { shape: readonly number[]; dtype: FusedDType }[] = [];
  const inputValues: number[] = [];
  const made = new Set(members.map((m) => m.output));
  // Inputs first: every value read by a member and made outside the group, except scalar constants.
  for (const m of members) {
    for (const ref of operands(m)) {
      if (made.has(ref.value) || slot.has(ref.value) || scalarConstants.has(ref.value)) continue;
      slot.set(ref.value, inputs.length);
      inputs.push({ shape: ref.shape, dtype: ref.dtype as FusedDType });
      inputValues.push(ref.value);
    }
  }
  const instructions: FusedInstruction[] = [];
  const operandSlot = (ref: TaggedRef): number => {
    const s = slot.get(ref.value);
    if (s !== undefined) return s;
    const c = scalarConstants.get(ref.value)!;
    instructions.push({ kind: 'const', value: c, dtype: ref.dtype as FusedDType });
    return inputs.length + instructions.length - 1;
  };
  for (const m of members) {
    const ops = operands(m).map(operandSlot);
    if (m.method === 'copy') {
      slot.set(m.output, ops[0]!); // a broadcast: the program reads its source broadcast already
      continue;
    }
    let ins: FusedInstruction;
    switch (m.method) {
      case 'unary': {
        const alpha = (m.args[3] as { alpha?: number } | undefined)?.alpha;
        ins = alpha === undefined ? { kind: 'unary', op: m.args[0] as UnaryOp, arg: ops[0]! } : { kind: 'unary', op: m.args[0] as UnaryOp, arg: ops[0]!, alpha };
        break;
      }
      case 'cast':
        ins = { kind: 'cast', arg: ops[0]!, dtype: m.args[1] as FusedDType };
        break;
      case 'binary':
        ins = { kind: 'binary', op: m.args[0] as BinaryOp, args: [ops[0]!, ops[1]!], dtype: m.args[4] as FusedDType };
        break;
      default:
        ins = { kind: 'where', args: [ops[0]!, ops[1]!, ops[2]!] };
    }
    instructions.push(ins);
    slot.set(m.output, inputs.length + instructions.length - 1);
  }
  const inside = new Set(memberIndices);
  const outputs = members.map((m) => m.output).filter((v) => sinks.has(v) || (readers.get(v) ?? []).some((k) => !inside.has(k)));
  const fusedProgram: FusedElementwiseProgram = {
    inputs: inputs.map((i) => ({ shape: [...i.shape], dtype: i.dtype })),
    outShape: [...shape],
    instructions,
    outputs: outputs.map((v) => slot.get(v)!),
  };
  return { kind: 'fused', program: fusedProgram, inputs: inputValues, outputs, nodes: members };
}
