import { ArgumentError } from '@scratchnet/core';
import { Module, moduleFromConfig, registerModule, type AnyModule, type ModuleConfig } from '../module.js';

function noForward(name: string): never {
  throw new ArgumentError(`${name}: a container has no forward of its own; call its modules from your module's forward`);
}

/**
 * A list of modules registered as children named '0', '1', ..., as PyTorch's nn.ModuleList: a
 * module that holds `this.layers = this.addChild('layers', new ModuleList([...]))` has parameters
 * named `layers.0.weight`, `layers.1.weight`... and saves, loads, moves and trains them all.
 * It has no forward: iterate over it in the owner's forward.
 */
export class ModuleList<M extends AnyModule = AnyModule> extends Module<never[], never> implements Iterable<M> {
  private readonly items: M[] = [];

  constructor(modules: Iterable<M> = []) {
    super();
    this.extend(modules);
  }

  /** Adds a module at the end; returns this list. */
  append(module: M): this {
    this.addChild(String(this.items.length), module);
    this.items.push(module);
    return this;
  }

  /** Adds every module of `modules` at the end; returns this list. */
  extend(modules: Iterable<M>): this {
    if (modules === null || typeof (modules as Partial<Iterable<M>>)[Symbol.iterator] !== 'function') {
      throw new ArgumentError('ModuleList: modules must be an array (or iterable) of modules');
    }
    for (const m of modules) this.append(m);
    return this;
  }

  /** The module at index `i` (negative counts from the end, as in PyTorch). */
  get(i: number): M {
    const k = Number.isInteger(i) && i < 0 ? i + this.items.length : i;
    const m = Number.isInteger(k) ? this.items[k] : undefined;
    if (!m) throw new ArgumentError(`ModuleList: index ${String(i)} is out of range for a list of ${this.items.length}`);
    return m;
  }

  /** Number of modules. */
  get length(): number {
    return this.items.length;
  }

  /** Iterates over the modules in order (`for (const layer of list)`). */
  [Symbol.iterator](): Iterator<M> {
    return this.items[Symbol.iterator]();
  }

  forward(): never {
    return noForward('ModuleList');
  }

  protected getConfig(): Record<string, unknown> {
    return { modules: this.items.map((m) => m.toConfig()) };
  }
}

const KEY = /^[^.\s]+$/;

/**
 * Modules by name, registered as children under those names, as PyTorch's nn.ModuleDict: a
 * module holding `this.heads = this.addChild('heads', new ModuleDict({ cls: ..., box: ... }))` has
 * parameters named `heads.cls.weight`... Keys keep insertion order; a key may not contain '.'.
 * It has no forward: call its modules from the owner's forward.
 */
export class ModuleDict<M extends AnyModule = AnyModule> extends Module<never[], never> {
  private readonly items = new Map<string, M>();

  constructor(modules: Record<string, M> | Iterable<[string, M]> = {}) {
    super();
    const entries = Symbol.iterator in Object(modules) ? [...(modules as Iterable<[string, M]>)] : Object.entries(modules as Record<string, M>);
    for (const [k, m] of entries) this.set(k, m);
  }

  /** Registers `module` under `key` (replacing the module held there); returns this dict. */
  set(key: string, module: M): this {
    if (typeof key !== 'string' || !KEY.test(key)) {
      throw new ArgumentError(`ModuleDict: key must be a non-empty string without '.' or spaces, got ${JSON.stringify(key)}`);
    }
    this.addChild(key, module);
    this.items.set(key, module);
    return this;
  }

  /** The module under `key`. */
  get(key: string): M {
    const m = this.items.get(key);
    if (!m) throw new ArgumentError(`ModuleDict: no module under key '${key}'; keys: ${[...this.items.keys()].join(', ') || 'none'}`);
    return m;
  }

  /** Whether a module is held under `key`. */
  has(key: string): boolean {
    return this.items.has(key);
  }

  /** The keys in insertion order. */
  keys(): string[] {
    return [...this.items.keys()];
  }

  /** The modules in insertion order. */
  values(): M[] {
    return [...this.items.values()];
  }

  /** [key, module] pairs in insertion order. */
  entries(): [string, M][] {
    return [...this.items];
  }

  /** Number of modules. */
  get size(): number {
    return this.items.size;
  }

  forward(): never {
    return noForward('ModuleDict');
  }

  protected getConfig(): Record<string, unknown> {
    return { modules: Object.fromEntries([...this.items].map(([k, m]) => [k, m.toConfig()])) };
  }
}

registerModule('ModuleList', ModuleList, (c) => {
  if (!Array.isArray(c.modules)) throw new ArgumentError('ModuleList: config.modules must be an array of module configs');
  return new ModuleList((c.modules as ModuleConfig[]).map((m) => moduleFromConfig(m) as AnyModule));
});
registerModule('ModuleDict', ModuleDict, (c) => {
  if (typeof c.modules !== 'object' || c.modules === null) throw new ArgumentError('ModuleDict: config.modules must be an object of module configs');
  return new ModuleDict(Object.fromEntries(Object.entries(c.modules as Record<string, ModuleConfig>).map(([k, m]) => [k, moduleFromConfig(m) as AnyModule])));
});
