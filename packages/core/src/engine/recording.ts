import type { Backend } from '../backend/backend.js';
import type { DataId, TensorRef } from '../backend/kernel-types.js';
import type { DType, TypedArray } from '../dtype.js';
import type { Tensor } from '../tensor.js';
import type { DataHandle } from './data-handle.js';

/**
 * What `compile` listens to while it records a function: every place where core talks to a backend
 * or to the host goes through one of these, so a recording sees the whole data flow. Engine modules
 * call the active recorder when there is one and behave exactly as in eager mode otherwise.
 */
export interface Recorder {
  /** A kernel is about to run over `inputs`: returns the backend `call` must use (a recording proxy). */
  kernelBackend(op: string, backend: Backend, inputs: readonly Tensor[], refs: readonly TensorRef[]): Backend;
  /** The kernel that ran on the proxy produced `t` over data `id`. */
  kernelOutput(t: Tensor, id: DataId): void;
  /** Host values were written as `t` (a constant unless they came from {@link Recorder.hostProduced}). */
  hostWrite(t: Tensor, values: TypedArray, dtype: DType): void;
  /** `t` was written from `produce()`, which a replay must call again. */
  hostProduced(t: Tensor, produce: () => TypedArray, dtype: DType): void;
  /** A host side effect that a replay must repeat, in program order. */
  hostEffect(run: () => void): void;
  /** Values of `t` are read on the host (`what` names the read): data-dependent, so not recordable. */
  hostRead(t: Tensor, what: string): void;
  /** A value check (index ranges...) ran on `t`; a replay must run it on the new values. */
  valueCheck(t: Tensor, op: string, check: (values: TypedArray) => Error | null): void;
  /** Variable `v` now points at `next` instead of `previous`. */
  assigned(v: Tensor, previous: DataHandle, next: DataHandle): void;
  /** A Variable was made while recording (state set up on a first call). */
  variableMade(v: Tensor): void;
  /** A random generator drew numbers on the host (`replayed`: repeating a checkpointed forward's draws). */
  randomDraw(replayed: boolean): void;
}

let active: Recorder | null = null;
let producing = 0;

/** The recorder listening now, or null (eager mode). */
export function activeRecorder(): Recorder | null {
  return active;
}

/** Runs `fn` with `recorder` listening; restores the previous one afterwards. */
export function withRecorder<R>(recorder: Recorder | null, fn: () => R): R {
  const saved = active;
  active = recorder;
  try {
    return fn();
  } finally {
    active = saved;
  }
}

/** True while a host producer (see host-values.ts) runs: its random draws are re-made at replay. */
export function insideHostProducer(): boolean {
  return producing > 0;
}

/** Runs a host producer, marking its random draws as recordable. */
export function runProducer<R>(fn: () => R): R {
  producing++;
  try {
    return fn();
  } finally {
    producing--;
  }
}
