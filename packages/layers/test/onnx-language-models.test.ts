/**
 * ONNX export of the models that read token ids (issue 13): GPT (Gather of the token and position
 * tables, causal pre-norm blocks, the tied output projection) and LSTMLanguageModel (Gather → LSTM →
 * Linear) run in onnxruntime-web (wasm, in Node) on a batch of ids and give ScratchNet's eval-mode
 * logits (models built on js, and on wasm / webgpu via exportOnnxAsync); one GPT file serves several
 * sequence lengths (T is read from the ids at run time).
 */
import '@scratchnet/backend-js';
import { RandomGenerator, randomNormal, setBackend, tensor, tidy, type Tensor } from '@scratchnet/core';
import { testBackends } from './backends.js';
import { describe, expect, it } from 'vitest';
import { ort, useOnnxRuntime } from './onnx-runtime.js';
import {
  Embedding, GPT, LSTMLanguageModel, Linear, ONNX_SUPPORTED_MODULES, Sequential, SinusoidalPositionalEncoding, exportOnnx, exportOnnxAsync,
  type Module,
} from '../src/index.js';

useOnnxRuntime();

/** Seeded ids in [0, vocab) as an int32 tensor [n, t]. */
function randomIds(n: number, t: number, vocab: number, seed: number): Tensor {
  const u = new RandomGenerator(seed).uniform(n * t);
  return tensor(Array.from(u, (v) => Math.min(vocab - 1, Math.floor(v * vocab))), [n, t], 'int32');
}

/** The ids as an onnxruntime input of the given element type. */
async function ortIds(ids: Tensor, dtype: 'int64' | 'int32'): Promise<ort.Tensor> {
  const values = (await ids.data()) as Int32Array;
  return dtype === 'int64'
    ? new ort.Tensor('int64', BigInt64Array.from(values, (v) => BigInt(v)), [...ids.shape])
    : new ort.Tensor('int32', Int32Array.from(values), [...ids.shape]);
}

/**
 * Largest |onnxruntime − ScratchNet| of the logits for each batch of ids, all run through one session
 * of `bytes` (the model is put in eval mode first).
 */
async function maxDifferences(model: Module, bytes: Uint8Array, batches: Tensor[], dtype: 'int64' | 'int32' = 'int64'): Promise<number[]> {
  model.eval();
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  try {
    const worst: number[] = [];
    for (const ids of batches) {
      const expected = tidy(() => model.forward(ids));
      const result = await session.run({ input: await ortIds(ids, dtype) });
      expect(result.output!.dims).toEqual(expected.shape);
      const got = result.output!.data as Float32Array;
      const want = await expected.data();
      let d = 0;
      for (let i = 0; i < got.length; i++) d = Math.max(d, Math.abs(got[i]! - want[i]!));
      worst.push(d);
      expected.dispose();
    }
    return worst;
  } finally {
    await session.release();
  }
}

/** Index of `needle` in `haystack` from `from`, or −1. */
function indexOfBytes(haystack: Uint8Array, needle: Uint8Array, from = 0): number {
  outer: for (let i = from; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** A small GPT whose embeddings are large enough (std 0.5) that every part of the graph moves the logits. */
function smallGpt(options: { checkpoint?: boolean } = {}): GPT {
  const m = new GPT(11, { contextLength: 8, dModel: 16, numLayers: 2, numHeads: 2, dropout: 0.1, seed: 5, ...options });
  tidy(() => {
    m.tok_emb.weight.assign(randomNormal([11, 16], { std: 0.5, seed: 6 }));
    m.pos_emb.weight.assign(randomNormal([8, 16], { std: 0.5, seed: 7 }));
  });
  return m;
}

describe('exportOnnx of language models (integer ids in)', () => {
  it('lists Embedding, GPT and LSTMLanguageModel among the supported modules', () => {
    expect(ONNX_SUPPORTED_MODULES).toEqual(expect.arrayContaining(['Embedding', 'GPT', 'LSTMLanguageModel']));
  });

  for (const opset of [13, 17]) {
    it(`GPT (vocab 11, context 8, 2 layers, 2 heads) matches onnxruntime for T = 8, 5 and 1 from one file (opset ${opset})`, async () => {
      const model = smallGpt();
      const bytes = exportOnnx(model, { opsetVersion: opset });
      const batches = [randomIds(3, 8, 11, 1), randomIds(2, 5, 11, 2), randomIds(4, 1, 11, 3)];
      const diffs = await maxDifferences(model, bytes, batches);
      console.log(`exportOnnx: GPT (opset ${opset}), onnxruntime vs ScratchNet logits, T = 8, 5, 1: max |difference| ${diffs.map((d) => d.toExponential(2)).join(', ')}`);
      for (const d of diffs) expect(d).toBeLessThanOrEqual(1e-4);
      batches.forEach((t) => t.dispose());
      model.dispose();
    });
  }

  it('GPT stores its token table once: the Gather and the tied projection share one initializer', async () => {
    const model = smallGpt();
    const bytes = await exportOnnxAsync(model);
    const table = new Uint8Array(new Float32Array(model.tok_emb.weight.dataSync()).buffer);
    const first = indexOfBytes(bytes, table);
    expect(first).toBeGreaterThan(0);
    expect(indexOfBytes(bytes, table, first + 1)).toBe(-1);
    model.dispose();
  });

  it('GPT with activation checkpointing (training only) exports the same graph', async () => {
    const model = smallGpt({ checkpoint: true });
    const ids = randomIds(2, 6, 11, 4);
    const [diff] = await maxDifferences(model, exportOnnx(model), [ids]);
    expect(diff).toBeLessThanOrEqual(1e-4);
    expect(exportOnnx(model)).toEqual(exportOnnx(smallGpt()));
    ids.dispose();
    model.dispose();
  });

  for (const idsDtype of ['int64', 'int32'] as const) {
    it(`LSTMLanguageModel (vocab 9, 2 layers) matches onnxruntime with ${idsDtype} ids`, async () => {
      const model = new LSTMLanguageModel(9, { embeddingDim: 6, hiddenSize: 10, numLayers: 2, dropout: 0.2, seed: 8 });
      const batches = [randomIds(3, 7, 9, 5), randomIds(1, 2, 9, 6)];
      const diffs = await maxDifferences(model, exportOnnx(model, { idsDtype }), batches, idsDtype);
      console.log(`exportOnnx: LSTMLanguageModel (${idsDtype} ids), onnxruntime vs ScratchNet logits: max |difference| ${diffs.map((d) => d.toExponential(2)).join(', ')}`);
      for (const d of diffs) expect(d).toBeLessThanOrEqual(1e-4);
      batches.forEach((t) => t.dispose());
      model.dispose();
    });
  }

  for (const backend of testBackends().filter((name) => name !== 'js')) {
    it(`GPT and LSTMLanguageModel built on ${backend} export with exportOnnxAsync and match onnxruntime`, async () => {
      await setBackend(backend);
      try {
        const gpt = smallGpt();
        const lm = new LSTMLanguageModel(9, { embeddingDim: 6, hiddenSize: 10, numLayers: 2, seed: 8 });
        const ids = randomIds(2, 6, 9, 7);
        const [gptDiff] = await maxDifferences(gpt, await exportOnnxAsync(gpt), [ids]);
        const [lmDiff] = await maxDifferences(lm, await exportOnnxAsync(lm), [ids]);
        console.log(`exportOnnxAsync on ${backend}, onnxruntime vs ScratchNet logits: GPT ${gptDiff!.toExponential(2)}, LSTMLanguageModel ${lmDiff!.toExponential(2)}`);
        expect(gptDiff).toBeLessThanOrEqual(1e-4);
        expect(lmDiff).toBeLessThanOrEqual(1e-4);
        [gpt, lm, ids].forEach((t) => t.dispose());
      } finally {
        await setBackend('js');
      }
    });
  }

  it('a Sequential starting with an Embedding (with a padding row) reads ids', async () => {
    const model = new Sequential([new Embedding(9, 5, { paddingIdx: 0, seed: 9 }), new Linear(5, 3, { seed: 10 })]);
    const ids = tensor([[0, 3, 8, 0], [1, 2, 0, 7]], [2, 4], 'int32');
    const [diff] = await maxDifferences(model, exportOnnx(model), [ids]);
    expect(diff).toBeLessThanOrEqual(1e-5);
    ids.dispose();
    model.dispose();
  });

  it('refuses what it cannot write, naming the module and the reason', () => {
    const late = new Sequential([new Linear(3, 4), new Embedding(4, 2)]);
    expect(() => exportOnnx(late)).toThrow(/exportOnnx: Embedding at '1' reads a float tensor; an exported Embedding must read the graph's integer ids/);
    const renormed = new Embedding(5, 3, { maxNorm: 1 });
    expect(() => exportOnnx(renormed)).toThrow(/exportOnnx: Embedding at 'Embedding' has maxNorm 1, which rescales its weight during forward/);
    const positional = new Sequential([new Embedding(5, 4), new SinusoidalPositionalEncoding(4)]);
    expect(() => exportOnnx(positional)).toThrow(/exportOnnx: SinusoidalPositionalEncoding at '1' has no ONNX mapping/);
    expect(() => exportOnnx(new Linear(2, 2), { idsDtype: 'int32' })).toThrow(/exportOnnx: idsDtype is for models that read token ids .* Linear's input is float32/);
    const lm = new LSTMLanguageModel(5, { embeddingDim: 2, hiddenSize: 3, numLayers: 1 });
    expect(() => exportOnnx(lm, { idsDtype: 'float32' as 'int32' })).toThrow(/exportOnnx: idsDtype must be 'int64' or 'int32', got float32/);
    [late, renormed, positional, lm].forEach((m) => m.dispose());
  });
});
