import { describe, expect, it } from 'vitest';
import { HEALTHY_FRACTION, bestRates, healthWarning } from '../health.mjs';
import { measure, rate } from '../timing.mjs';

describe('healthWarning', () => {
  it('passes a peer whose wall-clock figure reaches half of standalone', () => {
    expect(healthWarning('p 1t matmul 512', { wall: 15, cpu: 1 }, 29.6, 'GFLOPS')).toBeNull();
  });

  it('passes a peer slowed by a busy machine but fast per CPU-second', () => {
    expect(healthWarning('p 1t matmul 512', { wall: 3, cpu: 27 }, 29.6, 'GFLOPS')).toBeNull();
  });

  it('warns, naming the figure and the standalone one, when both are below half', () => {
    const w = healthWarning('tfjs-wasm 1t matmul 512', { wall: 0.5, cpu: 1.4 }, 29.6, 'GFLOPS');
    expect(w).toMatch(/^WARNING: tfjs-wasm 1t matmul 512: best 0\.5 GFLOPS \(1\.4 per CPU-second/);
    expect(w).toContain(`under ${HEALTHY_FRACTION * 100}% of its standalone 29.6 GFLOPS`);
  });

  it('warns when the peer failed (no figures) and stays silent without a standalone figure', () => {
    expect(healthWarning('p', bestRates(undefined, 1, 1), 10, 'GFLOPS')).toMatch(/best n\/a GFLOPS/);
    expect(healthWarning('p', { wall: 0, cpu: 0 }, undefined, 'GFLOPS')).toBeNull();
  });
});

describe('timing', () => {
  it('runs the warm-up and the repeats, and orders min ≤ median ≤ max', async () => {
    let calls = 0;
    const t = await measure(() => {
      calls++;
      const end = performance.now() + 2;
      while (performance.now() < end);
    }, { warmup: 2, repeats: 5 });
    expect(calls).toBe(7);
    expect(t.samples).toHaveLength(5);
    expect(t.min).toBeLessThanOrEqual(t.median);
    expect(t.median).toBeLessThanOrEqual(t.max);
    expect(t.cpuMin).toBeGreaterThan(0);
  });

  it('turns the fastest call into the best rate, per CPU-second times the threads', () => {
    const t = { min: 2, median: 4, max: 8, samples: [], cpuMin: 4 };
    expect(rate(t, 100)).toEqual({ min: 12.5, median: 25, max: 50 });
    expect(bestRates(t, 100, 2)).toEqual({ wall: 50, cpu: 50 });
  });
});
