import { BackendError } from '../errors.js';
import type { Backend } from './backend.js';

/** Makes a backend; may be async (WebAssembly compilation, GPU adapter requests). Throw or reject when unavailable. */
export type BackendFactory = () => Backend | Promise<Backend>;

/** Options of {@link registerBackend}. */
export interface RegisterOptions {
  /** Higher wins when ScratchNet picks the best available backend. Default 0. */
  priority?: number;
}

/** A registered backend and the state of its initialisation. */
export interface RegistryEntry {
  readonly name: string;
  readonly factory: BackendFactory;
  readonly priority: number;
  instance: Backend | null;
  pending: Promise<Backend> | null;
  failure: Error | null;
}

const entries = new Map<string, RegistryEntry>();

/** Registers a backend factory under a name. Registering a name twice replaces the earlier one. */
export function registerEntry(name: string, factory: BackendFactory, options: RegisterOptions = {}): void {
  if (typeof name !== 'string' || name.length === 0) throw new BackendError('registerBackend: name must be a non-empty string');
  if (typeof factory !== 'function') throw new BackendError(`registerBackend: factory for '${name}' must be a function`);
  entries.set(name, { name, factory, priority: options.priority ?? 0, instance: null, pending: null, failure: null });
}

/** The registered entry for a name, or an error listing the registered names. */
export function entryFor(name: string, op: string): RegistryEntry {
  const entry = entries.get(name);
  if (!entry) {
    const known = [...entries.keys()];
    throw new BackendError(
      `${op}: unknown backend '${name}'; registered backends: ${known.length ? known.join(', ') : '(none — import a backend package such as @scratchnet/backend-js)'}`,
    );
  }
  return entry;
}

/** Entries sorted best first (priority, then registration order). */
export function entriesByPriority(): RegistryEntry[] {
  return [...entries.values()].sort((a, b) => b.priority - a.priority);
}

/** Removes an entry; returns it so its instance can be shut down. */
export function deleteEntry(name: string): RegistryEntry | undefined {
  const entry = entries.get(name);
  entries.delete(name);
  return entry;
}

/** Initialises an entry's backend once (sharing a pending initialisation). */
export async function initEntry(entry: RegistryEntry): Promise<Backend> {
  if (entry.instance) return entry.instance;
  if (entry.failure) throw entry.failure;
  entry.pending ??= (async () => {
    try {
      const backend = await entry.factory();
      entry.instance = backend;
      return backend;
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      entry.failure = new BackendError(`backend '${entry.name}' is not available here: ${reason}`);
      throw entry.failure;
    } finally {
      entry.pending = null;
    }
  })();
  return entry.pending;
}

/** Initialises an entry synchronously when its factory is synchronous; returns null when it is async. */
export function initEntrySync(entry: RegistryEntry): Backend | null {
  if (entry.instance) return entry.instance;
  if (entry.failure || entry.pending) return null;
  let made: Backend | Promise<Backend>;
  try {
    made = entry.factory();
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    entry.failure = new BackendError(`backend '${entry.name}' is not available here: ${reason}`);
    return null;
  }
  if (made instanceof Promise) {
    entry.pending = made.then(
      (b) => {
        entry.instance = b;
        entry.pending = null;
        return b;
      },
      (err: unknown) => {
        entry.pending = null;
        entry.failure = new BackendError(`backend '${entry.name}' is not available here: ${err instanceof Error ? err.message : String(err)}`);
        throw entry.failure;
      },
    );
    entry.pending.catch(() => undefined);
    return null;
  }
  entry.instance = made;
  return made;
}

/** Names of all registered backends, best first. */
export function registeredNames(): string[] {
  return entriesByPriority().map((e) => e.name);
}
