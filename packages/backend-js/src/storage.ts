import { allocArray as allocFor, dtypeOfArray as dtypeOf } from '@scratchnet/core';
import type { DataId, TypedArray } from '@scratchnet/core';

export { allocFor, dtypeOf };

/**
 * The JS backend's data store: numeric ids mapped to typed arrays, with byte and buffer accounting.
 */
export class Storage {
  private readonly buffers = new Map<number, TypedArray>();
  private nextId = 1;
  private bytes = 0;

  /** Stores an array (kept as is, not copied) and returns its new id. */
  put(values: TypedArray): number {
    const id = this.nextId++;
    this.buffers.set(id, values);
    this.bytes += values.byteLength;
    return id;
  }

  /** The array behind `id`; throws when the id is unknown or already disposed. */
  get(id: DataId): TypedArray {
    const values = typeof id === 'number' ? this.buffers.get(id) : undefined;
    if (values === undefined) throw new Error(`js backend: unknown or disposed data id ${typeof id === 'object' ? 'object' : id}`);
    return values;
  }

  /** Forgets `id`; unknown ids are ignored. */
  delete(id: DataId): void {
    if (typeof id !== 'number') return;
    const values = this.buffers.get(id);
    if (values === undefined) return;
    this.bytes -= values.byteLength;
    this.buffers.delete(id);
  }

  /** Live bytes and buffers. */
  memory(): { bytes: number; buffers: number } {
    return { bytes: this.bytes, buffers: this.buffers.size };
  }

  /** Drops everything. */
  clear(): void {
    this.buffers.clear();
    this.bytes = 0;
  }
}
