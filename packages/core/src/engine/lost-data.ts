/**
 * The errors for data and backends lost with their device (see device-loss.ts for the recovery).
 * Kept free of engine imports so that data-store.ts can use it without an import cycle.
 */
import type { Backend } from '../backend/backend.js';
import { DeviceLostError, type DeviceLossInfo } from '../errors.js';
import type { DataHandle } from './data-handle.js';

/** How a handle's data was lost: the backend it lived on, and what its device reported. */
export interface LostData {
  readonly backendName: string;
  readonly info: DeviceLossInfo;
}

/** The DeviceLostError for running `op` on a backend whose device is gone, or null while it works. */
export function backendLostError(op: string, backendName: string, backend: Backend, others: readonly string[]): DeviceLostError | null {
  const info = backend.deviceLost?.();
  if (!info) return null;
  const where = others.length
    ? `\`await setBackend('${others[0]!}')\`${others.length > 1 ? ` (or ${others.slice(1).map((n) => `'${n}'`).join(', ')})` : ''}`
    : `\`await setBackend('${backendName}')\` (a new device) or another backend`;
  return new DeviceLostError(
    op, backendName, info,
    `nothing more runs there. Go on with ${where}: variables come back from their last syncToHost() values`,
  );
}

/**
 * The DeviceLostError for using data that lived on a lost device and has no host copy, or null
 * when the data is usable (on a working backend, or copied to the host before the loss).
 */
export function lostDataError(h: DataHandle, op: string, arg: string, tensorId: number): DeviceLostError | null {
  if (h.hostCopy) return null;
  const lost: LostData | null = h.lost ?? (h.backend.deviceLost?.() ? { backendName: h.backendName, info: h.backend.deviceLost()! } : null);
  if (!lost) return null;
  return new DeviceLostError(
    op, lost.backendName, lost.info,
    `${arg === 'tensor' ? `tensor #${tensorId}` : `${arg} (tensor #${tensorId})`} lived there and the host has no copy of it. Only host copies survive a lost device: ` +
      'after `await setBackend(name)`, variables come back from their last syncToHost() values; recompute other tensors from them',
  );
}
