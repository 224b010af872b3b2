/**
 * Leak soak, short run: the MNIST CNN (src/train.ts) trained on each backend and while switching
 * backends; after warm-up the live tensor count and bytes must not change at all, and the wasm heap
 * extent and WebGPU buffer allocation must not grow. Batch 8 (not 64) keeps the run short on a loaded
 * 2-core machine: leaks are per step, not per sample. `pnpm soak` runs 10,000 steps per scenario.
 */
import { describe, expect, it } from 'vitest';
import { availableBackends } from '../src/backends.js';
import { soak, type SoakReport } from '../src/train.js';

const backends = await availableBackends();
const STEPS: Record<string, number> = { js: 120, wasm: 300, webgpu: 60 };
const WARMUP = 20;

function assertFlat(r: SoakReport): void {
  const { warm, end, maxAfterWarm } = r;
  expect(end.tensors, `${r.scenario}: live tensors`).toBe(warm.tensors);
  expect(maxAfterWarm.tensors, `${r.scenario}: live tensors (max after warm-up)`).toBe(warm.tensors);
  expect(end.bytes, `${r.scenario}: live bytes`).toBe(warm.bytes);
  expect(maxAfterWarm.bytes, `${r.scenario}: live bytes (max after warm-up)`).toBe(warm.bytes);
  // Heap extent and GPU allocation: the high-water mark of the second half after warm-up is no higher than the first's.
  // The wasm heap extent may drift by a few blocks as free lists fragment differently (live bytes above are
  // exact); growth beyond 2% + 4 KiB over the run would be fragmentation that does not settle.
  if (warm.wasmHeap !== undefined) expect(r.maxLate.wasmHeap, `${r.scenario}: wasm heap`).toBeLessThanOrEqual(r.maxEarly.wasmHeap! * 1.02 + 4096);
  if (warm.gpuAllocated !== undefined) expect(r.maxLate.gpuAllocated, `${r.scenario}: webgpu allocated`).toBeLessThanOrEqual(r.maxEarly.gpuAllocated!);
  expect(Number.isFinite(r.lastLoss)).toBe(true);
}

function show(r: SoakReport): string {
  const f = (s: SoakReport['start']): string =>
    `tensors ${s.tensors}, bytes ${s.bytes}${s.wasmHeap !== undefined ? `, wasm heap ${s.wasmHeap}` : ''}${s.gpuAllocated !== undefined ? `, webgpu allocated ${s.gpuAllocated} (pooled ${s.gpuPooled})` : ''}`;
  return `${r.scenario} (${r.steps} steps): start {${f(r.start)}} warm {${f(r.warm)}} end {${f(r.end)}} loss ${r.firstLoss.toFixed(3)} → ${r.lastLoss.toFixed(3)}`;
}

describe('leak soak (short run)', () => {
  it.each(backends)('%s: memory stays flat after warm-up', async (backend) => {
    const r = await soak({ scenario: backend, backends: [backend], steps: STEPS[backend] ?? 100, warmup: WARMUP, batch: 8 });
    console.log(show(r));
    assertFlat(r);
  });

  it.each(backends)('%s, compiled step: memory stays flat after warm-up', async (backend) => {
    const r = await soak({ scenario: `${backend} compiled`, backends: [backend], steps: STEPS[backend] ?? 100, warmup: WARMUP, batch: 8, compiled: true });
    console.log(show(r));
    assertFlat(r);
  });

  it(`compiled, switching ${backends.join(' → ')} every 5 steps (a program per backend): memory stays flat`, async () => {
    const cycle = 5 * backends.length;
    const r = await soak({ scenario: `compiled switch ${backends.join('/')}`, backends, steps: cycle * 5, warmup: cycle, batch: 8, switchEvery: 5, compiled: true });
    console.log(show(r));
    assertFlat(r);
  });

  it(`switching ${backends.join(' → ')} every 5 steps: memory stays flat`, async () => {
    const cycle = 5 * backends.length;
    const r = await soak({ scenario: `switch ${backends.join('/')}`, backends, steps: cycle * 5, warmup: cycle, batch: 8, switchEvery: 5 });
    console.log(show(r));
    assertFlat(r);
  });
});
