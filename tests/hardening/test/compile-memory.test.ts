/**
 * A replayed training step obtains no new memory: compile's plan frees every intermediate right after
 * its last reader, so each later allocation of the same replay is served from memory freed earlier
 * (the wasm heap's free blocks, webgpu's buffer pools), and the step's results and Variable updates
 * replace buffers the previous step gave back. Checked on a compiled CNN + Adam step: after warm-up,
 * replays never grow the wasm memory and never create a GPU buffer (the loss read-back's staging
 * buffer included), while the step keeps training.
 */
import { describe, expect, it } from 'vitest';
import * as sn from '@scratchnet/core';
import { Adam, BatchNorm2D, Conv2D, CrossEntropyLoss, Flatten, Linear, MaxPool2D, ReLU, Sequential } from '@scratchnet/layers';
import { gpuAvailable } from '../src/backends.js';

const gpu = await gpuAvailable();

/** A compiled Adam step of a small CNN (conv, pool, batch norm, linear) on fixed data; returns the step and a disposer. */
function compiledStep(): { step: () => Promise<number>; dispose: () => void; report: () => sn.ProgramReport | undefined } {
  const model = new Sequential([
    new Conv2D(1, 4, 3, { padding: 1, seed: 1 }), new MaxPool2D(2), new ReLU(), new BatchNorm2D(4),
    new Flatten(), new Linear(4 * 5 * 5, 6, { seed: 2 }),
  ]);
  const params = model.parameters();
  const optimizer = new Adam(params, { lr: 0.01 });
  const loss = new CrossEntropyLoss();
  const x = sn.randomNormal([12, 1, 11, 10], { seed: 3 });
  const y = sn.randint(0, 6, [12], { seed: 4 });
  const fn = sn.compile(() => sn.tidy(() => {
    const { value, grads } = sn.variableGrads(() => loss.forward(model.forward(x), y), params);
    optimizer.step(grads);
    return value;
  }), { name: 'memory step' });
  return {
    step: async () => {
      const v = fn();
      const [value] = await v.data();
      v.dispose();
      return value!;
    },
    dispose: () => {
      fn.dispose();
      optimizer.dispose();
      sn.dispose([...params, x, y]);
    },
    report: () => fn.reports()[0],
  };
}

describe('compile: a replayed step obtains no new memory', () => {
  it('wasm: after warm-up, 30 replays never grow the wasm memory; live bytes return to the same figure each step', async () => {
    await sn.setBackend('wasm');
    const run = compiledStep();
    try {
      const losses: number[] = [];
      for (let i = 0; i < 4; i++) losses.push(await run.step());
      const mem = (): sn.BackendMemory => sn.getBackend().memory();
      const before = mem();
      const live = new Set<number>();
      for (let i = 0; i < 30; i++) {
        losses.push(await run.step());
        const m = mem();
        expect(m.memoryBytes, `replay ${i}: wasm memory`).toBe(before.memoryBytes);
        live.add(m.allocatedBytes as number);
      }
      expect([...live]).toEqual([before.allocatedBytes]);
      expect(losses.at(-1)!).toBeLessThan(losses[0]!);
      const report = run.report()!;
      // The plan's own view: freeing at last use keeps the live intermediates well below all a replay allocates.
      expect(report.plan.peakBytes).toBeLessThan(report.plan.allocatedBytes / 2);
    } finally {
      run.dispose();
    }
  });

  it.skipIf(!gpu)('webgpu: after warm-up, 10 replays (each reading its loss) create no GPU buffer and miss no pool', async () => {
    await sn.setBackend('webgpu');
    const run = compiledStep();
    try {
      const losses: number[] = [];
      for (let i = 0; i < 4; i++) losses.push(await run.step());
      const counters = (): Record<string, number> => sn.getBackend().info!() as Record<string, number>;
      const before = counters();
      for (let i = 0; i < 10; i++) losses.push(await run.step());
      const after = counters();
      expect(after.bufferCreates! - before.bufferCreates!).toBe(0);
      expect(after.poolMisses! - before.poolMisses!).toBe(0);
      expect(after.dispatches! - before.dispatches!).toBeGreaterThan(0);
      expect(losses.at(-1)!).toBeLessThan(losses[0]!);
    } finally {
      run.dispose();
    }
  });
});
