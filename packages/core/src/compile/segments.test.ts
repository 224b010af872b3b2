import { describe, expect, it } from 'vitest';
import type { Backend } from '../backend/backend.js';
import type { FusedElementwiseProgram } from '../backend/fused-types.js';
import { planBuffers } from './plan.js';
import type { EpilogueNode, FusedNode, KernelNode, Program, ProgramNode, SegmentedNode, ValueInfo } from './program.js';
import { batchSegments } from './segments.js';
import { checkFusedSegments, segmentProgram } from './segments-run.js';

/** A program over `values` (shapes by value index) running `nodes`, returning `results`. */
function programOf(shapes: readonly (readonly number[])[], inputs: readonly number[], nodes: ProgramNode[], results: readonly number[]): Program {
  const values: ValueInfo[] = shapes.map((shape) => ({ shape, size: shape.reduce((a, b) => a * b, 1), dtype: 'float32' }));
  return {
    values, inputs, variableReads: [], constants: [], scalarConstants: new Map(), nodes, variableWrites: [],
    output: { kind: 'array', items: results.map((v) => ({ kind: 'tensor', value: v, shape: shapes[v]!, dtype: 'float32' })) },
    backendName: 'test',
  };
}

function kernel(op: string, inputs: readonly number[], output: number): KernelNode {
  return { kind: 'kernel', op, method: 'binary', args: [op], inputs, output };
}

/**
 * An update-like fused node: out0 = a·b + c, out1 = a·b (inputs a, b, c of the given shapes over
 * `outShape`), made of two recorded kernels.
 */
function update(shapes: [readonly number[], readonly number[], readonly number[]], outShape: readonly number[], inputs: readonly number[], outputs: readonly number[]): FusedNode {
  const program: FusedElementwiseProgram = {
    inputs: shapes.map((shape) => ({ shape, dtype: 'float32' as const })),
    outShape,
    instructions: [{ kind: 'binary', op: 'mul', args: [0, 1], dtype: 'float32' }, { kind: 'binary', op: 'add', args: [3, 2], dtype: 'float32' }],
    outputs: [4, 3],
  };
  return { kind: 'fused', program, inputs, outputs, nodes: [kernel('mul', inputs.slice(0, 2), outputs[1]!), kernel('add', [outputs[1]!, inputs[2]!], outputs[0]!)] };
}

const segmentedOf = (p: Program): SegmentedNode[] => p.nodes.filter((n): n is SegmentedNode => n.kind === 'segmented');

describe('batchSegments', () => {
  it('groups independent nodes of one program over flat segments into one node at the last one\'s place', () => {
    // Values: 0-2 inputs of segment A ([2,3], [2,3], [1]); 3-5 of B ([7], [7], []); 6,7 A's outputs; 8,9 B's; 10 a kernel between.
    const shapes = [[2, 3], [2, 3], [1], [7], [7], [], [2, 3], [2, 3], [7], [7], [4]];
    const a = update([[2, 3], [2, 3], [1]], [2, 3], [0, 1, 2], [6, 7]);
    const b = update([[7], [7], []], [7], [3, 4, 5], [8, 9]);
    const between = kernel('neg', [2], 10);
    const p = programOf(shapes, [0, 1, 2, 3, 4, 5], [a, between, b], [6, 7, 8, 9, 10]);
    expect(batchSegments(p)).toBe(1);
    expect(p.nodes.map((n) => n.kind)).toEqual(['kernel', 'segmented']);
    const [s] = segmentedOf(p);
    expect(s!.sizes).toEqual([6, 7]);
    expect(s!.inputs).toEqual([0, 1, 2, 3, 4, 5]);
    expect(s!.outputs).toEqual([6, 7, 8, 9]);
    expect(s!.program.outShape).toEqual([7]);
    expect(s!.program.inputs.map((x) => x.shape)).toEqual([[7], [7], [1]]);
    expect(s!.segments).toEqual([a, b]);
  });

  it('does not group a node that reads another\'s output, directly or through a node between them', () => {
    const shapes = [[5], [5], [1], [5], [5], [5], [5], [5]];
    const a = update([[5], [5], [1]], [5], [0, 1, 2], [3, 4]);
    const direct = update([[5], [5], [1]], [5], [3, 1, 2], [5, 6]);
    expect(batchSegments(programOf(shapes, [0, 1, 2], [a, direct], [5, 6]))).toBe(0);
    const via = kernel('neg', [3], 7);
    const b = update([[5], [5], [1]], [5], [7, 1, 2], [5, 6]);
    const p = programOf(shapes, [0, 1, 2], [a, via, b], [4, 5, 6]);
    expect(batchSegments(p)).toBe(0);
    expect(p.nodes).toHaveLength(3);
  });

  it('does not move a member past a node that reads its output, and starts a new group after it', () => {
    // a, reader of a's output, b, c: b and c group, a stays alone.
    const shapes = [[4], [4], [1], [4], [4], [4], [4], [4], [4], [4], [4]];
    const a = update([[4], [4], [1]], [4], [0, 1, 2], [3, 4]);
    const reader = kernel('neg', [3], 5);
    const b = update([[4], [4], [1]], [4], [5, 1, 2], [6, 7]);
    const c = update([[4], [4], [1]], [4], [0, 5, 2], [8, 9]);
    const p = programOf(shapes, [0, 1, 2], [a, reader, b, c], [4, 6, 7, 8, 9]);
    expect(batchSegments(p)).toBe(1);
    expect(p.nodes.map((n) => n.kind)).toEqual(['fused', 'kernel', 'segmented']);
    expect(segmentedOf(p)[0]!.segments).toEqual([b, c]);
  });

  it('leaves programs with a broadcast input that is neither whole nor one element, and different programs', () => {
    const shapes = [[2, 3], [3], [1], [4], [4], [1], [2, 3], [2, 3], [4], [4]];
    const broadcast = update([[2, 3], [3], [1]], [2, 3], [0, 1, 2], [6, 7]);
    const flat = update([[4], [4], [1]], [4], [3, 4, 5], [8, 9]);
    expect(batchSegments(programOf(shapes, [0, 1, 2, 3, 4, 5], [broadcast, flat], [6, 7, 8, 9]))).toBe(0);
    const other: FusedNode = { ...flat, program: { ...flat.program, instructions: [flat.program.instructions[0]!, { kind: 'binary', op: 'sub', args: [3, 2], dtype: 'float32' }] } };
    const same = update([[2, 3], [2, 3], [1]], [2, 3], [0, 0, 2], [6, 7]);
    expect(batchSegments(programOf(shapes, [0, 2, 3, 4, 5], [same, other], [6, 7, 8, 9]))).toBe(0);
  });

  it('does not group where one input is read whole by one member and as one element by another', () => {
    const shapes = [[4], [4], [1], [4], [4], [4], [4], [4], [4]];
    const a = update([[4], [4], [1]], [4], [0, 1, 2], [5, 6]);
    const b = update([[4], [4], [4]], [4], [0, 1, 3], [7, 8]);
    expect(batchSegments(programOf(shapes, [0, 1, 2, 3], [a, b], [5, 6, 7, 8]))).toBe(0);
    // A one-element segment agrees with either reading.
    const one = update([[1], [1], [1]], [1], [2, 2, 2], [7, 8]);
    expect(batchSegments(programOf(shapes, [0, 1, 2], [a, one], [5, 6, 7, 8]))).toBe(1);
  });

  it('groups the same computation with its inputs numbered differently', () => {
    const shapes = [[4], [4], [1], [6], [6], [1], [4], [4], [6], [6]];
    const a = update([[4], [4], [1]], [4], [0, 1, 2], [6, 7]);
    const b = update([[6], [6], [1]], [6], [3, 4, 5], [8, 9]);
    // b with inputs (c, a, b): the same steps reading renumbered slots.
    const permuted: FusedNode = {
      ...b,
      program: {
        ...b.program,
        inputs: [b.program.inputs[2]!, b.program.inputs[0]!, b.program.inputs[1]!],
        instructions: [{ kind: 'binary', op: 'mul', args: [1, 2], dtype: 'float32' }, { kind: 'binary', op: 'add', args: [3, 0], dtype: 'float32' }],
      },
      inputs: [5, 3, 4],
    };
    const p = programOf(shapes, [0, 1, 2, 3, 4, 5], [a, permuted], [6, 7, 8, 9]);
    expect(batchSegments(p)).toBe(1);
    const [s] = segmentedOf(p);
    expect(s!.inputs).toEqual([0, 1, 2, 3, 4, 5]);
    expect(s!.segments[1]!.program.instructions).toEqual(a.program.instructions);
  });

  it('takes the program of an epilogue only where the backend lacks its epilogue method; its kernel stays in place', () => {
    const shapes = [[3, 2], [2, 4], [3, 4], [12], [1], [12], [12], [5], [5], [1], [5], [5]];
    const mm: KernelNode = { kind: 'kernel', op: 'matmul', method: 'matmul', args: [], inputs: [0, 1], output: 2 };
    const fused = update([[12], [12], [1]], [12], [2, 3, 4], [5, 6]);
    const epi: EpilogueNode = { kind: 'epilogue', kernel: mm, fused, inputs: [0, 1, 3, 4], outputs: [5, 6] };
    const plain = update([[5], [5], [1]], [5], [7, 8, 9], [10, 11]);
    const make = (): Program => programOf(shapes, [0, 1, 3, 4, 7, 8, 9], [epi, plain], [5, 6, 10, 11]);
    const withMethod = make();
    expect(batchSegments(withMethod, { matmulEpilogue: () => [] } as unknown as Backend)).toBe(0);
    expect(batchSegments(make())).toBe(0);
    const without = make();
    expect(batchSegments(without, {} as Backend)).toBe(1);
    expect(without.nodes.map((n) => n.kind)).toEqual(['kernel', 'segmented']);
    expect(segmentedOf(without)[0]!.sizes).toEqual([12, 5]);
  });

  it('keeps the buffer plan right: inputs freed after the group, not at the earlier member', () => {
    const shapes = [[4], [4], [1], [6], [6], [1], [4], [4], [6], [6], [4]];
    const t = kernel('neg', [0], 10); // a temporary made by a kernel, read by a only
    const a2 = update([[4], [4], [1]], [4], [10, 1, 2], [6, 7]);
    const b = update([[6], [6], [1]], [6], [3, 4, 5], [8, 9]);
    const p = programOf(shapes, [0, 1, 2, 3, 4, 5], [t, a2, b], [7, 8, 9]);
    expect(batchSegments(p)).toBe(1);
    const plan = planBuffers(p);
    // %10 (the temporary) and %6 (an output nothing reads) are freed after the segmented node.
    expect(plan.freeAfter.map((f) => [...f].sort((x, y) => x - y))).toEqual([[], [6, 10]]);
    expect(plan.allocations).toBe(5);
  });
});

describe('segmentProgram and checkFusedSegments', () => {
  const flat: FusedElementwiseProgram = {
    inputs: [{ shape: [9], dtype: 'float32' }, { shape: [1], dtype: 'float32' }],
    outShape: [9],
    instructions: [{ kind: 'binary', op: 'mul', args: [0, 1], dtype: 'float32' }],
    outputs: [2],
  };

  it('makes each segment\'s program, once per size', () => {
    const p = segmentProgram(flat, 4);
    expect(p.outShape).toEqual([4]);
    expect(p.inputs.map((x) => x.shape)).toEqual([[4], [1]]);
    expect(segmentProgram(flat, 4)).toBe(p);
    expect(segmentProgram(flat, 9)).toBe(flat);
  });

  it('names the segment and input at fault', () => {
    const ref = (shape: number[]) => ({ id: 0, shape, dtype: 'float32' as const });
    expect(() => checkFusedSegments(flat, [{ size: 3, inputs: [ref([3]), ref([1])] }])).not.toThrow();
    expect(() => checkFusedSegments(flat, [{ size: 3, inputs: [ref([3]), ref([3])] }])).toThrow(/segment 0 input 1 is float32 \[3\], the program says float32 \[1\]/);
    expect(() => checkFusedSegments(flat, [{ size: 3, inputs: [ref([3]), ref([1])] }, { size: 0, inputs: [] }])).toThrow(/segment 1 size must be a whole number ≥ 1, got 0/);
    expect(() => checkFusedSegments({ ...flat, outShape: [3, 3] }, [])).toThrow(/program must be flat/);
    expect(() => checkFusedSegments(flat, [{ size: 2, inputs: [ref([2])] }])).toThrow(/segment 0 has 1 refs, the program takes 2/);
  });
});
