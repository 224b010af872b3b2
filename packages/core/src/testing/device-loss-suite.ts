import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as sn from '../index.js';
import type { Backend, DataId, DeviceLossInfo } from '../index.js';

/** A backend that can lose its "device" on demand, as a GPU backend does. */
interface LosableBackend extends Backend {
  /** Loses the device: the data it made is freed, and every later call but dispose fails. */
  lose(info: DeviceLossInfo): void;
}

/**
 * Wraps a backend as an async-only one (like a GPU) whose device can be lost. After the loss,
 * `deviceLost()` reports it and any kernel, read or write throws an error that the engine must never
 * let through: it has to stop at the loss itself, with a DeviceLostError naming the op.
 */
function losable(inner: Backend, name: string): LosableBackend {
  let lost: DeviceLossInfo | null = null;
  const made = new Set<DataId>();
  const wrapper = new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'readSync' || prop === 'shutdown') return undefined;
      if (prop === 'name') return name;
      if (prop === 'deviceLost') return (): DeviceLossInfo | null => lost;
      if (prop === 'lose') {
        return (info: DeviceLossInfo): void => {
          lost = info;
          for (const id of made) target.dispose(id); // the device's memory goes with it
          made.clear();
        };
      }
      const v: unknown = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function') return v;
      const fn = (v as (...a: unknown[]) => unknown).bind(target);
      if (prop === 'dispose') return (id: DataId): void => void (made.delete(id) && !lost && fn(id));
      if (prop === 'memory' || prop === 'info') return fn;
      return (...args: unknown[]): unknown => {
        if (lost) throw new Error(`test backend '${name}': ${String(prop)} was called after its device was lost; the engine should have stopped first`);
        const out = fn(...args);
        if (prop !== 'read' && prop !== 'sync') made.add(out as DataId);
        return out;
      };
    },
  });
  return wrapper as LosableBackend;
}

/**
 * The engine's side of a lost device, on a wrapper of backend `name` whose device the tests lose:
 * clear errors naming the op, the backend and the reason; variables restored from their last
 * `syncToHost` values by `setBackend`; a fresh device when the lost backend is chosen again.
 */
export function runDeviceLossSuite(name: string): void {
  const losableName = `${name}-losable`;
  let current: LosableBackend | null = null;
  const lose = (info: DeviceLossInfo = { reason: 'unknown', message: 'GPU reset (test)' }): void => current!.lose(info);

  describe(`a lost device, with backend '${name}' to go on`, () => {
    beforeAll(async () => {
      await sn.setBackend(name);
      const inner = sn.getBackend();
      sn.registerBackend(losableName, () => (current = losable(inner, losableName)), { priority: -100 });
    });
    afterAll(async () => {
      await sn.setBackend(name);
      await sn.removeBackend(losableName);
    });

    it('stops every op, write and read with a DeviceLostError naming the op, the backend and the reason', async () => {
      await sn.setBackend(losableName);
      const a = sn.tensor([1, 2, 3]);
      lose({ reason: 'unknown', message: 'GPU reset (test)' });
      const err = ((): unknown => {
        try {
          sn.matmul(sn.reshape(a, [1, 3]), sn.reshape(a, [3, 1]));
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(err).toBeInstanceOf(sn.DeviceLostError);
      expect(err).toBeInstanceOf(sn.BackendError);
      const lostErr = err as sn.DeviceLostError;
      expect([lostErr.op, lostErr.backend, lostErr.info.reason]).toEqual(['matmul', losableName, 'unknown']);
      expect(lostErr.message).toMatch(new RegExp(`^matmul: the ${losableName} device was lost \\(reason 'unknown': GPU reset \\(test\\)\\); .*await setBackend\\('`));
      expect(() => sn.add(a, 1)).toThrow(/^add: the .* device was lost/);
      expect(() => sn.tensor([4])).toThrow(/^tensor: the .* device was lost/);
      await expect(a.data()).rejects.toThrow(/^data: the .* device was lost .*; tensor #\d+ lived there and the host has no copy/);
      expect(sn.getBackendName()).toBe(losableName);
      await sn.setBackend(name);
      expect(() => sn.add(a, 1)).toThrow(/^add: the .* device was lost .*a \(tensor #\d+\) lived there and the host has no copy/);
      a.dispose();
    });

    it('setBackend restores variables from their last syncToHost() values; later values and other data are lost', async () => {
      const before = sn.memory().numTensors;
      await sn.setBackend(losableName);
      const [w, b, never] = sn.tidy(() => [
        sn.variable(sn.tensor([1, 2, 3]), { name: 'w' }), sn.variable(sn.tensor([10]), { name: 'b' }), sn.variable(sn.tensor([0, 0]), { name: 'never' }),
      ]);
      expect(await sn.syncToHost([w, b])).toBe(2);
      sn.tidy(() => w.assign(sn.mul(w, 2))); // after the sync: lost with the device
      sn.tidy(() => b.assign(sn.add(b, 1)));
      await sn.syncToHost([b]); // b's last sync is this one
      const plain = sn.tidy(() => sn.add(w, 1));
      await expect(sn.syncToHost([plain])).rejects.toThrow(/^syncToHost: variables\[0\] \(tensor #\d+\) is not a live Variable/);
      lose();
      await expect(w.data()).rejects.toThrow(/^data: the .* device was lost/);
      await sn.setBackend(name);
      expect([w.backendName, b.backendName]).toEqual([name, name]);
      expect(Array.from(await w.data())).toEqual([1, 2, 3]);
      expect(Array.from(await b.data())).toEqual([11]);
      const next = sn.add(w, b);
      expect(Array.from(await next.data())).toEqual([12, 13, 14]);
      expect(() => sn.tidy(() => sn.mul(never, 2))).toThrow(/^mul: the .* device was lost .*a \(tensor #\d+\) lived there and the host has no copy/);
      await expect(plain.data()).rejects.toThrow(sn.DeviceLostError);
      sn.dispose([w, b, never, plain, next]);
      expect(sn.memory().numTensors).toBe(before);
    });

    it('a lost backend gets a fresh device when chosen again, and synced variables come back onto it', async () => {
      await sn.setBackend(losableName);
      const first = sn.getBackend();
      const w = sn.tidy(() => sn.variable(sn.tensor([4, 5]), { name: 'w' }));
      await sn.syncToHost();
      lose({ reason: 'destroyed', message: 'device was destroyed' });
      expect(() => sn.neg(w)).toThrow(/^neg: the .* device was lost \(reason 'destroyed': device was destroyed\)/);
      await sn.setBackend(losableName);
      expect(sn.getBackend()).not.toBe(first);
      expect(sn.getBackend().deviceLost?.()).toBeNull();
      expect(w.backendName).toBe(losableName);
      const y = sn.neg(w);
      expect(Array.from(await y.data())).toEqual([-4, -5]);
      sn.dispose([w, y]);
      await sn.setBackend(name);
    });
  });
}
