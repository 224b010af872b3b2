/** One run of `text-demo`: data, model, training, sampling, saving. */
import { RandomGenerator, getBackendName, listBackends, memory, setBackend } from '@scratchnet/core';
import {
  Adam, BpeTokenizer, CharTokenizer, GPT, LSTMLanguageModel, TextWindows, evaluate, fit, generate, loadModel, saveModel,
  tokenizerFromJSON, type AnyModule, type Tokenizer, type TokenizerJSON,
} from '@scratchnet/layers';
import { EOS, namesStream, namesTokenizer } from '../shared/names.js';
import { NextTokenLoss } from '../shared/sequence-loss.js';
import type { CliOptions } from './args.js';
import { UsageError } from './args.js';
import { loadBrown, loadNames } from './corpus.js';

type Print = (line: string) => void;

async function pickBackend(wanted: string | undefined, print: Print): Promise<void> {
  if (wanted !== undefined) {
    if (!listBackends().includes(wanted)) throw new UsageError(`--backend must be one of ${listBackends().join(', ')}, got '${wanted}'`);
    await setBackend(wanted);
  } else {
    try {
      await setBackend('wasm');
    } catch {
      await setBackend('js');
    }
  }
  print(`backend: ${getBackendName()}`);
}

interface Corpus {
  tokenizer: Tokenizer;
  ids: number[];
  /** The training names (names corpus), to mark invented ones. */
  names: Set<string> | null;
}

function prepare(o: CliOptions, print: Print): Corpus {
  const started = performance.now();
  if (o.corpus === 'names') {
    const names = loadNames();
    const tokenizer = o.tokenizer === 'bpe' ? BpeTokenizer.train(names.join(' '), { vocabSize: o.vocab, specials: [EOS] }) : namesTokenizer(names);
    const ids = namesStream(names, tokenizer, o.seed);
    print(`corpus: ${names.length} names, ${ids.length} tokens, vocabulary ${tokenizer.vocabSize} (${o.tokenizer}, ${Math.round(performance.now() - started)} ms)`);
    return { tokenizer, ids, names: new Set(names) };
  }
  const text = loadBrown(o.brownFiles);
  const tokenizer = o.tokenizer === 'bpe' ? BpeTokenizer.train(text, { vocabSize: o.vocab, specials: [EOS] }) : CharTokenizer.train(text, { specials: [EOS] });
  const ids = tokenizer.encode(text);
  print(`corpus: Brown, ${text.length.toLocaleString('en-US')} characters, ${ids.length.toLocaleString('en-US')} tokens, vocabulary ${tokenizer.vocabSize} (${o.tokenizer}, ${Math.round(performance.now() - started)} ms)`);
  return { tokenizer, ids, names: null };
}

function buildModel(o: CliOptions, vocab: number): AnyModule & (GPT | LSTMLanguageModel) {
  if (o.model === 'lstm') {
    return new LSTMLanguageModel(vocab, { embeddingDim: 64, hiddenSize: 2 * o.width, numLayers: Math.min(o.layers, 2), dropout: o.dropout, seed: o.seed });
  }
  return new GPT(vocab, { contextLength: o.context, dModel: o.width, numLayers: o.layers, numHeads: o.heads, dropout: o.dropout, seed: o.seed, checkpoint: o.checkpoint });
}

async function train(model: GPT | LSTMLanguageModel, corpus: Corpus, o: CliOptions, print: Print): Promise<void> {
  // The last tenth of the stream is held out; at most 2,048 of its windows are evaluated.
  const cut = Math.floor(corpus.ids.length * 0.9);
  const trainSet = new TextWindows(corpus.ids.slice(0, cut), o.context);
  const valSet = new TextWindows(corpus.ids.slice(cut, Math.min(corpus.ids.length, cut + 2048 + o.context)), o.context);
  const optimizer = new Adam(model.parameters(), { lr: o.lr });
  const loss = new NextTokenLoss();
  const stop = new AbortController();
  const batchesPerEpoch = trainSet.batchCount(o.batch);
  const epochs = Math.ceil((o.steps * o.accumulate) / batchesPerEpoch);
  let batches = 0;
  let peakBytes = 0;
  const started = performance.now();
  print(`model: ${model.className}, ${model.parameterCount().toLocaleString('en-US')} parameters; ${o.steps} steps of ${o.batch * o.accumulate} windows of ${o.context} tokens`);
  await fit(model, trainSet, {
    loss, optimizer, epochs, batchSize: o.batch, accumulateSteps: o.accumulate, seed: o.seed, clipNorm: 1, signal: stop.signal,
    onBatchEnd: (logs) => {
      batches++;
      peakBytes = Math.max(peakBytes, memory().numBytes);
      const step = Math.floor(batches / o.accumulate);
      if (batches % o.accumulate === 0 && (step % 50 === 0 || step === o.steps)) {
        const seconds = (performance.now() - started) / 1000;
        print(`step ${step}/${o.steps}  loss ${logs.loss.toFixed(3)}  ${Math.round((batches * o.batch * o.context) / seconds).toLocaleString('en-US')} tokens/s`);
      }
      if (step >= o.steps) stop.abort();
    },
  });
  const val = await evaluate(model, valSet, { loss, batchSize: 64 });
  print(`validation loss ${val.loss.toFixed(3)} after ${((performance.now() - started) / 1000).toFixed(1)} s; peak tensor memory ${(peakBytes / 2 ** 20).toFixed(1)} MiB`);
  optimizer.dispose();
}

async function sample(model: GPT | LSTMLanguageModel, corpus: Corpus, o: CliOptions, print: Print): Promise<void> {
  const { tokenizer } = corpus;
  const eos = tokenizer.specialId(EOS);
  const gen = new RandomGenerator(o.seed);
  const sampling = { temperature: o.temperature, topK: o.topK, topP: o.topP, seed: gen };
  const contextLength = model instanceof GPT ? model.contextLength : undefined;
  const room = (prompt: number): number => Math.max(1, (o.maxTokens || contextLength || o.context) - (model instanceof GPT ? prompt : 0));
  if (corpus.names) {
    print(`${o.samples} invented names (* = not in the training list):`);
    // A draw that ends at once (an empty name) is drawn again, up to a few times over.
    for (let shown = 0, tries = 0; shown < o.samples && tries < 5 * o.samples; tries++) {
      const prompt = [eos!, ...tokenizer.encode(o.prompt)];
      const ids = await generate(model, prompt, { ...sampling, maxTokens: room(prompt.length), stopAt: eos });
      const name = o.prompt + tokenizer.decode(ids.filter((t) => t !== eos));
      if (name === '') continue;
      print(`  ${name}${corpus.names.has(name) ? '' : ' *'}`);
      shown++;
    }
    return;
  }
  const prompt = o.prompt || 'The ';
  const ids = await generate(model, tokenizer.encode(prompt), { ...sampling, maxTokens: room(tokenizer.encode(prompt).length) });
  print(prompt + tokenizer.decode(ids));
}

/** Runs the command described by `o`, printing progress with `print`. */
export async function run(o: CliOptions, print: Print): Promise<void> {
  await pickBackend(o.backend, print);
  let model: GPT | LSTMLanguageModel;
  let corpus: Corpus;
  if (o.load) {
    const loaded = await loadModel(o.load);
    const meta = loaded.metadata ?? {};
    if (!meta.tokenizer || !(loaded.model instanceof GPT || loaded.model instanceof LSTMLanguageModel)) {
      throw new UsageError(`--load: ${o.load} is not a text-demo model (no tokenizer in its metadata, or not a GPT / LSTMLanguageModel)`);
    }
    model = loaded.model;
    const names = meta.corpus === 'names' ? new Set(loadNames()) : null;
    corpus = { tokenizer: tokenizerFromJSON(meta.tokenizer as TokenizerJSON), ids: [], names };
    print(`loaded ${model.className} (${model.parameterCount().toLocaleString('en-US')} parameters) from ${o.load}`);
  } else {
    corpus = prepare(o, print);
    model = buildModel(o, corpus.tokenizer.vocabSize);
    await train(model, corpus, o, print);
    if (o.save) {
      await saveModel(model, o.save, { metadata: { tokenizer: corpus.tokenizer.toJSON(), corpus: o.corpus } });
      print(`saved to ${o.save}`);
    }
  }
  await sample(model, corpus, o, print);
  model.dispose();
}
