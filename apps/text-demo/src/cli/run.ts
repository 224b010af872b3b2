/** One run of `text-demo`: data, model, training, sampling, saving. */
import { RandomGenerator, getBackendName, listBackends, memory, resetPeakMemory, setBackend } from '@scratchnet/core';
import { Adam, BpeTokenizer, CharTokenizer, GPT, generate, loadModel, saveModel, type LSTMLanguageModel, type Tokenizer } from '@scratchnet/layers';
import { buildLanguageModel } from '../shared/model.js';
import { readTextModel, textModelMetadata } from '../shared/model-meta.js';
import { EOS, namesStream, namesTokenizer } from '../shared/names.js';
import { inventNames } from '../shared/sample-names.js';
import { splitStream, trainSteps, validationLoss } from '../shared/training.js';
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

async function train(model: GPT | LSTMLanguageModel, corpus: Corpus, o: CliOptions, print: Print): Promise<void> {
  // The last tenth of the stream is held out; at most 2,048 of its windows are evaluated.
  const { train: trainSet, val } = splitStream(corpus.ids, o.context);
  const optimizer = new Adam(model.parameters(), { lr: o.lr });
  resetPeakMemory();
  const started = performance.now();
  print(`model: ${model.className}, ${model.parameterCount().toLocaleString('en-US')} parameters; ${o.steps} steps of ${o.batch * o.accumulate} windows of ${o.context} tokens`);
  await trainSteps(model, trainSet, optimizer, o, ({ step, loss, tokensPerSecond }) => {
    if (step % 50 === 0 || step === o.steps) print(`step ${step}/${o.steps}  loss ${loss.toFixed(3)}  ${Math.round(tokensPerSecond).toLocaleString('en-US')} tokens/s`);
  });
  const peakBytes = memory().peakBytes; // the most tensor data alive at once during training
  const valLoss = await validationLoss(model, val);
  print(`validation loss ${valLoss.toFixed(3)} after ${((performance.now() - started) / 1000).toFixed(1)} s; peak tensor memory ${(peakBytes / 2 ** 20).toFixed(1)} MiB`);
  optimizer.dispose();
}

async function sample(model: GPT | LSTMLanguageModel, corpus: Corpus, o: CliOptions, print: Print): Promise<void> {
  const { tokenizer } = corpus;
  const gen = new RandomGenerator(o.seed);
  const sampling = { temperature: o.temperature, topK: o.topK, topP: o.topP, seed: gen };
  if (corpus.names) {
    print(`${o.samples} invented names (* = not in the training list):`);
    const names = await inventNames(model, tokenizer, corpus.names, { ...sampling, count: o.samples, prompt: o.prompt, maxTokens: o.maxTokens || o.context });
    for (const { name, novel } of names) print(`  ${name}${novel ? ' *' : ''}`);
    return;
  }
  const prompt = o.prompt || 'The ';
  const ids = tokenizer.encode(prompt);
  const room = Math.max(1, (o.maxTokens || (model instanceof GPT ? model.contextLength : o.context)) - (model instanceof GPT ? ids.length : 0));
  print(prompt + tokenizer.decode(await generate(model, ids, { ...sampling, maxTokens: room })));
}

/** Runs the command described by `o`, printing progress with `print`. */
export async function run(o: CliOptions, print: Print): Promise<void> {
  await pickBackend(o.backend, print);
  let model: GPT | LSTMLanguageModel;
  let corpus: Corpus;
  if (o.load) {
    const loaded = await loadModel(o.load);
    let saved;
    try {
      saved = readTextModel(loaded, o.load);
    } catch (e) {
      throw new UsageError(`--load: ${(e as Error).message}`);
    }
    model = saved.model;
    corpus = { tokenizer: saved.tokenizer, ids: [], names: saved.corpus === 'names' ? new Set(loadNames()) : null };
    print(`loaded ${model.className} (${model.parameterCount().toLocaleString('en-US')} parameters) from ${o.load}`);
  } else {
    corpus = prepare(o, print);
    model = buildLanguageModel(o.model, corpus.tokenizer.vocabSize, o);
    await train(model, corpus, o, print);
    if (o.save) {
      await saveModel(model, o.save, { metadata: textModelMetadata(corpus.tokenizer, o.corpus) });
      print(`saved to ${o.save}`);
    }
  }
  await sample(model, corpus, o, print);
  model.dispose();
}
