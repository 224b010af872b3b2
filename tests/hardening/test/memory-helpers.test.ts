/**
 * Memory that looks after itself: tensors freed by `using` declarations (Symbol.dispose), and the
 * opt-in leak check that names the call site when live tensors grow step after step outside tidy.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as sn from '@scratchnet/core';
import '@scratchnet/backend-js';

beforeAll(async () => {
  await sn.setBackend('js');
});

afterEach(() => {
  sn.disableLeakCheck();
});

describe('using declarations', () => {
  it('dispose a tensor at the end of its block', () => {
    const before = sn.memory().numTensors;
    let seen: sn.Tensor | undefined;
    {
      using x = sn.tensor([1, 2, 3]);
      seen = x;
      expect(x.isDisposed).toBe(false);
      expect(sn.memory().numTensors).toBe(before + 1);
    }
    expect(seen.isDisposed).toBe(true);
    expect(sn.memory().numTensors).toBe(before);
  });

  it('Symbol.dispose is defined and Tensor implements it', () => {
    expect(typeof Symbol.dispose).toBe('symbol');
    const x = sn.zeros([2]);
    x[Symbol.dispose]();
    expect(x.isDisposed).toBe(true);
    expect(() => x[Symbol.dispose]()).not.toThrow();
  });
});

describe('leak check', () => {
  const w = sn.variable(sn.tensor([0.5, -0.5], [2, 1]));
  const x = sn.tensor([1, 2, 3, 4], [2, 2]);
  const loss = (): sn.Tensor => sn.mean(sn.square(sn.matmul(x, w)));

  it('warns once, naming this file, when a loop without tidy keeps tensors alive', () => {
    const warnings: string[] = [];
    sn.enableLeakCheck({ steps: 5, onWarn: (m) => warnings.push(m) });
    const kept: sn.Tensor[] = [];
    for (let step = 0; step < 12; step++) {
      const { value, grads } = sn.variableGrads(loss, [w]);
      kept.push(value, sn.mul(grads.get(w)!, 0.1)); // the user forgets to dispose these
      grads.get(w)!.dispose();
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/leak check: live tensors grew at each of the last 5 steps/);
    expect(warnings[0]).toMatch(/memory-helpers\.test\.ts:\d+/);
    expect(warnings[0]).toMatch(/tidy/);
    sn.dispose(kept);
  });

  it('stays quiet for the same loop inside tidy', () => {
    const warnings: string[] = [];
    sn.enableLeakCheck({ steps: 5, onWarn: (m) => warnings.push(m) });
    for (let step = 0; step < 12; step++) {
      sn.tidy(() => {
        const { grads } = sn.variableGrads(loss, [w]);
        w.assign(sn.sub(w, sn.mul(grads.get(w)!, 0.1)));
      });
    }
    expect(warnings).toEqual([]);
  });

  it('counts explicit steps in loops without gradients, and is off by default', () => {
    const warnings: string[] = [];
    const kept: sn.Tensor[] = [];
    for (let i = 0; i < 12; i++) {
      kept.push(sn.add(x, 1));
      sn.leakCheckStep();
    }
    expect(sn.leakCheckEnabled()).toBe(false);
    sn.enableLeakCheck({ steps: 3, onWarn: (m) => warnings.push(m) });
    for (let i = 0; i < 5; i++) {
      kept.push(sn.add(x, 1));
      sn.leakCheckStep();
    }
    expect(warnings).toHaveLength(1);
    sn.dispose(kept);
    expect(() => sn.enableLeakCheck({ steps: 0 })).toThrow(/steps must be a positive integer/);
  });
});
