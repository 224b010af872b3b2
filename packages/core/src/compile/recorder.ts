import type { Backend } from '../backend/backend.js';
import type { DataId, TensorRef } from '../backend/kernel-types.js';
import type { DataHandle } from '../engine/data-handle.js';
import { adoptHandle, liveHandle } from '../engine/engine.js';
import { insideHostProducer, type Recorder } from '../engine/recording.js';
import type { DType, TypedArray } from '../dtype.js';
import { fmtShape } from '../errors.js';
import { Tensor } from '../tensor.js';
import { Variable, variableHolding } from '../variable.js';
import { CompileError } from './compile-error.js';
import type { KernelNode, OutputTemplate, Program, ProgramNode, RefMarker, ValueInfo } from './program.js';

/** Marks a recorded kernel argument that stands for a value. */
export const REF = Symbol('compile.ref');

/** A {@link RefMarker} as it sits in a recorded argument list. */
export interface TaggedRef extends RefMarker {
  readonly [REF]: true;
}

function isTensorRefLike(x: unknown): x is TensorRef {
  return typeof x === 'object' && x !== null && 'id' in x && 'shape' in x && 'dtype' in x;
}

/**
 * Listens to core while a function runs eagerly once and writes down what a replay needs: every
 * kernel call (through a proxy of the backend that notes the method and its arguments), host writes
 * (constants) and host producers, host effects, value checks, the Variables read at the start and
 * assigned by the end, and the returned structure. A host read or an unrecordable random draw
 * throws a {@link CompileError} at once.
 */
export class ProgramRecorder implements Recorder {
  readonly values: ValueInfo[] = [];
  readonly nodes: ProgramNode[] = [];
  readonly inputs: number[] = [];
  /** Set when the function made Variables (state set up on a first call): the program is not representative. */
  madeState = false;
  private readonly handleValue = new Map<DataHandle, number>();
  private readonly idValue = new Map<DataId, number>();
  private readonly variableReads = new Map<Variable, number>();
  private readonly startHandles = new Map<DataHandle, Variable>();
  private readonly finalHandles = new Map<Variable, DataHandle>();
  private readonly constants: (readonly [Tensor, number])[] = [];
  private readonly scalarConstants = new Map<number, number>();
  private lastKernelOutput: number | null = null;

  constructor(readonly backendName: string) {}

  private newValue(shape: readonly number[], dtype: DType): number {
    let size = 1;
    for (const d of shape) size *= d;
    this.values.push({ shape: [...shape], dtype, size });
    return this.values.length - 1;
  }

  /** Binds an argument tensor as the next program input. */
  bindInput(t: Tensor): void {
    const h = liveHandle(t, 'compile', 'argument');
    let v = this.handleValue.get(h);
    if (v === undefined) {
      v = this.newValue(t.shape, t.dtype);
      this.handleValue.set(h, v);
    }
    this.inputs.push(v);
  }

  /** The value behind a tensor's data: made while recording, an input, a Variable read, or a constant the program will hold. */
  private valueOf(t: Tensor, h: DataHandle = liveHandle(t, 'compile', 'tensor')): number {
    const known = this.handleValue.get(h);
    if (known !== undefined) return known;
    const owner = this.startHandles.get(h) ?? (t instanceof Variable && t.handleOrNull === h ? t : variableHolding(h));
    if (owner && !this.finalHandles.has(owner)) return this.readVariable(owner, h);
    if (owner && this.startHandles.get(h) === owner) return this.readVariable(owner, h);
    const v = this.newValue(t.shape, t.dtype);
    const held = adoptHandle(h, t.shape, t.dtype);
    held.kept = true;
    this.constants.push([held, v]);
    this.handleValue.set(h, v);
    return v;
  }

  private readVariable(owner: Variable, h: DataHandle): number {
    let v = this.variableReads.get(owner);
    if (v === undefined) {
      v = this.newValue(owner.shape, owner.dtype);
      this.variableReads.set(owner, v);
    }
    this.handleValue.set(h, v);
    return v;
  }

  kernelBackend(op: string, backend: Backend, inputs: readonly Tensor[], refs: readonly TensorRef[]): Backend {
    // Kernels get these refs, or copies with another shape ({ ...ref, shape }): match by identity, then by data id.
    const refValue = new Map<TensorRef, number>();
    const idOfInput = new Map<DataId, number>();
    inputs.forEach((t, i) => {
      const v = this.valueOf(t);
      refValue.set(refs[i]!, v);
      idOfInput.set(refs[i]!.id, v);
    });
    const substitute = (arg: unknown, read: number[]): unknown => {
      if (Array.isArray(arg)) return arg.map((a) => substitute(a, read));
      if (isTensorRefLike(arg)) {
        const value = refValue.get(arg) ?? idOfInput.get(arg.id) ?? this.idValue.get(arg.id);
        if (value === undefined) throw new CompileError(`compile: internal error: kernel '${op}' received data the recording does not know`);
        read.push(value);
        const marker: TaggedRef = { [REF]: true, value, shape: [...arg.shape], dtype: arg.dtype };
        return marker;
      }
      return arg;
    };
    this.lastKernelOutput = null;
    // Data this kernel call made; it may free its own temporaries (float16Upcast's float32 copies), which
    // a replay frees anyway after their last reader.
    const madeHere = new Set<DataId>();
    return new Proxy(backend, {
      get: (target, prop, receiver) => {
        const member: unknown = Reflect.get(target, prop, receiver);
        if (typeof member !== 'function') return member;
        const method = String(prop);
        if (method === 'write') {
          return (values: TypedArray, dtype: DType): DataId => {
            const id = target.write(values, dtype);
            const output = this.newValue([values.length], dtype);
            this.nodes.push({ kind: 'host', produce: () => values, dtype, output });
            this.idValue.set(id, output);
            this.lastKernelOutput = output;
            madeHere.add(id);
            return id;
          };
        }
        if (method === 'dispose') {
          return (id: DataId): void => {
            if (!madeHere.has(id)) throw new CompileError(`compile: internal error: kernel '${op}' freed data it did not make while recording`);
            madeHere.delete(id);
            target.dispose(id);
          };
        }
        if (method === 'read' || method === 'readSync' || method === 'memory' || method === 'info') {
          throw new CompileError(`compile: internal error: kernel '${op}' called backend.${method} while recording`);
        }
        return (...args: unknown[]): unknown => {
          const read: number[] = [];
          const recorded = args.map((a) => substitute(a, read));
          const id = (member as (...a: unknown[]) => DataId).apply(target, args);
          const output = this.newValue([], 'float32'); // shape and dtype are filled in by kernelOutput
          const node: KernelNode = { kind: 'kernel', op, method, args: recorded, inputs: read, output };
          this.nodes.push(node);
          this.idValue.set(id, output);
          this.lastKernelOutput = output;
          madeHere.add(id);
          return id;
        };
      },
    });
  }

  kernelOutput(t: Tensor, id: DataId): void {
    const v = this.idValue.get(id) ?? this.lastKernelOutput;
    if (v === undefined || v === null) throw new CompileError(`compile: internal error: a kernel's output was not recorded`);
    this.values[v] = { shape: [...t.shape], dtype: t.dtype, size: t.size };
    this.handleValue.set(liveHandle(t, 'compile', 'output'), v);
  }

  hostWrite(t: Tensor, values: TypedArray): void {
    // A constant: the program holds the data written now (a number operand, a tensor() call).
    const v = this.valueOf(t);
    if (values.length === 1) this.scalarConstants.set(v, Number(values[0]));
  }

  hostProduced(t: Tensor, produce: () => TypedArray, dtype: DType): void {
    const output = this.newValue(t.shape, dtype);
    this.nodes.push({ kind: 'host', produce, dtype, output });
    this.handleValue.set(liveHandle(t, 'compile', 'output'), output);
  }

  hostEffect(run: () => void): void {
    this.nodes.push({ kind: 'effect', run });
  }

  hostRead(t: Tensor, what: string): void {
    throw new CompileError(
      `compile: the function read tensor values on the host (${what} of tensor #${t.id}, shape ${fmtShape(t.shape)}) while being recorded; ` +
      'a replay could not repeat that read nor any decision taken from it. Return the tensor and read it after the call, or call the function uncompiled',
    );
  }

  valueCheck(t: Tensor, op: string, check: (values: TypedArray) => Error | null): void {
    this.nodes.push({ kind: 'check', op, input: this.valueOf(t), check });
  }

  assigned(v: Tensor, previous: DataHandle, next: DataHandle): void {
    if (!(v instanceof Variable)) return;
    if (!this.finalHandles.has(v) && !this.variableReads.has(v)) this.startHandles.set(previous, v);
    this.finalHandles.set(v, next);
  }

  variableMade(): void {
    this.madeState = true;
  }

  randomDraw(replayed: boolean): void {
    if (replayed) {
      throw new CompileError(
        'compile: activation checkpointing repeats random draws (dropout) when it recomputes a forward pass in the backward pass, ' +
        'which a replay cannot reproduce; train a checkpointed model with dropout uncompiled',
      );
    }
    if (insideHostProducer()) return;
    throw new CompileError(
      'compile: the function drew random numbers on the host outside a recordable producer, so a replay would repeat the first draw; ' +
      'draw them with randomUniform / randomNormal / dropout (which re-draw at every replay) or hostTensor(() => ...)',
    );
  }

  private template(x: unknown): OutputTemplate {
    if (x instanceof Tensor) return { kind: 'tensor', value: this.valueOf(x), shape: [...x.shape], dtype: x.dtype };
    if (Array.isArray(x)) return { kind: 'array', items: x.map((i) => this.template(i)) };
    if (x instanceof Map) return { kind: 'map', entries: [...x].map(([k, e]) => [k, this.template(e)] as const) };
    if (typeof x === 'object' && x !== null && Object.getPrototypeOf(x) === Object.prototype) {
      return { kind: 'object', entries: Object.entries(x).map(([k, e]) => [k, this.template(e)] as const) };
    }
    return { kind: 'plain', value: x };
  }

  /** The recorded program for a function that returned `result`. */
  finish(result: unknown): Program {
    const output = this.template(result);
    const variableWrites = [...this.finalHandles].map(([v, h]) => [v, this.valueOf(v, h)] as const);
    return {
      values: this.values,
      inputs: this.inputs,
      variableReads: [...this.variableReads],
      constants: this.constants,
      scalarConstants: this.scalarConstants,
      nodes: this.nodes,
      variableWrites,
      output,
      backendName: this.backendName,
    };
  }

  /** Whether the recorded function has assigned any Variable so far. */
  get assignedAny(): boolean {
    return this.finalHandles.size > 0;
  }

  /** Frees what the recording holds (when it is dropped rather than kept as a program). */
  release(): void {
    for (const [t] of this.constants) t.dispose();
  }
}
