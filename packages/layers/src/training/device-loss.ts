/**
 * What `fit` does about a lost device (WebGPU: a GPU reset, a driver crash, `device.destroy()`):
 * copies the variables to the host at sync points (core's `syncToHost`), and on a DeviceLostError
 * either stops with it or switches to a fallback backend, where core's `setBackend` rebuilds every
 * variable from its last synced values.
 */
import { ArgumentError, DeviceLostError, getBackend, getBackendName, setBackend, syncToHost } from '@scratchnet/core';
import type { Batch, BatchOptions, BatchSource } from '../data/dataset.js';

/** What `onDeviceLost` receives. */
export interface DeviceLossLogs {
  /** The error the lost device gave (it names the op that was attempted and the device's reason). */
  error: DeviceLostError;
  /** The epoch of the lost batch. */
  epoch: number;
  /** The batch (1-based, as in BatchLogs) during which the loss was met. */
  batch: number;
  /** Whether that batch was skipped (the loss struck while it trained); otherwise it trains on the new backend. */
  skipped: boolean;
  /** The backend that lost its device. */
  from: string;
  /** The backend training goes on on. */
  to: string;
  /** The variables' values are those after this batch (1-based) of epoch `syncedInEpoch`: training goes on from there. */
  syncedAfterBatch: number;
  /** The epoch of the last sync (-1: none in this fit call; the values are then those of the last syncToHost before it, if any). */
  syncedInEpoch: number;
}

/** The device-loss options of fit (see FitOptions). */
export interface DeviceLossOptions {
  syncEvery?: number | 'epoch';
  fallbackBackend?: string;
  onDeviceLost?: (logs: DeviceLossLogs) => void | Promise<void>;
}

/** How many times one fit call switches backend after lost devices before it gives up. */
const MAX_RECOVERIES = 3;

/** Sync points and recovery for one fit call. */
export class DeviceLossGuard {
  /** Batches between syncs, 'epoch', or 0 for never. */
  private readonly every: number | 'epoch';
  private recoveries = 0;
  private synced = { epoch: -1, batch: 0 };

  constructor(private readonly options: DeviceLossOptions) {
    const e = options.syncEvery;
    if (e !== undefined && e !== 'epoch' && (!Number.isInteger(e) || e < 0)) {
      throw new ArgumentError(`fit: syncEvery must be a non-negative integer (batches) or 'epoch', got ${String(e)}`);
    }
    if (options.fallbackBackend !== undefined && (typeof options.fallbackBackend !== 'string' || !options.fallbackBackend)) {
      throw new ArgumentError(`fit: fallbackBackend must be a backend name such as 'wasm', got ${String(options.fallbackBackend)}`);
    }
    // By default only where a device can be lost: elsewhere a host copy would cost memory for nothing.
    this.every = e ?? (typeof getBackend().deviceLost === 'function' ? 'epoch' : 0);
  }

  /** After batch `batch` (1-based) of `epoch`: syncs after the first (optimizer state exists from then on) and every `syncEvery`. */
  async afterBatch(epoch: number, batch: number, first: boolean): Promise<void> {
    if (this.every === 0) return;
    if (first || (typeof this.every === 'number' && batch % this.every === 0)) await this.sync(epoch, batch);
  }

  /** At the end of an epoch of `batches` batches. */
  async afterEpoch(epoch: number, batches: number): Promise<void> {
    if (this.every !== 0 && !(this.synced.epoch === epoch && this.synced.batch === batches)) await this.sync(epoch, batches);
  }

  private async sync(epoch: number, batch: number): Promise<void> {
    await syncToHost();
    this.synced = { epoch, batch };
  }

  /**
   * Handles an error thrown by a batch: anything but a DeviceLostError, or one without a fallback
   * backend (or after too many), is rethrown; otherwise switches to the fallback and reports it.
   */
  async recover(error: unknown, epoch: number, batch: number, skipped = true): Promise<void> {
    const fallback = this.options.fallbackBackend;
    if (!(error instanceof DeviceLostError) || fallback === undefined || this.recoveries >= MAX_RECOVERIES) throw error;
    this.recoveries++;
    const from = error.backend;
    await setBackend(fallback);
    await this.options.onDeviceLost?.({
      error, epoch, batch, skipped, from, to: getBackendName(), syncedAfterBatch: this.synced.batch, syncedInEpoch: this.synced.epoch,
    });
  }

  /**
   * Runs `fn` (the epoch-end sync, validation); when it meets a lost device, switches to the fallback
   * backend (or rethrows without one) and runs it again there.
   */
  async attempt<T>(epoch: number, batch: number, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      await this.recover(error, epoch, batch, false);
      return fn();
    }
  }

  /**
   * One epoch's batches of `data`, made on the active backend as they are asked for. With a fallback
   * backend, a device found lost before a batch is made, or lost while making it, is recovered from
   * first; the batches are then made afresh on the new backend, skipping those already trained.
   */
  epochBatches(data: BatchSource, batchSize: number, options: BatchOptions, epoch: number): { next(): Promise<Batch | null> } {
    let iterator = data.batches(batchSize, options)[Symbol.iterator]();
    let made = 0;
    const pull = (): Batch | null => {
      const r = iterator.next();
      return r.done ? null : r.value;
    };
    return {
      next: async (): Promise<Batch | null> => {
        const info = this.options.fallbackBackend === undefined ? null : getBackend().deviceLost?.();
        if (info) await this.recover(new DeviceLostError('fit', getBackendName(), info), epoch, made + 1, false);
        try {
          const b = pull();
          if (b) made++;
          return b;
        } catch (error) {
          await this.recover(error, epoch, made + 1, false);
          // The source's iterator ended with the error: make the epoch's batches again, past those done.
          iterator = data.batches(batchSize, options)[Symbol.iterator]();
          for (let i = 0; i < made; i++) {
            const old = pull();
            old?.x.dispose();
            old?.y.dispose();
          }
          const b = pull();
          if (b) made++;
          return b;
        }
      },
    };
  }
}
