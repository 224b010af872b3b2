import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as sn from '../index.js';
import type { Backend } from '../index.js';
import { runDeviceLossSuite } from './device-loss-suite.js';

/** Options of {@link runEngineSuite}. */
export interface EngineSuiteOptions {
  /** The registered name of the backend under test. */
  backend: string;
}

/**
 * Wraps a backend so that it can only be read asynchronously (as a GPU backend), to prove that
 * tensors migrate from such a backend through `setBackend`'s read-back.
 */
function asyncOnly(inner: Backend, name: string): Backend {
  return new Proxy(inner, {
    get(target, prop, receiver) {
      // No synchronous reads (like a GPU), and removing the proxy must not shut the real backend down.
      if (prop === 'readSync' || prop === 'shutdown') return undefined;
      if (prop === 'name') return name;
      const v: unknown = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/**
 * The engine half of the backend contract: tensors, memory accounting, scopes, disposal errors,
 * migration between backends (also from an async-only one), variables and autodiff plumbing,
 * all exercised on the backend under test. Registers vitest blocks.
 */
export function runEngineSuite(options: EngineSuiteOptions): void {
  const name = options.backend;
  const asyncName = `${name}-async-only`;

  describe(`engine on backend '${name}'`, () => {
    beforeAll(async () => {
      await sn.setBackend(name);
      const inner = sn.getBackend();
      sn.registerBackend(asyncName, () => asyncOnly(inner, asyncName), { priority: -100 });
    });
    afterAll(async () => {
      await sn.setBackend(name);
      await sn.removeBackend(asyncName);
    });

    it('describes a tensor: shape, dtype, size, rank, nested values, readable text', async () => {
      const t = sn.tensor([[1, 2, 3], [4, 5, 6]]);
      expect([t.shape, t.dtype, t.size, t.rank]).toEqual([[2, 3], 'float32', 6, 2]);
      expect(await t.array()).toEqual([[1, 2, 3], [4, 5, 6]]);
      expect(Array.from(await t.data())).toEqual([1, 2, 3, 4, 5, 6]);
      expect(t.toString()).toContain('Tensor(float32, [2,3])');
      if (sn.getBackend().readSync) {
        expect(t.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
        expect(t.toString()).toContain('[4.0, 5.0, 6.0]');
      } else {
        expect(t.toString()).toContain('use await t.data()');
      }
      const b = sn.tensor([true, false]);
      expect([b.dtype, await b.array()]).toEqual(['bool', [true, false]]);
      const three = sn.scalar(3, 'int32');
      expect(await three.array()).toBe(3);
      three.dispose();
      sn.dispose([t, b]);
    });

    it('rejects ragged nested arrays and wrong value counts, naming the op', () => {
      expect(() => sn.tensor([[1, 2], [3]])).toThrow(/tensor: ragged nested array: \[1\] has length 1, expected 2/);
      expect(() => sn.tensor([1, 2, 3], [2, 2])).toThrow(/tensor: 3 values do not fill shape \[2,2\]/);
      expect(() => sn.zeros([2, -1])).toThrow(sn.ShapeError);
      expect(() => sn.zeros([1.5])).toThrow(/invalid dimension 1.5/);
    });

    it('names the op, the arguments and the shapes in shape errors', () => {
      sn.tidy(() => {
        expect(() => sn.matmul(sn.zeros([2, 3]), sn.zeros([4, 5]))).toThrow(
          'matmul: inner dimensions of a [2,3] and b [4,5] do not match (3 vs 4)',
        );
        expect(() => sn.add(sn.zeros([2, 3]), sn.zeros([4]))).toThrow(/add: shapes of a \[2,3\] and b \[4\] cannot be broadcast/);
        expect(() => sn.sum(sn.zeros([2, 3]), 2)).toThrow(/sum: axes 2 is out of range for a tensor of rank 2/);
        expect(() => sn.gather(sn.zeros([3]), [0, 3])).toThrow(/gather: index 3 at position 1 is out of range/);
      });
    });

    it('throws a clear error when a disposed tensor is used, and double dispose is harmless', () => {
      const t = sn.ones([2]);
      t.dispose();
      t.dispose();
      expect(t.isDisposed).toBe(true);
      expect(() => sn.exp(t)).toThrow(sn.DisposedError);
      expect(() => sn.exp(t)).toThrow(/exp: x \(tensor #\d+, shape \[2\]\) was disposed/);
      expect(() => t.dataSync()).toThrow(/dataSync: tensor .* was disposed/);
    });

    it('clone gives a tensor that outlives its source, and ops never return their input object', async () => {
      const a = sn.tensor([1, 2, 3]);
      const c = sn.clone(a);
      const same = sn.cast(a, 'float32');
      expect(same).not.toBe(a);
      a.dispose();
      expect(Array.from(await c.data())).toEqual([1, 2, 3]);
      expect(Array.from(await same.data())).toEqual([1, 2, 3]);
      sn.dispose([c, same]);
    });

    it('tidy frees intermediates, keeps what is returned or kept, and nests', async () => {
      const before = sn.memory().numTensors;
      let kept: sn.Tensor | undefined;
      const out = sn.tidy(() => {
        const a = sn.ones([4]);
        kept = sn.keep(sn.mul(a, 3));
        const inner = sn.tidy(() => sn.add(a, sn.exp(a)));
        return { inner, doubled: sn.mul(inner, 2) };
      });
      expect(sn.memory().numTensors).toBe(before + 3);
      expect((await out.doubled.data())[0]).toBeCloseTo(2 * (1 + Math.E), 5);
      sn.dispose([out, kept]);
      expect(sn.memory().numTensors).toBe(before);
    });

    it('tidy keeps returned tensors nested at any depth, in self-referencing containers too', async () => {
      const before = sn.memory().numTensors;
      type Nest = { child?: Nest; t?: sn.Tensor; self?: unknown };
      const out = sn.tidy(() => {
        const root: Nest = {};
        let node = root;
        for (let d = 0; d < 20; d++) node = node.child = {};
        node.t = sn.add(sn.ones([2]), 1);
        root.self = [root, new Map([['again', root]])];
        return root;
      });
      let leaf: Nest = out;
      while (leaf.child) leaf = leaf.child;
      expect(leaf.t!.isDisposed).toBe(false);
      expect(Array.from(await leaf.t!.data())).toEqual([2, 2]);
      expect(sn.memory().numTensors).toBe(before + 1);
      sn.dispose(out);
      expect(leaf.t!.isDisposed).toBe(true);
      expect(sn.memory().numTensors).toBe(before);
    });

    it('tidy follows an async function across await', async () => {
      const before = sn.memory().numTensors;
      const result = await sn.tidy(async () => {
        const a = sn.ones([3]);
        await new Promise((r) => setTimeout(r, 1));
        const b = sn.add(a, 1);
        const values = await b.data();
        return sn.mul(b, values[0]!);
      });
      expect(Array.from(await result.data())).toEqual([4, 4, 4]);
      result.dispose();
      expect(sn.memory().numTensors).toBe(before);
    });

    it('reports memory per backend and frees shared data once', async () => {
      const before = sn.memory();
      const a = sn.zeros([10]);
      const r = sn.reshape(a, [2, 5]);
      const m = sn.memory();
      expect(m.numTensors).toBe(before.numTensors + 2);
      expect(m.numBytes).toBe(before.numBytes + 40);
      expect(m.backends[name]?.bytes).toBe((before.backends[name]?.bytes ?? 0) + 40);
      a.dispose();
      expect((await r.data()).length).toBe(10);
      r.dispose();
      expect(sn.memory().numBytes).toBe(before.numBytes);
    });

    it('tracks the peak bytes alive at once since resetPeakMemory', () => {
      sn.resetPeakMemory();
      const base = sn.memory().numBytes;
      expect(sn.memory().peakBytes).toBe(base);
      sn.tidy(() => sn.neg(sn.zeros([1000])).dispose()); // 4000 B each, two alive at the top
      const small = sn.zeros([10]);
      expect(sn.memory().numBytes).toBe(base + 40);
      expect(sn.memory().peakBytes).toBe(base + 8000);
      sn.resetPeakMemory();
      expect(sn.memory().peakBytes).toBe(base + 40);
      small.dispose();
    });

    it('lists backends and rejects an unknown one with the available names', async () => {
      expect(sn.listBackends()).toContain(name);
      await expect(sn.setBackend('no-such-backend')).rejects.toThrow(new RegExp(`unknown backend 'no-such-backend'; registered backends: .*${name}`));
      expect(sn.getBackendName()).toBe(name);
    });

    it('moves tensors from an async-only backend on switch, and mixes backends in one op', async () => {
      await sn.setBackend(asyncName);
      const onAsync = sn.tensor([1, 2, 3]);
      expect(() => onAsync.dataSync()).toThrow(/can only be read asynchronously; use `await t.data\(\)`/);
      expect(Array.from(await onAsync.data())).toEqual([1, 2, 3]);
      await sn.setBackend(name);
      const local = sn.tensor([10, 20, 30]);
      const sum = sn.add(onAsync, local);
      expect(Array.from(await sum.data())).toEqual([11, 22, 33]);
      expect(onAsync.backendName).toBe(name);
      sn.dispose([onAsync, local, sum]);
    });

    it('moves tensors to another backend on first use after setBackend', async () => {
      const a = sn.tensor([1, 2]);
      await sn.setBackend(asyncName);
      const b = sn.mul(a, 2);
      expect(a.backendName).toBe(asyncName);
      expect(Array.from(await b.data())).toEqual([2, 4]);
      await sn.setBackend(name);
      const b1 = sn.add(b, 1);
      expect(Array.from(await b1.data())).toEqual([3, 5]);
      b1.dispose();
      sn.dispose([a, b]);
    });

    it('moveToBackend moves data eagerly, also off an async-only backend', async () => {
      await sn.setBackend(asyncName);
      const t = sn.tensor([5, 6]);
      await sn.setBackend(name);
      const before = sn.memory().backends[asyncName]?.bytes ?? 0;
      await sn.moveToBackend(t, name);
      expect(t.backendName).toBe(name);
      expect(sn.memory().backends[asyncName]?.bytes ?? 0).toBe(before - 8);
      expect(Array.from(await t.data())).toEqual([5, 6]);
      await sn.moveToBackend(t, asyncName);
      expect(t.backendName).toBe(asyncName);
      expect(Array.from(await t.data())).toEqual([5, 6]);
      await expect(sn.moveToBackend(t, 'nope')).rejects.toThrow(/moveToBackend: unknown backend 'nope'/);
      t.dispose();
    });

    it('variables assign in place and differentiate with variableGrads', async () => {
      const w = sn.variable(sn.tensor([1, 2]), { name: 'w' });
      const { value, grads } = sn.variableGrads(() => sn.sum(sn.square(w)), [w]);
      expect((await value.data())[0]).toBe(5);
      expect(Array.from(await grads.get(w)!.data())).toEqual([2, 4]);
      sn.tidy(() => w.assign(sn.sub(w, sn.mul(grads.get(w)!, 0.5))));
      expect(Array.from(await w.data())).toEqual([0, 0]);
      expect(() => w.assign(sn.zeros([3]))).toThrow(/assign: value \[3\] does not match variable 'w' \[2\]/);
      sn.dispose([value, grads.get(w), w]);
    });

    it('grad over several inputs, through inner tidy scopes, without leaking', async () => {
      const before = sn.memory().numTensors;
      const a = sn.tensor([1, 2, 3]);
      const b = sn.tensor([4, 5, 6]);
      const f = (x: sn.Tensor, y: sn.Tensor): sn.Tensor => sn.tidy(() => sn.sum(sn.mul(sn.tidy(() => sn.mul(x, x)), y)));
      const [da, db] = sn.grad(f)(a, b);
      expect(Array.from(await da!.data())).toEqual([8, 20, 36]);
      expect(Array.from(await db!.data())).toEqual([1, 4, 9]);
      const { value, grads } = sn.valueAndGrad(f)(a, b);
      expect((await value.data())[0]).toBe(4 + 20 + 54);
      sn.dispose([a, b, da, db, value, grads]);
      expect(sn.memory().numTensors).toBe(before);
    });

    /** Runs `fn` on a proxy of the backend under test that counts calls of the `kernels` named. */
    async function countingKernels<K extends string>(kernels: readonly K[], fn: () => Promise<void> | void): Promise<Record<K, number>> {
      const inner = sn.getBackend();
      const counts = Object.fromEntries(kernels.map((k) => [k, 0])) as Record<K, number>;
      const countingName = `${name}-counting`;
      sn.registerBackend(countingName, () => new Proxy(inner, {
        get(target, prop, receiver) {
          if (prop === 'name') return countingName;
          if (prop === 'shutdown') return undefined;
          const v: unknown = Reflect.get(target, prop, receiver);
          if (typeof v !== 'function') return v;
          const f = (v as (...a: unknown[]) => unknown).bind(target);
          return (kernels as readonly string[]).includes(prop as string) ? (...a: unknown[]) => (counts[prop as K]++, f(...a)) : f;
        },
      }), { priority: -100 });
      try {
        await sn.setBackend(countingName);
        await fn();
      } finally {
        await sn.setBackend(name);
        await sn.removeBackend(countingName);
      }
      return counts;
    }

    it('computes no gradient for operands that want none (the data fed to a layer, constants)', async () => {
      const counts = await countingKernels(['matmul', 'where'], async () => {
        const x = sn.tensor([[1, 2], [3, 4], [5, 6]]); // data: no gradient wanted
        const w = sn.variable(sn.tensor([[1, 0, 2], [0, 1, 3]]), { name: 'w' });
        const mask = sn.tensor([[true, false, true], [true, true, false], [false, true, true]]);
        const { value, grads } = sn.variableGrads(() => sn.sum(sn.where(mask, sn.matmul(x, w), -1)), [w]);
        expect(Array.from(await grads.get(w)!.data())).toEqual([4, 8, 6, 6, 10, 8]);
        expect((await value.data())[0]).toBe(1 - 1 + 8 + 3 + 4 - 1 - 1 + 6 + 28);
        sn.dispose([x, w, mask, value, grads.get(w)]);
      });
      // Forward: one product and one where; backward: the weight's product and the where for the
      // product's side only (x and the constant −1 get nothing).
      expect(counts).toEqual({ matmul: 2, where: 2 });
    });

    it('assembles the gradient of slices that tile a tensor (split) with one concat, others by padding', async () => {
      const x = sn.tensor([[1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12]]);
      const weights = sn.tensor([[1, 2, 3, 4, 5, 6], [6, 5, 4, 3, 2, 1]]);
      const tiled = await countingKernels(['concat', 'pad'], async () => {
        const [g] = sn.grad((t) => {
          const [a, b, c] = sn.split(sn.mul(t, weights), [1, 3, 2], 1);
          return sn.add(sn.add(sn.sum(sn.mul(a!, 2)), sn.sum(sn.mul(b!, 3))), sn.sum(c!));
        })(x);
        expect(Array.from(await g!.data())).toEqual([2, 6, 9, 12, 5, 6, 12, 15, 12, 9, 2, 1]);
        g!.dispose();
      });
      expect(tiled).toEqual({ concat: 1, pad: 0 });
      const overlapping = await countingKernels(['concat', 'pad'], async () => {
        // Columns 1–3 and 2–4 overlap: each piece is padded to the whole and the two are added.
        const [g] = sn.grad((t) => sn.add(sn.sum(sn.slice(t, [0, 1], [2, 3])), sn.sum(sn.mul(sn.slice(t, [0, 2], [2, 3]), 10))))(x);
        expect(Array.from(await g!.data())).toEqual([0, 1, 11, 11, 10, 0, 0, 1, 11, 11, 10, 0]);
        g!.dispose();
      });
      expect(overlapping).toEqual({ concat: 0, pad: 2 });
      sn.dispose([x, weights]);
    });

    it('gives the same random numbers for the same seed', async () => {
      const x = sn.randomNormal([5], { seed: 3 });
      const y = sn.randomNormal([5], { seed: 3 });
      const [g1, g2] = new sn.RandomGenerator(9).split(2);
      expect(Array.from(await x.data())).toEqual(Array.from(await y.data()));
      await sn.tidy(async () => {
        expect(Array.from(await sn.randomUniform([4], { seed: g1 }).data())).not.toEqual(Array.from(await sn.randomUniform([4], { seed: g2 }).data()));
      });
      sn.dispose([x, y]);
    });
  });
  runDeviceLossSuite(name);
}
