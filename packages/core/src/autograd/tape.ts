import { setTapeHoldCheck } from '../engine/engine.js';
import type { Tensor } from '../tensor.js';

/** The gradient rule of one recorded op: given the output's cotangent, the inputs' (null = none). */
export type BackwardFn = (dy: Tensor) => readonly (Tensor | null)[];

/** One op recorded while gradients were being watched. */
export interface TapeNode {
  readonly inputs: readonly Tensor[];
  readonly output: Tensor;
  readonly backward: BackwardFn;
}

/** A recording of the ops that lead from watched tensors to a result. */
export class Tape {
  readonly nodes: TapeNode[] = [];
  /** Ids of tensors that depend on a watched tensor. */
  readonly reachable = new Set<number>();
  /** Tensors that backward rules may still read: scopes must not dispose them while the tape lives. */
  readonly held = new Set<Tensor>();

  /** Marks tensors whose gradients are wanted. */
  watch(ts: readonly Tensor[]): void {
    for (const t of ts) this.reachable.add(t.id);
  }
}

const tapes: Tape[] = [];

setTapeHoldCheck((t) => tapes.some((tape) => tape.held.has(t)));

/** The innermost recording tape, if any. */
export function activeTape(): Tape | null {
  return tapes[tapes.length - 1] ?? null;
}

/** Runs `fn` while `tape` records. */
export function withTape<R>(tape: Tape, fn: () => R): R {
  tapes.push(tape);
  try {
    return fn();
  } finally {
    const i = tapes.lastIndexOf(tape);
    if (i >= 0) tapes.splice(i, 1);
  }
}

/** Runs `fn` with recording paused (backward rules run this way). */
export function withoutTape<R>(fn: () => R): R {
  const saved = tapes.splice(0, tapes.length);
  try {
    return fn();
  } finally {
    tapes.push(...saved);
  }
}

/**
 * Records an op for autodiff when a tape is active and one of its inputs depends on a watched
 * tensor. Only float32 outputs carry gradients. The rule reads `inputs` / `output` (held alive
 * by the tape) plus anything it captured.
 */
export function recordOp(inputs: readonly Tensor[], output: Tensor, backward: BackwardFn, saved: readonly Tensor[] = []): void {
  const tape = tapes[tapes.length - 1];
  if (!tape || output.dtype !== 'float32') return;
  if (!inputs.some((t) => tape.reachable.has(t.id))) return;
  tape.nodes.push({ inputs, output, backward });
  tape.reachable.add(output.id);
  for (const t of inputs) tape.held.add(t);
  for (const t of saved) tape.held.add(t);
  tape.held.add(output);
}
