/**
 * Watching a GPUDevice for loss (a GPU reset, a driver crash, the browser reclaiming the GPU of a
 * backgrounded tab, `device.destroy()`). Once lost, nothing the device is asked for ever happens:
 * dispatches do nothing and waits may reject with a bare AbortError or never settle. The watch turns
 * every such case into a `DeviceLostError` naming the op that was attempted.
 */
import { DeviceLostError, type DeviceLossInfo } from '@scratchnet/core';

/** How long a failed GPU wait gives `device.lost` to explain it (Dawn rejects mapAsync a little before it resolves `lost`). */
const LOSS_GRACE_MS = 1000;

/** The backend's name in the errors. */
const BACKEND = 'webgpu';

function delay(ms: number): Promise<null> {
  return new Promise((resolve) => setTimeout(() => resolve(null), ms));
}

/** The loss state of one device. */
export class DeviceLossWatch {
  private info: DeviceLossInfo | null = null;
  /** Resolves with the loss (never, while the device lives). */
  private readonly whenLost: Promise<DeviceLossInfo>;

  constructor(device: GPUDevice) {
    this.whenLost = device.lost.then((i) => (this.info ??= { reason: i.reason ?? 'unknown', message: i.message }));
  }

  /** What the device reported when it was lost, or null while it works. */
  get lost(): DeviceLossInfo | null {
    return this.info;
  }

  /** Records a loss the backend caused itself (shutdown), before the device's own report arrives. */
  markDestroyed(message: string): void {
    this.info ??= { reason: 'destroyed', message };
  }

  /** Throws a DeviceLostError naming `op` once the device is lost. */
  check(op: string): void {
    if (this.info) throw new DeviceLostError(op, BACKEND, this.info);
  }

  /**
   * Waits for `work` (a mapAsync, onSubmittedWorkDone) unless the device is lost first: then, or
   * when the wait fails because of the loss, rejects with a DeviceLostError naming `op`. A pending
   * read thus rejects instead of hanging.
   */
  async guard<T>(op: string, work: Promise<T>): Promise<T> {
    const lostFirst = this.whenLost.then((info): never => {
      throw new DeviceLostError(op, BACKEND, info);
    });
    lostFirst.catch(() => undefined); // observed even when `work` wins the race
    try {
      return await Promise.race([work, lostFirst]);
    } catch (e) {
      if (e instanceof DeviceLostError) throw e;
      const info = this.info ?? (await Promise.race([this.whenLost, delay(LOSS_GRACE_MS)]));
      if (info) throw new DeviceLostError(op, BACKEND, info);
      throw e;
    }
  }
}
