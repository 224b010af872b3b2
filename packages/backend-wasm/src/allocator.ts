/**
 * The heap allocator of the wasm backend. Blocks live in the module's linear memory; their bookkeeping
 * lives here on the host (kernels never allocate). Free blocks are kept sorted by address and merged
 * with their neighbours when freed; allocation takes the smallest free block that fits (best fit),
 * splitting off the rest, and only extends the heap — growing the wasm memory if needed — when no free
 * block fits. A free block at the top of the heap is given back to the top, so the heap's extent
 * follows the live data down again.
 */

/** Every block starts on a 64-byte boundary (a cache line; SIMD loads never straddle one needlessly). */
export const ALIGN = 64;
const PAGE = 65536;

/** Thrown when the heap cannot grow to fit an allocation. */
export class WasmOutOfMemoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WasmOutOfMemoryError';
  }
}

interface FreeBlock {
  start: number;
  size: number;
}

/** Live and total figures of the heap. */
export interface HeapStats {
  /** Bytes in live blocks (each rounded up to the alignment). */
  readonly liveBytes: number;
  /** Live blocks. */
  readonly liveBlocks: number;
  /** Extent of the heap: from its base to the end of the highest block in use. */
  readonly heapBytes: number;
  /** Size of the wasm memory (the heap's capacity before it must grow again). */
  readonly memoryBytes: number;
  /** Bytes in free blocks below the heap's top. */
  readonly freeBytes: number;
}

function roundUp(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

/** Best-fit allocator over `memory` from `base` upwards, never beyond `maxBytes` of memory. */
export class Allocator {
  private readonly free: FreeBlock[] = [];
  private readonly used = new Map<number, number>();
  private readonly base: number;
  private top: number;
  private live = 0;

  constructor(private readonly memory: WebAssembly.Memory, base: number, private readonly maxBytes: number) {
    this.base = roundUp(base, ALIGN);
    this.top = this.base;
  }

  /** Reserves at least `bytes` (≥ 0) and returns the block's byte address. */
  alloc(bytes: number): number {
    const size = Math.max(ALIGN, roundUp(bytes, ALIGN));
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const b = this.free[i]!;
      if (b.size >= size && (best < 0 || b.size < this.free[best]!.size)) {
        best = i;
        if (b.size === size) break;
      }
    }
    let start: number;
    if (best >= 0) {
      const b = this.free[best]!;
      start = b.start;
      if (b.size === size) this.free.splice(best, 1);
      else {
        b.start += size;
        b.size -= size;
      }
    } else {
      // Nothing fits: take the top, absorbing a free block that ends there.
      const last = this.free[this.free.length - 1];
      start = last !== undefined && last.start + last.size === this.top ? last.start : this.top;
      this.ensure(start + size, bytes);
      if (start !== this.top) this.free.pop();
      this.top = start + size;
    }
    this.used.set(start, size);
    this.live += size;
    return start;
  }

  /** Frees a block returned by {@link alloc}; unknown addresses throw (a double free is a bug). */
  release(ptr: number): void {
    const size = this.used.get(ptr);
    if (size === undefined) throw new Error(`wasm backend: free of unknown block at ${ptr}`);
    this.used.delete(ptr);
    this.live -= size;
    // Insert keeping address order, then merge with the neighbours.
    let lo = 0;
    let hi = this.free.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.free[mid]!.start < ptr) lo = mid + 1;
      else hi = mid;
    }
    let block: FreeBlock = { start: ptr, size };
    const prev = this.free[lo - 1];
    if (prev !== undefined && prev.start + prev.size === ptr) {
      prev.size += size;
      block = prev;
      lo -= 1;
    } else {
      this.free.splice(lo, 0, block);
    }
    const next = this.free[lo + 1];
    if (next !== undefined && block.start + block.size === next.start) {
      block.size += next.size;
      this.free.splice(lo + 1, 1);
    }
    if (block.start + block.size === this.top) {
      this.top = block.start;
      this.free.splice(lo, 1);
    }
  }

  /** Size of the block at `ptr` (its aligned size), or undefined. */
  sizeOf(ptr: number): number | undefined {
    return this.used.get(ptr);
  }

  /** Current figures. */
  stats(): HeapStats {
    let freeBytes = 0;
    for (const b of this.free) freeBytes += b.size;
    return {
      liveBytes: this.live,
      liveBlocks: this.used.size,
      heapBytes: this.top - this.base,
      memoryBytes: this.memory.buffer.byteLength,
      freeBytes,
    };
  }

  /** Forgets every block (the memory itself stays as large as it grew). */
  reset(): void {
    this.free.length = 0;
    this.used.clear();
    this.top = this.base;
    this.live = 0;
  }

  private ensure(end: number, requested: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    const fail = (why: string): never => {
      const mb = (n: number): string => `${(n / 2 ** 20).toFixed(1)} MiB`;
      throw new WasmOutOfMemoryError(
        `wasm backend: out of memory: cannot allocate ${requested} bytes (${mb(this.live)} live, heap ${mb(this.top - this.base)}, ` +
        `memory ${mb(have)} of at most ${mb(this.maxBytes)}): ${why}. Dispose unused tensors, or create the backend with a larger maxMemoryMB.`,
      );
    };
    if (end > this.maxBytes) fail('the limit would be exceeded');
    // Grow by at least a quarter of the current size to keep the number of grows logarithmic.
    const want = Math.min(this.maxBytes, Math.max(end, have + Math.floor(have / 4)));
    const pages = Math.ceil((want - have) / PAGE);
    try {
      this.memory.grow(pages);
    } catch (e) {
      fail(`the engine refused to grow the memory (${e instanceof Error ? e.message : String(e)})`);
    }
  }
}
