import { reshape, setBackend, tensor, tidy, type Tensor } from '@scratchnet/core';
import { describe, expect, it } from 'vitest';
import {
  Adam, CrossEntropyLoss, GPT, LSTMLanguageModel, TextWindows, deserializeModel, fit, generate, serializeModel, type IncrementalDecoder,
} from '../src/index.js';
import { testBackends } from './backends.js';

const small = (seed = 1): GPT => new GPT(11, { contextLength: 12, dModel: 16, numLayers: 2, numHeads: 2, dropout: 0, seed });

async function values(t: Tensor): Promise<number[]> {
  const v = Array.from(await t.data());
  t.dispose();
  return v;
}

/** Cross-entropy over every position of [N, T, V] logits and [N, T] targets. */
const sequenceLoss = {
  inner: new CrossEntropyLoss(),
  forward(logits: Tensor, targets: Tensor): Tensor {
    return this.inner.forward(reshape(logits, [-1, logits.shape[2]!]), reshape(targets, [-1]));
  },
};

describe('GPT', () => {
  it('maps [batch, T] ids to [batch, T, vocab] logits, causally', async () => {
    const m = small();
    m.eval();
    const a = await values(m.forward(tensor([[1, 2, 3, 4, 5]], [1, 5], 'int32')));
    const b = await values(m.forward(tensor([[1, 2, 3, 9, 0]], [1, 5], 'int32')));
    expect(a).toHaveLength(5 * 11);
    // The first three positions cannot see the changed last two.
    for (let i = 0; i < 3 * 11; i++) expect(b[i]).toBeCloseTo(a[i]!, 5);
    expect(b.slice(33).some((v, i) => Math.abs(v - a[33 + i]!) > 1e-4)).toBe(true);
    expect(() => m.forward(tensor(Array.from({ length: 13 }, () => 1), [1, 13], 'int32'))).toThrow(/13 positions exceed the context length 12/);
    m.dispose();
  });

  it('ties the output projection to the token embedding: one Variable, saved once, loaded tied', async () => {
    const m = small(2);
    const names = m.namedParameters().map(([n]) => n);
    expect(names.filter((n) => n.startsWith('tok_emb'))).toEqual(['tok_emb.weight']);
    const again = (await deserializeModel(await serializeModel(m))).model as GPT;
    m.eval();
    again.eval();
    const ids = tensor([[3, 1, 4, 1, 5, 9]], [1, 6], 'int32');
    expect(await values(again.forward(ids))).toEqual(await values(m.forward(ids)));
    m.dispose();
    again.dispose();
  });

  for (const backend of testBackends()) {
    it(`decodes with its key/value cache exactly as the full forward pass on '${backend}'`, async () => {
      await setBackend(backend);
      const m = small(3);
      m.eval();
      const state = m.beginDecoding();
      const seq = [2, 7, 1, 8, 2, 8, 1];
      // The prompt in one step, then a token per step.
      const steps: number[][] = [await values(tidy(() => state.step(tensor([seq.slice(0, 3)], [1, 3], 'int32'))))];
      for (let i = 3; i < seq.length; i++) steps.push(await values(tidy(() => state.step(tensor([[seq[i]!]], [1, 1], 'int32')))));
      state.dispose();
      const full = await values(m.forward(tensor([seq], [1, seq.length], 'int32')));
      steps.forEach((row, j) => {
        const pos = j + 2;
        row.forEach((v, c) => expect(v).toBeCloseTo(full[pos * 11 + c]!, 4));
      });
      m.dispose();
      await setBackend('js');
    });
  }

  it('generates the same tokens with and without the cache', async () => {
    const m = small(4);
    const uncached = { forward: (ids: Tensor) => m.forward(ids), eval: () => m.eval(), train: () => m.train(), training: false };
    const withCache = await generate(m, [1, 2], { maxTokens: 8, temperature: 0 });
    const without = await generate(uncached as unknown as GPT & IncrementalDecoder, [1, 2], { maxTokens: 8, temperature: 0 });
    expect(withCache).toEqual(without);
    m.dispose();
  });

  it('learns a repeating sequence: the loss falls and greedy decoding continues the pattern', async () => {
    const pattern = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const ids = Array.from({ length: 400 }, (_, i) => pattern[i % pattern.length]!);
    const m = new GPT(11, { contextLength: 8, dModel: 32, numLayers: 2, numHeads: 2, dropout: 0, seed: 5 });
    const optimizer = new Adam(m.parameters(), { lr: 3e-3 });
    const history = await fit(m, new TextWindows(ids, 8), { loss: sequenceLoss, optimizer, epochs: 3, batchSize: 32, seed: 1 });
    const losses = history.history.loss!;
    expect(losses.at(-1)!).toBeLessThan(losses[0]! / 4);
    expect(await generate(m, [3, 4, 5], { maxTokens: 6, temperature: 0 })).toEqual([6, 7, 8, 9, 10, 1]);
    optimizer.dispose();
    m.dispose();
  }, 60_000);
});

describe('LSTMLanguageModel', () => {
  it('carries its state in incremental decoding exactly as the full forward pass', async () => {
    const m = new LSTMLanguageModel(9, { embeddingDim: 8, hiddenSize: 12, numLayers: 2, seed: 2 });
    m.eval();
    const seq = [3, 1, 4, 1, 5, 0];
    const state = m.beginDecoding();
    const steps = [await values(tidy(() => state.step(tensor([seq.slice(0, 2)], [1, 2], 'int32'))))];
    for (let i = 2; i < seq.length; i++) steps.push(await values(tidy(() => state.step(tensor([[seq[i]!]], [1, 1], 'int32')))));
    state.dispose();
    const full = await values(m.forward(tensor([seq], [1, seq.length], 'int32')));
    steps.forEach((row, j) => row.forEach((v, c) => expect(v).toBeCloseTo(full[(j + 1) * 9 + c]!, 5)));
    m.dispose();
  });

  it('learns a repeating sequence', async () => {
    const ids = Array.from({ length: 300 }, (_, i) => [1, 2, 3, 4, 5, 6][i % 6]!);
    const m = new LSTMLanguageModel(7, { embeddingDim: 8, hiddenSize: 32, numLayers: 1, dropout: 0, seed: 3 });
    const optimizer = new Adam(m.parameters(), { lr: 1e-2 });
    const history = await fit(m, new TextWindows(ids, 8), { loss: sequenceLoss, optimizer, epochs: 3, batchSize: 32, seed: 1 });
    expect(history.history.loss!.at(-1)!).toBeLessThan(history.history.loss![0]! / 3);
    expect(await generate(m, [2, 3], { maxTokens: 5, temperature: 0 })).toEqual([4, 5, 6, 1, 2]);
    optimizer.dispose();
    m.dispose();
  }, 60_000);
});

describe('language models across backends', () => {
  it('a GPT and an LSTM trained on js reload on every other backend with the same outputs', async () => {
    await setBackend('js');
    const ids = Array.from({ length: 200 }, (_, i) => (i * 5 + (i % 3)) % 9);
    const models = [
      new GPT(9, { contextLength: 8, dModel: 16, numLayers: 2, numHeads: 2, dropout: 0, seed: 6 }),
      new LSTMLanguageModel(9, { embeddingDim: 8, hiddenSize: 12, numLayers: 2, dropout: 0, seed: 7 }),
    ];
    const probe = (): Tensor => tensor([[1, 4, 2, 8, 5, 7, 0, 3]], [1, 8], 'int32');
    for (const m of models) {
      const optimizer = new Adam(m.parameters(), { lr: 1e-2 });
      await fit(m, new TextWindows(ids, 8), { loss: sequenceLoss, optimizer, epochs: 1, batchSize: 16, seed: 2 });
      optimizer.dispose();
      m.eval();
      const want = await values(m.forward(probe()));
      const bytes = await serializeModel(m);
      for (const backend of testBackends().filter((b) => b !== 'js')) {
        await setBackend(backend);
        const again = (await deserializeModel(bytes)).model as GPT | LSTMLanguageModel;
        again.eval();
        const got = await values(again.forward(probe()));
        got.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(want[i]!))));
        again.dispose();
      }
      await setBackend('js');
      m.dispose();
    }
  }, 120_000);
});
