import { concat, dispose, memory, noGrad, randomNormal, setBackend, slice, tidy, type Tensor } from '@scratchnet/core';
import { describe, expect, it } from 'vitest';
import {
  KVCache, LayerNorm, LearnedPositionalEmbedding, MultiheadAttention, SinusoidalPositionalEncoding, TransformerEncoder,
  TransformerEncoderLayer, causalMask,
} from '../src/index.js';
import { testBackends } from './backends.js';

async function expectClose(a: Tensor, b: Tensor, tol = 2e-5): Promise<void> {
  expect(a.shape).toEqual(b.shape);
  const [x, y] = [await a.data(), await b.data()];
  for (let i = 0; i < x.length; i++) expect(Math.abs(x[i]! - y[i]!), `at ${i}: ${x[i]} vs ${y[i]}`).toBeLessThanOrEqual(tol * (1 + Math.abs(y[i]!)));
}

for (const backend of testBackends()) {
  describe(`incremental decoding with a KVCache on backend '${backend}'`, () => {
    it('a causal encoder fed a prompt then one position at a time gives the full forward pass, position by position', async () => {
      await setBackend(backend);
      const before = memory().numTensors;
      const model = new TransformerEncoder(new TransformerEncoderLayer(8, 2, { dimFeedforward: 16, batchFirst: true, normFirst: true, seed: 40 }), 2, { norm: new LayerNorm(8) }).eval();
      const pos = new SinusoidalPositionalEncoding(8, { batchFirst: true });
      const x = randomNormal([2, 6, 8], { seed: 41 });
      const full = noGrad(() => tidy(() => model.forward(pos.forward(x), { isCausal: true })));
      const caches = [new KVCache(), new KVCache()];
      const parts: Tensor[] = [];
      noGrad(() => {
        parts.push(tidy(() => model.forward(pos.forward(slice(x, [0, 0, 0], [2, 3, 8])), { isCausal: true, kvCaches: caches })));
        for (let t = 3; t < 6; t++) {
          parts.push(tidy(() => model.forward(pos.forward(slice(x, [0, t, 0], [2, 1, 8]), t), { isCausal: true, kvCaches: caches })));
        }
      });
      expect(caches[0]!.length).toBe(6);
      expect(caches[1]!.keys!.shape).toEqual([2, 2, 6, 4]);
      const stepwise = concat(parts, 1);
      await expectClose(stepwise, full);
      caches.forEach((c) => c.dispose());
      dispose([x, full, stepwise, ...parts]);
      model.dispose();
      expect(memory().numTensors).toBe(before);
    });
  });
}

describe('KVCache', () => {
  it('MultiheadAttention with a cache matches attention over the whole sequence, and learned positions take an offset', async () => {
    await setBackend('js');
    const mha = new MultiheadAttention(6, 3, { seed: 42 });
    const x = randomNormal([5, 1, 6], { seed: 43 });
    const cache = new KVCache();
    const [full, step] = noGrad(() => {
      const f = tidy(() => mha.forward(x, x, x, { isCausal: true })[0]);
      const a = tidy(() => mha.forward(slice(x, [0, 0, 0], [4, 1, 6]), undefined, undefined, { isCausal: true, kvCache: cache })[0]);
      const last = tidy(() => slice(x, [4, 0, 0], [1, 1, 6]));
      const b = tidy(() => mha.forward(last, last, last, { isCausal: true, kvCache: cache })[0]);
      dispose([last]);
      return [f, concat([a, b], 0)];
    });
    await expectClose(step, full);
    const emb = new LearnedPositionalEmbedding(4, 6, { seed: 44 });
    tidy(() => {
      const z = randomNormal([1, 1, 6]);
      expect(() => emb.forward(z, 4)).toThrow('LearnedPositionalEmbedding: input [1,1,6] at offset 4 reaches position 4, beyond maxLen 4');
      expect(() => mha.forward(z, randomNormal([2, 1, 6]), randomNormal([2, 1, 6]), { kvCache: cache })).toThrow('MultiheadAttention: kvCache is for self-attention');
    });
    expect(Array.from(await causalMask(2, 4, 2).data())).toEqual([1, 1, 1, 0, 1, 1, 1, 1]);
    cache.dispose();
    expect(cache.length).toBe(0);
    dispose([x, full, step]);
    mha.dispose();
    emb.dispose();
  });
});
