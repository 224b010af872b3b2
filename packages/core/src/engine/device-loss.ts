/**
 * Surviving a lost device (a GPU reset, a driver crash, `device.destroy()`). Data on the device is
 * gone; what survives is what the host holds. `syncToHost` is the sync point: it copies
 * variables (parameters, buffers, optimizer state) to the host and keeps each one's copy as its
 * "last synced" value. When the user then switches backend, the engine marks the lost data and
 * rebuilds every lost variable from that copy on the new backend (`restoreSyncedVariables`).
 */
import type { Backend } from '../backend/backend.js';
import type { DType, TypedArray } from '../dtype.js';
import { ArgumentError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { handles, liveHandle } from './data-store.js';
import { lostDataError } from './lost-data.js';

/** What the registry needs of a Variable (variable.ts registers them; a structural type avoids an import cycle). */
export interface SyncableVariable extends Tensor {
  readonly name: string | undefined;
  assign(value: Tensor): void;
}

/** Every live variable, and the values of each at its last sync. */
const liveVariables = new Set<SyncableVariable>();
const lastSynced = new Map<SyncableVariable, TypedArray>();

/** @internal Called by the Variable constructor. */
export function registerVariable(v: SyncableVariable): void {
  liveVariables.add(v);
}

/** @internal Called by Variable.dispose: forgets the variable and its host copy. */
export function forgetVariable(v: SyncableVariable): void {
  liveVariables.delete(v);
  lastSynced.delete(v);
}

/**
 * Copies variables' current values to the host (default: every live variable, which covers model
 * parameters, buffers and optimizer state) and keeps them as their last synced values. After a lost
 * device, `await setBackend(name)` rebuilds each variable from this copy on the new backend; values
 * assigned since the sync are lost. Costs one read per variable and holds one host copy of each
 * (freed when the variable is disposed). Returns the number of variables synced.
 */
export async function syncToHost(variables?: Iterable<Tensor>): Promise<number> {
  // Every live variable, less those already lost (they cannot be read; they stay lost).
  const chosen = variables === undefined ? [...liveVariables].filter((v) => !lostDataError(v.handleOrNull!, 'syncToHost', 'variable', v.id)) : [...variables];
  const reads = chosen.map(async (v, i) => {
    if (!liveVariables.has(v as SyncableVariable)) {
      throw new ArgumentError(`syncToHost: variables[${i}] (tensor #${v.id}) is not a live Variable; only variables (made with variable()) are restored after a lost device`);
    }
    const h = liveHandle(v, 'syncToHost', `variables[${i}]`);
    const lost = lostDataError(h, 'syncToHost', `variables[${i}]`, v.id);
    if (lost) throw lost;
    const values = h.hostCopy ?? (h.backend.readSync ? h.backend.readSync(h.id) : await h.backend.read(h.id));
    // Data never changes once written, so the copy also serves migrations of this handle.
    h.hostCopy = values;
    return [v as SyncableVariable, values] as const;
  });
  // Every read is awaited before any copy is kept, so that one sync is all-or-nothing.
  for (const [v, values] of await Promise.all(reads)) lastSynced.set(v, values);
  return chosen.length;
}

/**
 * Marks the data held by backends whose device was lost: data the host has a copy of lives on in
 * that copy; the rest is lost for good (using it throws a DeviceLostError). Returns the lost backends.
 */
export function markLostData(): Set<Backend> {
  const lost = new Set<Backend>();
  for (const h of handles) {
    if (h.backendRemoved) continue;
    const info = h.backend.deviceLost?.();
    if (!info) continue;
    lost.add(h.backend);
    h.backendRemoved = true;
    if (!h.hostCopy) h.lost = { backendName: h.backendName, info };
  }
  return lost;
}

/**
 * Rebuilds every variable whose data was lost from its last synced values, with `write` (which
 * makes a tensor on the active backend). Variables never synced stay lost. Returns how many came back.
 */
export function restoreSyncedVariables(write: (values: TypedArray, shape: readonly number[], dtype: DType) => Tensor): number {
  let restored = 0;
  for (const v of liveVariables) {
    const values = lastSynced.get(v);
    if (!values || !v.handleOrNull?.lost) continue;
    // A copy: the backend may adopt what it is given, and the synced copy must stay as it is.
    const fresh = write(values.slice(), v.shape, v.dtype);
    v.assign(fresh);
    fresh.dispose();
    restored++;
  }
  return restored;
}
