import { isFloatDType } from '../dtype.js';
import { tidy } from '../engine/engine.js';
import { leakCheckStep } from '../engine/leak-check.js';
import { ArgumentError, fmtShape } from '../errors.js';
import { add } from '../ops/binary.js';
import { cast } from '../ops/cast.js';
import { expectTensor } from '../ops/convert.js';
import { onesLike, zerosLike } from '../ops/creation.js';
import { Tensor } from '../tensor.js';
import { trainableVariables, type Variable } from '../variable.js';
import type { TapeNode } from './grad-attrs.js';
import { backward } from './rules/index.js';
import { assembleSlicePieces, type SlicePiece } from './slice-pieces.js';
import { Tape, withTape, withoutTape } from './tape.js';

/**
 * The cotangents in flight during backprop, by tensor id, with each cotangent tensor's number of
 * entries (one tensor may stand for several inputs: `add`'s rule returns dy for both). A cotangent is
 * freed as soon as no entry refers to it any more, unless it is `kept` (the caller's seed, tensors
 * the tape holds), so a backward pass holds only the cotangents still to be used, not all of them.
 */
class Cotangents {
  private readonly byId = new Map<number, Tensor>();
  private readonly uses = new Map<Tensor, number>();
  /** Cotangents of slices of a tensor, by the tensor's id, assembled on first read (see {@link addSlice}). */
  private readonly slices = new Map<number, { shape: readonly number[]; pieces: SlicePiece[] }>();

  constructor(private readonly kept: (t: Tensor) => boolean) {}

  get(id: number): Tensor | undefined {
    this.assemble(id);
    return this.byId.get(id);
  }

  /** Sets the cotangent of `id` (slice cotangents still pending for it stay pending). */
  set(id: number, t: Tensor): void {
    this.forget(id);
    this.byId.set(id, t);
    this.use(t);
  }

  /**
   * Notes `dy`, the cotangent of the slice of tensor `id` (of `shape`) that began at `begin`. The
   * pieces are put together when the tensor's cotangent is first read: slices that tile it (a split)
   * become one concatenation rather than a padded copy of the whole per piece plus the adds.
   */
  addSlice(id: number, shape: readonly number[], begin: readonly number[], dy: Tensor): void {
    let entry = this.slices.get(id);
    if (!entry) this.slices.set(id, (entry = { shape, pieces: [] }));
    entry.pieces.push({ begin, dy });
    this.use(dy);
  }

  /** Forgets the entry of `id` (pending slice cotangents included), freeing what nothing else refers to. */
  drop(id: number): void {
    const entry = this.slices.get(id);
    if (entry) {
      this.slices.delete(id);
      for (const p of entry.pieces) this.release(p.dy);
    }
    this.forget(id);
  }

  private forget(id: number): void {
    const t = this.byId.get(id);
    if (!t) return;
    this.byId.delete(id);
    this.release(t);
  }

  private use(t: Tensor): void {
    this.uses.set(t, (this.uses.get(t) ?? 0) + 1);
  }

  private release(t: Tensor): void {
    const n = (this.uses.get(t) ?? 1) - 1;
    if (n > 0) {
      this.uses.set(t, n);
      return;
    }
    this.uses.delete(t);
    if (!this.kept(t)) t.dispose();
  }

  /** Folds the pending slice cotangents of `id` into its cotangent. */
  private assemble(id: number): void {
    const entry = this.slices.get(id);
    if (!entry) return;
    this.slices.delete(id);
    const whole = assembleSlicePieces(entry.pieces, entry.shape);
    const prev = this.byId.get(id);
    this.set(id, prev ? add(prev, whole) : whole);
    for (const p of entry.pieces) this.release(p.dy);
  }
}

/**
 * Runs the tape backwards from `value` (with cotangent `seed`, ones by default), looking each node's
 * rule up by op, and returns the gradients of `xs` (null where none flows). Each rule runs in its own
 * scope (its intermediates are freed at once), and a node's output cotangent is freed once its rule
 * has run: nodes are visited in reverse order, so nothing later needs it.
 */
export function backpropFrom(tape: Tape, value: Tensor, xs: readonly Tensor[], seed?: Tensor): (Tensor | null)[] {
  return withoutTape(() => {
    const wanted = new Set(xs.map((x) => x.id));
    const grads = new Cotangents((t) => t === seed || tape.held.has(t));
    grads.set(value.id, seed ?? onesLike(value));
    for (let i = tape.nodes.length - 1; i >= 0; i--) {
      const node = tape.nodes[i]!;
      const dy = grads.get(node.output.id);
      if (!dy) continue;
      const needs = node.inputs.map((input) => tape.reachable.has(input.id));
      if (node.op === 'slice' && node.inputs[0]!.dtype === dy.dtype) {
        // A slice's cotangent waits for its siblings: together they are assembled in one go.
        const input = node.inputs[0]!;
        if (needs[0]) grads.addSlice(input.id, input.shape, (node as TapeNode<'slice'>).attrs.begin, dy);
        if (!wanted.has(node.output.id)) grads.drop(node.output.id);
        continue;
      }
      const gs = tidy(() => backward(node, dy, needs));
      node.inputs.forEach((input, j) => {
        const g = gs[j];
        if (!g || !tape.reachable.has(input.id)) return;
        if (g.shape.length !== input.shape.length || g.shape.some((d, k) => d !== input.shape[k])) {
          throw new Error(`autodiff: internal error: gradient ${fmtShape(g.shape)} does not match input ${fmtShape(input.shape)}`);
        }
        // A gradient has its input's dtype (a float16 activation gets a float16 gradient, as in PyTorch).
        const gt = g.dtype !== input.dtype && isFloatDType(input.dtype) ? cast(g, input.dtype) : g;
        const prev = grads.get(input.id);
        grads.set(input.id, prev ? add(prev, gt) : gt);
      });
      // A rule's result that reached no input (e.g. the gradient of an unwatched operand) is freed now.
      for (const g of gs) if (g && g !== dy && !node.inputs.some((input) => grads.get(input.id) === g) && !tape.held.has(g) && g !== seed) g.dispose();
      if (!wanted.has(node.output.id)) grads.drop(node.output.id);
    }
    return xs.map((x) => grads.get(x.id) ?? null);
  });
}

function backprop(tape: Tape, value: Tensor, xs: readonly Tensor[]): Tensor[] {
  const grads = backpropFrom(tape, value, xs);
  return withoutTape(() => grads.map((g, i) => g ?? zerosLike(xs[i]!)));
}

function evaluate(f: () => Tensor, watched: readonly Tensor[], op: string): { value: Tensor; grads: Tensor[] } {
  leakCheckStep();
  return tidy(() => {
    const tape = new Tape();
    tape.watch(watched);
    const value = withTape(tape, f);
    if (!(value instanceof Tensor)) throw new ArgumentError(`${op}: f must return a Tensor, got ${typeof value}`);
    if (value.dtype !== 'float32') throw new ArgumentError(`${op}: f must return a float32 tensor to differentiate, got ${value.dtype}`);
    const grads = backprop(tape, value, watched);
    return { value, grads };
  });
}

/**
 * Returns a function computing the gradients of Σ f(xs) with respect to each input.
 * @example const [da, db] = grad((a, b) => sum(mul(a, b)))(a, b);
 */
export function grad(f: (...xs: Tensor[]) => Tensor): (...xs: Tensor[]) => Tensor[] {
  return (...xs) => {
    const { value, grads } = valueAndGrad(f)(...xs);
    value.dispose();
    return grads;
  };
}

/** Like {@link grad}, also returning f's value. */
export function valueAndGrad(f: (...xs: Tensor[]) => Tensor): (...xs: Tensor[]) => { value: Tensor; grads: Tensor[] } {
  if (typeof f !== 'function') throw new ArgumentError('valueAndGrad: f must be a function');
  return (...xs) => {
    xs.forEach((x, i) => expectTensor(x, 'valueAndGrad', `xs[${i}]`));
    return evaluate(() => f(...xs), xs, 'valueAndGrad');
  };
}

/**
 * Gradients of f() with respect to variables (all trainable variables by default), for training loops.
 * @returns f's value and a map from each variable to its gradient.
 */
export function variableGrads(f: () => Tensor, vars?: readonly Variable[]): { value: Tensor; grads: Map<Variable, Tensor> } {
  if (typeof f !== 'function') throw new ArgumentError('variableGrads: f must be a function');
  const list = vars ?? trainableVariables();
  const { value, grads } = evaluate(f, list, 'variableGrads');
  return { value, grads: new Map(list.map((v, i) => [v, grads[i]!])) };
}

/**
 * Runs `fn` without recording anything for autodiff (PyTorch's `no_grad`): for updates of
 * running statistics, metrics, and anything that must not receive gradients.
 */
export function noGrad<R>(fn: () => R): R {
  return withoutTape(fn);
}
