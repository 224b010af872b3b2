/**
 * A pool of GPU buffers of one usage, grouped by size class (powers of two from 256 bytes, then
 * quarter steps between powers of two above 1 MiB). Freed buffers wait in their class for reuse; the
 * bytes kept idle are bounded, and the oldest idle buffers are destroyed first when the bound is hit.
 *
 * A request takes the free buffer of its class that was created first. Which buffer serves which
 * request then depends only on which buffers are free, not on the order they were freed in, so a
 * training step that repeats the same work meets the same buffers step after step, and the bind
 * groups cached for the last step fit the next one.
 */
import type { GpuCounters } from './counters.js';

const MIN_CLASS = 256;
const FINE_ABOVE = 1 << 20;

/** The allocation size used for a request of `bytes` bytes. */
export function sizeClass(bytes: number): number {
  const b = Math.max(bytes, MIN_CLASS);
  let p = MIN_CLASS;
  while (p < b) p *= 2;
  if (p <= FINE_ABOVE) return p;
  // Between p/2 and p, step by p/8 so that large tensors waste at most 25 %.
  const step = p / 8;
  return Math.ceil(b / step) * step;
}

/** Pooled buffers of one usage. */
export class BufferPool {
  /** Free buffers per size class, by creation order descending (the oldest last, taken first). */
  private readonly free = new Map<number, GPUBuffer[]>();
  /** Creation order of every buffer the pool made. */
  private readonly serial = new WeakMap<GPUBuffer, number>();
  private created = 0;
  /** Idle buffers in release order, for eviction. */
  private readonly idleOrder: GPUBuffer[] = [];
  private idle = 0;
  private allocated = 0;
  private live = 0;
  private peakLive = 0;
  /** Requests served from the pool, and requests that created a buffer. */
  private hits = 0;
  private misses = 0;

  /**
   * @param maxIdleBytes the most bytes kept in idle buffers; beyond it the oldest are destroyed.
   * @param options `counters`: where buffer creations are counted; `onDestroy`: told of each buffer
   *   the pool destroys (so that caches holding it can drop it); `keepPeak`: keep idle up to twice
   *   the most bytes ever live at once when that is more than `maxIdleBytes`, so that a step whose
   *   intermediates all come back at its end finds them again next step instead of re-creating
   *   them. Twice, because at the peak some idle buffers are of size classes no request fits: with
   *   the peak alone the default GPT still re-made 64 buffers a step. The pool only ever holds
   *   buffers the work asked for, so the bound limits what is kept, not what is made.
   */
  constructor(
    private readonly device: GPUDevice,
    private readonly usage: number,
    private readonly maxIdleBytes: number,
    private readonly options: { counters?: GpuCounters; onDestroy?: (buffer: GPUBuffer) => void; keepPeak?: boolean } = {},
  ) {}

  /** A buffer of at least `bytes` bytes, reused from the pool when one of its size class is free. */
  acquire(bytes: number): GPUBuffer {
    const size = sizeClass(bytes);
    const list = this.free.get(size);
    const reused = list?.pop();
    this.live += size;
    if (this.live > this.peakLive) this.peakLive = this.live;
    if (reused) {
      this.hits++;
      this.idle -= size;
      const at = this.idleOrder.lastIndexOf(reused);
      if (at >= 0) this.idleOrder.splice(at, 1);
      return reused;
    }
    this.misses++;
    this.allocated += size;
    const create = (): GPUBuffer => this.device.createBuffer({ size, usage: this.usage });
    const buffer = this.options.counters ? this.options.counters.time('bufferCreate', create) : create();
    this.serial.set(buffer, this.created++);
    return buffer;
  }

  /** Returns a buffer for reuse (the caller guarantees no pending command still needs its old contents). */
  release(buffer: GPUBuffer): void {
    const size = buffer.size;
    this.live -= size;
    let list = this.free.get(size);
    if (!list) {
      list = [];
      this.free.set(size, list);
    }
    // Insert keeping creation order descending (binary search; buffers from elsewhere count as newest).
    const n = this.serial.get(buffer) ?? Infinity;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.serial.get(list[mid]!) ?? Infinity) > n) lo = mid + 1;
      else hi = mid;
    }
    list.splice(lo, 0, buffer);
    this.idleOrder.push(buffer);
    this.idle += size;
    const bound = this.options.keepPeak ? Math.max(this.maxIdleBytes, 2 * this.peakLive) : this.maxIdleBytes;
    while (this.idle > bound && this.idleOrder.length > 0) {
      const old = this.idleOrder.shift()!;
      const l = this.free.get(old.size)!;
      l.splice(l.indexOf(old), 1);
      this.idle -= old.size;
      this.allocated -= old.size;
      this.options.onDestroy?.(old);
      old.destroy();
    }
  }

  /** Destroys a buffer handed out by {@link acquire} instead of returning it (its state is unknown, e.g. a failed map). */
  discard(buffer: GPUBuffer): void {
    this.live -= buffer.size;
    this.allocated -= buffer.size;
    this.options.onDestroy?.(buffer);
    buffer.destroy();
  }

  /** Bytes in buffers handed out, idle in the pool, and allocated in all. */
  stats(): { liveBytes: number; idleBytes: number; allocatedBytes: number; idleBuffers: number; poolHits: number; poolMisses: number } {
    return { liveBytes: this.live, idleBytes: this.idle, allocatedBytes: this.allocated, idleBuffers: this.idleOrder.length, poolHits: this.hits, poolMisses: this.misses };
  }

  /** Destroys every idle buffer. */
  clear(): void {
    for (const b of this.idleOrder) {
      this.options.onDestroy?.(b);
      b.destroy();
    }
    this.free.clear();
    this.idleOrder.length = 0;
    this.allocated -= this.idle;
    this.idle = 0;
  }
}
