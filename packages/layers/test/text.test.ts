import { RandomGenerator, gather, keep, tensor, type Tensor } from '@scratchnet/core';
import { describe, expect, it } from 'vitest';
import {
  BpeTokenizer, CharTokenizer, Linear, Module, TextWindows, deserializeModel, generate, sampleLogits, serializeModel, tokenizerFromJSON,
  type DecodingState, type IncrementalDecoder, type TokenizerJSON,
} from '../src/index.js';
import './backends.js';

const NAMES = ['emma', 'olivia', 'ava', 'isabella', 'sophia', 'mia', 'amelia', 'harper', 'evelyn', 'abigail', 'anna', 'hannah'];

describe('CharTokenizer', () => {
  it('encodes and decodes through a sorted vocabulary after the specials', () => {
    const tok = CharTokenizer.train(NAMES, { specials: ['<eos>'] });
    expect(tok.specialId('<eos>')).toBe(0);
    expect(tok.vocabSize).toBe(1 + new Set(NAMES.join('')).size);
    expect(tok.encode('ab')).toEqual([1, 2]);
    expect(tok.decode(tok.encode('hannah'))).toBe('hannah');
    expect(tok.decode([0])).toBe('<eos>');
  });

  it('treats astral characters as one token and survives JSON', () => {
    const tok = CharTokenizer.train('a😀b');
    expect(tok.encode('😀a')).toHaveLength(2);
    const again = tokenizerFromJSON(JSON.parse(JSON.stringify(tok.toJSON())) as TokenizerJSON);
    expect(again.encode('b😀')).toEqual(tok.encode('b😀'));
  });

  it('names an unknown character and its position', () => {
    expect(() => CharTokenizer.train('abc').encode('abz')).toThrow(/character "z" at position 2 is not in the vocabulary of 3 characters/);
    expect(() => CharTokenizer.train('abc').decode([5])).toThrow(/id 5 at position 0 is out of range/);
  });
});

describe('BpeTokenizer', () => {
  it('merges the most frequent pair first, ties to the smaller pair', () => {
    const tok = BpeTokenizer.train('aaabdaaabac', { vocabSize: 258 });
    // a a a b d a a a b a c: "aa" occurs 4 times, then (aa, a)... and (a, b) twice.
    expect(tok.toJSON().merges[0]).toEqual([97, 97]);
    expect(tok.vocabSize).toBe(258);
  });

  it('round-trips any text, including bytes it never saw, and compresses what it learnt', () => {
    const corpus = NAMES.join(' ').repeat(20);
    const tok = BpeTokenizer.train(corpus, { vocabSize: 300, specials: ['<eos>'] });
    expect(tok.specialId('<eos>')).toBe(256);
    for (const text of ['emma and olivia', 'Zoë 😀 漢字\n\ttabs', '']) expect(tok.decode(tok.encode(text))).toBe(text);
    const sample = NAMES.join(' ');
    expect(tok.encode(sample).length).toBeLessThan(new TextEncoder().encode(sample).length / 2);
  });

  it('is deterministic and survives JSON', () => {
    const corpus = NAMES.join(' ').repeat(5);
    const a = BpeTokenizer.train(corpus, { vocabSize: 280 });
    const b = BpeTokenizer.train(corpus, { vocabSize: 280 });
    expect(a.toJSON()).toEqual(b.toJSON());
    const c = tokenizerFromJSON(JSON.parse(JSON.stringify(a.toJSON())) as TokenizerJSON);
    expect(c.encode('isabella and sophia')).toEqual(a.encode('isabella and sophia'));
  });

  it('stops merging once nothing repeats', () => {
    const tok = BpeTokenizer.train('abcdef', { vocabSize: 1000 });
    expect(tok.vocabSize).toBe(256);
  });

  it('rejects a vocabulary smaller than the bytes and a merge list that refers forward', () => {
    expect(() => BpeTokenizer.train('abc', { vocabSize: 100 })).toThrow(/vocabSize must be an integer from 256/);
    expect(() => BpeTokenizer.fromJSON({ kind: 'bpe', merges: [[97, 300]], specials: [] })).toThrow(/merge 0 \[97, 300\] refers to an id that does not exist/);
    expect(() => tokenizerFromJSON({ kind: 'words' } as never)).toThrow(/unknown tokenizer kind "words"/);
  });
});

describe('TextWindows', () => {
  const ids = Array.from({ length: 20 }, (_, i) => i);

  it('cuts next-token windows into int32 batches', async () => {
    const w = new TextWindows(ids, 4);
    expect(w.size).toBe(16);
    expect(w.batchCount(5)).toBe(4);
    const [first] = [...w.batches(5)];
    expect(first!.x.shape).toEqual([5, 4]);
    expect(first!.x.dtype).toBe('int32');
    expect(Array.from(await first!.x.data()).slice(4, 8)).toEqual([1, 2, 3, 4]);
    expect(Array.from(await first!.y.data()).slice(4, 8)).toEqual([2, 3, 4, 5]);
  });

  it('shuffles reproducibly from a seed and splits without straddling windows', async () => {
    const w = new TextWindows(ids, 3);
    const order = async (seed: number): Promise<number[]> => {
      const starts: number[] = [];
      for (const b of w.batches(4, { shuffle: true, seed })) {
        const x = await b.x.data();
        for (let i = 0; i < b.size; i++) starts.push(x[i * 3]!);
        b.x.dispose();
        b.y.dispose();
      }
      return starts;
    };
    const a = await order(7);
    expect(await order(7)).toEqual(a);
    expect([...a].sort((p, q) => p - q)).toEqual(Array.from({ length: 17 }, (_, i) => i));
    const [train, val] = w.split(0.5);
    expect(train.size + val.size).toBe(20 - 2 * 3);
  });

  it('rejects a stream shorter than one window', () => {
    expect(() => new TextWindows([1, 2, 3], 3)).toThrow(/3 tokens make no window of 3 \+ 1 tokens/);
  });
});

describe('sampleLogits', () => {
  const logits = [1, 3, 2, NaN, 3];

  it('is greedy at temperature 0 and with topK 1, ties to the lower id', () => {
    expect(sampleLogits(logits, { temperature: 0 }, Math.random)).toBe(1);
    expect(sampleLogits(logits, { topK: 1 }, Math.random)).toBe(1);
  });

  it('draws in proportion to softmax(logits / T), never a NaN or a filtered token', () => {
    const gen = new RandomGenerator(3);
    const u = (): number => gen.uniform(1)[0]!;
    const counts = [0, 0, 0, 0, 0];
    const n = 20000;
    for (let i = 0; i < n; i++) counts[sampleLogits(logits, { temperature: 2 }, u)]!++;
    const w = [1, 3, 2, 3].map((v) => Math.exp(v / 2));
    const total = w.reduce((s, v) => s + v, 0);
    expect(counts[3]).toBe(0);
    expect(Math.abs(counts[0]! / n - w[0]! / total)).toBeLessThan(0.015);
    expect(Math.abs(counts[2]! / n - w[2]! / total)).toBeLessThan(0.015);
    const nucleus = [0, 0, 0, 0, 0];
    for (let i = 0; i < 2000; i++) nucleus[sampleLogits(logits, { topP: 0.5 }, u)]!++;
    expect(nucleus[0]! + nucleus[2]!).toBe(0);
  });
});

/** A bigram model: the logits after token t are row t of a fixed table. */
class Bigram extends Module {
  constructor(private readonly table: Tensor) {
    super();
  }

  forward(ids: Tensor): Tensor {
    return gather(this.table, ids, 0);
  }

  protected getConfig(): Record<string, unknown> {
    return {};
  }
}

describe('generate', () => {
  // After token t the most likely next token is (t + 1) mod 5.
  const table = keep(tensor(Array.from({ length: 25 }, (_, i) => (Math.floor(i / 5) + 1) % 5 === i % 5 ? 4 : 0), [5, 5]));

  it('follows the most likely chain greedily and stops at stopAt', async () => {
    const m = new Bigram(table);
    expect(await generate(m, [0], { maxTokens: 6, temperature: 0 })).toEqual([1, 2, 3, 4, 0, 1]);
    expect(await generate(m, [2], { maxTokens: 6, temperature: 0, stopAt: 4 })).toEqual([3, 4]);
  });

  it('draws the same tokens for the same seed', async () => {
    const m = new Bigram(table);
    const a = await generate(m, [0], { maxTokens: 30, seed: 5 });
    expect(await generate(m, [0], { maxTokens: 30, seed: 5 })).toEqual(a);
    expect(a.some((t, i) => i > 0 && t !== (a[i - 1]! + 1) % 5)).toBe(true);
  });

  it('feeds an incremental decoder the prompt once and then one token per step', async () => {
    const fed: number[] = [];
    const decoder: IncrementalDecoder = {
      beginDecoding(): DecodingState {
        return {
          step: (ids: Tensor) => {
            fed.push(ids.shape[1]!);
            return gather(table, ids.shape[1]! === 1 ? ids.reshape([1]) : ids.reshape([ids.size]).slice([ids.size - 1], [1]), 0);
          },
          dispose: () => undefined,
        };
      },
    };
    expect(await generate(decoder, [0, 1, 2], { maxTokens: 3, temperature: 0 })).toEqual([3, 4, 0]);
    expect(fed).toEqual([3, 1, 1]);
  });

  it('rejects an empty prompt and bad sampling options', async () => {
    const m = new Bigram(table);
    await expect(generate(m, [], { maxTokens: 1 })).rejects.toThrow(/prompt must be a non-empty array/);
    await expect(generate(m, [0], { maxTokens: 1, topP: 0 })).rejects.toThrow(/topP must be in \(0, 1\], got 0/);
  });

  it('saves a tokenizer with the model and rebuilds it on load', async () => {
    const tok = CharTokenizer.train(NAMES, { specials: ['<eos>'] });
    const m = new Linear(2, 2);
    const bytes = await serializeModel(m, { metadata: { tokenizer: tok.toJSON() } });
    const loaded = await deserializeModel(bytes);
    const again = tokenizerFromJSON(loaded.metadata!.tokenizer as never);
    expect(again.encode('amelia')).toEqual(tok.encode('amelia'));
  });
});
