import { describe, expect, it } from 'vitest';
import { Allocator } from './allocator.js';
import { createWasmBackend } from './create.js';
import { gemmThreads, MIN_MACS_PER_THREAD, MIN_MACS_PER_THREAD_WAKING } from './matmul.js';
import { ScratchRegion } from './scratch.js';

describe('GEMM scratch region', () => {
  const setup = (keep = 8 << 20): { heap: Allocator; memory: WebAssembly.Memory; scratch: ScratchRegion } => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1024 });
    const heap = new Allocator(memory, 100, 1024 * 65536);
    return { heap, memory, scratch: new ScratchRegion(heap, memory, keep) };
  };

  it('is page-aligned, already touched (zeroed), and the same region for every request that fits', () => {
    const { heap, memory, scratch } = setup();
    const p = scratch.acquire(300_000);
    expect(p % 4096).toBe(0);
    expect(new Uint8Array(memory.buffer, p, 300_000).every((v) => v === 0)).toBe(true);
    scratch.done();
    const live = heap.stats().liveBytes;
    expect(scratch.acquire(1000)).toBe(p);
    expect(scratch.acquire(1 << 20)).toBe(p); // requests are rounded up to whole MiB
    scratch.done();
    expect(heap.stats().liveBytes).toBe(live);
  });

  it('grows for a larger request, and gives a region above the keep limit back after the call', () => {
    const { heap, scratch } = setup(2 << 20);
    scratch.acquire(1 << 20);
    const q = scratch.acquire(2 << 20);
    expect(q % 4096).toBe(0);
    expect(scratch.heldBytes).toBe(2 << 20);
    scratch.acquire(3 << 20);
    scratch.done();
    expect(scratch.heldBytes).toBe(0);
    expect(heap.stats().liveBytes).toBe(0);
  });
});

describe('matmul threads from the work size', () => {
  it('keeps work under two threads’ worth on one thread and never asks for more than there are', () => {
    expect(gemmThreads(64 ** 3, 2, true)).toBe(1);
    expect(gemmThreads(96 ** 3, 2, true)).toBe(1);
    expect(gemmThreads(128 ** 3, 2, true)).toBe(2);
    expect(gemmThreads(2 * MIN_MACS_PER_THREAD - 1, 2, true)).toBe(1);
    expect(gemmThreads(2 * MIN_MACS_PER_THREAD, 2, true)).toBe(2);
    expect(gemmThreads(256 ** 3, 2, true)).toBe(2);
    expect(gemmThreads(1024 ** 3, 4, true)).toBe(4);
    expect(gemmThreads(1024 ** 3, 1, true)).toBe(1);
    expect(gemmThreads(0, 8, true)).toBe(1);
  });

  it('asks for more work per thread while the workers sleep between calls (each call then pays a wake-up)', () => {
    expect(gemmThreads(128 ** 3, 2, true)).toBe(2);
    expect(gemmThreads(128 ** 3, 2, false)).toBe(1);
    expect(gemmThreads(2 * MIN_MACS_PER_THREAD_WAKING - 1, 2, false)).toBe(1);
    expect(gemmThreads(2 * MIN_MACS_PER_THREAD_WAKING, 2, false)).toBe(2);
  });
});

describe('backend scratch', () => {
  it('a matmul leaves its scratch for the next one, and the scratch gives way when data needs the memory', async () => {
    const backend = await createWasmBackend({ threads: 1, maxMemoryMB: 24, initialMemoryMB: 1 });
    const n = 96;
    const a = backend.write(new Float32Array(n * n).fill(1), 'float32');
    const ref = { id: a, shape: [1, n, n], dtype: 'float32' as const };
    backend.dispose(backend.matmul(ref, ref, { transposeA: false, transposeB: false }));
    const held = backend.runtime.scratch.heldBytes;
    expect(held).toBeGreaterThan(0);
    const live = backend.memory().allocatedBytes;
    const out = backend.matmul(ref, ref, { transposeA: false, transposeB: false });
    expect(backend.readSync(out)[0]).toBe(n);
    backend.dispose(out);
    expect(backend.memory().allocatedBytes).toBe(live);
    // More than is left above the heap's top, less than that plus the scratch: fits only once the scratch is given back.
    const left = (24 << 20) - backend.runtime.exports.heapBase() - backend.memory().heapBytes!;
    const big = backend.write(new Float32Array(Math.floor((left + held / 2) / 4)), 'float32');
    expect(backend.runtime.scratch.heldBytes).toBe(0);
    backend.dispose(big);
    backend.shutdown();
  });
});
