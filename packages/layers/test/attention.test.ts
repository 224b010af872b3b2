import {
  dispose, isNaN as isNaNOp, memory, mul, permute, randomNormal, setBackend, sum, tensor, tidy, variable, variableGrads, where,
  type Tensor,
} from '@scratchnet/core';
import { describe, expect, it } from 'vitest';
import { causalMask, scaledDotProductAttention } from '../src/layers/attention.js';
import { MultiheadAttention } from '../src/layers/multihead-attention.js';
import { testBackends } from './backends.js';

/** Lower-triangular (j ≤ i) host mask of [l, s] as 0/1. */
const trilValues = (l: number, s: number): number[] => Array.from({ length: l * s }, (_, k) => (k % s <= Math.floor(k / s) ? 1 : 0));
const boolMask = (values: number[], shape: number[], truthy = 1): Tensor => tensor(Uint8Array.from(values.map((v) => (v === truthy ? 1 : 0))), shape, 'bool');

async function expectClose(a: Tensor, b: Tensor, tol = 1e-5): Promise<void> {
  expect(a.shape).toEqual(b.shape);
  const [x, y] = [await a.data(), await b.data()];
  for (let i = 0; i < x.length; i++) expect(Math.abs(x[i]! - y[i]!), `at ${i}: ${x[i]} vs ${y[i]}`).toBeLessThanOrEqual(tol * (1 + Math.abs(y[i]!)));
}

for (const backend of testBackends()) {
  describe(`attention masks on backend '${backend}'`, () => {
    it('a bool mask and the equivalent additive −∞ mask give the same result (sdpa: true = attend; MHA: true = excluded)', async () => {
      await setBackend(backend);
      const before = memory().numTensors;
      const allowed = [1, 0, 1, 1, 0, 1, 1, 1, 1, 1, 0, 0];
      const q = randomNormal([2, 3, 4], { seed: 1 });
      const k = randomNormal([2, 4, 4], { seed: 2 });
      const v = randomNormal([2, 4, 5], { seed: 3 });
      const attend = boolMask(allowed, [3, 4]);
      const exclude = boolMask(allowed, [3, 4], 0);
      const additive = tensor(allowed.map((a) => (a ? 0 : -Infinity)), [3, 4]);
      const [a, b] = tidy(() => [scaledDotProductAttention(q, k, v, { attnMask: attend }), scaledDotProductAttention(q, k, v, { attnMask: additive })]);
      await expectClose(a, b);
      const mha = new MultiheadAttention(4, 2, { batchFirst: true, seed: 4 });
      const [o1, w1, o2, w2] = tidy(() => [...mha.forward(q, k, k, { attnMask: exclude }), ...mha.forward(q, k, k, { attnMask: additive })]);
      await expectClose(o1, o2);
      await expectClose(w1!, w2!);
      const w = await w1!.data();
      allowed.forEach((ok, i) => { if (!ok) expect(w[i]).toBe(0); });
      dispose([q, k, v, attend, exclude, additive, a, b, o1, w1!, o2, w2!]);
      mha.dispose();
      expect(memory().numTensors).toBe(before);
    });

    it('isCausal equals an explicit lower-triangular mask, and causalMask is [L, S]', async () => {
      await setBackend(backend);
      const q = randomNormal([1, 2, 3, 4], { seed: 5 });
      const k = randomNormal([1, 2, 5, 4], { seed: 6 });
      const v = randomNormal([1, 2, 5, 3], { seed: 7 });
      const tril = boolMask(trilValues(3, 5), [3, 5]);
      const m = causalMask(3, 5);
      expect(m.shape).toEqual([3, 5]);
      expect(Array.from(await m.data())).toEqual(trilValues(3, 5));
      const [a, b] = tidy(() => [scaledDotProductAttention(q, k, v, { isCausal: true }), scaledDotProductAttention(q, k, v, { attnMask: tril })]);
      await expectClose(a, b);
      const x = randomNormal([2, 4, 6], { seed: 8 });
      const mha = new MultiheadAttention(6, 3, { batchFirst: true, seed: 9 });
      const triu = boolMask(trilValues(4, 4), [4, 4], 0);
      const [o1, w1] = mha.forward(x, x, x, { isCausal: true });
      const [o2, w2] = mha.forward(x, x, x, { attnMask: triu });
      await expectClose(o1, o2);
      await expectClose(w1!, w2!);
      dispose([q, k, v, tril, m, a, b, x, triu, o1, w1!, o2, w2!]);
      mha.dispose();
    });

    it('key padding: padded keys get zero weight and their values do not reach the output', async () => {
      await setBackend(backend);
      const mha = new MultiheadAttention(4, 2, { batchFirst: true, seed: 10 });
      const q = randomNormal([2, 3, 4], { seed: 11 });
      const kv = randomNormal([2, 5, 4], { seed: 12 });
      const pad = boolMask([0, 0, 0, 1, 1, 0, 0, 0, 0, 1], [2, 5]);
      // Change only the padded positions of key and value.
      const noise = mul(randomNormal([2, 5, 4], { seed: 13 }), 10);
      const changed = where(tensor(Uint8Array.from([0, 0, 0, 1, 1, 0, 0, 0, 0, 1]), [2, 5, 1], 'bool'), noise, kv);
      const [o1, w1] = mha.forward(q, kv, kv, { keyPaddingMask: pad, averageAttnWeights: false });
      const [o2] = mha.forward(q, changed, changed, { keyPaddingMask: pad });
      expect(w1!.shape).toEqual([2, 2, 3, 5]);
      await expectClose(o1, o2);
      const w = await w1!.data();
      for (let i = 0; i < w.length; i++) {
        const n = Math.floor(i / 30);
        const s = i % 5;
        if ((n === 0 && s >= 3) || (n === 1 && s === 4)) expect(w[i]).toBe(0);
      }
      dispose([q, kv, pad, noise, changed, o1, w1!, o2]);
      mha.dispose();
    });

    it('a query whose keys are all masked gets zero weights, a zero output and finite gradients (PyTorch: NaN)', async () => {
      await setBackend(backend);
      const q = variable(randomNormal([1, 2, 3], { seed: 14 }));
      const k = variable(randomNormal([1, 3, 3], { seed: 15 }));
      const v = variable(randomNormal([1, 3, 2], { seed: 16 }));
      const mask = boolMask([1, 1, 0, 0, 0, 0], [2, 3]); // query 1 may attend to nothing
      const out = tidy(() => scaledDotProductAttention(q, k, v, { attnMask: mask }));
      const o = await out.data();
      expect(Array.from(o.slice(2))).toEqual([0, 0]);
      expect(o.every(Number.isFinite)).toBe(true);
      const { value, grads } = variableGrads(() => sum(scaledDotProductAttention(q, k, v, { attnMask: mask })), [q, k, v]);
      for (const g of grads.values()) {
        const nan = tidy(() => sum(isNaNOp(g)));
        expect((await nan.data())[0]).toBe(0);
        nan.dispose();
      }
      const gq = await grads.get(q)!.data();
      expect(Array.from(gq.slice(3))).toEqual([0, 0, 0]);
      dispose([q, k, v, mask, out, value, grads]);
    });
  });
}

describe('MultiheadAttention shapes, layouts and errors', () => {
  it('batchFirst true and false give the same result transposed', async () => {
    const a = new MultiheadAttention(8, 4, { batchFirst: true, seed: 20 });
    const b = new MultiheadAttention(8, 4, { batchFirst: false, seed: 20 });
    const x = randomNormal([2, 5, 8], { seed: 21 });
    const m = randomNormal([2, 3, 8], { seed: 22 });
    const [o1, w1] = a.forward(x, m, m);
    const [o2, w2] = tidy(() => {
      const [o, w] = b.forward(permute(x, [1, 0, 2]), permute(m, [1, 0, 2]), permute(m, [1, 0, 2]));
      return [permute(o, [1, 0, 2]), w!];
    });
    await expectClose(o1, o2);
    await expectClose(w1!, w2);
    dispose([x, m, o1, w1!, o2, w2]);
    a.dispose();
    b.dispose();
  });

  it('returns weights [N, L, S] averaged, [N, H, L, S] per head, null without needWeights; unbatched [L, E] works', async () => {
    const mha = new MultiheadAttention(6, 2, { seed: 23 });
    const q = randomNormal([4, 3, 6], { seed: 24 });
    const kv = randomNormal([7, 3, 6], { seed: 25 });
    const results = tidy(() => {
      const [o, w] = mha.forward(q, kv, kv);
      const [, wh] = mha.forward(q, kv, kv, { averageAttnWeights: false });
      const [o0, none] = mha.forward(q, kv, kv, { needWeights: false });
      return { o, w: w!, wh: wh!, o0, none };
    });
    expect(results.o.shape).toEqual([4, 3, 6]);
    expect(results.w.shape).toEqual([3, 4, 7]);
    expect(results.wh.shape).toEqual([3, 2, 4, 7]);
    expect(results.none).toBeNull();
    await expectClose(results.o, results.o0);
    const sums = tidy(() => sum(results.w, [-1]));
    for (const s of await sums.data()) expect(s).toBeCloseTo(1, 5);
    const single = tidy(() => {
      const q1 = randomNormal([4, 6], { seed: 26 });
      const [o, w] = mha.forward(q1, q1, q1, { keyPaddingMask: boolMask([0, 0, 0, 1], [4]) });
      return [o, w!];
    });
    expect(single[0]!.shape).toEqual([4, 6]);
    expect(single[1]!.shape).toEqual([4, 4]);
    dispose([q, kv, results.o, results.w, results.wh, results.o0, sums, ...single]);
    mha.dispose();
  });

  it('has PyTorch\'s parameter names, shapes and initialisation', async () => {
    const packed = new MultiheadAttention(8, 2, { seed: 27 });
    expect(packed.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
      ['in_proj_weight', [24, 8]], ['in_proj_bias', [24]], ['out_proj.weight', [8, 8]], ['out_proj.bias', [8]],
    ]);
    const w = await packed.in_proj_weight!.data();
    const bound = Math.sqrt(6 / (24 + 8));
    expect(Math.max(...Array.from(w, Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...Array.from(w, Math.abs))).toBeGreaterThan(0.8 * bound);
    expect(Array.from(await packed.in_proj_bias!.data()).every((x) => x === 0)).toBe(true);
    expect(Array.from(await packed.out_proj.bias!.data()).every((x) => x === 0)).toBe(true);
    expect(Math.max(...Array.from(await packed.out_proj.weight.data(), Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(8));
    const separate = new MultiheadAttention(8, 2, { kdim: 3, vdim: 5, bias: false });
    expect(separate.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
      ['q_proj_weight', [8, 8]], ['k_proj_weight', [8, 3]], ['v_proj_weight', [8, 5]], ['out_proj.weight', [8, 8]],
    ]);
    packed.dispose();
    separate.dispose();
  });

  it('dropout acts on the weights in training only, repeatably with the seed', async () => {
    const make = (): MultiheadAttention => new MultiheadAttention(4, 1, { dropout: 0.5, batchFirst: true, seed: 28 });
    const [a, b] = [make(), make()];
    const x = randomNormal([1, 6, 4], { seed: 29 });
    const outs = tidy(() => {
      const [, wa] = a.forward(x);
      const [, wb] = b.forward(x);
      a.eval();
      const [, we] = a.forward(x);
      return [wa!, wb!, we!];
    });
    const [wa, wb, we] = await Promise.all(outs.map((t) => t.data()));
    expect(Array.from(wa!)).toEqual(Array.from(wb!));
    expect(wa!.filter((v) => v === 0).length).toBeGreaterThan(5);
    expect(Array.from(wa!).every((v, i) => v === 0 || Math.abs(v - 2 * we![i]!) < 1e-5)).toBe(true);
    dispose([x, ...outs]);
    a.dispose();
    b.dispose();
  });

  it('rejects bad arguments with the layer, the argument and the shapes', () => {
    expect(() => new MultiheadAttention(10, 3)).toThrow('MultiheadAttention: embedDim 10 must be divisible by numHeads 3');
    expect(() => new MultiheadAttention(8, 0)).toThrow('MultiheadAttention: numHeads must be a positive integer, got 0');
    const mha = new MultiheadAttention(4, 2);
    tidy(() => {
      const x = randomNormal([3, 2, 4]);
      expect(() => mha.forward(randomNormal([3, 2, 5]))).toThrow('MultiheadAttention: query [3,2,5] must have 4 features in its last dimension');
      expect(() => mha.forward(x, x, x, { attnMask: boolMask([1, 1], [1, 2]) })).toThrow('MultiheadAttention: attnMask must be [3,3] or [4,3,3] (batch·heads, L, S), got [1,2]');
      expect(() => mha.forward(x, x, x, { keyPaddingMask: boolMask([1, 1, 1], [3]) })).toThrow('MultiheadAttention: keyPaddingMask must be [2,3], got [3]');
      expect(() => mha.forward(x, randomNormal([3, 1, 4]), randomNormal([3, 1, 4]))).toThrow(/must have the same batch size/);
      const q = randomNormal([2, 3]);
      expect(() => scaledDotProductAttention(q, randomNormal([2, 4]), randomNormal([2, 4]))).toThrow('scaledDotProductAttention: query [2,3] and key [2,4] must have the same last dimension');
      expect(() => scaledDotProductAttention(q, q, q, { isCausal: true, attnMask: boolMask([1, 1, 1, 1], [2, 2]) })).toThrow('scaledDotProductAttention: give attnMask or isCausal, not both');
    });
    expect(() => causalMask(0, 3)).toThrow('causalMask: queries must be a positive integer, got 0');
    mha.dispose();
  });
});
