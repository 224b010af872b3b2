import type { FusedElementwiseProgram } from '../backend/fused-types.js';
import type { Tensor } from '../tensor.js';
import type { DType, TypedArray } from '../dtype.js';
import type { Variable } from '../variable.js';

/**
 * A recorded function as data: values (buffers) and the nodes that make them. Values are numbered;
 * each is made once — by a source (an input, a Variable's value at call start, a constant the
 * program holds) or by one node — and may be read under several shapes (reshape shares data).
 */

/** One buffer of the program. */
export interface ValueInfo {
  /** Elements. */
  readonly size: number;
  readonly dtype: DType;
  /** The shape it was made with. */
  readonly shape: readonly number[];
}

/** A kernel argument that stands for a value: the kernel receives `{ id, shape, dtype }` of it. */
export interface RefMarker {
  readonly value: number;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/** A backend method call recorded with its arguments; `args` holds {@link RefMarker}s where data went in. */
export interface KernelNode {
  readonly kind: 'kernel';
  /** The op that ran it (`add`, `matmul`, ...), for printing. */
  readonly op: string;
  /** The backend method (`binary`, `matmul`, ...). */
  readonly method: string;
  readonly args: readonly unknown[];
  /** Values read, in argument order. */
  readonly inputs: readonly number[];
  readonly output: number;
}

/** Host values re-made at every replay (a random draw, a learning rate). */
export interface HostNode {
  readonly kind: 'host';
  readonly produce: () => TypedArray;
  readonly dtype: DType;
  readonly output: number;
  /** Set by dead-code elimination: run the producer (its side effects, e.g. a random stream) but write nothing. */
  readonly discard?: boolean;
}

/** A host side effect repeated at every replay, in program order (an optimizer's step counter). */
export interface EffectNode {
  readonly kind: 'effect';
  readonly run: () => void;
}

/** A check of a value's contents (index ranges) repeated at every replay. */
export interface CheckNode {
  readonly kind: 'check';
  readonly op: string;
  readonly input: number;
  readonly check: (values: TypedArray) => Error | null;
}

/** Several elementwise kernel nodes run as one fused kernel where the backend can. */
export interface FusedNode {
  readonly kind: 'fused';
  readonly program: FusedElementwiseProgram;
  /** Values bound to the program's inputs, in order. */
  readonly inputs: readonly number[];
  /** Values the program's outputs make, in order. */
  readonly outputs: readonly number[];
  /** The same computation unfused, for backends without `fusedElementwise`. */
  readonly nodes: readonly KernelNode[];
}

/**
 * A matmul, conv2d, pool2d or reduce kernel node whose output only an elementwise program reads: run as
 * one kernel where the backend has the kernel's epilogue method (`matmulEpilogue`, ...; see
 * compile/epilogue.ts), else as the kernel and then the fused node. `fused.program`'s input 0 is the
 * kernel's output.
 */
export interface EpilogueNode {
  readonly kind: 'epilogue';
  /** The matmul, conv2d, pool2d or reduce call. */
  readonly kernel: KernelNode;
  /** The elementwise program over the kernel's output (its `inputs[0]` is `kernel.output`). */
  readonly fused: FusedNode;
  /** Values read: the kernel's inputs, then the program's other inputs. */
  readonly inputs: readonly number[];
  /** Values made (the program's outputs; the kernel's own output stays inside). */
  readonly outputs: readonly number[];
}

/**
 * An elementwise node whose one output only a reduce reads, run as one kernel where the backend has
 * `reducePrologue` (see compile/epilogue-reduce.ts), else as the fused node and then the reduce.
 */
export interface ReducePrologueNode {
  readonly kind: 'prologue';
  /** The elementwise program (one output, which the reduce reads). */
  readonly fused: FusedNode;
  /** The reduce call. */
  readonly reduce: KernelNode;
  /** Values read: the program's inputs. */
  readonly inputs: readonly number[];
  /** The reduce's output. */
  readonly outputs: readonly number[];
}

/**
 * Fused nodes that run one instruction list over different tensors, batched (compile/segments.ts): one
 * kernel over several flat segments where the backend has `fusedElementwiseSegments`, else each
 * segment's own fused node in turn. Runs where its last segment's node ran.
 */
export interface SegmentedNode {
  readonly kind: 'segmented';
  /** The flat template: outShape [N] (the largest segment), each input [N] (read whole) or [1] (one element). */
  readonly program: FusedElementwiseProgram;
  /** Each segment's own fused node (its inputs, outputs and shapes as recorded). */
  readonly segments: readonly FusedNode[];
  /** Elements per segment (each ≥ 1). */
  readonly sizes: readonly number[];
  /** Values read: every segment's inputs, in segment order. */
  readonly inputs: readonly number[];
  /** Values made: every segment's outputs, in segment order. */
  readonly outputs: readonly number[];
}

/** A step of a program. */
export type ProgramNode = KernelNode | HostNode | EffectNode | CheckNode | FusedNode | EpilogueNode | ReducePrologueNode | SegmentedNode;

/** The structure of a function's result with tensors replaced by `{ $value, shape }` leaves. */
export type OutputTemplate =
  | { readonly kind: 'tensor'; readonly value: number; readonly shape: readonly number[]; readonly dtype: DType }
  | { readonly kind: 'array'; readonly items: readonly OutputTemplate[] }
  | { readonly kind: 'object'; readonly entries: readonly (readonly [string, OutputTemplate])[] }
  | { readonly kind: 'map'; readonly entries: readonly (readonly [unknown, OutputTemplate])[] }
  | { readonly kind: 'plain'; readonly value: unknown };

/** A recorded function. */
export interface Program {
  readonly values: ValueInfo[];
  /** Flat tensor inputs: the value each argument tensor is bound to. */
  readonly inputs: readonly number[];
  /** Variables read (their data at call start). */
  readonly variableReads: readonly (readonly [Variable, number])[];
  /** Constants the program holds (written or captured at record time). */
  readonly constants: readonly (readonly [Tensor, number])[];
  /** The values of single-element constants (number operands), which fusion inlines. */
  readonly scalarConstants: ReadonlyMap<number, number>;
  nodes: ProgramNode[];
  /** Variables assigned, with the value they end with. */
  readonly variableWrites: readonly (readonly [Variable, number])[];
  readonly output: OutputTemplate;
  /** The backend it was recorded on. */
  readonly backendName: string;
}

/** The values read by a node. */
export function nodeInputs(node: ProgramNode): readonly number[] {
  switch (node.kind) {
    case 'kernel':
    case 'fused':
    case 'epilogue':
    case 'prologue':
    case 'segmented':
      return node.inputs;
    case 'check':
      return [node.input];
    default:
      return [];
  }
}

/** The values made by a node. */
export function nodeOutputs(node: ProgramNode): readonly number[] {
  switch (node.kind) {
    case 'kernel':
    case 'host':
      return [node.output];
    case 'fused':
    case 'epilogue':
    case 'prologue':
    case 'segmented':
      return node.outputs;
    default:
      return [];
  }
}

/** For each value, the indices of the nodes that read it (each reader once, in program order). */
export function valueReaders(nodes: readonly ProgramNode[]): Map<number, number[]> {
  const readers = new Map<number, number[]>();
  nodes.forEach((node, i) => {
    for (const v of new Set(nodeInputs(node))) {
      const list = readers.get(v);
      if (list) list.push(i);
      else readers.set(v, [i]);
    }
  });
  return readers;
}

/**
 * Rewrites `program.nodes` after a pass that merged pairs of nodes: a node whose index `replaced` maps to
 * null is dropped, one it maps to a node is replaced by that node, the rest stay in order.
 */
export function replaceNodes(program: Program, replaced: ReadonlyMap<number, ProgramNode | null>): void {
  const out: ProgramNode[] = [];
  program.nodes.forEach((node, i) => {
    const r = replaced.get(i);
    if (r === undefined) out.push(node);
    else if (r) out.push(r);
  });
  program.nodes = out;
}

/** Every value the program's results hold (returned tensors and Variable writes). */
export function sinkValues(program: Program): Set<number> {
  const out = new Set<number>(program.variableWrites.map(([, v]) => v));
  const walk = (t: OutputTemplate): void => {
    if (t.kind === 'tensor') out.add(t.value);
    else if (t.kind === 'array') t.items.forEach(walk);
    else if (t.kind === 'object' || t.kind === 'map') t.entries.forEach(([, e]) => walk(e));
  };
  walk(program.output);
  return out;
}
