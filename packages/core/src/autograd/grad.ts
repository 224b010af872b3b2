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
import { backward } from './rules/index.js';
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

  constructor(private readonly kept: (t: Tensor) => boolean) {}

  get(id: number): Tensor | undefined {
    return this.byId.get(id);
  }

  set(id: number, t: Tensor): void {
    this.drop(id);
    this.byId.set(id, t);
    this.uses.set(t, (this.uses.get(t) ?? 0) + 1);
  }

  /** Forgets the entry of `id`, freeing its tensor when nothing else refers to it. */
  drop(id: number): void {
    const t = this.byId.get(id);
    if (!t) return;
    this.byId.delete(id);
    const n = (this.uses.get(t) ?? 1) - 1;
    if (n > 0) {
      this.uses.set(t, n);
      return;
    }
    this.uses.delete(t);
    if (!this.kept(t)) t.dispose();
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
