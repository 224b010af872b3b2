import type { Variable} from '@scratchnet/core';
import {
  ArgumentError, ShapeError, Tensor, dispose, fmtShape, moveToBackend, variable,
} from '@scratchnet/core';
import { summarize } from './summary.js';

/** A JSON description of a module: its class name and constructor options (children nested). */
export interface ModuleConfig {
  className: string;
  config: Record<string, unknown>;
}

/**
 * The base of every layer and model, as in PyTorch: it owns parameters (trainable variables),
 * buffers (non-trainable state such as BatchNorm's running statistics) and child modules, and
 * computes `forward`. Subclasses register what they own in their constructor.
 */
export abstract class Module<In extends unknown[] = [x: Tensor], Out = Tensor> {
  /** True in training mode (dropout active, BatchNorm uses batch statistics). */
  training = true;
  private readonly ownParams = new Map<string, Variable>();
  private readonly ownBuffers = new Map<string, Variable>();
  private readonly ownChildren = new Map<string, AnyModule>();

  /**
   * Computes the module's output. Most modules take one tensor and return one (`Module` with its
   * default type arguments); attention and recurrent layers take more inputs or return a tuple, as
   * in PyTorch, and say so through `In` and `Out` (e.g. `Module<[q: Tensor, k: Tensor], [Tensor, Tensor]>`).
   */
  abstract forward(...inputs: In): Out;

  /** The constructor options that rebuild this module (see {@link Module.toConfig}). */
  protected abstract getConfig(): Record<string, unknown>;

  /** The class name used in saved configs (the registered name; survives minification). */
  get className(): string {
    return classNames.get(this.constructor) ?? this.constructor.name;
  }

  /** Registers a trainable parameter under `name` and returns it as a Variable. */
  protected addParameter(name: string, initial: Tensor): Variable {
    const v = variable(initial, { name, trainable: true });
    initial.dispose();
    this.ownParams.set(name, v);
    return v;
  }

  /** Registers a non-trainable buffer (saved with the weights, moved by `to`). */
  protected addBuffer(name: string, initial: Tensor): Variable {
    const v = variable(initial, { name, trainable: false });
    initial.dispose();
    this.ownBuffers.set(name, v);
    return v;
  }

  /** Registers a child module under `name`. */
  protected addChild<M extends AnyModule>(name: string, child: M): M {
    if (!(child instanceof Module)) throw new ArgumentError(`${this.className}: child '${name}' is not a Module`);
    this.ownChildren.set(name, child);
    return child;
  }

  /** Direct children with their names. */
  namedChildren(): [string, AnyModule][] {
    return [...this.ownChildren];
  }

  /** Direct children. */
  children(): AnyModule[] {
    return [...this.ownChildren.values()];
  }

  /** This module and every descendant, depth first. */
  modules(): AnyModule[] {
    return [this, ...this.children().flatMap((c) => c.modules())];
  }

  /**
   * Every trainable parameter with its dotted path (e.g. `0.weight`). A Variable shared by two
   * modules (see {@link Module.tieParameter}) is listed once, under the first path that reaches it,
   * as PyTorch's `named_parameters()` does.
   */
  namedParameters(prefix = ''): [string, Variable][] {
    const own = [...this.ownParams].map(([n, v]): [string, Variable] => [prefix + n, v]);
    return firstOfEach([...own, ...this.namedChildren().flatMap(([n, c]) => c.namedParameters(`${prefix}${n}.`))]);
  }

  /**
   * Weight tying: makes this module's parameter `name` the Variable `shared` (owned by another
   * module, e.g. an Embedding's weight reused by the output Linear of a language model). The
   * module's own Variable is disposed, and a property of the same name that held it (`weight`)
   * now holds `shared`. The tied Variable then appears once in `parameters()`, `stateDict()`,
   * optimizer state and saved files; a model class that ties in its constructor is tied again
   * when it is rebuilt on load.
   */
  tieParameter(name: string, shared: Variable): void {
    const own = this.ownParams.get(name);
    if (!own) throw new ArgumentError(`${this.className}.tieParameter: no parameter '${name}'; it has: ${[...this.ownParams.keys()].join(', ') || 'none'}`);
    if (own === shared) return;
    if (!shared.trainable) throw new ArgumentError(`${this.className}.tieParameter: '${name}' must be tied to a trainable Variable`);
    if (own.dtype !== shared.dtype || !sameShape(own.shape, shared.shape)) {
      throw new ShapeError(`${this.className}.tieParameter: '${name}' is ${own.dtype} ${fmtShape(own.shape)}, the shared Variable is ${shared.dtype} ${fmtShape(shared.shape)}`);
    }
    this.ownParams.set(name, shared);
    const self = this as unknown as Record<string, unknown>;
    if (self[name] === own) self[name] = shared;
    own.dispose();
  }

  /** Every trainable parameter. */
  parameters(): Variable[] {
    return this.namedParameters().map(([, v]) => v);
  }

  /** Every buffer with its dotted path (e.g. `3.runningMean`). */
  namedBuffers(prefix = ''): [string, Variable][] {
    const own = [...this.ownBuffers].map(([n, v]): [string, Variable] => [prefix + n, v]);
    return firstOfEach([...own, ...this.namedChildren().flatMap(([n, c]) => c.namedBuffers(`${prefix}${n}.`))]);
  }

  /** Parameters and buffers by dotted path: everything that `save` writes. */
  stateDict(): Map<string, Variable> {
    return new Map([...this.namedParameters(), ...this.namedBuffers()]);
  }

  /**
   * Copies values into the parameters and buffers. With `strict` (default), missing or unexpected
   * names are an error; shapes and dtypes must match.
   */
  loadStateDict(state: ReadonlyMap<string, Tensor> | Record<string, Tensor>, options: { strict?: boolean } = {}): void {
    const entries = state instanceof Map ? new Map<string, Tensor>(state as ReadonlyMap<string, Tensor>) : new Map<string, Tensor>(Object.entries(state as Record<string, Tensor>));
    const own = this.stateDict();
    if (options.strict ?? true) {
      const missing = [...own.keys()].filter((k) => !entries.has(k));
      const unexpected = [...entries.keys()].filter((k) => !own.has(k));
      if (missing.length || unexpected.length) {
        throw new ArgumentError(
          `loadStateDict: ${this.className} state does not match${missing.length ? `; missing: ${missing.join(', ')}` : ''}${unexpected.length ? `; unexpected: ${unexpected.join(', ')}` : ''}`,
        );
      }
    }
    for (const [name, target] of own) {
      const value = entries.get(name);
      if (!value) continue;
      if (value.shape.length !== target.shape.length || value.shape.some((d, i) => d !== target.shape[i])) {
        throw new ShapeError(`loadStateDict: '${name}' has shape ${fmtShape(value.shape)}, the model expects ${fmtShape(target.shape)}`);
      }
      if (value.dtype !== target.dtype) throw new ArgumentError(`loadStateDict: '${name}' has dtype ${value.dtype}, the model expects ${target.dtype}`);
    }
    for (const [name, target] of own) {
      const value = entries.get(name);
      if (value) target.assign(value);
    }
  }

  /** Sets training mode on this module and all descendants. */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Sets evaluation mode (dropout off, BatchNorm uses running statistics). */
  eval(): this {
    return this.train(false);
  }

  /** Moves every parameter and buffer to the named backend now. */
  async to(backendName: string): Promise<this> {
    for (const [, v] of [...this.namedParameters(), ...this.namedBuffers()]) await moveToBackend(v, backendName);
    return this;
  }

  /**
   * A table of layers, output shapes (when `inputShape` is given, e.g. [1, 1, 28, 28]) and
   * parameter counts, like Keras's `model.summary()`.
   */
  summary(inputShape?: readonly number[]): string {
    return summarize(this as AnyModule, inputShape);
  }

  /** Number of trainable scalars. */
  parameterCount(): number {
    return this.parameters().reduce((n, p) => n + p.size, 0);
  }

  /** A JSON-able description of the architecture that {@link moduleFromConfig} rebuilds. */
  toConfig(): ModuleConfig {
    return { className: this.className, config: this.getConfig() };
  }

  /** Frees every parameter and buffer. */
  dispose(): void {
    dispose([...this.stateDict().values()]);
  }
}

/**
 * A module of any forward signature: what containers hold and what save/load, `train` and
 * `parameters` walk. Only the forward call itself needs the concrete `Module<In, Out>` type.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModule = Module<any[], any>;

/** Keeps the first entry of each Variable (a tied Variable is reached by more than one path). */
function firstOfEach(entries: [string, Variable][]): [string, Variable][] {
  const seen = new Set<Variable>();
  return entries.filter(([, v]) => (seen.has(v) ? false : (seen.add(v), true)));
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

type ModuleFactory = (config: Record<string, unknown>) => AnyModule;
const factories = new Map<string, ModuleFactory>();
const classNames = new Map<unknown, string>();

/**
 * Makes a module class loadable from configs under `className`; layers in this package register
 * themselves. `factory` rebuilds an instance from the object `getConfig` returned.
 */
export function registerModule(className: string, moduleClass: abstract new (...args: never[]) => AnyModule, factory: ModuleFactory): void {
  factories.set(className, factory);
  classNames.set(moduleClass, className);
}

/** Rebuilds a module (with fresh weights) from {@link Module.toConfig}'s output. */
export function moduleFromConfig(cfg: ModuleConfig): Module {
  if (typeof cfg !== 'object' || cfg === null || typeof cfg.className !== 'string') {
    throw new ArgumentError(`moduleFromConfig: expected { className, config }, got ${JSON.stringify(cfg)?.slice(0, 80)}`);
  }
  const factory = factories.get(cfg.className);
  if (!factory) {
    throw new ArgumentError(`moduleFromConfig: unknown module class '${cfg.className}'; known: ${[...factories.keys()].sort().join(', ')} (call registerModule for your own classes)`);
  }
  // A config names its own class, so the caller knows which forward signature it rebuilt; the common
  // single-tensor case is typed here, and other modules are cast to their class by whoever asked.
  return factory(cfg.config ?? {}) as Module;
}

/** Checks that x has the given rank (or one of them); the error names the layer and the shape. */
export function expectRank(layer: string, x: Tensor, ranks: readonly number[], what: string): void {
  if (!(x instanceof Tensor)) throw new ArgumentError(`${layer}: input must be a Tensor`);
  if (!ranks.includes(x.rank)) {
    throw new ShapeError(`${layer}: expected ${what} input of rank ${ranks.join(' or ')}, got shape ${fmtShape(x.shape)}`);
  }
}
