/**
 * `mnist-demo toy`: the seed's 2-D toy as a workflow. Trains the small MLP (2 → 32 → 32 →
 * classes, ReLU) on a generated point set or your own CSV, prints loss and accuracy, and writes
 * the decision boundary as a PNG.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { getBackendName, listBackends, setBackend } from '@scratchnet/core';
import { Adam, CrossEntropyLoss, Linear, ReLU, Sequential, TensorDataset, decisionBoundary, evaluate, fit } from '@scratchnet/layers';
import { InputError } from '../node/idx-dir.js';
import { pickDefault } from '../shared/backends.js';
import { probeCliBackends } from './probe.js';
import { TOY_PROBLEMS, makeToy, type ToyProblem } from '../shared/toy.js';
import { readToyCsv } from './toy-csv.js';
import { PALETTE, writeBoundaryPng } from './toy-plot.js';
import { percent } from './format.js';

/** What `mnist-demo toy` was asked to do. */
export interface ToyOptions {
  help: boolean;
  dataset: string;
  points: number;
  noise: number;
  hidden: number;
  epochs: number;
  lr: number;
  batchSize: number;
  seed: number;
  out: string;
  size: number;
  backend: string | null;
}

/** The `mnist-demo toy --help` text. */
export const TOY_HELP = `mnist-demo toy: train a small MLP on 2-D points and draw its decision boundary

Usage: mnist-demo toy [options]

Options:
  --dataset NAME|FILE.csv  ${TOY_PROBLEMS.join(' | ')} (generated, seeded; default spirals),
                           or a CSV file of 'x,y,label' lines (a header line is allowed; labels
                           are numbers or names)
  --points N               points to generate (default 300)
  --noise X                noise of the generated points (default 0.1)
  --hidden N               units in each of the two hidden layers (default 32)
  --epochs N               epochs (default 200)
  --lr X                   Adam's learning rate (default 0.01)
  --batch-size N           points per batch (default 32)
  --seed N                 seed of the points, the weights and the shuffles (default 1)
  --out FILE.png           where to write the picture (default toy-<dataset>.png)
  --size N                 picture side in pixels (default 400)
  --backend NAME           backend to train on (default: the best available one)
  -h, --help               show this help

The picture: the background is coloured by the class the network predicts there (paler where it
is less sure), and each training point is a dot of its true class's colour with a dark rim.
`;

function positiveInt(flag: string, v: string | undefined, fallback: number, min = 1): number {
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v.trim()) || Number(v) < min) throw new InputError(`${flag} must be an integer ≥ ${min}, got '${v}'`);
  return Number(v);
}

function positiveNumber(flag: string, v: string | undefined, fallback: number, allowZero = false): number {
  if (v === undefined) return fallback;
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x) || x < 0 || (!allowZero && x === 0)) throw new InputError(`${flag} must be a ${allowZero ? 'non-negative' : 'positive'} number, got '${v}'`);
  return x;
}

/** Parses the arguments after `toy`. */
export function parseToyCli(argv: readonly string[]): ToyOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean', short: 'h' },
        dataset: { type: 'string' },
        points: { type: 'string' },
        noise: { type: 'string' },
        hidden: { type: 'string' },
        epochs: { type: 'string' },
        lr: { type: 'string' },
        'batch-size': { type: 'string' },
        seed: { type: 'string' },
        out: { type: 'string' },
        size: { type: 'string' },
        backend: { type: 'string' },
      },
    });
  } catch (e) {
    const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0]!.replace(/\. To specify a positional argument.*$/, '');
    throw new InputError(`toy: ${msg} (see mnist-demo toy --help)`);
  }
  const v = parsed.values;
  const dataset = v.dataset ?? 'spirals';
  if (!(TOY_PROBLEMS as readonly string[]).includes(dataset) && !/\.(csv|txt|tsv)$/i.test(dataset)) {
    throw new InputError(`--dataset must be one of ${TOY_PROBLEMS.join(', ')} or a .csv file of 'x,y,label' lines, got '${dataset}'`);
  }
  const base = dataset.replace(/^.*[/\\]/, '').replace(/\.[^.]*$/, '');
  const out = v.out ?? `toy-${base}.png`;
  if (!/\.png$/i.test(out)) throw new InputError(`--out must name a .png file, got '${out}'`);
  return {
    help: v.help ?? false,
    dataset,
    points: positiveInt('--points', v.points, 300, 4),
    noise: positiveNumber('--noise', v.noise, 0.1, true),
    hidden: positiveInt('--hidden', v.hidden, 32),
    epochs: positiveInt('--epochs', v.epochs, 200),
    lr: positiveNumber('--lr', v.lr, 0.01),
    batchSize: positiveInt('--batch-size', v['batch-size'], 32),
    seed: positiveInt('--seed', v.seed, 1, 0),
    out,
    size: positiveInt('--size', v.size, 400, 16),
    backend: v.backend ?? null,
  };
}

/**
 * Centres the points and scales both axes by the same factor so that they fit in [-1, 1]²
 * (shapes keep their proportions; CSV points of any scale train alike).
 */
function standardise(xs: Float32Array): Float32Array {
  const n = xs.length / 2;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[2 * i]! / n;
    my += xs[2 * i + 1]! / n;
  }
  let r = 0;
  for (let i = 0; i < n; i++) r = Math.max(r, Math.abs(xs[2 * i]! - mx), Math.abs(xs[2 * i + 1]! - my));
  const s = r > 0 ? 1 / r : 1;
  return Float32Array.from(xs, (v, i) => (v - (i % 2 ? my : mx)) * s);
}

/** Runs `mnist-demo toy`. */
export async function runToy(o: ToyOptions, print: (line: string) => void): Promise<void> {
  if (o.backend && !listBackends().includes(o.backend)) throw new InputError(`--backend: unknown backend '${o.backend}'; registered here: ${listBackends().join(', ')}`);
  if (!existsSync(dirname(resolve(o.out)))) throw new InputError(`--out ${o.out}: the directory ${dirname(resolve(o.out))} does not exist`);
  const generated = (TOY_PROBLEMS as readonly string[]).includes(o.dataset);
  const data = generated ? { ...makeToy(o.dataset as ToyProblem, o.points, o.seed, o.noise), classNames: null } : readToyCsv(o.dataset);
  const names = data.classNames ?? Array.from({ length: data.classes }, (_, i) => String(i));
  const points = standardise(data.xs);
  const n = data.ys.length;

  const status = await probeCliBackends(o.backend ? [o.backend] : undefined);
  const backend = o.backend ?? pickDefault(status)?.name;
  if (!backend) throw new InputError('no backend can start here');
  const s = status.find((b) => b.name === backend);
  if (s && !s.available) throw new InputError(`--backend: backend '${backend}' is not available here: ${s.reason ?? 'unknown reason'}`);
  await setBackend(backend);

  const model = new Sequential([
    new Linear(2, o.hidden, { seed: o.seed + 1 }),
    new ReLU(),
    new Linear(o.hidden, o.hidden, { seed: o.seed + 2 }),
    new ReLU(),
    new Linear(o.hidden, data.classes, { seed: o.seed + 3 }),
  ]);
  const set = new TensorDataset({ data: points, shape: [n, 2] }, { data: data.ys, shape: [n], dtype: 'int32' });
  const loss = new CrossEntropyLoss();
  const optimizer = new Adam(model.parameters(), { lr: o.lr });
  print(`ScratchNet toy: ${generated ? `${o.dataset}, ${n} generated points (noise ${o.noise})` : `${o.dataset}, ${n} points`}, ${data.classes} classes; MLP 2-${o.hidden}-${o.hidden}-${data.classes}, Adam lr ${o.lr}, ${o.epochs} epochs of batches of ${o.batchSize}, backend ${getBackendName()}`);
  const every = Math.max(1, Math.round(o.epochs / 10));
  const started = performance.now();
  await fit(model, set, {
    loss, optimizer, epochs: o.epochs, batchSize: o.batchSize, seed: o.seed, metrics: ['accuracy'],
    onEpochEnd: (e) => {
      if ((e.epoch + 1) % every === 0 || e.epoch === 0) print(`epoch ${String(e.epoch + 1).padStart(4)}  loss ${e.loss.toFixed(4)}  accuracy ${percent(e.accuracy ?? 0)}`);
    },
  });
  const final = await evaluate(model, set, { loss, metrics: ['accuracy'] });
  print(`trained in ${((performance.now() - started) / 1000).toFixed(1)} s; final loss ${final.loss.toFixed(4)}, training accuracy ${percent(final.accuracy ?? 0)}`);
  const grid = await decisionBoundary(model, { points, margin: 0.1, resolution: o.size });
  writeBoundaryPng(o.out, grid, points, data.ys);
  const colours = names.map((c, i) => `${c}: ${rgbName(PALETTE[i % PALETTE.length]!)}`).join(', ');
  print(`wrote ${o.out} (${o.size}×${o.size}): the background is the class predicted there (paler where unsure), dots are the training points (${colours})`);
  optimizer.dispose();
  model.dispose();
}

function rgbName([r, g, b]: readonly [number, number, number]): string {
  return `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}
