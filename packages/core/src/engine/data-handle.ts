import type { Backend } from '../backend/backend.js';
import type { DataId } from '../backend/kernel-types.js';
import { bytesPerElement, type DType, type TypedArray } from '../dtype.js';
import type { LostData } from './lost-data.js';

/**
 * One buffer of tensor data and where it lives. Several tensors may share a handle (reshape is
 * metadata-only), so it is reference-counted. Data never changes once written, which is what lets
 * a host copy be cached for migration between backends.
 */
export class DataHandle {
  /** Tensors that point at this data. */
  refs = 0;
  /** A host copy of the data, filled when the data had to be read (e.g. before leaving an async-only backend). */
  hostCopy: TypedArray | null = null;
  /**
   * The values small int32 data was written with, kept where the backend cannot read synchronously,
   * so that checks of those values (index ranges) run at once there too. Only {@link checkValues} reads it.
   */
  writtenValues: TypedArray | null = null;
  /** True once the backend was unregistered: the data then lives only in `hostCopy`. */
  backendRemoved = false;
  /** Set when the data was on a device that was lost and the host had no copy: it is gone for good. */
  lost: LostData | null = null;

  constructor(
    public backendName: string,
    public backend: Backend,
    public id: DataId,
    readonly dtype: DType,
    readonly size: number,
  ) {}

  /** Bytes this data occupies. */
  get bytes(): number {
    return this.size * bytesPerElement(this.dtype);
  }
}
