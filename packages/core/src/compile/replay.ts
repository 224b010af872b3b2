import type { Backend } from '../backend/backend.js';
import type { DataId, TensorRef } from '../backend/kernel-types.js';
import type { DataHandle } from '../engine/data-handle.js';
import type { TypedArray } from '../dtype.js';
import { deferCheck } from '../engine/deferred-checks.js';
import { adoptHandle, liveHandle, makeTensorFromData, refOn } from '../engine/engine.js';
import type { Tensor } from '../tensor.js';
import { CompileError } from './compile-error.js';
import { runEpilogueNode, runReducePrologueNode } from './epilogue-replay.js';
import type { BufferPlan } from './plan.js';
import type { KernelNode, OutputTemplate, Program } from './program.js';
import { REF, type TaggedRef } from './recorder.js';

function isTagged(x: unknown): x is TaggedRef {
  return typeof x === 'object' && x !== null && REF in x;
}

/** Rebuilds a recorded argument list with this replay's data ids. */
function materialize(arg: unknown, ids: readonly (DataId | undefined)[]): unknown {
  if (isTagged(arg)) {
    const ref: TensorRef = { id: ids[arg.value]!, shape: arg.shape, dtype: arg.dtype };
    return ref;
  }
  if (Array.isArray(arg)) return arg.map((a) => materialize(a, ids));
  return arg;
}

function runKernelNode(backend: Backend, node: KernelNode, ids: (DataId | undefined)[]): void {
  const method = (backend as unknown as Record<string, (...a: unknown[]) => DataId>)[node.method];
  if (typeof method !== 'function') throw new CompileError(`compile: backend '${backend.name}' has no kernel '${node.method}' (op ${node.op})`);
  const args = node.args.map((a) => materialize(a, ids));
  ids[node.output] = method.apply(backend, args);
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
  program.inputs.forEach((v, i) => (ids[v] = refOn(args[i]!, backendName, backend, 'compiled function', `input ${i}`).id));
  for (const [variable, v] of program.variableReads) ids[v] = refOn(variable, backendName, backend, 'compiled function', `variable${variable.name ? ` '${variable.name}'` : ''}`).id;
  for (const [t, v] of program.constants) ids[v] = refOn(t, backendName, backend, 'compiled function', 'constant').id;
  const sourceTensor = new Map<number, Tensor>();
  program.inputs.forEach((v, i) => sourceTensor.set(v, args[i]!));
  for (const [variable, v] of program.variableReads) sourceTensor.set(v, variable);
  for (const [t, v] of program.constants) sourceTensor.set(v, t);
  const freed = new Set<number>();
  try {
    program.nodes.forEach((node, i) => {
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
          if (backend.fusedElementwise) {
            const refs = node.inputs.map((v, k): TensorRef => ({ id: ids[v]!, shape: node.program.inputs[k]!.shape, dtype: node.program.inputs[k]!.dtype }));
            const outs = backend.fusedElementwise(node.program, refs);
            node.outputs.forEach((v, k) => (ids[v] = outs[k]));
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
        freed.add(v);
      }
    });
  } catch (err) {
    for (const v of plan.owned) if (!freed.has(v) && ids[v] !== undefined) backend.dispose(ids[v]);
    throw err;
  }
  // Hand out the results: one tensor per (value, shape); values shared by several results share data.
  const made = new Map<number, DataHandle>();
  const tensorFor = (v: number, shape: readonly number[]): Tensor => {
    const info = program.values[v]!;
    const first = made.get(v);
    if (first) return adoptHandle(first, shape, info.dtype);
    const source = sourceTensor.get(v);
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
