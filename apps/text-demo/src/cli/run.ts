/** One run of `text-demo`: data, model, training, sampling, saving. */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { RandomGenerator, getBackendName, listBackends, memory, resetPeakMemory, setBackend } from '@scratchnet/core';
import { Adam, BpeTokenizer, CharTokenizer, GPT, generate, loadModel, saveModel, type LSTMLanguageModel, type Tokenizer } from '@scratchnet/layers';
import { buildLanguageModel } from '../shared/model.js';
import { readTextModel, textModelMetadata, type CorpusName } from '../shared/model-meta.js';
import { EOS, namesStream, namesTokenizer, unigramLoss } from '../shared/names.js';
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
  /** Characters per token of the stream (1 for characters; more for BPE), to turn nats per token into bits per character. */
  charsPerToken: number;
  /** What the saved model's metadata calls the corpus. */
  label: CorpusName;
}

function prepare(o: CliOptions, print: Print): Corpus {
  const started = performance.now();
  if (o.corpus === 'names' && o.textFile === undefined) {
    const names = loadNames();
    const tokenizer = o.tokenizer === 'bpe' ? BpeTokenizer.train(names.join(' '), { vocabSize: o.vocab, specials: [EOS] }) : namesTokenizer(names);
    const ids = namesStream(names, tokenizer, o.seed);
    print(`corpus: ${names.length} names, ${ids.length} tokens, vocabulary ${tokenizer.vocabSize} (${o.tokenizer}, ${Math.round(performance.now() - started)} ms)`);
    // Each name's characters plus its boundary token.
    const chars = names.reduce((n, name) => n + [...name].length + 1, 0);
    return { tokenizer, ids, names: new Set(names), charsPerToken: chars / ids.length, label: 'names' };
  }
  const text = o.textFile !== undefined ? readText(o.textFile) : loadBrown(o.brownFiles);
  const tokenizer = o.tokenizer === 'bpe' ? BpeTokenizer.train(text, { vocabSize: o.vocab, specials: [EOS] }) : CharTokenizer.train(text, { specials: [EOS] });
  const ids = tokenizer.encode(text);
  const label = o.textFile !== undefined ? basename(o.textFile) : 'Brown';
  print(`corpus: ${label}, ${text.length.toLocaleString('en-US')} characters, ${ids.length.toLocaleString('en-US')} tokens, vocabulary ${tokenizer.vocabSize} (${o.tokenizer}, ${Math.round(performance.now() - started)} ms)`);
  if (ids.length < 2 * (o.context + 1)) throw new UsageError(`--text: ${o.textFile} has ${ids.length} tokens, too few for windows of ${o.context} + 1 (shorten --context)`);
  return { tokenizer, ids, names: null, charsPerToken: [...text].length / ids.length, label: o.textFile !== undefined ? 'text' : 'brown' };
}

function readText(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`--text: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (text.trim() === '') throw new UsageError(`--text: ${file} is empty`);
  return text;
}

/** One line of progress, redrawn in place on a terminal: step, a bar, loss and speed. */
function progressLine(step: number, steps: number, loss: number, tokensPerSecond: number): string {
  const width = 24;
  const filled = Math.round((step / steps) * width);
  return `step ${step}/${steps} [${'='.repeat(filled)}${' '.repeat(width - filled)}] loss ${loss.toFixed(3)}  ${Math.round(tokensPerSecond).toLocaleString('en-US')} tokens/s`;
}

async function train(model: GPT | LSTMLanguageModel, corpus: Corpus, o: CliOptions, print: Print, live: LiveLine): Promise<void> {
  // The last tenth of the stream is held out; at most 2,048 of its windows are evaluated.
  const { train: trainSet, val } = splitStream(corpus.ids, o.context);
  const optimizer = new Adam(model.parameters(), { lr: o.lr });
  const baseline = unigramLoss(corpus.ids.slice(0, Math.floor(corpus.ids.length * 0.9)));
  const bpc = (nats: number): string => (nats / corpus.charsPerToken / Math.LN2).toFixed(3);
  resetPeakMemory();
  const started = performance.now();
  print(`model: ${model.className}, ${model.parameterCount().toLocaleString('en-US')} parameters; ${o.steps} steps of ${o.batch * o.accumulate} windows of ${o.context} tokens`);
  print(`unigram baseline (no context): ${baseline.toFixed(3)} nats per token, ${bpc(baseline)} bits per character`);
  const switches = [...o.switches];
  let lossSum = 0;
  let lossCount = 0;
  await trainSteps(model, trainSet, optimizer, o, async ({ step, loss, tokensPerSecond }) => {
    lossSum += loss;
    lossCount++;
    live.update(progressLine(step, o.steps, loss, tokensPerSecond));
    if (step % o.evalEvery === 0 || step === o.steps) {
      const valLoss = await validationLoss(model, val);
      live.clear();
      print(`step ${step}/${o.steps}  train loss ${(lossSum / lossCount).toFixed(3)}  validation loss ${valLoss.toFixed(3)} (${bpc(valLoss)} bits/char)  ${Math.round(tokensPerSecond).toLocaleString('en-US')} tokens/s  ${((performance.now() - started) / 1000).toFixed(1)} s`);
      if (step < o.steps) print(`  samples: ${(await quickSamples(model, corpus, o)).join(', ')}`);
      lossSum = 0;
      lossCount = 0;
    }
    // A switch to backend B at step S happens once step S − 1 is done.
    while (switches.length > 0 && switches[0]!.step <= step + 1) {
      const next = switches.shift()!;
      if (step >= o.steps) break;
      await pickBackend(next.backend, (line) => {
        live.clear();
        print(`${line} from step ${step + 1} on (the model and Adam's state move there)`);
      });
    }
  });
  live.clear();
  print(`trained in ${((performance.now() - started) / 1000).toFixed(1)} s; peak tensor memory ${(memory().peakBytes / 2 ** 20).toFixed(1)} MiB`);
  optimizer.dispose();
}

/** A few draws to show while training: names, or a short continuation of the prompt. */
async function quickSamples(model: GPT | LSTMLanguageModel, corpus: Corpus, o: CliOptions): Promise<string[]> {
  const seed = new RandomGenerator(o.seed + 7);
  if (corpus.names) {
    const names = await inventNames(model, corpus.tokenizer, corpus.names, { temperature: o.temperature, topK: o.topK, topP: o.topP, seed, count: 5, prompt: o.prompt, maxTokens: o.context });
    return names.map((n) => n.name);
  }
  const prompt = o.prompt || 'The ';
  const ids = corpus.tokenizer.encode(prompt);
  const room = Math.max(1, Math.min(40, (model instanceof GPT ? model.contextLength - ids.length : 40)));
  return [JSON.stringify(prompt + corpus.tokenizer.decode(await generate(model, ids, { temperature: o.temperature, topK: o.topK, topP: o.topP, seed, maxTokens: room })))];
}

/** A status line redrawn in place where stdout is a terminal, and silent elsewhere (logs get the evaluation lines). */
export interface LiveLine {
  update(text: string): void;
  clear(): void;
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
export async function run(o: CliOptions, print: Print, live: LiveLine = { update: () => undefined, clear: () => undefined }): Promise<void> {
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
    corpus = { tokenizer: saved.tokenizer, ids: [], names: saved.corpus === 'names' ? new Set(loadNames()) : null, charsPerToken: 1, label: saved.corpus ?? 'text' };
    print(`loaded ${model.className} (${model.parameterCount().toLocaleString('en-US')} parameters) from ${o.load}`);
  } else {
    corpus = prepare(o, print);
    model = buildLanguageModel(o.model, corpus.tokenizer.vocabSize, o);
    await train(model, corpus, o, print, live);
    if (o.save) {
      await saveModel(model, o.save, { metadata: textModelMetadata(corpus.tokenizer, corpus.label) });
      print(`saved to ${o.save}`);
    }
  }
  await sample(model, corpus, o, print);
  model.dispose();
}
