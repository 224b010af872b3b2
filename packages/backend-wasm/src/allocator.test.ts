import { describe, expect, it } from 'vitest';
import { ALIGN, Allocator, WasmOutOfMemoryError } from './allocator.js';
import { createWasmBackend } from './create.js';

/** mulberry32: a small seeded generator for reproducible workloads. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixed sizes: mostly small, some medium, a few large (like tensors in a training step). */
function mixedSize(r: () => number): number {
  const u = r();
  if (u < 0.6) return Math.floor(r() * 512);
  if (u < 0.95) return Math.floor(r() * 64 * 1024);
  return Math.floor(r() * 2 * 1024 * 1024);
}

const aligned = (n: number): number => Math.max(ALIGN, Math.ceil(n / ALIGN) * ALIGN);

describe('allocator', () => {
  it('10,000 alloc/free cycles of mixed sizes never grow the heap beyond their peak', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 4096 });
    const heap = new Allocator(memory, 1024, 4096 * 65536);
    const r = rng(7);
    let peakLive = 0;
    let peakHeap = 0;
    let memoryAfterWarmup = 0;
    for (let cycle = 0; cycle < 10_000; cycle++) {
      const blocks: number[] = [];
      const count = 1 + Math.floor(r() * 8);
      for (let i = 0; i < count; i++) blocks.push(heap.alloc(mixedSize(r)));
      const s = heap.stats();
      peakLive = Math.max(peakLive, s.liveBytes);
      peakHeap = Math.max(peakHeap, s.heapBytes);
      // free in a random order
      for (let i = blocks.length - 1; i > 0; i--) {
        const j = Math.floor(r() * (i + 1));
        [blocks[i], blocks[j]] = [blocks[j]!, blocks[i]!];
      }
      for (const b of blocks) heap.release(b);
      if (cycle === 99) memoryAfterWarmup = memory.buffer.byteLength;
    }
    expect(peakHeap).toBeLessThanOrEqual(peakLive);
    expect(heap.stats()).toMatchObject({ liveBytes: 0, liveBlocks: 0, heapBytes: 0, freeBytes: 0 });
    // the memory grew to the peak early and then stayed (blocks were reused)
    expect(memory.buffer.byteLength).toBeLessThanOrEqual(Math.max(memoryAfterWarmup, peakLive + 1024 + 65536 * 2) * 1.25);
  });

  it('reuses freed blocks in an interleaved workload: the heap stays within twice the peak of live bytes', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 8192 });
    const heap = new Allocator(memory, 0, 8192 * 65536);
    const r = rng(11);
    const live: number[] = [];
    let peakLive = 0;
    let peakHeap = 0;
    for (let step = 0; step < 10_000; step++) {
      if (live.length > 0 && (r() < 0.5 || live.length > 40)) {
        const i = Math.floor(r() * live.length);
        heap.release(live[i]!);
        live.splice(i, 1);
      } else {
        live.push(heap.alloc(mixedSize(r)));
      }
      const s = heap.stats();
      peakLive = Math.max(peakLive, s.liveBytes);
      peakHeap = Math.max(peakHeap, s.heapBytes);
    }
    expect(peakHeap).toBeLessThanOrEqual(2 * peakLive);
  });

  it('hands out aligned, disjoint blocks and merges neighbours when they are freed', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 16 });
    const heap = new Allocator(memory, 100, 16 * 65536);
    const a = heap.alloc(10);
    const b = heap.alloc(100);
    const c = heap.alloc(1000);
    expect([a % ALIGN, b % ALIGN, c % ALIGN]).toEqual([0, 0, 0]);
    expect(b).toBeGreaterThanOrEqual(a + aligned(10));
    expect(c).toBeGreaterThanOrEqual(b + aligned(100));
    heap.release(a);
    heap.release(b);
    // a and b merged: a block of their joint size fits where a was
    expect(heap.alloc(aligned(10) + aligned(100))).toBe(a);
    expect(() => heap.release(12345)).toThrow(/unknown block/);
  });

  it('grows the memory when needed and reports out-of-memory as a clear error, not a trap', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 4 });
    const heap = new Allocator(memory, 0, 4 * 65536);
    const big = heap.alloc(3 * 65536);
    expect(memory.buffer.byteLength).toBeGreaterThanOrEqual(3 * 65536);
    expect(() => heap.alloc(2 * 65536)).toThrow(WasmOutOfMemoryError);
    expect(() => heap.alloc(2 * 65536)).toThrow(/out of memory: cannot allocate 131072 bytes .* at most 0.3 MiB/);
    heap.release(big);
    expect(() => heap.alloc(2 * 65536)).not.toThrow();
  });
});

describe('backend memory', () => {
  it('reports live bytes and the heap size; 10,000 write/dispose cycles stay within their peak', async () => {
    const backend = await createWasmBackend({ threads: 1 });
    const r = rng(3);
    const before = backend.memory();
    let peakHeap = 0;
    let peakLive = 0;
    for (let cycle = 0; cycle < 10_000; cycle++) {
      const ids = [];
      for (let i = 0; i < 3; i++) ids.push(backend.write(new Float32Array(1 + Math.floor(r() * 4096)), 'float32'));
      const m = backend.memory();
      peakHeap = Math.max(peakHeap, m.heapBytes!);
      peakLive = Math.max(peakLive, m.allocatedBytes!);
      for (const id of ids) backend.dispose(id);
    }
    const after = backend.memory();
    expect(after.bytes).toBe(before.bytes);
    expect(after.buffers).toBe(before.buffers);
    expect(after.heapBytes).toBe(before.heapBytes);
    expect(peakHeap - before.heapBytes!).toBeLessThanOrEqual(peakLive - before.allocatedBytes!);
    backend.shutdown();
  });

  it('throws a clear out-of-memory error past maxMemoryMB and keeps working afterwards', async () => {
    const backend = await createWasmBackend({ threads: 1, maxMemoryMB: 32, initialMemoryMB: 1 });
    expect(() => backend.write(new Float32Array(16 * 2 ** 20), 'float32')).toThrow(/wasm backend: out of memory: cannot allocate 67108864 bytes/);
    const id = backend.write(Float32Array.of(1, 2, 3), 'float32');
    expect(Array.from(backend.readSync(id))).toEqual([1, 2, 3]);
    backend.shutdown();
  });
});
