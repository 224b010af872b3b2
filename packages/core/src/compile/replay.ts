import type { Backend } from '../backend/backend.js';
import type { DataId, TensorRef } from '../backend/kernel-types.js';
import type { DataHandle } from '../engine/data-handle.js';
import type { TypedArray } from '../dtype.js';
import { deferCheck } from '../engine/deferred-checks.js';
import { adoptHandle, liveHandle, makeTensorFromData, refOn } from '../engine/engine.js';
import type { Tensor } from '../tensor.js';
import type { Variable } from '../variable.js';
import { CompileError } from './compile-error.js';
import { runEpilogueNode, runReducePrologueNode } from './epilogue-replay.js';
import type { BufferPlan } from './plan.js';
import type { FusedNode, KernelNode, OutputTemplate, Program } from './program.js';
import { runSegmentedNode } from './segments-run.js';
import { REF, type TaggedRef } from './recorder.js';

function isTagged(x: unknown): x is TaggedRef {
  return typeof x === 'object' && x !== null && REF in x;
}

/** Rebuilds a recorded argument (nested lists included) with this replay's data ids. */
function materialize(arg: unknown, ids: readonly (DataId | undefined)[]): unknown {
  if (isTagged(arg)) {
    const ref: TensorRef = { id: ids[arg.value]!, shape: arg.shape, dtype: arg.dtype };
    return ref;
  }
  if (Array.isArray(arg)) return arg.map((a) => materialize(a, ids));
  return arg;
}

/** Where a kernel node's arguments take this replay's data: top-level refs, and lists holding refs. */
interface ArgPlan {
  readonly refs: readonly (readonly [position: number, marker: TaggedRef])[];
  readonly lists: readonly number[];
}

const argPlans = new WeakMap<KernelNode, ArgPlan>();

/** The node's {@link ArgPlan}, worked out at its first replay. */
function argPlan(node: KernelNode): ArgPlan {
  let plan = argPlans.get(node);
  if (!plan) {
    const refs: [number, TaggedRef][] = [];
    const lists: number[] = [];
    node.args.forEach((a, k) => {
      if (isTagged(a)) refs.push([k, a]);
      else if (Array.isArray(a)) lists.push(k);
    });
    plan = { refs, lists };
    argPlans.set(node, plan);
  }
  return plan;
}

function runKernelNode(backend: Backend, node: KernelNode, ids: (DataId | undefined)[]): void {
  const method = (backend as unknown as Record<string, (...a: unknown[]) => DataId>)[node.method];
  if (typeof method !== 'function') throw new CompileError(`compile: backend '${backend.name}' has no kernel '${node.method}' (op ${node.op})`);
  const { refs, lists } = argPlan(node);
  const args = node.args.slice();
  for (const [k, m] of refs) args[k] = { id: ids[m.value]!, shape: m.shape, dtype: m.dtype } satisfies TensorRef;
  for (const k of lists) args[k] = materialize(args[k], ids);
  ids[node.output] = method.apply(backend, args);
}

/** Runs a fused node: one fused kernel where the backend has `fusedElementwise`, else its recorded kernels one by one. */
function runFusedNode(backend: Backend, node: FusedNode, ids: (DataId | undefined)[]): void {
  if (backend.fusedElementwise) {
    const specs = node.program.inputs;
    const refs = new Array<TensorRef>(specs.length);
    for (let k = 0; k < specs.length; k++) refs[k] = { id: ids[node.inputs[k]!]!, shape: specs[k]!.shape, dtype: specs[k]!.dtype };
    const outs = backend.fusedElementwise(node.program, refs);
    for (let k = 0; k < node.outputs.length; k++) ids[node.outputs[k]!] = outs[k];
  } else {
    const keep = new Set(node.outputs);
    for (const k of node.nodes) runKernelNode(backend, k, ids);
    for (const k of node.nodes) {
      if (!keep.has(k.output)) {
        backend.dispose(ids[k.output]!);
        ids[k.output] = undefined;
      }
    }
  }
}

const variableLabels = new WeakMap<Variable, string>();

/** How errors name a Variable the program reads. */
function variableLabel(variable: Variable): string {
  let label = variableLabels.get(variable);
  if (label === undefined) variableLabels.set(variable, (label = `variable${variable.name ? ` '${variable.name}'` : ''}`));
  return label;
}

function runCheck(backend: Backend, id: DataId, check: (values: TypedArray) => Error | null): void {
  if (backend.readSync) {
    const error = check(backend.readSync(id));
    if (error) throw error;
  } else {
    deferCheck(backend.read(id), check);
  }
}

/**
 * Runs a recorded program on `args` with no op bookkeeping: data ids flow from kernel to kernel,
 * each intermediate is freed after its last reader (the plan), host producers and effects run in
 * program order, Variables take their new values at the end, and the result comes back with the
 * recorded structure, as new tensors in the current scope.
 */
export function replayProgram(program: Program, plan: BufferPlan, backendName: string, backend: Backend, args: readonly Tensor[]): unknown {
  const ids: (DataId | undefined)[] = new Array<DataId | undefined>(program.values.length);
  const { inputs, variableReads, constants } = program;
  for (let i = 0; i < inputs.length; i++) ids[inputs[i]!] = refOn(args[i]!, backendName, backend, 'compiled function', `input ${i}`).id;
  for (const [variable, v] of variableReads) ids[v] = refOn(variable, backendName, backend, 'compiled function', variableLabel(variable)).id;
  for (const [t, v] of constants) ids[v] = refOn(t, backendName, backend, 'compiled function', 'constant').id;
  /** The input, Variable or constant tensor that holds value v at the start, if any (for results that are such values). */
  const sourceTensor = (v: number): Tensor | undefined => {
    const i = inputs.indexOf(v);
    if (i >= 0) return args[i];
    return variableReads.find(([, w]) => w === v)?.[0] ?? constants.find(([, w]) => w === v)?.[0];
  };
  const nodes = program.nodes;
  try {
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      switch (node.kind) {
        case 'kernel':
          runKernelNode(backend, node, ids);
          break;
        case 'host': {
          const values = node.produce();
          if (!node.discard) ids[node.output] = backend.write(values, node.dtype);
          break;
        }
        case 'effect':
          node.run();
          break;
        case 'check':
          runCheck(backend, ids[node.input]!, node.check);
          break;
        case 'fused':
          runFusedNode(backend, node, ids);
          break;
        case 'segmented':
          runSegmentedNode(backend, node, ids, runFusedNode);
          break;
        case 'epilogue':
          runEpilogueNode(backend, node, ids, materialize, runKernelNode);
          break;
        case 'prologue':
          runReducePrologueNode(backend, node, ids, runKernelNode);
          break;
      }
      for (const v of plan.freeAfter[i]!) {
        backend.dispose(ids[v]!);
        ids[v] = undefined;
      }
    }
  } catch (err) {
    // Owned values still held (freed ones were set back to undefined).
    for (const v of plan.owned) if (ids[v] !== undefined) backend.dispose(ids[v]);
    throw err;
  }
  // Hand out the results: one tensor per (value, shape); values shared by several results share data.
  const made = new Map<number, DataHandle>();
  const tensorFor = (v: number, shape: readonly number[]): Tensor => {
    const info = program.values[v]!;
    const first = made.get(v);
    if (first) return adoptHandle(first, shape, info.dtype);
    const source = sourceTensor(v);
    const t = source
      ? adoptHandle(liveHandle(source, 'compiled function', 'result'), shape, info.dtype)
      : makeTensorFromData(backendName, backend, ids[v]!, shape, info.dtype);
    made.set(v, liveHandle(t, 'compiled function', 'result'));
    return t;
  };
  const build = (t: OutputTemplate): unknown => {
    switch (t.kind) {
      case 'tensor':
        return tensorFor(t.value, t.shape);
      case 'array':
        return t.items.map(build);
      case 'object':
        return Object.fromEntries(t.entries.map(([k, e]) => [k, build(e)]));
      case 'map':
        return new Map(t.entries.map(([k, e]) => [k, build(e)]));
      case 'plain':
        return t.value;
    }
  };
  const result = build(program.output);
  // All new values are taken (attached) before any Variable changes, so a swap reads the old data.
  const writes = program.variableWrites.map(([variable, v]) => [variable, tensorFor(v, variable.shape)] as const);
  for (const [variable, t] of writes) variable.assign(t);
  for (const [, t] of writes) t.dispose();
  // Results and writes took every owned sink; anything owned that neither took is freed here.
  for (const v of plan.sinks) if (plan.owned.has(v) && !made.has(v) && ids[v] !== undefined) backend.dispose(ids[v]);
  return result;
}
