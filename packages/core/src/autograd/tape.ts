import { isFloatDType } from '../dtype.js';
import { setTapeHoldCheck } from '../engine/engine.js';
import { Tensor } from '../tensor.js';
import type { GradAttrs, GradOp, TapeNode } from './grad-attrs.js';

/**
 * A recording of the ops that lead from watched tensors to a result. Ops record themselves by name
 * (see {@link recordOp}); backprop looks each one's rule up in the rule table, so op modules never
 * import gradient code.
 */
export class Tape {
  readonly nodes: TapeNode[] = [];
  /** Ids of tensors that depend on a watched tensor. */
  readonly reachable = new Set<number>();
  /** Tensors that gradient rules may still read: scopes must not dispose them while the tape lives. */
  readonly held = new Set<Tensor>();

  /** Marks tensors whose gradients are wanted. */
  watch(ts: readonly Tensor[]): void {
    for (const t of ts) this.reachable.add(t.id);
  }
}

const tapes: Tape[] = [];

setTapeHoldCheck((t) => tapes.some((tape) => tape.held.has(t)));

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

/** Whether a gradient tape is recording now (compile then runs eagerly, so autodiff sees the ops). */
export function tapeActive(): boolean {
  return tapes.length > 0;
}

/** Runs `fn` with recording paused (gradient rules run this way). */
export function withoutTape<R>(fn: () => R): R {
  const saved = tapes.splice(0, tapes.length);
  try {
    return fn();
  } finally {
    tapes.push(...saved);
  }
}

/**
 * Records op `op` for autodiff when a tape is active and one of its inputs depends on a watched
 * tensor. Only float (float32, float16) outputs carry gradients. The tape keeps `inputs`, `output` and any tensor
 * among `attrs` alive for the op's gradient rule.
 */
export function recordOp<K extends GradOp>(op: K, inputs: readonly Tensor[], output: Tensor, attrs: GradAttrs[K]): void {
  const tape = tapes[tapes.length - 1];
  if (!tape || !isFloatDType(output.dtype)) return;
  if (!inputs.some((t) => tape.reachable.has(t.id))) return;
  const node: TapeNode<K> = { op, inputs, output, attrs };
  tape.nodes.push(node);
  tape.reachable.add(output.id);
  for (const t of inputs) tape.held.add(t);
  for (const v of Object.values(attrs)) if (v instanceof Tensor) tape.held.add(v);
  tape.held.add(output);
}
