import type { Backend, BackendMemory } from '../backend/backend.js';
import type { DataId, TensorRef } from '../backend/kernel-types.js';
import {
  deleteEntry, entriesByPriority, entryFor, initEntry, initEntrySync, registerEntry, registeredNames,
  type BackendFactory, type RegisterOptions, type RegistryEntry,
} from '../backend/registry.js';
import type { DType, TypedArray } from '../dtype.js';
import { ArgumentError, BackendError } from '../errors.js';
import { sizeOf, type Shape } from '../shape.js';
import { Tensor } from '../tensor.js';
import type { DataHandle } from './data-handle.js';
import { attachHandle, countLiveTensor, handles, liveHandle, liveTensorCount, newHandle, peakByteCount, resetPeakBytes } from './data-store.js';
import { deferCheck, settleDeferredChecks } from './deferred-checks.js';
import { markLostData, restoreSyncedVariables } from './device-loss.js';
import { backendLostError, lostDataError } from './lost-data.js';
import { noteTensorMade } from './leak-check.js';
import { activeRecorder } from './recording.js';
import { currentScope, runInScope, type Scope } from './scope.js';

/** The backend in use: its registry entry and instance. */
interface Active {
  readonly entry: RegistryEntry;
  readonly backend: Backend;
}

let active: Active | null = null;
let nextTensorId = 1;
/** Asked at scope end whether an autodiff tape still needs a tensor (set by the autograd module). */
let heldByTape: (t: Tensor) => boolean = () => false;

/** @internal Lets the autograd tape keep tensors it recorded alive past inner scopes. */
export function setTapeHoldCheck(check: (t: Tensor) => boolean): void {
  heldByTape = check;
}

// The handle bookkeeping lives in data-store.ts (so tensor.ts can reach it without importing this module).
export { attachHandle, countLiveTensor, liveHandle, releaseHandle } from './data-store.js';

/** Registers a backend under `name`; the highest `priority` available backend is the default. */
export function registerBackend(name: string, factory: BackendFactory, options?: RegisterOptions): void {
  registerEntry(name, factory, options);
}

/** Names of registered backends, best first. */
export function listBackends(): string[] {
  return registeredNames();
}

function activate(entry: RegistryEntry, backend: Backend): Active {
  active = { entry, backend };
  return active;
}

/** The active backend, initialising the best synchronously available one on first use. */
function activeOrDefault(op: string): Active {
  if (active) return active;
  for (const entry of entriesByPriority()) {
    const backend = initEntrySync(entry);
    if (backend) return activate(entry, backend);
  }
  const names = registeredNames();
  throw new BackendError(
    names.length
      ? `${op}: no backend is ready yet (registered: ${names.join(', ')}); call \`await ready()\` or \`await setBackend(name)\` first`
      : `${op}: no backend is registered; import a backend package such as @scratchnet/backend-js`,
  );
}

/** The active backend for running `op`, or a DeviceLostError naming the op when its device is gone. */
function workingActive(op: string): Active {
  const a = activeOrDefault(op);
  if (a.backend.deviceLost?.()) throw backendLostError(op, a.entry.name, a.backend, registeredNames().filter((n) => n !== a.entry.name))!;
  return a;
}

/** Lets registry entries whose device was lost start afresh (a new device) when next selected. */
function forgetLostInstances(): void {
  for (const entry of entriesByPriority()) {
    if (entry.instance?.deviceLost?.()) entry.instance = null;
  }
}

/** The active backend instance. */
export function getBackend(): Backend {
  return activeOrDefault('getBackend').backend;
}

/** The name of the active backend. */
export function getBackendName(): string {
  return activeOrDefault('getBackendName').entry.name;
}

/**
 * Makes `name` the active backend, initialising it if needed. Tensors already made stay usable:
 * their data moves on first use. Data held by a backend that can only be read asynchronously is
 * read back here, so that later synchronous ops can move it.
 *
 * After a lost device (see DeviceLostError) this is how to go on: data the host holds a copy of moves
 * as usual, every variable whose data was lost comes back from its last `syncToHost` values on
 * the new backend, and other lost data stays lost (using it throws a DeviceLostError). A backend whose
 * device was lost gets a fresh device when it is selected again.
 */
export async function setBackend(name: string): Promise<void> {
  const entry = entryFor(name, 'setBackend');
  const lostBackends = markLostData();
  forgetLostInstances();
  const backend = await initEntry(entry);
  const pending: Promise<void>[] = [];
  for (const h of handles) {
    if (h.backend !== backend && !h.backendRemoved && !h.backend.readSync && !h.hostCopy) {
      pending.push(h.backend.read(h.id).then((v) => void (h.hostCopy = v)));
    }
  }
  await Promise.all(pending);
  // Checks still in flight settle here, so that synchronous reads on the new backend can report them.
  await settleDeferredChecks();
  activate(entry, backend);
  // What survived a lost device moves now, so that no tensor still names the dead backend.
  for (const h of handles) if (lostBackends.has(h.backend) && h.hostCopy) migrate(h, name, backend, 'setBackend');
  restoreSyncedVariables((values, shape, dtype) => writeTensor(values, shape, dtype, 'setBackend'));
}

/** Waits until a backend is active: the current one, else the best available one (trying each by priority). */
export async function ready(): Promise<Backend> {
  if (active) return active.backend;
  const failures: string[] = [];
  for (const entry of entriesByPriority()) {
    try {
      const backend = await initEntry(entry);
      return (active ?? activate(entry, backend)).backend;
    } catch (err) {
      failures.push(err instanceof Error ? err.message : String(err));
    }
  }
  throw new BackendError(
    failures.length ? `ready: no backend could start: ${failures.join('; ')}` : 'ready: no backend is registered; import a backend package such as @scratchnet/backend-js',
  );
}

/**
 * Unregisters a backend. Tensors whose data it held are read back to the host first where the
 * backend can read synchronously; otherwise they become unusable with a clear error.
 */
export async function removeBackend(name: string): Promise<void> {
  const entry = entryFor(name, 'removeBackend');
  const backend = entry.instance;
  if (backend) {
    markLostData();
    for (const h of handles) {
      if (h.backend !== backend || h.backendRemoved) continue;
      h.hostCopy ??= await backend.read(h.id);
      h.backendRemoved = true;
    }
    await backend.shutdown?.();
  }
  deleteEntry(name);
  if (active?.entry === entry) active = null;
}

/** Ids handed out to tensors. */
export function newTensorId(): number {
  return nextTensorId++;
}

/** Wraps freshly written or computed data into a tensor tracked by the current scope. */
export function makeTensorFromData(backendName: string, backend: Backend, id: DataId, shape: Shape, dtype: DType): Tensor {
  return adoptHandle(newHandle(backendName, backend, id, dtype, sizeOf(shape)), shape, dtype);
}

/** Makes a new tensor over an existing handle (reshape shares data). */
export function adoptHandle(handle: DataHandle, shape: Shape, dtype: DType): Tensor {
  const t = new Tensor(newTensorId(), shape, dtype, handle);
  attachHandle(handle);
  countLiveTensor();
  track(t);
  noteTensorMade(t.id);
  return t;
}




/** Writes host values to the active backend as a new tensor. */
/** int32 data written from the host up to this many elements keeps its values for checks (see DataHandle.writtenValues). */
const KEEP_WRITTEN_INT32_UP_TO = 1 << 16;

/** Writes host values (owned by core from now on) to the active backend as a new tensor; `op` names the writer in errors. */
export function writeTensor(values: TypedArray, shape: Shape, dtype: DType, op = 'tensor'): Tensor {
  const { entry, backend } = workingActive(op);
  const t = makeTensorFromData(entry.name, backend, backend.write(values, dtype), shape, dtype);
  if (dtype === 'int32' && !backend.readSync && values.length <= KEEP_WRITTEN_INT32_UP_TO) liveHandle(t, 'tensor', 'values').writtenValues = values;
  activeRecorder()?.hostWrite(t, values, dtype);
  return t;
}

function track(t: Tensor): void {
  currentScope()?.tracked.push(t);
}


/** Moves a handle's data to `target`, reading synchronously or from the cached host copy. */
function migrate(h: DataHandle, targetName: string, target: Backend, op: string): void {
  let values = h.hostCopy;
  if (!values) {
    if (!h.backend.readSync) {
      throw new BackendError(
        `${op}: the data lives on backend '${h.backendName}', which can only be read asynchronously; use \`await t.data()\` or switch with \`await setBackend(...)\`, which moves it`,
      );
    }
    values = h.backend.readSync(h.id);
  }
  const newId = target.write(values, h.dtype);
  if (!h.backendRemoved) h.backend.dispose(h.id);
  h.backend = target;
  h.backendName = targetName;
  h.id = newId;
  h.backendRemoved = false;
}

/** The active backend for running a kernel. */
export function kernelBackend(op: string): { name: string; backend: Backend } {
  const a = workingActive(op);
  return { name: a.entry.name, backend: a.backend };
}

/** A kernel input for `backend`, moving the tensor's data there first when it lives elsewhere. */
export function refOn(t: Tensor, backendName: string, backend: Backend, op: string, arg: string): TensorRef {
  const h = liveHandle(t, op, arg);
  if (h.backend !== backend) {
    const lost = lostDataError(h, op, arg, t.id);
    if (lost) throw lost;
    migrate(h, backendName, backend, op);
  }
  return { id: h.id, shape: t.shape, dtype: t.dtype };
}

/**
 * Moves a tensor's data to the named backend now (rather than on first use), initialising that
 * backend if needed. Works from async-only backends too. Tensors sharing the data move with it.
 */
export async function moveToBackend(t: Tensor, name: string): Promise<void> {
  const entry = entryFor(name, 'moveToBackend');
  const backend = await initEntry(entry);
  const h = liveHandle(t, 'moveToBackend', 'tensor');
  if (h.backend === backend) return;
  const lost = lostDataError(h, 'moveToBackend', 'tensor', t.id);
  if (lost) throw lost;
  if (!h.hostCopy && !h.backend.readSync) h.hostCopy = await h.backend.read(h.id);
  await settleDeferredChecks();
  migrate(h, name, backend, 'moveToBackend');
}

/**
 * Checks a tensor's values with `check`, which returns the error to throw or null. Where the values can
 * be read synchronously (or are known: small int32 data written from the host) the check runs now and
 * throws now; otherwise (values computed on an async-only backend) it runs when they arrive, and its
 * error is thrown by the next read of any tensor data. Ops validate
 * data-dependent arguments (indices) with it, so a bad program fails on every backend with one error.
 */
export function checkValues(t: Tensor, op: string, check: (values: TypedArray) => Error | null): void {
  const h = liveHandle(t, op, 'tensor');
  const lost = lostDataError(h, op, 'tensor', t.id);
  if (lost) throw lost;
  activeRecorder()?.valueCheck(t, op, check);
  const now = h.hostCopy ?? h.writtenValues ?? h.backend.readSync?.(h.id);
  if (now) {
    const error = check(now);
    if (error) throw error;
    return;
  }
  deferCheck(h.backend.read(h.id), check);
}




/** Marks a tensor so that no enclosing {@link tidy} disposes it. Returns it. */
export function keep<T extends Tensor>(t: T): T {
  t.kept = true;
  return t;
}

/** Anything that may hold tensors: a tensor, arrays and plain objects of them. */
export type TensorContainer = Tensor | TensorContainer[] | { [key: string]: TensorContainer } | null | undefined | number | string | boolean | Map<unknown, unknown>;

/**
 * Adds every tensor inside `value` (arrays, plain objects and map values, nested to any depth) to
 * `out`. Walks with an explicit stack and a visited set, so deep nesting cannot overflow the call
 * stack and a container that holds itself is walked once.
 */
function collect(value: unknown, out: Set<Tensor>): void {
  const pending: unknown[] = [value];
  const visited = new Set<object>();
  while (pending.length > 0) {
    const v = pending.pop();
    if (v instanceof Tensor) {
      out.add(v);
      continue;
    }
    if (typeof v !== 'object' || v === null || visited.has(v)) continue;
    visited.add(v);
    if (Array.isArray(v)) for (const item of v as unknown[]) pending.push(item);
    else if (v instanceof Map) for (const item of (v as Map<unknown, unknown>).values()) pending.push(item);
    else if (Object.getPrototypeOf(v) === Object.prototype) for (const item of Object.values(v)) pending.push(item);
  }
}

/** Disposes a tensor or every tensor inside arrays / objects / maps. */
export function dispose(value: unknown): void {
  const found = new Set<Tensor>();
  collect(value, found);
  for (const t of found) t.dispose();
}

/**
 * Runs `fn` and then disposes every tensor it made, except those it returns (they move to the
 * enclosing scope) and those marked with {@link keep}. `fn` may be async: the scope follows it
 * across `await` and closes when its promise settles.
 */
export function tidy<R>(fn: () => R): R {
  if (typeof fn !== 'function') throw new ArgumentError(`tidy: fn must be a function, got ${typeof fn}`);
  const scope: Scope = { tracked: [], parent: currentScope() };
  return runInScope(scope, fn, (result) => endScope(scope, result));
}

function endScope(scope: Scope, result: unknown): void {
  const returned = new Set<Tensor>();
  collect(result, returned);
  for (const t of scope.tracked) {
    if (t.isDisposed || t.kept) continue;
    if (returned.has(t) || heldByTape(t)) scope.parent?.tracked.push(t);
    else t.dispose();
  }
}

/** Live tensors and data, overall and per backend. */
export interface MemoryInfo {
  /** Tensors not yet disposed. */
  numTensors: number;
  /** Distinct data buffers behind them. */
  numDataBuffers: number;
  /** Bytes of those buffers. */
  numBytes: number;
  /**
   * The most bytes of tensor data that were alive at once since the last {@link resetPeakMemory}
   * (PyTorch's `max_memory_allocated`): what a training step really needs.
   */
  peakBytes: number;
  /** Per backend: bytes and buffers of ScratchNet's data there, plus the backend's own figures. */
  backends: Record<string, { bytes: number; buffers: number; backend: BackendMemory | null }>;
}

/** Reports live tensors and bytes, overall and per backend. */
export function memory(): MemoryInfo {
  const backends: MemoryInfo['backends'] = {};
  let numBytes = 0;
  for (const h of handles) {
    numBytes += h.bytes;
    const slot = (backends[h.backendName] ??= { bytes: 0, buffers: 0, backend: null });
    slot.bytes += h.bytes;
    slot.buffers += 1;
  }
  for (const entry of entriesByPriority()) {
    if (!entry.instance) continue;
    const slot = (backends[entry.name] ??= { bytes: 0, buffers: 0, backend: null });
    slot.backend = entry.instance.memory();
  }
  return { numTensors: liveTensorCount(), numDataBuffers: handles.size, numBytes, peakBytes: peakByteCount(), backends };
}

/** Starts a new peak measurement for {@link MemoryInfo.peakBytes} from the bytes alive now. */
export function resetPeakMemory(): void {
  resetPeakBytes();
}
