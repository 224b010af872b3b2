/** Base class of every error ScratchNet throws on purpose. */
export class ScratchNetError extends Error {
  override name = 'ScratchNetError';
}

/** Shapes that do not fit an op: mismatched dimensions, bad ranks, negative or fractional sizes. */
export class ShapeError extends ScratchNetError {
  override name = 'ShapeError';
}

/** A dtype an op does not accept, or two dtypes that do not go together. */
export class DTypeError extends ScratchNetError {
  override name = 'DTypeError';
}

/** An argument outside what an op accepts: an axis out of range, a bad option value. */
export class ArgumentError extends ScratchNetError {
  override name = 'ArgumentError';
}

/** A tensor used after it was disposed. */
export class DisposedError extends ScratchNetError {
  override name = 'DisposedError';
}

/** A backend that is unknown, unavailable, or cannot do what was asked (e.g. a synchronous read). */
export class BackendError extends ScratchNetError {
  override name = 'BackendError';
}

/** What a backend reports about its lost device (WebGPU's `GPUDeviceLostInfo`, as plain data). */
export interface DeviceLossInfo {
  /** Why, as the device said: `'destroyed'` (`device.destroy()` was called) or `'unknown'` (GPU reset, driver crash, the browser reclaiming the GPU). */
  readonly reason: string;
  /** The device's own message. */
  readonly message: string;
}

/**
 * A backend's device is gone (GPU reset, driver crash, a backgrounded tab's GPU process reclaimed,
 * `device.destroy()`): nothing can run or be read there again. Names the op that was attempted, the
 * backend and the device's reason. Data on that backend is lost except where the host holds a
 * copy: variables come back from their last `syncToHost` values when you switch backend with
 * `await setBackend(...)`.
 */
export class DeviceLostError extends BackendError {
  override name = 'DeviceLostError';

  constructor(
    /** The op that was attempted (`matmul`, `data`, `write`...). */
    readonly op: string,
    /** The backend whose device was lost. */
    readonly backend: string,
    /** What the device reported. */
    readonly info: DeviceLossInfo,
    /** What the user can do now, appended to the message. */
    hint = `switch backend with \`await setBackend(name)\` to go on: variables come back from their last syncToHost() values`,
  ) {
    super(`${op}: the ${backend} device was lost (reason '${info.reason}': ${info.message || 'no message'}); ${hint}`);
  }
}

/** Formats a shape as `[2,3]` for messages. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}
