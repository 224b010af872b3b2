/**
 * A persistent scratch region for the GEMM's packed panels, kept between calls. Allocating scratch per
 * call put the packed panels wherever the best-fit allocator found room, and after the heap had grown
 * into fresh pages each first touch was a page fault inside the timed kernel (bench/gemm-spread.mjs
 * measured 10–15% lost on the first call over just-grown memory). The region starts on a page boundary,
 * is touched once when it is (re)allocated, and only grows, in whole steps, up to `keepLimit` bytes;
 * a larger request gets a region that is given back after the call.
 */
import type { Allocator } from './allocator.js';

const PAGE = 4096;
/** Growth step: a request is rounded up to a multiple of this, so nearby sizes reuse one region. */
const STEP = 1 << 20;

export class ScratchRegion {
  private block = -1;
  private base = 0;
  private capacity = 0;

  constructor(
    private readonly heap: Allocator,
    private readonly memory: WebAssembly.Memory,
    /** Largest region kept between calls (bytes). */
    private readonly keepLimit: number,
  ) {}

  /** Bytes held between calls. */
  get heldBytes(): number {
    return this.block < 0 ? 0 : this.capacity;
  }

  /** A page-aligned, already touched region of at least `bytes`; valid until {@link done} or the next acquire. */
  acquire(bytes: number): number {
    if (this.block >= 0 && bytes <= this.capacity) return this.base;
    this.release();
    const capacity = Math.ceil(Math.max(bytes, 1) / STEP) * STEP;
    this.block = this.heap.alloc(capacity + PAGE);
    this.base = Math.ceil(this.block / PAGE) * PAGE;
    this.capacity = capacity;
    // Fault the pages in now rather than inside the kernel (and on every first touch of grown memory).
    new Uint8Array(this.memory.buffer, this.base, capacity).fill(0);
    return this.base;
  }

  /** Ends a call's use: a region above the keep limit is given back. */
  done(): void {
    if (this.capacity > this.keepLimit) this.release();
  }

  /** Gives the region back to the heap (it is made again on the next acquire). */
  release(): void {
    if (this.block >= 0) this.heap.release(this.block);
    this.block = -1;
    this.capacity = 0;
  }
}
