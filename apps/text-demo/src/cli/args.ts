/** The command line of `text-demo`: flags, defaults and the help text. */

/** What a run does, from the command line. */
export interface CliOptions {
  help: boolean;
  corpus: 'names' | 'brown';
  model: 'gpt' | 'lstm';
  tokenizer: 'char' | 'bpe';
  vocab: number;
  backend: string | undefined;
  steps: number;
  batch: number;
  lr: number;
  context: number;
  layers: number;
  heads: number;
  width: number;
  dropout: number;
  checkpoint: boolean;
  accumulate: number;
  samples: number;
  temperature: number;
  topK: number | undefined;
  topP: number | undefined;
  prompt: string;
  maxTokens: number;
  save: string | undefined;
  load: string | undefined;
  seed: number;
  brownFiles: number;
  /** A text file of the user's to learn instead of a shipped corpus (`--text FILE`). */
  textFile: string | undefined;
  /** Steps between evaluations (train and validation loss, bits per character, samples). */
  evalEvery: number;
  /** Backend switches during training, in step order. */
  switches: BackendSwitch[];
}

/** From optimizer step `step` on, train on `backend`. */
export interface BackendSwitch {
  readonly step: number;
  readonly backend: string;
}

/** A bad command line: reported as one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const HELP = `text-demo: train a small language model in the terminal, then sample from it.

  text-demo                       GPT on ~8,800 English first names, then 10 invented names
  text-demo --corpus brown        the Brown corpus (about 6 M characters of 1961 American prose)
  text-demo --model lstm          an LSTM instead of the transformer
  text-demo --text book.txt       your own text file

Data and model
  --corpus names|brown   what to learn (default names)
  --text FILE            learn a UTF-8 text file of yours instead
  --brown-files N        read only the first N of Brown's 500 files (default all)
  --tokenizer char|bpe   characters, or a byte-level BPE trained on the corpus (default char)
  --vocab N              BPE vocabulary size (default 512)
  --model gpt|lstm       (default gpt)
  --layers N --heads N --width N --context N --dropout P
                         model size (default for Brown: 4 layers, 4 heads, width 128, context 64,
                         dropout 0.1; for names: 2 layers, 4 heads, width 64, context 16, dropout 0)
Training
  --backend NAME         js, wasm or webgpu (default: wasm where it starts, else js)
  --steps N              optimizer steps (default 600 for names, 2000 for Brown)
  --batch N              windows per step (default 32)
  --lr X                 Adam's learning rate (default 3e-3)
  --checkpoint           recompute each block's activations in the backward pass (less memory)
  --accumulate K         accumulate K batches per step (an effective batch of K × batch)
  --seed N               seed of the weights, the batches and the samples (default 1)
  --eval-every N         every N steps: train and validation loss, bits per character and samples
                         (default 100)
  --switch-backend S:NAME
                         from step S on, train on backend NAME (may be given several times)
  --save FILE            save the model and its tokenizer after training
  --load FILE            load a saved model instead of training
Sampling
  --generate N           names to invent at the end (names corpus; default 10; --samples too)
  --prompt TEXT          text to continue (default: a name from nothing, or "The " for Brown)
  --max-tokens N         tokens to generate per sample (default: the context length)
  --temperature X --top-k K --top-p P
                         sampling (defaults 0.8, none, none)
`;

const NUMBER_FLAGS = {
  '--vocab': 'vocab', '--steps': 'steps', '--batch': 'batch', '--lr': 'lr', '--context': 'context', '--layers': 'layers',
  '--heads': 'heads', '--width': 'width', '--dropout': 'dropout', '--accumulate': 'accumulate', '--samples': 'samples',
  '--temperature': 'temperature', '--top-k': 'topK', '--top-p': 'topP', '--max-tokens': 'maxTokens', '--seed': 'seed',
  '--brown-files': 'brownFiles', '--generate': 'samples', '--eval-every': 'evalEvery',
} as const;
const INTEGER = new Set(['vocab', 'steps', 'batch', 'context', 'layers', 'heads', 'width', 'accumulate', 'samples', 'topK', 'maxTokens', 'seed', 'brownFiles', 'evalEvery']);

/** The names corpus's model and training defaults (the Brown corpus uses the plain defaults). */
export const NAMES_MODEL = { layers: 2, heads: 4, width: 64, context: 16, dropout: 0, steps: 600 } as const;

/** Parses argv (without the node and script paths). */
export function parseCli(argv: readonly string[]): CliOptions {
  const o: CliOptions = {
    help: false, corpus: 'names', model: 'gpt', tokenizer: 'char', vocab: 512, backend: undefined, steps: 2000, batch: 32,
    lr: 3e-3, context: 64, layers: 4, heads: 4, width: 128, dropout: 0.1, checkpoint: false, accumulate: 1, samples: 10,
    temperature: 0.8, topK: undefined, topP: undefined, prompt: '', maxTokens: 0, save: undefined, load: undefined, seed: 1,
    brownFiles: Infinity, textFile: undefined, evalEvery: 100, switches: [],
  };
  const choice = <T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T => {
    if (!allowed.includes(value as T)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, got ${value === undefined ? 'nothing' : `'${value}'`}`);
    return value as T;
  };
  const given = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === '--help' || flag === '-h') o.help = true;
    else if (flag === '--corpus') {
      o.corpus = choice(flag, value(), ['names', 'brown'] as const);
      given.add('corpus');
    }
    else if (flag === '--model') o.model = choice(flag, value(), ['gpt', 'lstm'] as const);
    else if (flag === '--tokenizer') o.tokenizer = choice(flag, value(), ['char', 'bpe'] as const);
    else if (flag === '--backend') o.backend = value();
    else if (flag === '--checkpoint') o.checkpoint = true;
    else if (flag === '--prompt') o.prompt = value();
    else if (flag === '--save') o.save = value();
    else if (flag === '--load') o.load = value();
    else if (flag === '--text') o.textFile = value();
    else if (flag === '--switch-backend') {
      const raw = value();
      const m = /^(\d+):(\S+)$/.exec(raw);
      if (!m || Number(m[1]) < 1) throw new UsageError(`--switch-backend must be STEP:NAME with a step of 1 or more (e.g. 200:js), got '${raw}'`);
      o.switches.push({ step: Number(m[1]), backend: m[2]! });
    }
    else if (flag in NUMBER_FLAGS) {
      const key = NUMBER_FLAGS[flag as keyof typeof NUMBER_FLAGS];
      const raw = value();
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n) || (INTEGER.has(key) && !Number.isInteger(n))) {
        throw new UsageError(`${flag} must be ${INTEGER.has(key) ? 'an integer' : 'a number'}, got '${raw}'`);
      }
      (o as unknown as Record<string, number>)[key] = n;
      given.add(key);
    } else throw new UsageError(`unknown option '${flag}' (see text-demo --help)`);
  }
  // Names are short: a smaller model on a 16-character context learns them in about a minute; Brown
  // gets the full default GPT. Flags given on the command line win either way.
  if (o.textFile !== undefined && given.has('corpus')) throw new UsageError('--text and --corpus both name what to learn: give one');
  if (o.corpus === 'names' && o.textFile === undefined) {
    for (const [key, value] of Object.entries(NAMES_MODEL) as [keyof typeof NAMES_MODEL, number][]) if (!given.has(key)) o[key] = value;
  }
  o.switches.sort((a, b) => a.step - b.step);
  for (const key of ['steps', 'batch', 'context', 'layers', 'heads', 'width', 'accumulate', 'vocab', 'brownFiles', 'evalEvery'] as const) {
    if (!(o[key] >= 1)) throw new UsageError(`--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} must be at least 1, got ${o[key]}`);
  }
  if (o.width % o.heads !== 0) throw new UsageError(`--width ${o.width} must be divisible by --heads ${o.heads}`);
  if (!(o.dropout >= 0 && o.dropout < 1)) throw new UsageError(`--dropout must be in [0, 1), got ${o.dropout}`);
  if (o.tokenizer === 'bpe' && o.vocab < 257) throw new UsageError(`--vocab must be at least 257 for a BPE tokenizer (256 bytes + <eos>), got ${o.vocab}`);
  return o;
}
