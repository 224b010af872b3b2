/**
 * Activation checkpointing: run a function without keeping its intermediate tensors, and recompute
 * them during the backward pass (PyTorch's `torch.utils.checkpoint`). Memory falls from every
 * intermediate of the function to its inputs and output, at the cost of a second forward pass.
 */
import { tidy } from '../engine/engine.js';
import { ArgumentError } from '../errors.js';
import { expectTensor } from '../ops/convert.js';
import { recordRandomDraws, replayRandomDraws } from '../random/generator.js';
import { Tensor } from '../tensor.js';
import { backpropFrom } from './grad.js';
import { Tape, recordOp, withTape, withoutTape } from './tape.js';

/** Options of {@link checkpoint}. */
export interface CheckpointOptions {
  /**
   * Tensors `fn` reads besides its arguments whose gradients are wanted: a module's parameters. Only
   * these and the arguments receive gradients through the checkpoint.
   */
  params?: readonly Tensor[];
}

/** A module as checkpoint sees it: a forward pass and the parameters it reads (a layers Module is one). */
export interface CheckpointableModule {
  /** The forward pass to checkpoint. */
  forward(x: Tensor): Tensor;
  /** The tensors the forward pass reads whose gradients are wanted. */
  parameters(): readonly Tensor[];
}

/**
 * Wraps `fn` (tensors → one float32 tensor), or a module's forward pass with its parameters, so that calling it keeps only its inputs and output for
 * autodiff: the backward pass reruns `fn` to rebuild the intermediates, with the same random draws
 * (dropout masks match), then backpropagates through them. Gradients are those of `fn` itself. A
 * module's state updates inside `fn` (e.g. BatchNorm running statistics) happen twice, as in PyTorch.
 * @example const block = checkpoint(mlp); // or checkpoint((x) => mlp.forward(x), { params: mlp.parameters() })
 */
export function checkpoint(
  fnOrModule: ((...xs: Tensor[]) => Tensor) | CheckpointableModule, options: CheckpointOptions = {},
): (...xs: Tensor[]) => Tensor {
  const module = typeof fnOrModule === 'object' && fnOrModule !== null && typeof fnOrModule.forward === 'function' ? fnOrModule : null;
  if (!module && typeof fnOrModule !== 'function') throw new ArgumentError(`checkpoint: expected a function or a module, got ${typeof fnOrModule}`);
  const fn = module ? (x: Tensor): Tensor => module.forward(x) : (fnOrModule as (...xs: Tensor[]) => Tensor);
  const params = options.params ?? (module ? module.parameters() : []);
  params.forEach((p, i) => expectTensor(p, 'checkpoint', `params[${i}]`));
  return (...xs: Tensor[]) => {
    xs.forEach((x, i) => expectTensor(x, 'checkpoint', `xs[${i}]`));
    const { result: y, draws } = recordRandomDraws(() => withoutTape(() => tidy(() => fn(...xs))));
    if (!(y instanceof Tensor)) throw new ArgumentError(`checkpoint: fn must return a Tensor, got ${typeof y}`);
    const inputs = [...xs, ...params];
    const backward = (dy: Tensor): (Tensor | null)[] =>
      tidy(() => {
        const tape = new Tape();
        tape.watch(inputs);
        const again = replayRandomDraws(draws, () => withTape(tape, () => fn(...xs)));
        return backpropFrom(tape, again, inputs, dy);
      });
    recordOp('checkpoint', inputs, y, { backward });
    return y;
  };
}
