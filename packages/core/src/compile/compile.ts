import { tapeActive } from '../autograd/tape.js';
import { kernelBackend } from '../engine/engine.js';
import { activeRecorder, withRecorder } from '../engine/recording.js';
import { ArgumentError } from '../errors.js';
import type { Backend } from '../backend/backend.js';
import type { Tensor } from '../tensor.js';
import { CompileError } from './compile-error.js';
import { eliminateDeadCode } from './dce.js';
import { attachEpilogues } from './epilogue.js';
import { attachReducePrologues } from './epilogue-reduce.js';
import { programReport, type ProgramReport } from './explain.js';
import { fuseElementwise } from './fuse.js';
import { planBuffers, type BufferPlan } from './plan.js';
import type { Program, ProgramNode } from './program.js';
import { ProgramRecorder } from './recorder.js';
import { batchSegments } from './segments.js';
import { replayProgram } from './replay.js';
import { argumentSignature } from './signature.js';

/** Options of {@link compile}. */
export interface CompileOptions {
  /**
   * Host state the function's behaviour depends on besides its arguments (e.g. whether a model is
   * in training mode): its value joins the cache key, so a change records a new program.
   */
  key?: () => unknown;
  /** Whether to fuse elementwise chains (default true). */
  fuse?: boolean;
  /**
   * Whether to batch fused nodes that run one program over independent tensors (an optimizer's update
   * of each parameter) into one segmented launch (default true; needs `fuse`).
   */
  segments?: boolean;
  /** A name for messages and {@link CompiledFunction.explain}. */
  name?: string;
  /** The most signatures kept recorded (default 16); the least recently used one is dropped beyond it. */
  maxPrograms?: number;
}

/** A compiled function: call it like the original; inspect or free its recorded programs. */
export interface CompiledFunction<A extends unknown[], R> {
  (...args: A): R;
  /** A printout of every recorded program: kernels before and after fusion, buffer plan, bytes moved. */
  explain(): string;
  /** Facts about every recorded program (one per signature). */
  reports(): ProgramReport[];
  /** Frees the recorded programs (and the constants they hold); later calls record again. */
  dispose(): void;
}

/** How many times a signature may make state (Variables) while recording before compile gives up and runs eagerly. */
const MAX_SETUP_CALLS = 3;

interface Entry {
  program: Program | null;
  /** Nodes before fusion, for explain(). */
  recorded: readonly ProgramNode[];
  plan: BufferPlan | null;
  setupCalls: number;
  eager: boolean;
  removed: number;
}

/**
 * Compiles `fn`: the first call with a given signature (the tensors' shapes and dtypes, Variables
 * passed, other arguments' values, the active backend, and `options.key()`) runs `fn` eagerly while
 * recording every kernel call, host write, Variable read and assignment; later calls with that
 * signature replay the recorded program on the new inputs with no per-op bookkeeping, fused and with
 * buffers freed at their last use. See core's README ("compile") for what a function may do.
 *
 * @example
 * const trainStep = compile((x: Tensor, y: Tensor) => {
 *   const { value, grads } = variableGrads(() => loss(model(x), y));
 *   optimizer.step(grads);
 *   return value;
 * });
 */
export function compile<A extends unknown[], R>(fn: (...args: A) => R, options: CompileOptions = {}): CompiledFunction<A, R> {
  if (typeof fn !== 'function') throw new ArgumentError(`compile: fn must be a function, got ${typeof fn}`);
  const name = options.name ?? (fn.name || 'anonymous');
  const cache = new Map<string, Entry>();
  let warned = false;

  const record = (entry: Entry, backendName: string, backend: Backend, tensors: readonly Tensor[], args: A): R => {
    const recorder = new ProgramRecorder(backendName);
    for (const t of tensors) recorder.bindInput(t);
    let result: R;
    try {
      result = withRecorder(recorder, () => fn(...args));
    } catch (err) {
      recorder.release();
      if (err instanceof CompileError) err.assignedVariables = recorder.assignedAny;
      throw err;
    }
    if (result instanceof Promise) {
      recorder.release();
      throw new CompileError(`compile: '${name}' returned a Promise; a compiled function must be synchronous (await outside it)`);
    }
    if (recorder.madeState) {
      // A first call that set up state (an optimizer's slots): the next call is the representative one.
      recorder.release();
      if (++entry.setupCalls >= MAX_SETUP_CALLS) {
        entry.eager = true;
        if (!warned) {
          warned = true;
          console.warn(`compile: '${name}' makes new Variables on every call, so it runs eagerly (uncompiled)`);
        }
      }
      return result;
    }
    const program = recorder.finish(result);
    entry.recorded = [...program.nodes];
    entry.removed = eliminateDeadCode(program);
    if (options.fuse !== false) {
      fuseElementwise(program);
      attachEpilogues(program);
      attachReducePrologues(program);
      if (options.segments !== false) batchSegments(program, backend);
    }
    entry.plan = planBuffers(program);
    entry.program = program;
    return result;
  };

  const compiled = (...args: A): R => {
    // Inside another recording, run inline: the outer program records these kernels itself. Under a
    // gradient tape, run eagerly too: a replay would bypass autodiff (compile the whole step instead).
    if (activeRecorder() || tapeActive()) return fn(...args);
    const { tensors, key: argKey } = argumentSignature(args);
    const { name: backendName, backend } = kernelBackend('compile');
    const key = `${backendName}|${argKey}|${options.key ? JSON.stringify(options.key()) : ''}`;
    let entry = cache.get(key);
    if (entry) cache.delete(key); // re-inserted below: the map's order is least recently used first
    else entry = { program: null, recorded: [], plan: null, setupCalls: 0, eager: false, removed: 0 };
    cache.set(key, entry);
    if (cache.size > (options.maxPrograms ?? 16)) {
      const [oldKey, old] = cache.entries().next().value as [string, Entry];
      if (old.program) releaseProgram(old.program);
      cache.delete(oldKey);
    }
    if (entry.eager) return fn(...args);
    if (!entry.program || !entry.plan || entry.program.variableReads.some(([v]) => v.isDisposed) || entry.program.variableWrites.some(([v]) => v.isDisposed)) {
      if (entry.program) releaseProgram(entry.program);
      entry.program = null;
      return record(entry, backendName, backend, tensors, args);
    }
    return replayProgram(entry.program, entry.plan, backendName, backend, tensors) as R;
  };

  const reports = (): ProgramReport[] =>
    [...cache.values()].flatMap((e) => (e.program && e.plan ? [programReport(name, e.recorded, e.program, e.plan, e.removed)] : []));

  return Object.assign(compiled, {
    explain: (): string => reports().map((r) => r.text).join('\n\n'),
    reports,
    dispose: (): void => {
      for (const e of cache.values()) if (e.program) releaseProgram(e.program);
      cache.clear();
    },
  });
}

function releaseProgram(program: Program): void {
  for (const [t] of program.constants) t.dispose();
}
