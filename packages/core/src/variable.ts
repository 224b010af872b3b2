import { attachHandle, countLiveTensor, liveHandle, releaseHandle } from './engine/engine.js';
import { DTypeError, ShapeError, fmtShape } from './errors.js';
import { expectTensor } from './ops/convert.js';
import { Tensor } from './tensor.js';
import type { DataHandle } from './engine/data-handle.js';
import { newTensorId } from './engine/engine.js';
import { forgetVariable, registerVariable } from './engine/device-loss.js';
import { activeRecorder } from './engine/recording.js';

const trainables = new Set<Variable>();
/** The Variable that last took each handle, so that compile can tell a reshaped view of a Variable from a constant. */
const holders = new WeakMap<DataHandle, Variable>();

/** @internal The live Variable whose current data is `h` (through any view of it), or null. */
export function variableHolding(h: DataHandle): Variable | null {
  const v = holders.get(h);
  return v && v.handleOrNull === h ? v : null;
}

/**
 * A mutable tensor: model parameters and optimizer state. `assign` swaps in new values of the same
 * shape and dtype. Variables are not disposed by {@link tidy}; dispose them yourself.
 */
export class Variable extends Tensor {
  /** Whether {@link variableGrads} differentiates with respect to it by default. */
  readonly trainable: boolean;
  /** An optional name for debugging and saving. */
  readonly name: string | undefined;

  /** @internal Use {@link variable}. */
  constructor(initial: Tensor, trainable: boolean, name: string | undefined) {
    const h = liveHandle(initial, 'variable', 'initial');
    super(newTensorId(), initial.shape, initial.dtype, h);
    attachHandle(h);
    countLiveTensor();
    this.kept = true;
    this.trainable = trainable;
    this.name = name;
    if (trainable) trainables.add(this);
    registerVariable(this);
    holders.set(h, this);
    activeRecorder()?.variableMade(this);
  }

  /** Replaces the value with `value`'s (same shape and dtype). `value` itself stays usable. */
  assign(value: Tensor): void {
    expectTensor(value, 'assign', 'value');
    const old = liveHandle(this, 'assign', `variable${this.name ? ` '${this.name}'` : ''}`);
    if (value.dtype !== this.dtype) throw new DTypeError(`assign: value has dtype ${value.dtype}, variable${this.name ? ` '${this.name}'` : ''} has ${this.dtype}`);
    if (value.shape.length !== this.shape.length || value.shape.some((d, i) => d !== this.shape[i])) {
      throw new ShapeError(`assign: value ${fmtShape(value.shape)} does not match variable${this.name ? ` '${this.name}'` : ''} ${fmtShape(this.shape)}`);
    }
    const h = liveHandle(value, 'assign', 'value');
    attachHandle(h);
    this.setHandle(h);
    holders.set(h, this);
    activeRecorder()?.assigned(this, old, h);
    releaseHandle(old);
  }

  override dispose(): void {
    trainables.delete(this);
    forgetVariable(this);
    super.dispose();
  }
}

/** Makes a variable holding `initial`'s values (shared, not copied; tensors are immutable). */
export function variable(initial: Tensor, options: { trainable?: boolean; name?: string } = {}): Variable {
  expectTensor(initial, 'variable', 'initial');
  return new Variable(initial, options.trainable ?? true, options.name);
}

/** Every live trainable variable. */
export function trainableVariables(): Variable[] {
  return [...trainables];
}
