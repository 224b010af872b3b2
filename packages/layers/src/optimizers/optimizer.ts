import { ArgumentError, DTypeError, ShapeError, Tensor, Variable, dispose, fmtShape, hostEffect, hostScalar, moveToBackend, mul, tidy, variable, zeros } from '@scratchnet/core';

/**
 * A snapshot of an optimizer (see {@link Optimizer.stateDict}): its hyperparameters, how many
 * steps it took, and its per-parameter state tensors ("slots", e.g. Adam's `expAvg`), each list
 * aligned with the optimizer's `params`.
 */
export interface OptimizerState {
  /** The optimizer class that wrote it (`'Adam'`, ...). */
  className: string;
  /** Hyperparameters, `lr` included (a schedule may have changed it). */
  config: Record<string, number | boolean>;
  /** Number of `step()` calls. */
  step: number;
  /** Slot name → one tensor per parameter, in `params` order (zeros for parameters never updated). */
  slots: Record<string, Tensor[]>;
  /**
   * Per-parameter update counts (PyTorch's `state[p]['step']`), which drive Adam's bias correction
   * and SGD's first momentum step; they differ from `step` only for parameters that were skipped.
   * When absent, every parameter takes `step`.
   */
  paramSteps?: number[];
}

/**
 * A scalar tensor of `f(step, lr)` for the parameter being updated: its update count and the current
 * learning rate, read again at every replay of a compiled training step.
 */
export type StepScalar = (f: (step: number, lr: number) => number) => Tensor;

/** Options every optimizer accepts. */
export interface OptimizerOptions {
  /** The learning rate (≥ 0). */
  lr?: number;
}

/** Throws an ArgumentError unless `value` is a finite number ≥ `min` (and < `below` if given). */
export function checkNumber(owner: string, name: string, value: unknown, min: number, below?: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || (below !== undefined && value >= below)) {
    const range = below === undefined ? `≥ ${min}` : `in [${min}, ${below})`;
    throw new ArgumentError(`${owner}: ${name} must be a finite number ${range}, got ${typeof value === 'number' ? value : JSON.stringify(value)}`);
  }
  return value;
}

/** A type-guard-free check (instanceof / Array.isArray would widen the element type to any). */
export function isMap(x: unknown): boolean {
  return x instanceof Map;
}

function isArray(x: unknown): boolean {
  return Array.isArray(x);
}

function describeVariable(v: Variable): string {
  return `${v.name ? `'${v.name}' ` : ''}${fmtShape(v.shape)}`;
}

/**
 * The base of every optimizer, as `torch.optim.Optimizer` with one parameter group. It owns the
 * per-parameter state ("slots", created on a parameter's first update as non-trainable Variables,
 * so a {@link tidy} around a training step does not free them) and frees it in {@link Optimizer.dispose}.
 *
 * Subclasses name their slots and write one parameter's update rule.
 */
export abstract class Optimizer {
  /** The parameters this optimizer updates, in order. */
  readonly params: Variable[];
  private currentLr: number;
  private steps = 0;
  private readonly paramSteps: number[];
  private readonly slotStore = new Map<string, (Variable | null)[]>();
  private readonly index = new Map<Variable, number>();

  /**
   * @param params the variables to update, e.g. `model.parameters()`.
   * @param lr the learning rate.
   */
  constructor(params: readonly Variable[], lr: number) {
    if (!isArray(params)) throw new ArgumentError(`${this.className}: params must be an array of Variables (e.g. model.parameters())`);
    if (params.length === 0) throw new ArgumentError(`${this.className}: got an empty parameter list`);
    params.forEach((p, i) => {
      if (!(p instanceof Variable)) throw new ArgumentError(`${this.className}: params[${i}] is not a Variable`);
      if (this.index.has(p)) throw new ArgumentError(`${this.className}: params[${i}] ${describeVariable(p)} appears more than once`);
      if (p.dtype !== 'float32') throw new DTypeError(`${this.className}: params[${i}] ${describeVariable(p)} has dtype ${p.dtype}; only float32 parameters can be optimized`);
      this.index.set(p, i);
    });
    this.params = [...params];
    this.paramSteps = this.params.map(() => 0);
    this.currentLr = checkNumber(this.className, 'lr', lr, 0);
  }

  /** The class name, used in errors and saved state. */
  get className(): string {
    return this.constructor.name;
  }

  /** The learning rate; schedules set it between epochs. */
  get lr(): number {
    return this.currentLr;
  }

  set lr(value: number) {
    this.currentLr = checkNumber(this.className, 'lr', value, 0);
  }

  /** Number of `step()` calls so far. */
  get stepCount(): number {
    return this.steps;
  }

  /** The slots this optimizer keeps per parameter (depends on its options, e.g. SGD without momentum has none). */
  protected abstract slotNames(): readonly string[];

  /** The hyperparameters besides `lr`, as saved in {@link OptimizerState.config}. */
  protected abstract hyperparameters(): Record<string, number | boolean>;

  /**
   * Updates one parameter: assigns its new value and its slots' new values. Runs inside a tidy;
   * `step` counts this parameter's updates, from 1. Numbers that change between steps (the
   * learning rate, bias corrections) must come from `scalar(f)`, a scalar tensor of f(step, lr)
   * that a compiled training step re-evaluates at every replay (a plain number would be frozen).
   */
  protected abstract update(param: Variable, grad: Tensor, slots: Record<string, Variable>, step: number, scalar: StepScalar): void;

  /**
   * Applies one update to every parameter that has a gradient in `grads` (parameters missing from
   * it are skipped). A gradient for a variable that is not among `params` is an error.
   */
  step(grads: ReadonlyMap<Variable, Tensor>): void {
    if (!isMap(grads)) throw new ArgumentError(`${this.className}.step: grads must be a Map from Variable to gradient (as variableGrads returns)`);
    for (const [v, g] of grads) {
      if (!(v instanceof Variable) || !this.index.has(v)) {
        const what = v instanceof Variable ? `variable ${describeVariable(v)}` : `a key that is not a Variable`;
        throw new ArgumentError(`${this.className}.step: optimizer given parameters of another model: got a gradient for ${what}, which is not among its ${this.params.length} parameters`);
      }
      if (!(g instanceof Tensor)) throw new ArgumentError(`${this.className}.step: the gradient of ${describeVariable(v)} is not a Tensor`);
      if (g.shape.length !== v.shape.length || g.shape.some((d, i) => d !== v.shape[i])) {
        throw new ShapeError(`${this.className}.step: gradient of shape [${g.shape.join(',')}] does not match parameter ${describeVariable(v)}`);
      }
      if (g.dtype !== 'float32') throw new DTypeError(`${this.className}.step: the gradient of ${describeVariable(v)} has dtype ${g.dtype}, expected float32`);
    }
    // Counters advance through host effects, so that a compiled step advances them at every replay.
    hostEffect(() => void this.steps++);
    this.params.forEach((p, i) => {
      const g = grads.get(p);
      if (!g) return;
      hostEffect(() => void this.paramSteps[i]!++);
      const n = this.paramSteps[i]!;
      const scalar: StepScalar = (f) => hostScalar(() => f(this.paramSteps[i]!, this.currentLr));
      tidy(() => {
        this.update(p, g, this.slotsOf(i), n, scalar);
      });
    });
  }

  /** The slots of parameter i, created as zeros on first use. */
  private slotsOf(i: number): Record<string, Variable> {
    const p = this.params[i]!;
    const out: Record<string, Variable> = {};
    for (const name of this.slotNames()) {
      let list = this.slotStore.get(name);
      if (!list) this.slotStore.set(name, (list = this.params.map(() => null)));
      let slot = list[i];
      if (!slot) {
        slot = tidy(() => variable(zeros(p.shape, 'float32'), { trainable: false, name: `${p.name ?? `param${i}`}.${name}` }));
        list[i] = slot;
      }
      out[name] = slot;
    }
    return out;
  }

  /**
   * A snapshot of the optimizer: copies of its slot tensors (the caller owns and disposes them,
   * e.g. with `dispose(state.slots)`), hyperparameters and step counts.
   */
  stateDict(): OptimizerState {
    const slots: Record<string, Tensor[]> = {};
    for (const name of this.slotNames()) {
      const list = this.slotStore.get(name);
      slots[name] = this.params.map((p, i) => {
        const slot = list?.[i];
        return slot ? mul(slot, 1) : zeros(p.shape, 'float32');
      });
    }
    return {
      className: this.className,
      config: { lr: this.lr, ...this.hyperparameters() },
      step: this.steps,
      slots,
      paramSteps: [...this.paramSteps],
    };
  }

  /**
   * Restores a snapshot from {@link Optimizer.stateDict} (of an optimizer of the same class and
   * hyperparameters over parameters of the same shapes): the learning rate, step counts and slot
   * values. The state's tensors stay the caller's; the optimizer shares their (immutable) data.
   */
  loadStateDict(state: OptimizerState): void {
    const who = `${this.className}.loadStateDict`;
    if (typeof state !== 'object' || state === null || typeof state.slots !== 'object' || state.slots === null || typeof state.config !== 'object') {
      throw new ArgumentError(`${who}: expected { className, config, step, slots }`);
    }
    if (state.className !== this.className) throw new ArgumentError(`${who}: state was saved by ${String(state.className)}, not ${this.className}`);
    if (!Number.isInteger(state.step) || state.step < 0) throw new ArgumentError(`${who}: step must be a non-negative integer, got ${String(state.step)}`);
    const lr = checkNumber(who, 'config.lr', state.config.lr, 0);
    const own = this.hyperparameters();
    const differing = Object.keys({ ...own, ...state.config })
      .filter((k) => k !== 'lr' && own[k] !== state.config[k])
      .map((k) => `${k}: saved ${String(state.config[k])}, this optimizer ${String(own[k])}`);
    if (differing.length) throw new ArgumentError(`${who}: hyperparameters differ (${differing.join('; ')}); construct the optimizer with the saved ones`);
    const names = this.slotNames();
    const missing = names.filter((n) => !(n in state.slots));
    const unexpected = Object.keys(state.slots).filter((n) => !names.includes(n));
    if (missing.length || unexpected.length) {
      throw new ArgumentError(`${who}: slots do not match${missing.length ? `; missing: ${missing.join(', ')}` : ''}${unexpected.length ? `; unexpected: ${unexpected.join(', ')}` : ''}`);
    }
    for (const name of names) {
      const list = state.slots[name]!;
      if (!Array.isArray(list) || list.length !== this.params.length) {
        throw new ArgumentError(`${who}: slot '${name}' has ${Array.isArray(list) ? list.length : 'no'} tensors, this optimizer has ${this.params.length} parameters`);
      }
      list.forEach((t, i) => {
        const p = this.params[i]!;
        if (!(t instanceof Tensor)) throw new ArgumentError(`${who}: slot '${name}'[${i}] is not a Tensor`);
        if (t.isDisposed) throw new ArgumentError(`${who}: slot '${name}'[${i}] was disposed`);
        if (t.shape.length !== p.shape.length || t.shape.some((d, k) => d !== p.shape[k])) {
          throw new ShapeError(`${who}: slot '${name}'[${i}] has shape [${t.shape.join(',')}], parameter ${i} ${describeVariable(p)} needs [${p.shape.join(',')}]`);
        }
        if (t.dtype !== 'float32') throw new DTypeError(`${who}: slot '${name}'[${i}] has dtype ${t.dtype}, expected float32`);
      });
    }
    const paramSteps = state.paramSteps ?? this.params.map(() => state.step);
    if (!Array.isArray(paramSteps) || paramSteps.length !== this.params.length || paramSteps.some((s) => !Number.isInteger(s) || s < 0)) {
      throw new ArgumentError(`${who}: paramSteps must hold ${this.params.length} non-negative integers`);
    }
    // Everything is valid: now copy.
    this.currentLr = lr;
    this.steps = state.step;
    paramSteps.forEach((s, i) => (this.paramSteps[i] = s));
    for (const name of names) {
      state.slots[name]!.forEach((t, i) => this.slotsOf(i)[name]!.assign(t));
    }
  }

  /**
   * Moves the optimizer's state to the named backend now (as `Module.to` does for parameters), so
   * that training after `setBackend` does not migrate it on first use.
   */
  async to(backendName: string): Promise<this> {
    for (const list of this.slotStore.values()) {
      for (const slot of list) if (slot) await moveToBackend(slot, backendName);
    }
    return this;
  }

  /** Frees the slot tensors. The optimizer can still step afterwards (it starts from fresh state). */
  dispose(): void {
    for (const list of this.slotStore.values()) dispose(list.filter((v): v is Variable => v !== null));
    this.slotStore.clear();
    this.paramSteps.fill(0);
  }
}
