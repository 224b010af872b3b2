import type { DataId } from '../backend/kernel-types.js';
import type { Backend } from '../backend/backend.js';
import { storageToValues, type DType, type TypedArray } from '../dtype.js';
import { BackendError, DisposedError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { DataHandle } from './data-handle.js';
import { noteTensorGone } from './leak-check.js';
import { activeRecorder } from './recording.js';
import { checksBeforeRead, reportDeferredErrors, reportSettledErrors } from './deferred-checks.js';
import { lostDataError } from './lost-data.js';

/**
 * Every live data handle and the count of live tensors, with what a tensor does to its own data
 * (read, free). Kept apart from engine.ts, which makes tensors, so that tensor.ts can use these
 * without an import cycle: this module knows tensors only as a type.
 */

/** Every handle whose data has not been freed. */
export const handles = new Set<DataHandle>();
let liveTensors = 0;
/** Bytes of every live handle, and the most there were since the last {@link resetPeakBytes}. */
let liveBytes = 0;
let peakBytes = 0;

/** The most bytes of tensor data alive at once since the last {@link resetPeakBytes} (or the start). */
export function peakByteCount(): number {
  return peakBytes;
}

/** Starts a new peak measurement from the bytes alive now. */
export function resetPeakBytes(): void {
  peakBytes = liveBytes;
}

/** Tensors not yet disposed. */
export function liveTensorCount(): number {
  return liveTensors;
}

/** Registers a new handle over data a backend just wrote or computed. */
export function newHandle(backendName: string, backend: Backend, id: DataId, dtype: DType, size: number): DataHandle {
  const handle = new DataHandle(backendName, backend, id, dtype, size);
  handles.add(handle);
  liveBytes += handle.bytes;
  if (liveBytes > peakBytes) peakBytes = liveBytes;
  return handle;
}

/** @internal Counts a tensor as live (every tensor, Variables included, calls this once). */
export function countLiveTensor(): void {
  liveTensors++;
}

/** @internal Counts a new reference to a handle. */
export function attachHandle(handle: DataHandle): void {
  handle.refs++;
}

/** @internal Drops a reference to a handle, freeing its data when none is left. */
export function releaseHandle(handle: DataHandle): void {
  handle.refs--;
  if (handle.refs === 0) {
    handles.delete(handle);
    liveBytes -= handle.bytes;
    if (!handle.backendRemoved) handle.backend.dispose(handle.id);
  }
}

/** The live handle of a tensor, or a DisposedError naming the op and argument. */
export function liveHandle(t: Tensor, op: string, arg: string): DataHandle {
  const h = t.handleOrNull;
  if (!h) throw new DisposedError(`${op}: ${arg} (tensor #${t.id}, shape [${t.shape.join(',')}]) was disposed and cannot be used`);
  return h;
}

/**
 * Reads a tensor's values asynchronously from wherever they live. A deferred check (see
 * engine's checkValues) started before the read and failed is thrown here instead.
 */
export async function readData(t: Tensor): Promise<TypedArray> {
  const h = liveHandle(t, 'data', 'tensor');
  const lost = lostDataError(h, 'data', 'tensor', t.id);
  if (lost) throw lost;
  activeRecorder()?.hostRead(t, 'data()');
  const checks = checksBeforeRead();
  const values = h.hostCopy ? h.hostCopy.slice() : await h.backend.read(h.id);
  await reportDeferredErrors(checks);
  return storageToValues(values, h.dtype);
}

/** Reads a tensor's values synchronously, or explains why it cannot; throws a settled deferred check's failure first. */
export function readDataSync(t: Tensor): TypedArray {
  const h = liveHandle(t, 'dataSync', 'tensor');
  const lost = lostDataError(h, 'dataSync', 'tensor', t.id);
  if (lost) throw lost;
  activeRecorder()?.hostRead(t, 'dataSync()');
  if (!h.hostCopy && !h.backend.readSync) {
    // Before reporting anything: a read that cannot happen leaves a failed check to the next real read.
    throw new BackendError(
      `dataSync/toArray: backend '${h.backendName}' can only be read asynchronously; use \`await t.data()\` (flat values) or \`await t.array()\` (nested arrays) instead`,
    );
  }
  reportSettledErrors();
  return storageToValues(h.hostCopy ? h.hostCopy.slice() : h.backend.readSync!(h.id), h.dtype);
}

/** @internal Called by Tensor.dispose. */
export function disposeTensor(t: Tensor): void {
  const h = t.handleOrNull;
  if (!h) return;
  t.detach();
  liveTensors--;
  noteTensorGone(t.id);
  releaseHandle(h);
}
