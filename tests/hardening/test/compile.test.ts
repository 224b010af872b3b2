/**
 * compile(): record once, replay many. Replays must give what eager calls give (bitwise here: the
 * same kernels run in the same order), host reads must be refused, host producers (random draws,
 * learning rates) must be re-evaluated, and memory must stay flat over replays.
 */
import { describe, expect, it } from 'vitest';
import '@scratchnet/backend-js';
import * as sn from '@scratchnet/core';

await sn.setBackend('js');

function values(t: sn.Tensor): number[] {
  return Array.from(t.dataSync());
}

describe('compile: record and replay', () => {
  it('replays a pure function on new inputs with the eager results, and keeps memory flat', () => {
    const f = (x: sn.Tensor, y: sn.Tensor) => sn.tidy(() => sn.add(sn.mul(sn.relu(x), 2), sn.sum(sn.matmul(x, y), 1, true)));
    const cf = sn.compile(f);
    for (let i = 0; i < 5; i++) {
      const x = sn.randomNormal([3, 4], { seed: i });
      const y = sn.randomNormal([4, 5], { seed: 100 + i });
      if (i === 0) cf(x, y).dispose(); // the recording call
      const before = sn.memory();
      const got = cf(x, y);
      const want = f(x, y);
      expect(values(got)).toEqual(values(want));
      expect(got.shape).toEqual(want.shape);
      got.dispose();
      want.dispose();
      const after = sn.memory();
      expect([after.numTensors, after.numBytes, after.backends.js!.backend!.buffers]).toEqual([before.numTensors, before.numBytes, before.backends.js!.backend!.buffers]);
      sn.dispose([x, y]);
    }
    expect(cf.reports()).toHaveLength(1);
    cf.dispose();
  });

  it('records again for a new input shape, and returns the recorded structure', () => {
    const cf = sn.compile((x: sn.Tensor) => ({ a: sn.exp(x), list: [sn.neg(x), 3] as const }));
    for (const shape of [[2], [3, 2], [2]]) {
      const x = sn.ones(shape);
      const r = cf(x);
      expect(r.a.shape).toEqual(shape);
      expect(values(r.list[0])).toEqual(values(x).map((v) => -v));
      expect(r.list[1]).toBe(3);
      sn.dispose([x, r.a, r.list[0]]);
    }
    expect(cf.reports()).toHaveLength(2);
    cf.dispose();
  });

  it('reads Variables at call time and writes their assignments back', () => {
    const v = sn.variable(sn.tensor([1, 2, 3]));
    const cf = sn.compile((x: sn.Tensor) => {
      v.assign(sn.add(v, x));
      return sn.sum(v);
    });
    const x = sn.tensor([1, 1, 1]);
    const sums = [0, 1, 2, 3].map(() => {
      const s = cf(x);
      const out = s.dataSync()[0]!;
      s.dispose();
      return out;
    });
    expect(sums).toEqual([9, 12, 15, 18]);
    expect(values(v)).toEqual([5, 6, 7]);
    sn.dispose([x, v]);
    cf.dispose();
  });

  it('sees a Variable read through a reshaped view', () => {
    const b = sn.variable(sn.tensor([1, 2]));
    const cf = sn.compile((x: sn.Tensor) => sn.add(x, sn.reshape(b, [1, 2])));
    const x = sn.zeros([2, 2]);
    cf(x).dispose();
    b.assign(sn.tensor([10, 20]));
    const r = cf(x);
    expect(values(r)).toEqual([10, 20, 10, 20]);
    sn.dispose([x, r, b]);
    cf.dispose();
  });

  it('refuses host reads while recording, naming the read', () => {
    const cf = sn.compile((x: sn.Tensor) => (x.dataSync()[0]! > 0 ? sn.neg(x) : x));
    const x = sn.ones([2]);
    expect(() => cf(x)).toThrow(/compile: the function read tensor values on the host \(dataSync\(\) of tensor #\d+, shape \[2\]\)/);
    x.dispose();
  });

  it('refuses random draws outside a recordable producer', () => {
    const cf = sn.compile((x: sn.Tensor) => sn.mul(x, sn.tensor(Array.from(new sn.RandomGenerator(1).uniform(2)))));
    const x = sn.ones([2]);
    expect(() => cf(x)).toThrow(/drew random numbers on the host outside a recordable producer/);
    x.dispose();
  });

  it('re-evaluates host producers and effects at every replay', () => {
    let counter = 0;
    const cf = sn.compile((x: sn.Tensor) => {
      sn.hostEffect(() => counter++);
      return sn.mul(x, sn.hostScalar(() => counter));
    });
    const x = sn.ones([2]);
    const got = [0, 1, 2].map(() => {
      const r = cf(x);
      const v = r.dataSync()[0]!;
      r.dispose();
      return v;
    });
    expect(got).toEqual([1, 2, 3]);
    x.dispose();
    cf.dispose();
  });

  it('redraws dropout masks and random tensors at each replay, as the eager stream does', () => {
    const f = (x: sn.Tensor) => sn.add(sn.dropout(x, 0.5), sn.randomUniform([8]));
    const cf = sn.compile(f);
    const x = sn.ones([8]);
    sn.setGlobalSeed(7);
    const eager = [0, 1, 2].map(() => { const r = f(x); const v = values(r); r.dispose(); return v; });
    sn.setGlobalSeed(7);
    const compiled = [0, 1, 2].map(() => { const r = cf(x); const v = values(r); r.dispose(); return v; });
    expect(compiled).toEqual(eager);
    expect(compiled[1]).not.toEqual(compiled[2]);
    x.dispose();
    cf.dispose();
  });

  it('fuses elementwise chains and still gives the eager values', () => {
    const f = (x: sn.Tensor, y: sn.Tensor) => sn.sigmoid(sn.add(sn.mul(sn.tanh(x), 3), sn.sub(y, 1)));
    const cf = sn.compile(f);
    const x = sn.randomNormal([4, 3], { seed: 1 });
    const y = sn.randomNormal([4, 3], { seed: 2 });
    cf(x, y).dispose();
    const r = cf(x, y);
    const e = f(x, y);
    expect(values(r)).toEqual(values(e));
    const [report] = cf.reports();
    expect(report!.fusedGroups).toBe(1);
    expect(report!.kernelsFused).toBe(1);
    sn.dispose([x, y, r, e]);
    cf.dispose();
  });

  it('runs eagerly under a gradient tape, so gradients flow through a compiled function', () => {
    const w = sn.variable(sn.tensor([0.5, -1, 2]));
    const forward = sn.compile((x: sn.Tensor) => sn.sum(sn.mul(sn.tanh(sn.mul(x, w)), x)));
    const x = sn.tensor([1, 2, 3]);
    forward(x).dispose();
    forward(x).dispose(); // recorded and replayed outside any tape
    const { value, grads } = sn.variableGrads(() => forward(x), [w]);
    const eager = sn.variableGrads(() => sn.sum(sn.mul(sn.tanh(sn.mul(x, w)), x)), [w]);
    expect(values(grads.get(w)!)).toEqual(values(eager.grads.get(w)!));
    expect(values(value)).toEqual(values(eager.value));
    sn.dispose([value, eager.value, [...grads.values()], [...eager.grads.values()], x, w]);
    forward.dispose();
  });

  it('keeps at most maxPrograms signatures, dropping the least recently used', () => {
    const cf = sn.compile((x: sn.Tensor) => sn.mul(x, 2), { maxPrograms: 2 });
    const before = sn.memory().numTensors;
    for (const n of [1, 2, 3, 1, 4]) {
      const x = sn.ones([n]);
      cf(x).dispose();
      x.dispose();
    }
    expect(cf.reports().map((r) => r.inputs)).toHaveLength(2);
    cf.dispose();
    expect(sn.memory().numTensors).toBe(before);
  });

  it('refuses a checkpointed forward with dropout (its recomputation repeats draws a replay cannot)', () => {
    const w = sn.variable(sn.tensor([0.5, -1, 2]));
    const block = sn.checkpoint((x: sn.Tensor) => sn.dropout(sn.mul(x, w), 0.5), { params: [w] });
    const cf = sn.compile((x: sn.Tensor) => sn.tidy(() => sn.variableGrads(() => sn.sum(block(x)), [w]).value));
    const x = sn.ones([3]);
    expect(() => cf(x)).toThrow(/activation checkpointing repeats random draws/);
    sn.dispose([x, w]);
    cf.dispose();
  });
});
