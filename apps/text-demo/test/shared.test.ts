/** The pieces the CLI and the page share, and the page's pure helpers, tested in Node on the js backend. */
import '@scratchnet/backend-js';
import { RandomGenerator, setBackend } from '@scratchnet/core';
import { Adam, GPT, Linear, deserializeModel, serializeModel } from '@scratchnet/layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadNames } from '../src/cli/corpus.ts';
import { defaultBackend, describeBackend, errorLine, runsOnSoftwareGpu } from '../src/shared/backends.ts';
import { buildLanguageModel } from '../src/shared/model.ts';
import { readTextModel, textModelMetadata } from '../src/shared/model-meta.ts';
import { EOS, namesStream, namesTokenizer, unigramLoss } from '../src/shared/names.ts';
import { inventNames } from '../src/shared/sample-names.ts';
import { splitStream, trainSteps, validationLoss } from '../src/shared/training.ts';
import { SAMPLE_FIELDS, TRAIN_FIELDS, checkNumbers, unknownCharacters } from '../src/web/form.ts';

beforeAll(async () => {
  await setBackend('js');
});

const small = { layers: 1, heads: 2, width: 16, context: 8, dropout: 0, seed: 3 };

describe('the training loop shared by the CLI and the page', () => {
  it('runs exactly the steps asked for, with a falling loss that ends below the unigram baseline', async () => {
    const names = loadNames().slice(0, 600);
    const tok = namesTokenizer(names);
    const ids = namesStream(names, tok, 1);
    const { train, val } = splitStream(ids, 8, 256);
    expect(val.size).toBeLessThanOrEqual(256);
    const model = buildLanguageModel('gpt', tok.vocabSize, small);
    const opt = new Adam(model.parameters(), { lr: 1e-2 });
    const losses: number[] = [];
    const done = await trainSteps(model, train, opt, { steps: 60, batch: 16, accumulate: 1, context: 8, seed: 1 }, ({ step, loss, tokensPerSecond }) => {
      expect(step).toBe(losses.length + 1);
      expect(tokensPerSecond).toBeGreaterThan(0);
      losses.push(loss);
    });
    expect(done).toBe(60);
    expect(losses).toHaveLength(60);
    expect(losses.slice(-5).reduce((a, b) => a + b) / 5).toBeLessThan(losses.slice(0, 5).reduce((a, b) => a + b) / 5 - 0.3);
    expect(await validationLoss(model, val)).toBeLessThan(unigramLoss(ids));
    opt.dispose();
    model.dispose();
  });

  it('stops between steps when its signal aborts, and counts accumulated batches as one step', async () => {
    const names = loadNames().slice(0, 200);
    const tok = namesTokenizer(names);
    const { train } = splitStream(namesStream(names, tok, 1), 8);
    const model = buildLanguageModel('lstm', tok.vocabSize, small);
    const opt = new Adam(model.parameters(), { lr: 1e-3 });
    const stop = new AbortController();
    const steps: number[] = [];
    const done = await trainSteps(model, train, opt, { steps: 50, batch: 4, accumulate: 2, context: 8, seed: 1 }, ({ step }) => {
      steps.push(step);
      if (step === 3) stop.abort();
    }, stop.signal);
    expect(done).toBe(3);
    expect(steps).toEqual([1, 2, 3]);
    opt.dispose();
    model.dispose();
  });

  it('measures the unigram baseline as the entropy of token frequencies', () => {
    expect(unigramLoss([1, 1, 2, 2])).toBeCloseTo(Math.log(2), 12);
    expect(unigramLoss([5, 5, 5])).toBe(0);
  });
});

describe('inventing names', () => {
  it('starts every name with the prompt, marks the ones not in the list, and repeats with the same seed', async () => {
    const names = loadNames();
    const tok = namesTokenizer(names);
    const model = new GPT(tok.vocabSize, { contextLength: 8, dModel: 16, numLayers: 1, numHeads: 2, dropout: 0, seed: 1 });
    const known = new Set(['maaa', ...names]);
    const draw = (): ReturnType<typeof inventNames> => inventNames(model, tok, known, { count: 5, prompt: 'ma', temperature: 1, seed: new RandomGenerator(9) });
    const a = await draw();
    expect(a).toHaveLength(5);
    for (const n of a) {
      expect(n.name.startsWith('ma')).toBe(true);
      expect(n.name.length).toBeLessThanOrEqual(2 + 8 - 3); // the GPT's context leaves 5 tokens after <eos> m a
      expect(n.novel).toBe(!known.has(n.name));
    }
    expect(await draw()).toEqual(a);
    model.dispose();
  });

  it('refuses a tokenizer without <eos>', async () => {
    const model = new GPT(4, { contextLength: 4, dModel: 8, numLayers: 1, numHeads: 1 });
    const tok = namesTokenizer(['ab']);
    const noEos = { ...tok, vocabSize: tok.vocabSize, specialId: () => undefined, encode: tok.encode.bind(tok), decode: tok.decode.bind(tok), toJSON: tok.toJSON.bind(tok) };
    await expect(inventNames(model, noEos, new Set(), { count: 1, prompt: '', seed: new RandomGenerator(1) })).rejects.toThrow(`has no ${EOS} token`);
    model.dispose();
  });
});

describe('model files', () => {
  it('round-trips the tokenizer and the corpus in the metadata', async () => {
    const tok = namesTokenizer(['anna', 'bob']);
    const model = buildLanguageModel('gpt', tok.vocabSize, small);
    const bytes = await serializeModel(model, { metadata: textModelMetadata(tok, 'names') });
    const back = readTextModel(await deserializeModel(bytes), 'names.safetensors');
    expect(back.corpus).toBe('names');
    expect(back.model).toBeInstanceOf(GPT);
    expect(back.tokenizer.toJSON()).toEqual(tok.toJSON());
    expect(back.tokenizer.encode('bob')).toEqual(tok.encode('bob'));
    model.dispose();
    back.model.dispose();
  });

  it('refuses a model that is not a text-demo model, naming the source', async () => {
    const bytes = await serializeModel(new Linear(2, 2));
    await expect(deserializeModel(bytes).then((m) => readTextModel(m, 'mnist.safetensors'))).rejects.toThrow(
      'mnist.safetensors is not a text-demo model (no tokenizer in its metadata, or not a GPT / LSTMLanguageModel)',
    );
  });
});

describe('the page\'s form and backend list', () => {
  it('accepts the defaults and refuses bad values with the field and the range', () => {
    const ok = checkNumbers(TRAIN_FIELDS, { layers: '2', heads: '4', width: '64', context: '16', steps: '500', batch: '32', lr: '0.003' });
    expect(ok).toEqual({ ok: true, values: { layers: 2, heads: 4, width: 64, context: 16, steps: 500, batch: 32, lr: 0.003 } });
    const bad = checkNumbers(TRAIN_FIELDS, { layers: '0', heads: '4', width: '30', context: '16', steps: '1.5', batch: '', lr: '2' });
    expect(bad.ok).toBe(false);
    expect(bad.ok ? [] : bad.errors).toEqual([
      { id: 'layers', message: "layers must be a whole number from 1 to 8; got '0'" },
      { id: 'steps', message: "steps must be a whole number from 1 to 100000; got '1.5'" },
      { id: 'batch', message: "batch must be a whole number from 1 to 512; got ''" },
      { id: 'lr', message: "learning rate must be a number above 0 and at most 1; got '2'" },
      { id: 'width', message: 'width must be divisible by heads (4); got 30' },
    ]);
    expect(checkNumbers(SAMPLE_FIELDS, { temperature: '0', 'top-k': '', seed: '0' })).toEqual({ ok: true, values: { temperature: 0, 'top-k': undefined, seed: 0 } });
  });

  it('lists the prompt\'s unknown characters once each', () => {
    expect(unknownCharacters('ma9x9!', (c) => /[a-z]/.test(c))).toEqual(['9', '!']);
  });

  it('picks wasm by default, passes over a software GPU, and describes a backend in one line', () => {
    const js = { name: 'js', available: true };
    const soft = { name: 'webgpu', available: true, info: { vendor: 'google', architecture: 'swiftshader' } };
    expect(runsOnSoftwareGpu(soft)).toBe(true);
    expect(defaultBackend([soft, { name: 'wasm', available: true }, js])?.name).toBe('wasm');
    expect(defaultBackend([soft, { name: 'wasm', available: false }, js])?.name).toBe('js');
    expect(defaultBackend([soft])?.name).toBe('webgpu');
    expect(describeBackend({ isa: 'simd', threads: 2, sharedMemory: true, kind: 'x' })).toBe('isa simd, threads 2');
    expect(errorLine(new Error("backend 'webgpu' is not available here: no adapter\nmore"))).toBe('no adapter');
  });
});
